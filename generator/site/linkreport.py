"""The link check, with each broken link reported where it was written: in a content file's Markdown
or a template.

The check (links.py) knows a link by the page it is on; an editor needs the line they wrote.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it.common.utils import unescapeAll

from ..content.reading import UnreadableFile, read_content_file
from ..diagnostics import Diagnostics
from . import markdown
from .links import LinkReport, check_links
from .linkscan import Link, PageScan
from .linktarget import Target, normalise_base_url, resolve_link


def check_site_links(
    names: Collection[str], base_url: str, scans: dict[str, PageScan], diagnostics: Diagnostics, *,
    site_folder: Path, content_files: dict[str, Path], templates: Path, memo: dict[str, Any] | None = None,
) -> LinkReport:
    """Every internal link and #fragment must resolve, checked after render and before write; each
    broken one is reported where it was written."""
    report = check_links(names, base_url, scans, memo)
    report_broken_links(report, diagnostics, base_url=base_url, site_folder=site_folder,
                        content_files=content_files, templates=templates)
    return report


def report_broken_links(
    report: LinkReport, diagnostics: Diagnostics, *, base_url: str, site_folder: Path,
    content_files: dict[str, Path], templates: Path,
) -> None:
    """One error per broken link, at the content file or template that wrote it where we can tell.

    A link written once (in base.html, or in a register's Markdown) but broken on many pages
    is one error that names the pages, not one per page.
    """
    base_url = normalise_base_url(base_url)
    origins = _Origins(content_files, templates, base_url)
    grouped: dict[tuple[Path, tuple[int, int], str, str, str], dict[str, None]] = {}
    for broken in report.broken:
        link = broken.link
        origin = origins.in_content(link) or origins.in_templates(link)
        if origin is None:
            diagnostics.error(site_folder / link.page, (link.line, link.column),
                              f"broken link '{link.href}': {broken.reason}",
                              f"{broken.hint or 'fix the link in the template that writes it'}. The line"
                              " and column are in the page as built, which was not written")
            continue
        key = (origin[0], origin[1], origin[2], broken.reason, broken.hint)
        grouped.setdefault(key, {})[link.page] = None  # each page once, in order
    for (path, position, written, reason, hint), on_pages in grouped.items():
        pages = list(on_pages)
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        diagnostics.error(path, position, f"broken link '{written}' on {shown}: {reason}", hint)


_Origin = tuple[Path, tuple[int, int], str]
"""A file, the line and column in it, and the address as written there."""


class _Origins:
    """Where a broken link was written, in the content or the templates: each file read once.

    A link broken in the layout is broken on every page, and reading every content file again for
    each of a thousand pages would take minutes.
    """

    def __init__(self, content_files: dict[str, Path], templates: Path, base_url: str) -> None:
        self.content_files, self.templates, self.base_url = content_files, templates, base_url
        self.markdown: list[_Origin] = []
        """Every Markdown link in the content, in file and line order."""
        self.notice_links: dict[Target, list[int]] = {}
        """The `notice:` links among them (by where they lead) ..."""
        self.other_links: dict[str, list[int]] = {}
        """... and the others, by address as the page has it (where they lead depends on the page)."""
        self.content_lines: list[tuple[Path, list[str]]] = []
        self.read_content = False
        self.template_lines: list[tuple[Path, list[str]]] | None = None
        self.in_template: dict[str, _Origin | None] = {}

    def in_content(self, link: Link) -> _Origin | None:
        """The first Markdown link in the content (label -> file) that leads where the broken link does."""
        if not self.read_content:
            self._read_content()
        wanted = resolve_link(link.page, link.href, self.base_url)
        matches = list(self.notice_links.get(wanted, ())) if wanted is not None else []
        exact = set(self.other_links.get(link.href, ()))
        for rendered, indexes in self.other_links.items():
            if rendered == link.href or resolve_link(link.page, rendered, self.base_url) == wanted:
                matches += indexes
        # When the page is a notice's own page, a link in that notice's file is the likeliest author;
        # and of several that lead to the same place, one written as the page has it.
        own = self.content_files.get(f"notice:{link.page.removesuffix('/index.html')}")
        found = sorted(matches, key=lambda index: (self.markdown[index][0] != own, index not in exact, index))
        return self.markdown[found[0]] if found else self._written_as_is(link.href, own)

    def _written_as_is(self, href: str, own: Path | None) -> _Origin | None:
        """The address found as it is in a content file's line (the notice's own file first), for a
        link the Markdown scan cannot read, such as one with brackets in its address."""
        shown = html.unescape(href)
        if len(shown) < 2:
            return None
        for path, lines in sorted(self.content_lines, key=lambda item: item[0] != own):
            for number, line in enumerate(lines, start=1):
                column = line.find(f"({shown}")
                if column >= 0:
                    return path, (number, column + 2), shown
        return None

    def _read_content(self) -> None:
        self.read_content = True
        for path in sorted(set(self.content_files.values())):
            lines = _lines(path)
            self.content_lines.append((path, lines))
            for number, line in enumerate(lines, start=1):
                for written in markdown.link_targets(line):
                    notice = markdown.NOTICE_LINK.match(written)
                    if notice:
                        target = Target(f"{notice.group(1)}/", unquote((notice.group(2) or "#")[1:]))
                        self.notice_links.setdefault(target, []).append(len(self.markdown))
                    else:
                        self.other_links.setdefault(_as_rendered(written), []).append(len(self.markdown))
                    self.markdown.append((path, (number, line.find(written) + 1), written))

    def in_templates(self, link: Link) -> _Origin | None:
        """A template line that holds this href literally (after any `{{ root }}`), if exactly one does."""
        if link.href not in self.in_template:
            self.in_template[link.href] = self._find_in_templates(link.href)
        return self.in_template[link.href]

    def _find_in_templates(self, href: str) -> _Origin | None:
        tail = href.strip().removeprefix(urlsplit(self.base_url).path)
        tail = re.sub(r"^(\.\./)+", "", tail)
        if not tail or tail.startswith("/") or "{" in tail:
            return None
        if self.template_lines is None:
            self.template_lines = [(path, _lines(path)) for path in sorted(self.templates.rglob("*"))
                                   if path.suffix in (".html", ".xml")]
        pattern = re.compile(r"""(?:href|src)=["']((?:\{\{[^}]*\}\})?""" + re.escape(tail) + r""")["']""")
        matches = []
        for path, lines in self.template_lines:
            for number, line in enumerate(lines, start=1):
                for match in pattern.finditer(line):
                    matches.append((path, (number, match.start(1) + 1), match.group(1)))
        return matches[0] if len(matches) == 1 else None


def _lines(path: Path) -> list[str]:
    """The lines of a content file or template; none for one that cannot be read (reported elsewhere)."""
    try:
        return read_content_file(path).decode("utf-8-sig").splitlines()
    except (UnreadableFile, UnicodeDecodeError):
        return []


def _as_rendered(written: str) -> str:
    """An address as written in Markdown, as the page has it: `\\_` unescaped, `ö` percent-encoded."""
    return markdown.parser().normalizeLink(unescapeAll(written))
