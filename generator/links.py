"""Every link on every page, checked in memory before anything is written.

A static host has no server to catch a mistake: a link to a page that does not exist, or
to a `#fragment` that names no element, would ship silently. So the build resolves each
internal `href`/`src` the way a browser would, with the page served under the base URL,
and fails naming the link. Where the link was written in a content file (a Markdown
link), the error points there; otherwise at the page as it was built. External links are
collected for `notices check --links`; nothing here uses the network.
"""

from __future__ import annotations

import difflib
import html as html_module
import re
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from . import markdown
from .diagnostics import Diagnostics

LINK_ATTRIBUTES = ("href", "src")
_ABSOLUTE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:|//)")
_SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


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


@dataclass(frozen=True, slots=True)
class Link:
    """One href or src, where it is written in a built page (line and column from 1)."""

    page: str
    line: int
    column: int
    href: str


PageScan = tuple[list[Link], set[str]]
"""A page's links, in page order, and the ids of its elements."""


@dataclass(frozen=True)
class BrokenLink:
    link: Link
    reason: str
    hint: str = ""


@dataclass
class LinkReport:
    """What the checker found: broken internal links, and external links by address."""

    broken: list[BrokenLink] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)
    """Each external address, with the site paths of the pages that link to it."""


_ATTRIBUTES = r"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
_MARKUP = re.compile(
    r"<!--.*?-->"  # a comment
    rf"|<(script|style)\b{_ATTRIBUTES}>.*?</\1\s*>"  # an element whose content is not markup
    rf"|<([A-Za-z][^\s/>]*)(?=[^>]*?\s(?:id|name|href|src)\s*=){_ATTRIBUTES}>",  # a tag that may link
    re.DOTALL | re.IGNORECASE)
"""What the link check reads: the pages are our own well-formed output, so start tags suffice."""
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def scan_page(page: str, html: str) -> PageScan:
    """The links (in page order) and the ids of one HTML page.

    A regular-expression scan of the start tags that carry an id, name, href or src, not a full
    HTML parser: several times faster on pages this tool wrote itself, and it reads attributes
    as a browser does (names in any case, values quoted or not, character references decoded).
    Positions are of the attribute's name.
    """
    links: list[Link] = []
    ids: set[str] = set()
    line, counted = 1, 0  # the line at offset `counted`, so newlines are counted once
    for found in _MARKUP.finditer(html):
        tag, group = (found.group(1), 2) if found.group(1) else (found.group(3), 4)
        if tag is None:
            continue  # a comment
        tag = tag.lower()
        for attribute in _ATTRIBUTE.finditer(found.group(group)):
            name = attribute.group(1).lower()
            if name not in ("id", "name", "href", "src"):
                continue
            value = _attribute_value(attribute)
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                ids.add(value)
            elif name in LINK_ATTRIBUTES:
                offset = found.start(group) + attribute.start()
                line += html.count("\n", counted, offset)
                counted = offset
                links.append(Link(page, line, offset - html.rfind("\n", 0, offset), value))
    return links, ids


def scan_file(name: str, body: bytes) -> PageScan | None:
    """The links and ids of one built file the link check reads (a page or the sitemap), else None."""
    if name.endswith(".html"):
        return scan_page(name, body.decode("utf-8"))
    if name.endswith(".xml"):
        return _sitemap_links(name, body.decode("utf-8")), set()
    return None


def compact(scan: PageScan) -> PageScan:
    """The same scan in less memory: the addresses and ids that recur from page to page stored once.

    A big build keeps every page's scan until the link check; most of its links (the navigation,
    the register entries) and ids are the same text on every page.
    """
    links, ids = scan
    return ([Link(link.page, link.line, link.column, sys.intern(link.href)) for link in links],
            {sys.intern(value) for value in ids})


def _attribute_value(attribute: re.Match[str]) -> str | None:
    for value in attribute.group(2, 3, 4):
        if value is not None:
            return html_module.unescape(value) if "&" in value else value
    return None  # an attribute written without a value


def _sitemap_links(page: str, xml: str) -> list[Link]:
    links = []
    for match in _SITEMAP_LOC.finditer(xml):
        before = xml[: match.start(1)]
        links.append(Link(page, before.count("\n") + 1, len(before) - before.rfind("\n"), match.group(1)))
    return links


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
        own = _resolve_from(address, "", base_url)  # a fragment on this page: resolve the page once
        return own if own is None else Target(own.path, unquote(href[1:]), own.outside)
    if _ABSOLUTE.match(href):
        address = ""  # a whole address leads to the same place from any page
    elif href and href[0] not in "#?":
        # A link with a path leads to the same place from any page of a folder, so the many pages
        # that share a link resolve it once.
        address = address[: address.rfind("/") + 1]
    return _resolve_from(address, href, base_url)


@lru_cache(maxsize=50_000)
def _resolve_from(address: str, href: str, base_url: str) -> Target | None:
    written_absolute = bool(_ABSOLUTE.match(href))
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


def check_links(
    files: Mapping[str, bytes] | Collection[str], base_url: str, scans: dict[str, PageScan] | None = None,
    memo: dict[str, Any] | None = None,
) -> LinkReport:
    """Check every internal link and fragment in `files` (site path -> bytes).

    `scans` holds pages already scanned (by the renderer, as it made them): they are not read again.
    `files` may be just the names of the files when `scans` holds every page and XML file (a build
    that wrote them out as it went).
    `memo` (the preview's, kept between saves) holds each page's findings with what they depend on:
    the page's scan, every file name, and the ids of the pages its #fragments point into.
    """
    base_url = normalise_base_url(base_url)
    scans = scans or {}
    pages: dict[str, PageScan] = {}
    for name in sorted(files):
        if name.endswith((".html", ".xml")):
            scan = scans.get(name) or scan_file(name, files[name])  # type: ignore[index]
            assert scan is not None
            pages[name] = scan
    if memo is not None and memo.get("site") != (base_url, frozenset(files)):
        memo.clear()
        memo["site"] = (base_url, frozenset(files))
    report = LinkReport()
    external: dict[str, set[str]] = {}
    for name, scan in pages.items():
        known = memo.get(name) if memo is not None else None
        if known is None or known[0] is not scan or any(pages.get(path, ((), None))[1] != ids
                                                         for path, ids in known[1].items()):
            known = (scan, *_check_page(name, scan[0], files, pages, base_url))
            if memo is not None:
                memo[name] = known
        report.broken += known[2]
        for url in known[3]:
            external.setdefault(url, set()).add(name)
    report.external = {url: sorted(external[url]) for url in sorted(external)}
    return report


def _check_page(
    name: str, links: list[Link], files: Collection[str], pages: dict[str, PageScan], base_url: str
) -> tuple[dict[str, set[str]], list[BrokenLink], list[str]]:
    """One page's broken links and external addresses, and the ids of the pages its fragments need."""
    targets: dict[str, set[str]] = {}
    broken: list[BrokenLink] = []
    external: list[str] = []
    for link in links:
        target = resolve_link(name, link.href, base_url)
        if target is None:
            if urlsplit(link.href.strip()).scheme.lower() in ("http", "https"):
                external.append(link.href.strip())
            continue
        problem = _problem(link, target, files, pages, base_url)
        if problem:
            broken.append(BrokenLink(link, *problem))
        if target.fragment:
            path = existing_file(target.path, files)
            if path in pages:
                targets[path] = pages[path][1]
    return targets, broken, external


def _problem(
    link: Link, target: Target, files: Collection[str], pages: dict[str, tuple[list[Link], set[str]]],
    base_url: str,
) -> tuple[str, str] | None:
    if target.outside:
        return (f"it leads to {target.path}, outside the site at {base_url}",
                "link within the site with a relative address")
    if link.page == "404.html" and not re.match(r"^([A-Za-z][A-Za-z0-9+.-]*:|/|#)", link.href.strip()):
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
            page = "this page" if path == link.page else path
            return f"{page} has no element with id '{target.fragment}'", hint
    return None


def existing_file(path: str, files: Collection[str]) -> str | None:
    """The file a site path is served from: a folder's index.html, or the file itself."""
    if path == "" or path.endswith("/"):
        return path + "index.html" if path + "index.html" in files else None
    if path in files:
        return path
    return path + "/index.html" if path + "/index.html" in files else None


def report_broken_links(
    report: LinkReport, diagnostics: Diagnostics, *, base_url: str, site_folder: Path,
    content_files: dict[str, Path], templates: Path,
) -> None:
    """One error per broken link, at the content file or template that wrote it where we can tell.

    A link written once (in base.html, or in a register's Markdown) but broken on many pages
    is one error that names the pages, not one per page.
    """
    base_url = normalise_base_url(base_url)
    grouped: dict[tuple[Path, tuple[int, int], str, str, str], list[str]] = {}
    for broken in report.broken:
        link = broken.link
        origin = (_written_in_content(link, base_url, content_files)
                  or _written_in_template(link, templates, base_url))
        if origin is None:
            diagnostics.error(site_folder / link.page, (link.line, link.column),
                              f"broken link '{link.href}': {broken.reason}",
                              f"{broken.hint or 'fix the link in the template that writes it'}. The line"
                              " and column are in the page as built, which was not written")
            continue
        key = (origin[0], origin[1], origin[2], broken.reason, broken.hint)
        grouped.setdefault(key, []).append(link.page)
    for (path, position, written, reason, hint), pages in grouped.items():
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        diagnostics.error(path, position, f"broken link '{written}' on {shown}: {reason}", hint)


def _written_in_content(
    link: Link, base_url: str, content_files: dict[str, Path]
) -> tuple[Path, tuple[int, int], str] | None:
    """The first Markdown link in the content (label -> file) that leads where the broken link does."""
    wanted = resolve_link(link.page, link.href, base_url)
    own = content_files.get(f"notice:{link.page.removesuffix('/index.html')}")
    found: list[tuple[Path, tuple[int, int], str]] = []
    for path in sorted(set(content_files.values())):
        try:
            lines = path.read_text("utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, start=1):
            for written in markdown.link_targets(line):
                notice = markdown.NOTICE_LINK.match(written)
                target = (Target(f"{notice.group(1)}/", unquote((notice.group(2) or "#")[1:])) if notice
                          else resolve_link(link.page, written, base_url))
                if target == wanted:
                    found.append((path, (number, line.find(written) + 1), written))
    # When the page is a notice's own page, a link in that notice's file is the likeliest author.
    found.sort(key=lambda item: item[0] != own)
    return found[0] if found else None


def _written_in_template(
    link: Link, templates: Path, base_url: str
) -> tuple[Path, tuple[int, int], str] | None:
    """A template line that holds this href literally (after any `{{ root }}`), if exactly one does."""
    tail = link.href.strip().removeprefix(urlsplit(base_url).path)
    tail = re.sub(r"^(\.\./)+", "", tail)
    if not tail or tail.startswith("/") or "{" in tail:
        return None
    pattern = re.compile(r"""(?:href|src)=["']((?:\{\{[^}]*\}\})?""" + re.escape(tail) + r""")["']""")
    matches = []
    for path in sorted(templates.rglob("*")):
        if path.suffix not in (".html", ".xml"):
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            for match in pattern.finditer(line):
                matches.append((path, (number, match.start(1) + 1), match.group(1)))
    return matches[0] if len(matches) == 1 else None
