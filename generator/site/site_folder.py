"""Whose folder is this? A build replaces only a site it wrote, and cleans up only what it left.

Every site this tool writes carries `.notices-manifest.json`, the list of its files; a staging
folder carries `.notices-staging` from its first moment. A folder with neither is somebody else's,
whatever its name, and is never deleted or replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from ..world import WorldError

PROJECT_MARKERS = ("content", "templates", "pyproject.toml", ".git", "generator")
MANIFEST = ".notices-manifest.json"
"""Every site this tool writes carries this list of its files: a folder without it is somebody else's,
and a file in it that the list does not name was put there by someone else."""
WRITTEN_BY = "privacy-notices"
MANIFEST_LIMIT = 64 * 1024 * 1024
"""A manifest bigger than this was not written by this tool (10,000 notices make 1.5 MB)."""


class UnsafeOutput(WorldError):
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
        manifest = json.loads(read_exactly(descriptor, MANIFEST_LIMIT))
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


def read_exactly(descriptor: int, size: int) -> bytes:
    """`size` bytes, or fewer at the end of the file (os.read may return less than asked)."""
    chunks = []
    while size > 0:
        chunk = os.read(descriptor, size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)




STAGING_MARKER = ".notices-staging"
"""Written first into every staging folder (and taken out just before it becomes the site): a folder
named like a staging folder but without it is not ours, and is left alone."""
STAGING_MARKER_TEXT = f"{WRITTEN_BY} staging folder: a build was writing here; a later build removes it\n"


_NO_LINK = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
"""Open for reading, never through a link, never waiting on a FIFO."""


def mark_staging(folder: Path) -> None:
    """Mark a new staging folder as ours, before anything else goes in it."""
    (folder / STAGING_MARKER).write_text(STAGING_MARKER_TEXT, encoding="utf-8")


def recover_interrupted_swap(out: Path) -> None:
    """A build killed outright (not Ctrl-C) mid-swap leaves the old site renamed aside: put it back.
    Call with the build lock held (world.BuildLock), as another build may be mid-swap."""
    if out.exists() or not out.parent.is_dir():
        return
    retired = sorted(_left_beside(out, "old"), key=lambda p: p.stat().st_mtime)
    if retired and written_files(retired[-1]) is not None:
        os.rename(retired[-1], out)


def remove_stale(out: Path) -> None:
    """Remove the staging and retired folders that builds killed outright (SIGKILL, a power cut) left
    beside `out`, when they are provably ours; an empty one goes too. Call with the build lock held."""
    for folder in _left_beside(out, "new") + _left_beside(out, "old"):
        if folder.is_symlink() or not folder.is_dir():
            continue
        if _is_ours(folder):
            remove_tree(folder)
        else:
            with suppress(OSError):
                os.rmdir(folder)  # only when empty: made, and killed before it was marked


def remove_tree(folder: Path) -> None:
    """Remove a folder of ours whole, even one with a read-only folder inside (made so by hand, or
    copied from a read-only source), which plain rmtree would leave half removed."""

    def loosen(function: Any, path: str, excinfo: Any) -> None:
        for target in (os.path.dirname(path), path):
            if os.path.isdir(target) and not os.path.islink(target):
                with suppress(OSError):
                    os.chmod(target, 0o755)

    shutil.rmtree(folder, onerror=loosen)
    shutil.rmtree(folder, ignore_errors=True)  # again, with its folders made writable


def _left_beside(out: Path, kind: str) -> list[Path]:
    """The folders beside `out` named as a build names its staging ("new") or retired ("old") site."""
    prefix = f".{out.name}.{kind}-"
    try:
        return [out.parent / name for name in sorted(os.listdir(out.parent)) if name.startswith(prefix)]
    except OSError:
        return []


def _is_ours(folder: Path) -> bool:
    """A staging folder carrying our marker, or a site we wrote that nobody added to."""
    try:
        descriptor = os.open(folder / STAGING_MARKER, _NO_LINK)
    except OSError:
        listed = written_files(folder)
        return listed is not None and all(name in listed for name in _files_in(folder))
    try:
        return _is_regular(descriptor) and read_exactly(descriptor, 1024).decode("utf-8", "replace") == (
            STAGING_MARKER_TEXT)
    finally:
        os.close(descriptor)


def replace_file(target: Path, data: bytes) -> None:
    """Replace `target` whole, with a file written beside it: a reader sees the old file or the new,
    and a link in its place is replaced, never followed (nothing outside the folder is written)."""
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(file.fileno(), 0o644)
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


class WrittenFiles(Mapping[str, bytes]):
    """The files a build wrote, read from the site folder when asked for (not kept in memory)."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self.folder = folder
        self.names = {name: None for name in sorted(names)}

    def __getitem__(self, name: str) -> bytes:
        if name not in self.names:
            raise KeyError(name)
        return (self.folder / name).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)
