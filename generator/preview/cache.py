"""The preview's cache in front of the build: a save rebuilds what it changed, the same way.

`notices serve` runs the build (build.py) on every save, into memory. Before a notice file is taken
through (`one_notice.take_through`), the cache looks at it: when the file is the one taken through
last time (same size, times of change and inode) and nothing it shares with every notice changed
(the registers, site.yaml, the main notice, the templates, the base URL, the day), what it made then
is used again: its problems, compliance result, page, notice.json, rows and summary. The pages that
list every notice are made again each time; the biggest of them wait until asked for
(`MADE_WHEN_ASKED`). tests/test_incremental.py compares each kind of edit with a full build.
"""

from __future__ import annotations

import copy
import datetime
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..content.validate import SharedContent, validate_shared
from ..diagnostics import Diagnostic, Diagnostics
from ..one_notice import NoticeDone, Shared, take_through
from ..project import templates_folder

MADE_WHEN_ASKED = ("sharing/index.html", "lawful-bases/index.html", "processing.csv", "sitemap.xml")
"""The files that list every notice in full, and grow with the site (at 1,000 notices, 2 MB, 0.5 MB,
7 MB and 0.1 MB): after a save that changed only notices, the preview makes them when the browser asks,
not at every save, as Hugo's server does with its "fast render" mode. `notices build` always makes
every file and checks every link."""

Stat = tuple[int, int, int, int]


@dataclass
class _Kept:
    """What one notice file made, with the file's state then."""

    stat: Stat
    done: NoticeDone
    files: dict[str, bytes]
    rows: bytes | None


@dataclass
class PreviewCache:
    """What the preview keeps from one build for the next (see the module's docstring)."""

    shared: tuple[Any, ...] | None = None
    """What every notice shares, as it was for what is kept."""
    notices: dict[Path, _Kept] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)
    """The ids of each MADE_WHEN_ASKED page when last made: what links to it are checked against."""
    links: dict[str, Any] = field(default_factory=dict)
    """The link check's own memory (links.check_links)."""
    shared_content: tuple[Any, SharedContent | None, list[Diagnostic]] | None = None
    """The registers and settings as validated, with the state of their files then."""

    def validate_shared(self, root: Path, diagnostics: Diagnostics) -> SharedContent | None:
        """`validate.validate_shared`, or what it gave last time when none of its files changed."""
        content = root / "content"
        state = (_stat(content), _tree_state(content / "definitions"), _stat(content / "site.yaml"))
        if self.shared_content is None or self.shared_content[0] != state:
            given = Diagnostics(root)
            self.shared_content = (state, validate_shared(root, given), given.items)
        diagnostics.items += self.shared_content[2]
        return self.shared_content[1]

    def begin(self, root: Path, main_path: Path | None, base_url: str | None,
              env: jinja2.Environment | None) -> None:
        """Forget everything when anything every notice shares has changed."""
        content = root / "content"
        shared_files = [content / "site.yaml", *sorted((content / "definitions").glob("*")),
                        *([main_path] if main_path else [])]
        templates = _tree_state(templates_folder(root))
        shared = (base_url, datetime.date.today(), [(path, _stat(path)) for path in shared_files], templates,
                  _tree_state(content / "young-people"))  # a notice's young people's page is made with it
        if self.shared is not None and templates != self.shared[3] and env is not None and env.cache:
            env.cache.clear()  # a template keeps the macros it imported: load them all again
        if shared != self.shared:
            self.notices.clear()
            self.ids.clear()
            self.links.clear()
            self.shared = shared

    def take_through(self, path: Path, shared: Shared, receive: Callable[[NoticeDone], NoticeDone],
                     written: Mapping[str, bytes]) -> NoticeDone:
        """`take_through`, or what it made of this very file before; `receive` is what the build does
        with what comes back from a worker, `written` the files in memory."""
        stat = _stat(path)
        kept = self.notices.get(path)
        if kept is not None and kept.stat == stat:
            return _again(kept, shared)
        done = receive(take_through(path, shared))
        sound = shared.sound
        files: dict[str, bytes] = {}
        rows = None
        if sound is not None and done.rendered is not None and done.notice is not None:
            files = {name: written[name] for name in done.rendered.written}
            rows = sound.rows[done.notice.slug]
        if stat is not None:
            self.notices[path] = _Kept(stat, copy.copy(done), files, rows)
        return done

    def forget_the_rest(self, paths: list[Path]) -> None:
        for gone in set(self.notices) - set(paths):
            del self.notices[gone]

    def deferrable(self) -> dict[str, set[str]]:
        """The MADE_WHEN_ASKED files that may wait, each with the ids it had when last made (see
        `begin`: forgotten when anything but a notice changed)."""
        return dict(self.ids)


def _again(kept: _Kept, shared: Shared) -> NoticeDone:
    """What a notice made last time, put again where this build expects it."""
    done = copy.copy(kept.done)  # its `notice` has the register entries of `shared_content`: the same
    sound = shared.sound
    if sound is not None and done.notice is not None and kept.rows is not None:
        sound.rows.note(done.notice.slug, sound.rows.write(kept.rows))
    if sound is not None:
        for name, body in kept.files.items():
            sound.staging.write(name, body)
    return done


def _stat(path: Path) -> Stat | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def _tree_state(folder: Path) -> tuple[tuple[str, Stat | None], ...]:
    """Every file under `folder` with its size and time of change: any save there shows here."""
    return tuple((path.as_posix(), _stat(path)) for path in sorted(folder.rglob("*")))


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
