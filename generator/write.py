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
    out = out.resolve()
    _recover_interrupted_swap(out)
    check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name in sorted(files):
            target = (staging / name).resolve()
            if staging.resolve() not in target.parents:
                raise UnsafeOutput(f"refusing to write {name!r}: it is outside the output folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
            os.chmod(target, 0o644)
        for folder in [staging, *sorted(p for p in staging.rglob("*") if p.is_dir())]:
            os.chmod(folder, 0o755)  # mkdtemp makes 0700; web servers need to read it
        with _interrupts_deferred():
            _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


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
