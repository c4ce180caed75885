"""What the preview may keep of a service notice's page from one save to the next, and which
pages it may make only when they are asked for.

The rest of the preview's memory is simpler (a file's bytes, the very objects made from them)
and lives with each stage; see `BuildMemo` in build.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .resolve import Notice, Site

if TYPE_CHECKING:
    import jinja2

    from .pages import Page, Rendered


def reusable_pages(
    site: Site, templates: Path, pages: list[Page], memo: dict[str, Any],
    env: jinja2.Environment | None = None,
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
    previous = memo.get("inputs")
    if env is not None and previous is not None and previous[0] != inputs[0]:
        forget_compiled_templates(env)
    if previous != inputs:
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


def forget_compiled_templates(env: jinja2.Environment) -> None:
    """After a save to any template, let every template be loaded again, not only the one saved.

    Jinja2's auto_reload reloads a template whose own file changed, but a template keeps what it
    imported: components/history.html would go on using the `section` macro of macros.html as it
    was before the save. Loading them all again is quick: their compiled code is in the bytecode
    cache (see environment.py).
    """
    if env.cache is not None:
        env.cache.clear()


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


MADE_WHEN_ASKED = ("sharing/index.html", "lawful-bases/index.html", "processing.csv", "sitemap.xml")
"""The files that list every notice in full, and grow with the site (at 1,000 notices, 2 MB, 0.5 MB,
7 MB and 0.1 MB): after a save that changed only notices, the preview makes them when the browser asks,
not at every save, as Hugo's server does with its "fast render" mode. `notices build` always makes
every file and checks every link."""


def deferrable(memo: dict[str, Any]) -> dict[str, set[str]]:
    """The MADE_WHEN_ASKED files that may wait, each with the ids it had when last made.

    `reusable_pages` empties the memo when anything but a notice changed (a template, a register,
    the settings), so a file is only deferred when its ids are those it had: the link check of the
    other pages' links to it (`lawful-bases/#art6-1-e`) stays right. Its own links lead to notice
    pages, and are checked by every build that makes it.
    """
    return dict(memo.get("ids", {}))


def remember_ids(memo: dict[str, Any], ids: dict[str, set[str]]) -> None:
    memo.setdefault("ids", {}).update(ids)


class LazyFiles(Mapping[str, bytes]):
    """The preview's files, of which some (see MADE_WHEN_ASKED) are made on first reading."""

    def __init__(self, files: Mapping[str, bytes], later: Mapping[str, Callable[[], bytes]]) -> None:
        self._files: dict[str, bytes] = dict(files)
        self._later = dict(later)
        self._lock = threading.Lock()  # the server reads from its own thread

    def ready(self, name: str) -> bool:
        """Whether the file is made already (reading it would cost nothing)."""
        return name in self._files

    def __getitem__(self, name: str) -> bytes:
        if name in self._files:
            return self._files[name]
        with self._lock:
            if name not in self._files:
                self._files[name] = self._later[name]()  # KeyError for a name it does not have
                del self._later[name]
            return self._files[name]

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter([*self._files, *self._later])

    def __len__(self) -> int:
        return len(self._files) + len(self._later)

    def __contains__(self, name: object) -> bool:
        return name in self._files or name in self._later
