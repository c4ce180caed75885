"""Every link on every page, checked in memory before anything is written.

A static host has no server to catch a mistake: a link to a page that does not exist, or
to a `#fragment` that names no element, would ship silently. So the build resolves each
internal `href`/`src` the way a browser would, with the page served under the base URL,
and fails naming the link. Where the link was written in a content file (a Markdown
link), the error points there; otherwise at the page as it was built. External links are
collected for `notices check --links`; nothing here uses the network.

A thousand notices make a hundred thousand links, so both halves are built for speed: the
scan reads a page in one regular-expression pass (linkscan.py), and the check works out each
address once for all the pages it means the same on (_Checker). Reporting a broken link where
it was written is linkreport.py's job.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from .linkscan import Link, PageLinks, PageScan, scan_file

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
    checker = _Checker(files, pages, base_url)
    for name, scan in pages.items():
        known = memo.get(name) if memo is not None else None
        if known is None or known[0] is not scan or any(pages.get(path, ((), None))[1] != ids
                                                         for path, ids in known[1].items()):
            known = (scan, *checker.check_page(name, scan[0]))
            if memo is not None:
                memo[name] = known
        report.broken += known[2]
        for url in known[3]:
            external.setdefault(url, set()).add(name)
    report.external = {url: sorted(external[url]) for url in sorted(external)}
    return report


_IGNORED, _EXTERNAL, _INTERNAL, _OWN_FRAGMENT = range(4)
_Verdict = tuple[Any, ...]
"""What an address written on a page comes to, one of:
(_IGNORED,): not a web address (mailto:, tel:); (_EXTERNAL, address): another website;
(_INTERNAL, broken, page, its ids): in the site, and the page whose ids its #fragment needs, or None;
(_OWN_FRAGMENT, id or None, has a fragment): '#id', on the page itself (None: nothing to look for)."""
_PLAIN_FOLDER = re.compile(r"(?:(?!\.\.?/)[\w.~!$&'()*+,=:@-]+/)*")
"""A folder that joins onto an address as written: no '?', '#', ';', '%', space, '.' or '..' in it."""
_PLAIN_ADDRESS = re.compile(r"((?:\.\./)*)((?:[\w~-][\w.~-]*/?)*)(?:#([\w.~:-]*))?")
"""An address _Checker._quick_target joins by itself: '../' a few times, a plain path, a plain fragment."""


class _Checker:
    """One check of a whole site: each address worked out once for all the pages it means the same on.

    A site of many notices has a hundred links on each page, mostly the same few hundred addresses
    (the navigation, the lawful bases, the sharing register). Where an address leads depends on the
    page only through its folder, and, once it climbs out of that folder ('../' as many times as the
    folder is deep), only on how deep the folder is: so verdicts are kept by depth, and most links
    cost a dictionary lookup. Verdicts are worked out, and every broken link is described, by the
    code that checks a link on its own (resolve_link, _problem).
    """

    def __init__(self, files: Collection[str], pages: dict[str, PageScan], base_url: str) -> None:
        self.files, self.pages, self.base_url = files, pages, base_url
        self.by_depth: dict[int, dict[str, _Verdict]] = {}
        """Verdicts that hold on any page whose folder is this deep, by address as written."""
        self.by_place: dict[tuple[str, str], _Verdict] = {}
        """Verdicts that hold only in one folder (or on one page), by (folder or page, address)."""
        self.quick = _PLAIN_FOLDER.fullmatch(urlsplit(base_url).path[1:]) is not None
        """Whether the base URL is plain enough for _quick_target."""

    def check_page(
        self, name: str, links: Sequence[Link]
    ) -> tuple[dict[str, set[str]], list[BrokenLink], list[str]]:
        """One page's broken links and external addresses, and the ids of the pages its fragments need."""
        address = page_address(name)
        folder = address[: address.rfind("/") + 1]
        # The 404 page has a rule of its own; an odd folder would need urljoin's every subtlety.
        shared = name != "404.html" and _PLAIN_FOLDER.fullmatch(folder) is not None
        depth = folder.count("/")
        verdicts = self.by_depth.setdefault(depth, {}) if shared else {}
        own = (self._quick_target("", address) if shared else None) or _resolve_from(address, "",
                                                                                         self.base_url)
        assert own is not None  # a page of the site is at an http(s) address
        own_path = existing_file(own.path, self.files)
        own_broken = own.outside or own_path is None
        own_ids = self.pages[own_path][1] if own_path in self.pages else None
        checked_ids = own_ids if own_path and own_path.endswith(".html") else None
        targets: dict[str, set[str]] = {}
        broken: list[BrokenLink] = []
        external: list[str] = []
        hrefs = links.hrefs if isinstance(links, PageLinks) else [link.href for link in links]
        for index, href in enumerate(hrefs):
            verdict = verdicts.get(href) or self._verdict(name, folder, shared, href, verdicts)
            kind = verdict[0]
            if kind == _INTERNAL:
                _, is_broken, needed, ids = verdict
                if needed is not None:
                    targets[needed] = ids
            elif kind == _OWN_FRAGMENT:
                _, fragment, has_fragment = verdict
                is_broken = own_broken or (fragment is not None and checked_ids is not None
                                           and fragment not in checked_ids)
                if has_fragment and own_ids is not None:
                    targets[own_path] = own_ids  # type: ignore[index]
            else:
                if kind == _EXTERNAL:
                    external.append(verdict[1])
                continue
            if is_broken:
                broken.append(self._describe(links[index]))
        return targets, broken, external

    def _verdict(self, name: str, folder: str, shared: bool, href: str,
                 verdicts: dict[str, _Verdict]) -> _Verdict:
        """The verdict on `href` written on page `name`, kept for every page it holds for."""
        written = href.strip()
        if written.startswith("#") and not any(char in written[1:] for char in "#\t\n\r"):
            fragment = unquote(written[1:])
            looked_for = fragment if fragment not in ("", "top") else None
            verdicts[href] = (_OWN_FRAGMENT, looked_for, bool(fragment))
            return verdicts[href]
        place: str | None = None  # the same from any folder as deep: a whole address, or one from the root
        if not shared or not written or written[0] in "#?":
            place = name  # resolved against the page itself, as resolve_link does
        elif not (_ABSOLUTE.match(written) or written.startswith(("/", "../" * folder.count("/")))):
            place = folder
        if place is not None and (place, href) in self.by_place:
            return self.by_place[place, href]
        target = (self._quick_target(folder, written) if shared else None) or resolve_link(name, href,
                                                                                            self.base_url)
        if target is None:
            is_web = urlsplit(written).scheme.lower() in ("http", "https")
            verdict: _Verdict = (_EXTERNAL, written) if is_web else (_IGNORED,)
        else:
            problem = _problem(name, href, target, self.files, self.pages, self.base_url)
            needed = existing_file(target.path, self.files) if target.fragment else None
            ids = self.pages[needed][1] if needed in self.pages else None
            verdict = (_INTERNAL, problem is not None, needed if ids is not None else None, ids)
        if place is None:
            verdicts[href] = verdict
        else:
            self.by_place[place, href] = verdict
        return verdict

    def _quick_target(self, folder: str, written: str) -> Target | None:
        """resolve_link's answer for the commonest addresses, without its general URL parsing; else None.

        Those are a plain path (no '.' or '..' but leading '../', no '?', ';' or '%'), relative or
        after the base URL, with a plain #fragment: joining them is putting strings together.
        """
        if not self.quick or not written or written[0] in "#?":
            return None  # an odd base URL, or an address resolved against the page, not its folder
        relative = not written.startswith(self.base_url)
        plain = _PLAIN_ADDRESS.fullmatch(written if relative else written[len(self.base_url):])
        if plain is None:
            return None
        climbs = len(plain.group(1)) // 3
        if climbs > (folder.count("/") if relative else 0):
            return None  # out of the site; or '..' in a whole address, which stays as written
        start = folder if relative else ""
        for _ in range(climbs):
            start = start[: start.rstrip("/").rfind("/") + 1]
        return Target(start + plain.group(2), plain.group(3) or "")

    def _describe(self, link: Link) -> BrokenLink:
        """A broken link, with what is wrong, in the words of the check of one link."""
        target = resolve_link(link.page, link.href, self.base_url)
        problem = target and _problem(link.page, link.href, target, self.files, self.pages, self.base_url)
        assert problem, link
        return BrokenLink(link, *problem)


def _problem(
    page: str, href: str, target: Target, files: Collection[str], pages: dict[str, PageScan], base_url: str,
) -> tuple[str, str] | None:
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
