"""Where one link leads, and what is wrong with it: a link checked on its own, as a browser reads it.

The whole-site check (links.py) works each address out once for many pages, by this code; the
report of a broken link (linkreport.py) describes it in this code's words.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

from .linkscan import PageScan

ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:|//)")
"""A whole address (with a scheme, or from '//'): it leads to the same place from any page."""


def normalise_base_url(value: str) -> str:
    """An http(s) address with a host and a trailing slash; ValueError says what is wrong."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{value}' is not a web address: it must start with https:// (or http://) "
                         "and name a host, like https://example.org/privacy/")
    if parts.query or parts.fragment or "#" in value or any(ch.isspace() for ch in value):
        raise ValueError(f"'{value}' must be a plain address, without spaces, '?' or '#'")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"


@dataclass(frozen=True)
class Target:
    """Where an internal link leads: a path in the site ('' is the home page) and a fragment."""

    path: str
    fragment: str
    outside: bool = False


def page_address(page: str) -> str:
    """The address a page is served at, relative to the site root ('sharing/' for sharing/index.html)."""
    return page.removesuffix("index.html") if page.rsplit("/", 1)[-1] == "index.html" else page


def resolve_link(page: str, href: str, base_url: str) -> Target | None:
    """Resolve `href` as a browser would on `page` served under `base_url`; None if external."""
    href = href.strip()
    address = page_address(page)
    if href.startswith("#") and not any(char in href[1:] for char in "#\t\n\r"):
        own = resolve_from(address, "", base_url)  # a fragment on this page: resolve the page once
        return own if own is None else Target(own.path, unquote(href[1:]), own.outside)
    if ABSOLUTE.match(href):
        address = ""  # a whole address leads to the same place from any page
    elif href and href[0] not in "#?":
        # A link with a path leads to the same place from any page of a folder, so the many pages
        # that share a link resolve it once.
        address = address[: address.rfind("/") + 1]
    return resolve_from(address, href, base_url)


@lru_cache(maxsize=50_000)
def resolve_from(address: str, href: str, base_url: str) -> Target | None:
    """Where `href` leads from `address` (a page's, or its folder's): resolve_link's answer, kept."""
    written_absolute = bool(ABSOLUTE.match(href))
    resolved = urlsplit(urljoin(base_url + address, href))
    base = urlsplit(base_url)
    if resolved.scheme not in ("http", "https"):
        return None  # mailto:, tel: and the like
    same_host = (resolved.scheme, resolved.netloc.lower()) == (base.scheme, base.netloc.lower())
    inside = resolved.path.startswith(base.path) or resolved.path + "/" == base.path
    if written_absolute and not (same_host and inside):
        return None  # another website (or another part of ours, outside this site)
    if not (same_host and inside):
        return Target(resolved.path, resolved.fragment, outside=True)
    return Target(unquote(resolved.path[len(base.path):]), unquote(resolved.fragment))


def link_problem(
    page: str, href: str, target: Target, files: Collection[str], pages: dict[str, PageScan], base_url: str,
) -> tuple[str, str] | None:
    """What is wrong with a link from `page` to `target` (written `href`), and a hint; None if nothing."""
    if target.outside:
        return (f"it leads to {target.path}, outside the site at {base_url}",
                "link within the site with a relative address")
    if page == "404.html" and not re.match(r"^([A-Za-z][A-Za-z0-9+.-]*:|/|#)", href.strip()):
        return ("the 404 page is served at any address, so a relative link from it goes astray",
                "start the link with the base path: use site.base_path in templates/404.html")
    path = existing_file(target.path, files)
    if path is None:
        return (f"there is no page or file '{target.path or '/'}' in the site", "")
    if target.fragment and target.fragment != "top" and path in pages and path.endswith(".html"):
        ids = pages[path][1]
        if target.fragment not in ids:
            close = difflib.get_close_matches(target.fragment, sorted(ids), n=1)
            hint = f"did you mean '#{close[0]}'?" if close else "link to the id of a heading on that page"
            where = "this page" if path == page else path
            return f"{where} has no element with id '{target.fragment}'", hint
    return None


def existing_file(path: str, files: Collection[str]) -> str | None:
    """The file a site path is served from: a folder's index.html, or the file itself."""
    if path == "" or path.endswith("/"):
        return path + "index.html" if path + "index.html" in files else None
    if path in files:
        return path
    return path + "/index.html" if path + "/index.html" in files else None
