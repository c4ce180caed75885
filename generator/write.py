"""Stage 6, write: put the rendered files in place all at once, or not at all.

Files go into a temporary folder beside the output; only when every file is written is
it swapped in. A failed or interrupted build (Ctrl-C) leaves the previous site exactly as
it was, and no temporary folder behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

PROJECT_MARKERS = ("content", "templates", "pyproject.toml", ".git", "generator")
SITE_MARKER = "index.html"
"""Every site this tool builds has one; a folder without it is somebody else's."""


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
    """The whole folder is replaced, so it must be new, empty, or a site built before."""
    check_output_folder(out)
    if out.is_dir() and not (out / SITE_MARKER).is_file() and any(out.iterdir()):
        raise UnsafeOutput(f"refusing to replace {out}: it holds files but no {SITE_MARKER}, so it is not"
                           " a site built by this tool; choose a new or empty folder")


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

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        _recover_interrupted_swap(self.out)
        check_replaceable(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.new-", dir=self.out.parent)).resolve()
        self.names: list[str] = []
        """Every file added, in the order added."""
        self._folders = {self.folder}

    def add(self, name: str, body: bytes) -> None:
        """Write one file (site path -> bytes) into the new site."""
        target = (self.folder / name).resolve()
        if self.folder not in target.parents:
            raise UnsafeOutput(f"refusing to write {name!r}: it is outside the output folder")
        if target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.update(folder for folder in target.parents if self.folder in folder.parents)
            self._folders.add(target.parent)
        target.write_bytes(body)
        os.chmod(target, 0o644)
        self.names.append(name)

    def commit(self) -> None:
        """Swap the new site in for the old one; on any failure (or Ctrl-C) the old one stays."""
        try:
            for folder in self._folders:
                os.chmod(folder, 0o755)  # mkdtemp makes 0700; web servers need to read it
            with _interrupts_deferred():
                _swap(self.folder, self.out)
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        """Remove the new site: the old one was never touched."""
        shutil.rmtree(self.folder, ignore_errors=True)


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
    shutil.rmtree(retired, ignore_errors=True)


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
    if retired and (retired[-1] / SITE_MARKER).is_file():
        os.rename(retired[-1], out)
