"""Stage 6, write: put the rendered files in place all at once, or not at all.

Files go into a temporary folder beside the output; only when every file is written is
it swapped in. A failed or interrupted build (Ctrl-C) leaves the previous site exactly as
it was, and no temporary folder behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PROJECT_MARKERS = ("content", "pyproject.toml", ".git", "generator")


class UnsafeOutput(Exception):
    """The output folder would overwrite something that is not a built site."""


def check_output_folder(out: Path) -> None:
    """Refuse an output folder whose replacement would delete the project itself."""
    out = out.resolve()
    if out == Path(out.anchor) or out == Path.home():
        raise UnsafeOutput(f"refusing to replace {out}: choose a folder of its own, such as site/")
    if out.is_dir() and any((out / marker).exists() for marker in PROJECT_MARKERS):
        raise UnsafeOutput(f"refusing to replace {out}: it holds the project, not a built site")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"{out} is a file, not a folder")


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write `files` (site path -> bytes) to `out`, replacing its old contents atomically."""
    out = out.resolve()
    check_output_folder(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name in sorted(files):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[name])
            os.chmod(target, 0o644)
        for folder in [staging, *sorted(p for p in staging.rglob("*") if p.is_dir())]:
            os.chmod(folder, 0o755)  # mkdtemp makes 0700; web servers need to read it
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
