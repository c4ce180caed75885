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
it was written is linkreport.py's job; where one link leads, and what is wrong with it, linktarget.py's.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from .linkscan import Link, PageLinks, PageScan, scan_file
from .linktarget import (
    ABSOLUTE,
    Target,
    existing_file,
    link_problem,
    normalise_base_url,
    page_address,
    resolve_from,
    resolve_link,
)


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
    pages = _pages(files, scans or {})
    if memo is not None and memo.get("site") != (base_url, frozenset(files)):
        memo.clear()
        memo["site"] = (base_url, frozenset(files))
    report = LinkReport()
    external: dict[str, set[str]] = {}
    checker = _Checker(files, pages, base_url)
    for name, scan in pages.items():
        known = memo.get(name) if memo is not None else None
        if known is None or not _still_holds(known, scan, pages):
            known = (scan, *checker.check_page(name, scan[0]))
            if memo is not None:
                memo[name] = known
        report.broken += known[2]
        for url in known[3]:
            external.setdefault(url, set()).add(name)
    report.external = {url: sorted(external[url]) for url in sorted(external)}
    return report


def _pages(files: Mapping[str, bytes] | Collection[str], scans: dict[str, PageScan]) -> dict[str, PageScan]:
    """The scan of every page and XML file in `files`, by name in order: from `scans`, else read now."""
    pages: dict[str, PageScan] = {}
    for name in sorted(files):
        if name.endswith((".html", ".xml")):
            scan = scans.get(name) or scan_file(name, files[name])  # type: ignore[index]
            assert scan is not None
            pages[name] = scan
    return pages


def _still_holds(known: tuple[Any, ...], scan: PageScan, pages: dict[str, PageScan]) -> bool:
    """Whether a page's findings kept by the preview hold: the same scan, and the same ids on every
    page its #fragments point into."""
    return known[0] is scan and all(pages.get(path, ((), None))[1] == ids for path, ids in known[1].items())


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
    code that checks a link on its own (resolve_link, link_problem).
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
        page = self._page(name)
        folder, shared, verdicts = page.folder, page.shared, page.verdicts
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
                is_broken = page.own_fragment_broken(verdict, targets)
            else:
                if kind == _EXTERNAL:
                    external.append(verdict[1])
                continue
            if is_broken:
                broken.append(self._describe(links[index]))
        return targets, broken, external

    def _page(self, name: str) -> _Page:
        """Where page `name` sits, what it can share, and whether it exists with ids to link to."""
        address = page_address(name)
        folder = address[: address.rfind("/") + 1]
        # The 404 page has a rule of its own; an odd folder would need urljoin's every subtlety.
        shared = name != "404.html" and _PLAIN_FOLDER.fullmatch(folder) is not None
        verdicts = self.by_depth.setdefault(folder.count("/"), {}) if shared else {}
        own = (self._quick_target("", address) if shared else None) or resolve_from(address, "",
                                                                                         self.base_url)
        assert own is not None  # a page of the site is at an http(s) address
        own_path = existing_file(own.path, self.files)
        own_ids = self.pages[own_path][1] if own_path in self.pages else None
        checked_ids = own_ids if own_path and own_path.endswith(".html") else None
        own_broken = own.outside or own_path is None
        return _Page(folder, shared, verdicts, own_path, own_broken, own_ids, checked_ids)

    def _verdict(self, name: str, folder: str, shared: bool, href: str,
                 verdicts: dict[str, _Verdict]) -> _Verdict:
        """The verdict on `href` written on page `name`, kept for every page it holds for."""
        written = href.strip()
        if written.startswith("#") and not any(char in written[1:] for char in "#\t\n\r"):
            verdicts[href] = _own_fragment_verdict(written)
            return verdicts[href]
        place = _place(name, folder, shared, written)
        if place is not None and (place, href) in self.by_place:
            return self.by_place[place, href]
        verdict = self._work_out(name, folder, shared, href, written)
        if place is None:
            verdicts[href] = verdict
        else:
            self.by_place[place, href] = verdict
        return verdict

    def _work_out(self, name: str, folder: str, shared: bool, href: str, written: str) -> _Verdict:
        """The verdict on `href` (stripped: `written`) on page `name`, worked out afresh."""
        target = (self._quick_target(folder, written) if shared else None) or resolve_link(name, href,
                                                                                            self.base_url)
        if target is None:
            is_web = urlsplit(written).scheme.lower() in ("http", "https")
            return (_EXTERNAL, written) if is_web else (_IGNORED,)
        problem = link_problem(name, href, target, self.files, self.pages, self.base_url)
        needed = existing_file(target.path, self.files) if target.fragment else None
        ids = self.pages[needed][1] if needed in self.pages else None
        return (_INTERNAL, problem is not None, needed if ids is not None else None, ids)

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
        problem = target and link_problem(link.page, link.href, target, self.files, self.pages, self.base_url)
        assert problem, link
        return BrokenLink(link, *problem)


@dataclass(frozen=True)
class _Page:
    """One page as _Checker sees it: its folder, the verdicts it shares, and the page itself as a target."""

    folder: str
    shared: bool
    """Whether verdicts are kept for every page as deep (not the 404 page, not an odd folder)."""
    verdicts: dict[str, _Verdict]
    own_path: str | None
    own_broken: bool
    """Whether the page's own address leads nowhere (outside the site, or to no file)."""
    own_ids: set[str] | None
    checked_ids: set[str] | None
    """The ids a '#id' on the page must name, or None when there is nothing to look in."""

    def own_fragment_broken(self, verdict: _Verdict, targets: dict[str, set[str]]) -> bool:
        """Whether a '#id' on this page is broken; notes this page's ids in `targets` when it needs them."""
        _, fragment, has_fragment = verdict
        if has_fragment and self.own_ids is not None:
            targets[self.own_path] = self.own_ids  # type: ignore[index]
        return self.own_broken or (fragment is not None and self.checked_ids is not None
                                   and fragment not in self.checked_ids)


def _own_fragment_verdict(written: str) -> _Verdict:
    """The verdict on a '#id' written alone: the id to look for ('' and 'top' need none)."""
    fragment = unquote(written[1:])
    looked_for = fragment if fragment not in ("", "top") else None
    return (_OWN_FRAGMENT, looked_for, bool(fragment))


def _place(name: str, folder: str, shared: bool, written: str) -> str | None:
    """Where a verdict on `written` holds: page `name`, its folder, or None for any folder as deep."""
    if not shared or not written or written[0] in "#?":
        return name  # resolved against the page itself, as resolve_link does
    if not (ABSOLUTE.match(written) or written.startswith(("/", "../" * folder.count("/")))):
        return folder
    return None  # a whole address, or one from the root or climbing out of the folder
