"""Reading a built page for the link check: its links, where each is written, and its ids.

A thousand notices make a hundred thousand links, so a page is read in one regular-expression
pass (scan_page) and its links are kept packed (PageLinks), not as an object each: the scans of
every page wait in memory, or come back from a worker, until the check (links.py) reads them.
"""

from __future__ import annotations

import html as html_module
import re
import sys
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload

LINK_ATTRIBUTES = ("href", "src")
_SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")


@dataclass(frozen=True, slots=True)
class Link:
    """One href or src, where it is written in a built page (line and column from 1)."""

    page: str
    line: int
    column: int
    href: str


class PageLinks(Sequence[Link]):
    """A page's links in page order: their addresses, and their lines and columns packed in an array.

    A big build keeps every page's links until the check, and they come back from the worker
    processes pickled: kept like this, rather than as one object per link, they take a fraction
    of the memory and of the time. Each `Link` is made when asked for.
    """

    __slots__ = ("page", "hrefs", "positions")

    def __init__(self, page: str, hrefs: list[str], positions: array[int]) -> None:
        self.page, self.hrefs, self.positions = page, hrefs, positions  # positions: line, column, line...

    def __len__(self) -> int:
        return len(self.hrefs)

    @overload
    def __getitem__(self, index: int) -> Link: ...

    @overload
    def __getitem__(self, index: slice) -> list[Link]: ...

    def __getitem__(self, index: int | slice) -> Link | list[Link]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        index = range(len(self))[index]  # negative indexes, and IndexError past the end
        return Link(self.page, self.positions[2 * index], self.positions[2 * index + 1], self.hrefs[index])

    def __reduce__(self) -> tuple[type[PageLinks], tuple[str, list[str], array[int]]]:
        return PageLinks, (self.page, self.hrefs, self.positions)


PageScan = tuple[Sequence[Link], set[str]]
"""A page's links, in page order (a PageLinks, when made here), and the ids of its elements."""


_WANTED = "(?:[iI][dD]|[nN][aA][mM][eE]|[hH][rR][eE][fF]|[sS][rR][cC])"
"""The attributes the check reads, by name in any case (ASCII letters only, as a browser reads them)."""
_TAG_END = r"""((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>"""
"""A start tag's attributes, to the first `>` outside quotes."""
_VALUE = r"""(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++)"""
_MARKUP = re.compile(
    r"""<[aA]\s++(?-i:href)="([^"]*+)"\s*+>"""  # the commonest tag by far, read the quickest way (group 1)
    r"|<!--[^-]*+(?:-(?!->)[^-]*+)*+-->"  # a comment
    rf"|<(script|style)\b{_TAG_END}[^<]*+(?:<(?!/\2\s*>)[^<]*+)*+</\2\s*>"  # its content is not markup
    # A tag (its name: group 4) that may link: an id, name, href or src before its first `>`...
    r"""|<([A-Za-z][^\s/>"']*+(?:["'][^\s/>]*)?)(?=[^>\s]*+(?:\s(?!(?:id|name|href|src)\s*=)[^>\s]*+)*+"""
    r"""\s(?:id|name|href|src)\s*=)"""
    # ...written as this tool writes tags, read here whole: its first wanted attribute (group 5, its
    # value in 6, 7 or 8) and the attributes after it (group 9), all plainly written...
    rf"""(?:(?-i:(?:\s++(?!{_WANTED}=)[^\s"'>/=]++(?:={_VALUE})?)*+\s++({_WANTED})="""
    rf"""(?:"([^"]*+)"|'([^']*+)'|([^\s"'=<>`]++))((?:\s++[^\s"'>/=]++(?:={_VALUE})?)*+))\s*+>"""
    rf"|{_TAG_END})",  # ...or any other way (group 10), for _read_attributes
    re.DOTALL | re.IGNORECASE)
"""What the link check reads: the pages are our own well-formed output, so start tags suffice.

Possessive (`*+`) and unrolled, so that it never backtracks; tests/test_links.py checks that it
reads odd markup just as the plain one it replaced (attribute by attribute with _ATTRIBUTE)."""
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_A_HREF = 1
"""The group of _MARKUP's `<a href="...">`: the address."""
_SCRIPT = 2
_TAG, _FIRST_WANTED, _MORE = 4, 5, 9
"""The groups of _MARKUP's usual tag: its name, its first wanted attribute, the attributes after it."""
_HREF_NAME = len('href="')
"""From the address of an `<a href="...">` back to the attribute's name, where its position is."""


def scan_page(page: str, html: str) -> PageScan:
    """The links (in page order) and the ids of one HTML page.

    A regular-expression scan of the start tags that carry an id, name, href or src, not a full
    HTML parser: many times faster on pages this tool wrote itself, and it reads attributes
    as a browser does (names in any case, values quoted or not, character references decoded).
    Positions are of the attribute's name.
    """
    hrefs: list[str] = []
    offsets: list[int] = []
    ids: set[str] = set()
    for found in _MARKUP.finditer(html):
        last = found.lastindex
        if last == _A_HREF:  # a link and nothing more: most of a page's
            value = found.group(_A_HREF)
            if "&" in value:
                value = html_module.unescape(value)
            hrefs.append(value)
            offsets.append(found.start(_A_HREF) - _HREF_NAME)
        elif last == _MORE:  # the usual tag, read whole
            name, double, single, bare, more = found.group(_FIRST_WANTED, 6, 7, 8, _MORE)
            value = double if double is not None else single if single is not None else bare
            if "&" in value:
                value = html_module.unescape(value)
            if name == "href" or name == "src" or name.lower() in LINK_ATTRIBUTES:
                hrefs.append(value)
                offsets.append(found.start(_FIRST_WANTED))
            elif name.lower() == "id" or found.group(_TAG).lower() == "a":  # or an <a name>
                ids.add(value)
            if more:
                _read_attributes(html, found.start(_MORE), found.end(_MORE), found.group(_TAG), hrefs,
                                 offsets, ids)
        elif last is not None:  # not a comment
            _read_other_tag(html, found, hrefs, offsets, ids)
    return PageLinks(page, hrefs, _positions(html, offsets)), ids


def _read_other_tag(html: str, found: re.Match[str], hrefs: list[str], offsets: list[int],
                    ids: set[str]) -> None:
    """Add the links and ids of a start tag _MARKUP found written some other way (or a <script>)."""
    last = found.lastindex
    assert last is not None
    tag = found.group(_SCRIPT if last == _SCRIPT + 1 else _TAG)
    _read_attributes(html, found.start(last), found.end(last), tag, hrefs, offsets, ids)


def _read_attributes(html: str, start: int, end: int, tag: str, hrefs: list[str], offsets: list[int],
                     ids: set[str]) -> None:
    """Add the links and ids among the attributes written in html[start:end] of a `tag`."""
    for attribute in _ATTRIBUTE.finditer(html, start, end):
        name = attribute.group(1).lower()
        if name not in ("id", "name", "href", "src"):
            continue
        value = _attribute_value(attribute)
        if value is None:
            continue
        if name == "id" or (tag.lower() == "a" and name == "name"):
            ids.add(value)
        elif name in LINK_ATTRIBUTES:
            hrefs.append(value)
            offsets.append(attribute.start())


def _positions(text: str, offsets: list[int]) -> array[int]:
    """The line and column (from 1) of each offset in `text`, in order. The text is read once: a
    page that lists every notice may hold thousands of links on one line of 600 KB, and looking
    back to the line's start from each link took most of that page's time."""
    positions = array("I")
    line, counted, line_start = 1, 0, 0  # line_start: just after the newline that starts the line
    for offset in offsets:
        newlines = text.count("\n", counted, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted, offset) + 1
        counted = offset
        positions.append(line)
        positions.append(offset - line_start + 1)
    return positions


def scan_file(name: str, body: bytes) -> PageScan | None:
    """The links and ids of one built file the link check reads (a page or the sitemap), else None."""
    if name.endswith(".html"):
        return scan_page(name, body.decode("utf-8"))
    if name.endswith(".xml"):
        xml = body.decode("utf-8")
        found = list(_SITEMAP_LOC.finditer(xml))
        offsets = [match.start(1) for match in found]
        return PageLinks(name, [match.group(1) for match in found], _positions(xml, offsets)), set()
    return None


def compact(scan: PageScan) -> PageScan:
    """The same scan in less memory: the addresses and ids that recur from page to page stored once.

    A big build keeps every page's scan until the link check; most of its links (the navigation,
    the register entries) and ids are the same text on every page.
    """
    links, ids = scan
    if isinstance(links, PageLinks):
        links = PageLinks(links.page, list(map(sys.intern, links.hrefs)), links.positions)
    return links, set(map(sys.intern, ids))


def _attribute_value(attribute: re.Match[str]) -> str | None:
    for value in attribute.group(2, 3, 4):
        if value is not None:
            return html_module.unescape(value) if "&" in value else value
    return None  # an attribute written without a value
