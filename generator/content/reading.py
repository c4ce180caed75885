"""The one way a content, template or previous file is read: a regular file, and not too big.

A notice that is a named pipe (FIFO), or a symbolic link to /dev/zero or /dev/urandom, would make
a plain `read_bytes()` wait or read forever; a symbolic link that is dangling or leads to itself
would raise from deep in a stage. Here each becomes an `UnreadableFile` saying, in plain words, what
the file is and what to do, which the caller reports at the file (`path:1:1: error: ...`).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

MAX_CONTENT_BYTES = 10 * 1024 * 1024
"""Far more than any notice, register or template (the largest shipped is 20 KB)."""

_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
"""O_NONBLOCK: opening a named pipe with no writer returns at once (then it is refused), not never."""

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class UnreadableFile(Exception):
    """A file that cannot be read as content: `reason` says why, `hint` what to do."""

    def __init__(self, path: Path, reason: str, hint: str = "") -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason, self.hint = path, reason, hint


def read_content_file(path: Path, limit: int = MAX_CONTENT_BYTES) -> bytes:
    """The bytes of `path`, which must be a regular file (a symbolic link to one is followed) of at
    most `limit` bytes; UnreadableFile otherwise."""
    descriptor = _open_regular(path, limit)
    try:
        info = os.fstat(descriptor)
        _check_kind(path, info.st_mode, limit, info.st_size)  # it may have been swapped since the stat
        parts = []
        left = limit + 1
        while left > 0:  # one read for the file and one for its end, as read_bytes() does
            part = os.read(descriptor, min(max(info.st_size + 1, 65536), left))
            if not part:
                break
            parts.append(part)
            left -= len(part)
    except OSError as exc:
        raise UnreadableFile(path, f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(descriptor)
    data = parts[0] if len(parts) == 1 else b"".join(parts)
    if len(data) > limit:
        raise _too_large(path, limit, len(data))
    return data


def read_start(path: Path, size: int) -> bytes:
    """The first `size` bytes of a regular file (of any length); UnreadableFile if it is not one."""
    descriptor = _open_regular(path, None)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnreadableFile(path, "it is not a regular file")
        return os.read(descriptor, size)
    except OSError as exc:
        raise UnreadableFile(path, f"cannot read the file: {exc.strerror or exc}") from None
    finally:
        os.close(descriptor)


def _open_regular(path: Path, limit: int | None) -> int:
    """An open descriptor of `path`, after a look (following links) that it is a regular file: a
    device is never opened, since opening some has effects of its own."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _cannot_reach(path, exc) from None
    _check_kind(path, info.st_mode, limit, info.st_size)
    try:
        return os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise _cannot_reach(path, exc) from None


def _check_kind(path: Path, mode: int, limit: int | None, size: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        linked = f" (a symbolic link to {_link_target(path)})" if os.path.islink(path) else ""
        raise UnreadableFile(path, f"cannot read the file: it is {kind}{linked}, not a regular file",
                             "a content or template file must be a plain text file: replace it with one,"
                             " or remove it")
    if limit is not None and size > limit:
        raise _too_large(path, limit, size)


def _too_large(path: Path, limit: int, size: int) -> UnreadableFile:
    return UnreadableFile(path, f"the file is too large to read ({_megabytes(size)}; the most is"
                          f" {_megabytes(limit)})", "check it is the file you meant; split a very long"
                          " notice into several")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _cannot_reach(path: Path, exc: OSError) -> UnreadableFile:
    """A plain-words reason for a file that cannot be opened: a dangling or looping link, mostly."""
    if exc.errno == errno.ELOOP:
        return UnreadableFile(path, f"cannot read the file: it is a symbolic link to {_link_target(path)}"
                              " that leads back to itself (a loop)",
                              "point the link at a real file, or remove it")
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return UnreadableFile(path, f"cannot read the file: it is a symbolic link to {_link_target(path)},"
                              " which does not exist", "point the link at a real file, or remove it")
    return UnreadableFile(path, f"cannot read the file: {exc.strerror or exc}")


def _link_target(path: Path) -> str:
    try:
        return repr(os.readlink(path))
    except OSError:
        return "another file"


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja2's FileSystemLoader, reading each template with `read_content_file`: a template that is a
    named pipe, a device or a dangling link is an UnreadableFile naming it, not a hang or "not found"."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses `..`, as FileSystemLoader does
        for folder in self.searchpath:
            path = os.path.normpath(os.path.join(folder, *pieces))
            if os.path.lexists(path):
                break
        else:
            raise jinja2.TemplateNotFound(template)
        text = read_content_file(Path(path)).decode(self.encoding)
        changed = os.path.getmtime(path)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(path) == changed
            except OSError:
                return False

        return text, path, uptodate
