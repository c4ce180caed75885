"""What the preview may keep of a service notice's page from one save to the next.

The rest of the preview's memory is simpler (a file's bytes, the very objects made from them)
and lives with each stage; see `BuildMemo` in build.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .resolve import Notice, Site

if TYPE_CHECKING:
    from .render import Page, Rendered


def reusable_pages(
    site: Site, templates: Path, pages: list[Page], memo: dict[str, Any]
) -> dict[str, Rendered]:
    """The service notice pages of the last render that would come out the same again.

    A service notice's page shows that notice, the main notice, the site's settings and the
    registers. It is kept while the very same `Notice` (see resolve.py) is on it, nothing else it
    shows changed, no template changed, and it did not read other notices when it was made (a
    template could list them: then it is always made again). tests/test_incremental.py compares
    every kind of edit with a full build.
    """
    inputs = (templates_state(templates), site.config, site.controller, site.data_protection_officer,
              site.regulator, site.contacts, site.main_notice, site.lawful_bases, site.legislation,
              site.organisations)
    if memo.get("inputs") != inputs:
        memo.clear()
        memo["inputs"] = inputs
    kept: dict[tuple[str, int], tuple[Rendered, Notice]] = memo.setdefault("pages", {})
    reused = {}
    for page in pages:
        notice = page.values.get("notice")
        if notice is not None and not notice.is_main and (page.path, id(notice)) in kept:
            made, known = kept[page.path, id(notice)]
            if known is notice:
                reused[page.path] = made
    return reused


def remember_pages(memo: dict[str, Any], pages: list[Page], done: dict[str, Rendered]) -> None:
    kept: dict[tuple[str, int], tuple[Rendered, Notice]] = {}
    for page in pages:
        notice = page.values.get("notice")
        made = done.get(page.path)
        if notice is not None and not notice.is_main and made is not None and not made.read_other_notices:
            kept[page.path, id(notice)] = (made, notice)
    memo["pages"] = kept


def templates_state(templates: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under templates/ with its size and time of change: any save there shows here."""
    state = []
    for path in sorted(templates.rglob("*")):
        try:
            info = path.stat()
        except OSError:
            continue
        state.append((path.as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(state)


class WatchedSite:
    """The site as one page sees it, noting whether the page asked for the notices of the site."""

    OTHER_NOTICES = frozenset({"notices", "service_notices", "notices_relying_on", "notices_sharing_with",
                               "notices_obtaining_from"})

    def __init__(self, site: Site) -> None:
        self._site = site
        self.read_other_notices = False

    def __getattr__(self, name: str) -> Any:
        if name in self.OTHER_NOTICES:
            self.read_other_notices = True
        return getattr(self._site, name)
