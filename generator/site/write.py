"""Stage 6, write: put the rendered files in place all at once, or not at all.

Files go into a temporary folder beside the output; only when every file is written is
it swapped in. A failed or interrupted build (Ctrl-C) leaves the previous site exactly as
it was, and no temporary folder behind. One build at a time writes into one output folder
(world.BuildLock); a folder left by a build killed outright is removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Protocol

from ..world import BuildLock, WorldError, plain_errors, shown
from .site_folder import MANIFEST as MANIFEST
from .site_folder import (
    STAGING_MARKER,
    mark_staging,
    read_exactly,
    recover_interrupted_swap,
    remove_stale,
)
from .site_folder import UnsafeOutput as UnsafeOutput
from .site_folder import check_output_folder as check_output_folder
from .site_folder import check_replaceable as check_replaceable
from .site_folder import manifest_bytes as manifest_bytes
from .site_folder import written_files as written_files
from .site_swap import interrupts_deferred, swap


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write `files` (site path -> bytes) to `out`, replacing its old contents atomically."""
    staging = Staging(out)
    try:
        for name in sorted(files):
            staging.add(name, files[name])
    except BaseException:
        staging.abort()
        raise
    staging.commit()


class Output(Protocol):
    """Where a build puts what it makes: a staging folder (`Staging`), or the preview's memory."""

    names: list[str]

    def add(self, name: str, body: bytes) -> None: ...
    def write(self, name: str, body: bytes) -> None: ...
    def write_parts(self, name: str, parts: Iterable[bytes]) -> None: ...
    def record(self, names: list[str]) -> None: ...


class InMemory:
    """An `Output` that keeps every file in memory (the preview, the tests): never forked into."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.names: list[str] = []

    def add(self, name: str, body: bytes) -> None:
        self.files[name] = body
        self.names.append(name)

    def write(self, name: str, body: bytes) -> None:
        self.files[name] = body

    def write_parts(self, name: str, parts: Iterable[bytes]) -> None:
        self.files[name] = b"".join(parts)

    def record(self, names: list[str]) -> None:
        self.names += names


class Staging:
    """A new site, written file by file beside `out` and swapped in whole, or removed.

    A build writes each page as soon as it is made, so it never holds the whole site in memory;
    nothing is visible in `out` until `commit`. Call `abort` when the build fails: the old site
    stays byte for byte, and no temporary folder is left.
    """

    def __init__(self, out: Path, *, only: Collection[str] | None = None) -> None:
        """`only`: write just these files, and take the others as made without writing them (`notices
        check` keeps no site: at 10,000 notices, writing its 640 MB took a third of the check)."""
        self.only = None if only is None else frozenset(only)
        self.out = out.resolve()
        self.cannot_write = f"cannot write {shown(self.out)}"
        if self.out.exists():
            check_replaceable(self.out)  # before anything is made beside it: a refused build leaves nothing
        with plain_errors(f"cannot build into {shown(self.out)}: cannot make its folder"):
            self.out.parent.mkdir(parents=True, exist_ok=True)
        self.lock = BuildLock(self.out)
        try:
            self.folder = self._begin()
        except BaseException:
            self.lock.release()
            raise
        self.names: list[str] = []
        """Every file added, in the order added."""
        self._previous = self.out.is_dir()
        """Whether there is a previous site whose unchanged files can be linked (see `write`)."""
        self._umask = _current_umask()
        """Files and folders are made 0644 and 0755, and changed to that only if the umask hides them."""
        self._made: set[str] = {""}
        """The folders (relative to the staging folder) made so far by this process."""

    def _begin(self) -> Path:
        """With the lock held: the old site put back if a build was killed mid-swap, checked again, the
        folders killed builds left removed, and a new staging folder made and marked as ours."""
        recover_interrupted_swap(self.out)
        check_replaceable(self.out)
        if self.out.is_dir() and not os.access(self.out, os.W_OK):  # its files could not be removed
            raise WorldError(f"cannot replace {shown(self.out)}: it is read-only for you; make it writable"
                             f" (chmod -R u+w {shown(self.out)}) or choose another folder with --out")
        remove_stale(self.out)
        with plain_errors(self.cannot_write):
            folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent)).resolve()
        try:
            with plain_errors(self.cannot_write):
                mark_staging(folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return folder

    def add(self, name: str, body: bytes) -> None:
        """Write one file (site path -> bytes) into the new site."""
        self.write(name, body)
        self.names.append(name)

    def write(self, name: str, body: bytes) -> None:
        """Write one file without recording it: for a forked worker, whose parent records the names
        it hands back (see `record`).

        When the previous site has this file with these very bytes, the new site links to it instead
        of writing: writing is most of a big build's time on a slow disk (a thousand notices make
        80 MB), and a rebuild changes few files. The old file keeps its time of change, so a deploy
        that copies only changed files copies only those. The old site is only read, never changed.
        """
        if self.only is not None and name not in self.only:
            return
        with plain_errors(self.cannot_write):
            self._write_one(name, body)

    def _write_one(self, name: str, body: bytes) -> None:
        target = self._target(name)
        if self._previous:
            previous = os.path.join(self.out, name)
            if _same_bytes(previous, body):
                try:
                    os.link(previous, target)
                    return
                except OSError:  # links not allowed here: write it
                    pass
        self._write_file(target, (body,))

    def write_parts(self, name: str, parts: Iterable[bytes]) -> None:
        """`write`, for a file made in parts that is never whole in memory (processing.csv is 70 MB at
        10,000 notices): compared with the previous site's as it is written, and linked if the same."""
        if self.only is not None and name not in self.only:
            return
        with plain_errors(self.cannot_write):
            self._write_parts(name, parts)

    def _write_parts(self, name: str, parts: Iterable[bytes]) -> None:
        target = self._target(name)
        previous = os.path.join(self.out, name)
        old = _open_previous(previous) if self._previous else None
        try:
            same = self._write_file(target, parts, old)
        finally:
            if old is not None:
                os.close(old)
        if same:
            linked = target + ".unchanged"
            try:
                os.link(previous, linked)
                os.replace(linked, target)
            except OSError:  # links not allowed here: the file just written stays
                with suppress(FileNotFoundError):
                    os.unlink(linked)

    def _write_file(self, target: str, parts: Iterable[bytes], old: int | None = None) -> bool:
        """Write `parts` to `target`; whether they are the very bytes of the open file `old`."""
        same = old is not None
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
        try:
            descriptor = os.open(target, flags, 0o644)
        except FileExistsError:  # made twice (two notices with one slug): it may be a link to the old site's
            os.unlink(target)
            descriptor = os.open(target, flags, 0o644)
        try:
            if self._umask & 0o044:
                os.fchmod(descriptor, 0o644)  # whatever the umask: web servers need to read it
            for part in parts:
                view = memoryview(part)
                while view:
                    view = view[os.write(descriptor, view):]
                same = same and old is not None and read_exactly(old, len(part)) == part
            return same and old is not None and os.read(old, 1) == b""
        finally:
            os.close(descriptor)

    def _target(self, name: str) -> str:
        """The path of `name` in the new site, its folder made; refusing any name outside it."""
        parts = name.split("/")
        if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise UnsafeOutput(f"refusing to write {name!r}: it is outside the output folder")
        folder = "/".join(parts[:-1])
        if folder not in self._made:
            os.makedirs(os.path.join(self.folder, folder), mode=0o755, exist_ok=True)
            self._made.add(folder)
        return os.path.join(self.folder, name)

    def record(self, names: list[str]) -> None:
        """Note files that a worker wrote with `write`."""
        self.names += names

    def commit(self) -> None:
        """Swap the new site in for the old one; on any failure (or Ctrl-C) the old one stays."""
        try:
            self.add(MANIFEST, manifest_bytes(self.names))
            made = {os.path.dirname(name) for name in self.names} if self._umask & 0o055 else set()
            with plain_errors(self.cannot_write):
                for folder in sorted({parent for child in made for parent in _with_parents(child)} | {""}):
                    os.chmod(os.path.join(self.folder, folder), 0o755)  # mkdtemp makes 0700; web servers read
                os.unlink(self.folder / STAGING_MARKER)  # not part of the site; its manifest marks it now
            with interrupts_deferred(), plain_errors(f"cannot replace {shown(self.out)} with the new site"):
                swap(self.folder, self.out)
        except BaseException:
            self.abort()
            raise
        self.lock.release()

    def abort(self) -> None:
        """Remove the new site: the old one was never touched."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.lock.release()


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _same_bytes(path: str, body: bytes) -> bool:
    """Whether the file at `path` (not a link) holds exactly `body`."""
    old = _open_previous(path)
    if old is None:
        return False
    try:
        return os.fstat(old).st_size == len(body) and read_exactly(old, len(body)) == body
    finally:
        os.close(old)


def _open_previous(path: str) -> int | None:
    """The previous site's file to compare with, open, unless it is missing or a link."""
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:  # missing, or a link (O_NOFOLLOW): write the file
        return None


def _with_parents(folder: str) -> list[str]:
    """'a/b' -> ['a/b', 'a', ''] : a folder and every folder above it, up to the site's own ('')."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[:end]) for end in range(len(parts), -1, -1)]
