"""Stage 6, write: put the rendered files in place all at once, or not at all.

Files go into a temporary folder beside the output; only when every file is written is
it swapped in. A failed or interrupted build (Ctrl-C) leaves the previous site exactly as
it was, and no temporary folder behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from types import FrameType

PROJECT_MARKERS = ("content", "templates", "pyproject.toml", ".git", "generator")
MANIFEST = ".notices-manifest.json"
"""Every site this tool writes carries this list of its files: a folder without it is somebody else's,
and a file in it that the list does not name was put there by someone else."""
WRITTEN_BY = "privacy-notices"
MANIFEST_LIMIT = 64 * 1024 * 1024
"""A manifest bigger than this was not written by this tool (10,000 notices make 1.5 MB)."""


class UnsafeOutput(Exception):
    """The output folder would overwrite something that is not a built site."""


def check_output_folder(out: Path) -> None:
    """Refuse an output folder whose replacement would delete the project itself."""
    out = out.resolve()
    if out == Path(out.anchor) or out == Path.home():
        raise UnsafeOutput(f"refusing to replace {out}: choose a folder of its own, such as site/")
    if out == Path.cwd().resolve() or out in Path.cwd().resolve().parents:
        raise UnsafeOutput(f"refusing to replace {out}: it holds the folder you are working in;"
                           " choose a folder of its own, such as site/")
    if out.is_dir() and any((out / marker).exists() for marker in PROJECT_MARKERS):
        raise UnsafeOutput(f"refusing to replace {out}: it holds the project, not a built site")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"{out} is a file, not a folder")


def check_replaceable(out: Path) -> None:
    """The whole folder is replaced, so it must be new, empty, or a site this tool wrote and nobody
    added to: a build deletes only files it wrote itself."""
    check_output_folder(out)
    if not out.is_dir() or not any(out.iterdir()):
        return
    listed = written_files(out)
    if listed is None:
        raise UnsafeOutput(
            f"refusing to build into {out}: it is not empty and is not a site built by this tool (it has no"
            f" {MANIFEST}). Choose a new or empty folder with --out, or, if it is a site an older version"
            " built, check that nothing of yours is in it and remove it yourself")
    foreign = [name for name in _files_in(out) if name not in listed]
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise UnsafeOutput(
            f"refusing to build into {out}: it holds files this tool did not write ({shown}), which a"
            " build would delete. Move them out of the folder, or choose another folder with --out")


def written_files(out: Path) -> frozenset[str] | None:
    """The files the manifest in `out` says this tool wrote there, or None when it has no manifest
    of ours (missing, unreadable, a link, too big or not ours)."""
    try:
        descriptor = os.open(out / MANIFEST, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not _is_regular(descriptor) or os.fstat(descriptor).st_size > MANIFEST_LIMIT:
            return None
        manifest = json.loads(_read_exactly(descriptor, MANIFEST_LIMIT))
    except (OSError, ValueError):
        return None
    finally:
        os.close(descriptor)
    if not isinstance(manifest, dict) or manifest.get("written_by") != WRITTEN_BY:
        return None
    files = manifest.get("files")
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        return None
    return frozenset(files) | {MANIFEST}


def manifest_bytes(names: Iterable[str]) -> bytes:
    """The manifest of a site made of `names`: sorted, so the same site gives the same bytes."""
    manifest = {"written_by": WRITTEN_BY, "files": sorted(set(names))}
    return (json.dumps(manifest, indent=0, ensure_ascii=False) + "\n").encode("utf-8")


def _is_regular(descriptor: int) -> bool:
    return stat.S_ISREG(os.fstat(descriptor).st_mode)


def _files_in(folder: Path) -> list[str]:
    """Every file and link under `folder`, as site paths, sorted; links are not followed."""
    found = []
    for parent, folders, files in os.walk(folder):
        relative = os.path.relpath(parent, folder)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found += [prefix + name for name in files]
        found += [prefix + name for name in folders if os.path.islink(os.path.join(parent, name))]
    return sorted(found)


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
        _recover_interrupted_swap(self.out)
        check_replaceable(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent)).resolve()
        self.names: list[str] = []
        """Every file added, in the order added."""
        self._previous = self.out.is_dir()
        """Whether there is a previous site whose unchanged files can be linked (see `write`)."""
        self._umask = _current_umask()
        """Files and folders are made 0644 and 0755, and changed to that only if the umask hides them."""
        self._made: set[str] = {""}
        """The folders (relative to the staging folder) made so far by this process."""

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
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            if self._umask & 0o044:
                os.fchmod(descriptor, 0o644)  # whatever the umask: web servers need to read it
            for part in parts:
                view = memoryview(part)
                while view:
                    view = view[os.write(descriptor, view):]
                same = same and old is not None and _read_exactly(old, len(part)) == part
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
            for folder in sorted({parent for child in made for parent in _with_parents(child)} | {""}):
                os.chmod(os.path.join(self.folder, folder), 0o755)  # mkdtemp makes 0700; web servers read it
            with _interrupts_deferred():
                _swap(self.folder, self.out)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Remove the new site: the old one was never touched."""
        shutil.rmtree(self.folder, ignore_errors=True)


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
        return os.fstat(old).st_size == len(body) and _read_exactly(old, len(body)) == body
    finally:
        os.close(old)


def _open_previous(path: str) -> int | None:
    """The previous site's file to compare with, open, unless it is missing or a link."""
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except OSError:  # missing, or a link (O_NOFOLLOW): write the file
        return None


def _read_exactly(descriptor: int, size: int) -> bytes:
    """`size` bytes, or fewer at the end of the file (os.read may return less than asked)."""
    chunks = []
    while size > 0:
        chunk = os.read(descriptor, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _with_parents(folder: str) -> list[str]:
    """'a/b' -> ['a/b', 'a', ''] : a folder and every folder above it, up to the site's own ('')."""
    parts = folder.split("/") if folder else []
    return ["/".join(parts[:end]) for end in range(len(parts), -1, -1)]


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(retired)
    os.rename(out, retired)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(retired, out)
        raise
    _remove(retired)


def _remove(folder: Path) -> None:
    """Remove the old site, swapped out. A big one on both cores: at 10,000 notices its 30,000 files
    and folders take 1.4-1.6 s to remove on one, 1.1-1.2 s on two."""
    from . import parallel

    names = os.listdir(folder)
    if parallel.would_fork(len(names), threshold=parallel.LOAD_THRESHOLD):
        shares = parallel.worker_count() * 4  # a few each, so one slow share does not hold up the end
        parallel.run_all([partial(_remove_names, folder, names[start::shares]) for start in range(shares)],
                         threshold=1)
    shutil.rmtree(folder, ignore_errors=True)


def _remove_names(folder: Path, names: list[str]) -> None:
    for name in names:
        path = os.path.join(folder, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with suppress(OSError):
                os.unlink(path)


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Ctrl-C between the two renames would leave no site at all: hold it until the swap is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGINT, remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _recover_interrupted_swap(out: Path) -> None:
    """A build killed outright (not Ctrl-C) mid-swap leaves the old site renamed aside: put it back."""
    if out.exists() or not out.parent.is_dir():
        return
    retired = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if retired and written_files(retired[-1]) is not None:
        os.rename(retired[-1], out)
