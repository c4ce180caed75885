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
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from . import markdown
from .diagnostics import Diagnostics

LINK_ATTRIBUTES = ("href", "src")
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
class Link:
    """One href or src, where it is written in a built page (line and column from 1)."""

    page: str
    line: int
    column: int
    href: str


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


class _PageScanner(HTMLParser):
    """Collects the links and the element ids of one page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[Link] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                line, column = self._attribute_position(name)
                self.links.append(Link(self.page, line, column, value))

    handle_startendtag = handle_starttag

    def _attribute_position(self, name: str) -> tuple[int, int]:
        line, offset = self.getpos()
        tag_text = self.get_starttag_text() or ""
        found = re.search(rf"\s{name}\s*=", tag_text, re.IGNORECASE)
        before = tag_text[: found.start() + 1] if found else ""
        if "\n" in before:
            return line + before.count("\n"), len(before) - before.rfind("\n")
        return line, offset + len(before) + 1


def scan_page(page: str, html: str) -> tuple[list[Link], set[str]]:
    """The links (in page order) and the ids of one HTML page."""
    scanner = _PageScanner(page)
    scanner.feed(html)
    scanner.close()
    return scanner.links, scanner.ids


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
    written_absolute = bool(re.match(r"^([A-Za-z][A-Za-z0-9+.-]*:|//)", href))
    address = urlsplit(urljoin(base_url + page_address(page), href))
    base = urlsplit(base_url)
    if address.scheme not in ("http", "https"):
        return None  # mailto:, tel: and the like
    same_host = (address.scheme, address.netloc.lower()) == (base.scheme, base.netloc.lower())
    inside = address.path.startswith(base.path) or address.path + "/" == base.path
    if written_absolute and not (same_host and inside):
        return None  # another website (or another part of ours, outside this site)
    if not (same_host and inside):
        return Target(address.path, address.fragment, outside=True)
    return Target(unquote(address.path[len(base.path):]), unquote(address.fragment))


def check_links(files: dict[str, bytes], base_url: str) -> LinkReport:
    """Check every internal link and fragment in `files` (site path -> bytes)."""
    base_url = normalise_base_url(base_url)
    pages: dict[str, tuple[list[Link], set[str]]] = {}
    for name in sorted(files):
        if name.endswith(".html"):
            pages[name] = scan_page(name, files[name].decode("utf-8"))
        elif name.endswith(".xml"):
            pages[name] = (_sitemap_links(name, files[name].decode("utf-8")), set())
    report = LinkReport()
    external: dict[str, set[str]] = {}
    for name, (links, _) in pages.items():
        for link in links:
            target = resolve_link(name, link.href, base_url)
            if target is None:
                if urlsplit(link.href.strip()).scheme.lower() in ("http", "https"):
                    external.setdefault(link.href.strip(), set()).add(name)
                continue
            problem = _problem(link, target, files, pages, base_url)
            if problem:
                report.broken.append(BrokenLink(link, *problem))
    report.external = {url: sorted(external[url]) for url in sorted(external)}
    return report


def _problem(
    link: Link, target: Target, files: dict[str, bytes], pages: dict[str, tuple[list[Link], set[str]]],
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


def existing_file(path: str, files: dict[str, bytes]) -> str | None:
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
