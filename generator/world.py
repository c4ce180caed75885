"""Failures of the world outside the content, each told in one plain line.

A full disk, a read-only folder, a mount point, another build of the same site, a SIGTERM: none
is the content's fault, so none is a `file:line:col` diagnostic. Each becomes a `WorldError`
whose message says what happened and what to do; the command line prints it and exits 2.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import Any


class WorldError(Exception):
    """Something outside the content stopped the command: the message is one line saying what
    happened and what to do."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (a cancelled CI job, `timeout`, `docker stop`), ended as Ctrl-C ends a build: the
    staging folder removed, the old site whole. A KeyboardInterrupt, so every cleanup runs."""


_REASONS = {
    errno.ENOSPC: ("the disk is full", "free some space and {again}"),
    errno.EDQUOT: ("your disk quota is used up", "free some space and {again}"),
    errno.EFBIG: ("a file is bigger than this system lets this process write",
                  "raise the file size limit (ulimit -f) or choose another folder, and {again}"),
    errno.EACCES: ("permission denied", "make it writable for you, or choose another folder"),
    errno.EPERM: ("permission denied", "make it writable for you, or choose another folder"),
    errno.EROFS: ("the file system is read-only", "choose a folder on a writable disk"),
    errno.EBUSY: ("it is a mount point or in use, so it cannot be swapped for the new site",
                  "build into a folder inside it, or choose another folder"),
    errno.EXDEV: ("it is a mount point, so it cannot be swapped for the new site",
                  "build into a folder inside it, or choose another folder"),
    errno.ENOTDIR: ("part of the path is a file, not a folder", "choose another folder"),
    errno.EISDIR: ("it is a folder, not a file", "move the folder away"),
    errno.ELOOP: ("it is a symbolic link (or a loop of them)", "replace the link with a real folder"),
    errno.ENOENT: ("it does not exist", "check the path"),
    errno.EMFILE: ("too many files are open", "raise the limit (ulimit -n) and {again}"),
    errno.ENAMETOOLONG: ("the path is too long", "choose a shorter path"),
}


def shown(path: Path | str) -> str:
    """A path as the user typed it, near enough: relative to here when it is below here."""
    path = Path(path)
    try:
        return path.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def describe(exc: OSError, what: str, again: str = "build again") -> WorldError:
    """`exc` as one line: 'cannot write site/: the disk is full (No space left on device); free some
    space and build again'."""
    reason, advice = _REASONS.get(exc.errno or 0, ("", "{again}"))
    cause = exc.strerror or type(exc).__name__
    said = f"{reason} ({cause})" if reason else cause
    return WorldError(f"{what}: {said}; {advice.format(again=again)}".replace("\n", " "))


@contextmanager
def plain_errors(what: str, again: str = "build again") -> Iterator[None]:
    """Turn an OSError inside into a WorldError saying `what` could not be done, and why."""
    try:
        yield
    except OSError as exc:
        raise describe(exc, what, again) from None


class BuildLock:
    """Only one build at a time into one output folder: the others are told one is running.

    An advisory lock (flock) on `.<out>.lock` beside the output, never inside it, so it is never
    published. The holder removes the file before it lets go, so none is left behind; a build that
    locked a file just removed (its inode no longer at the path) tries again. The lock itself goes
    when the process ends, however it ends; a file left by a killed build is taken over.
    """

    def __init__(self, out: Path) -> None:
        self.path = out.parent / f".{out.name}.lock"
        for _ in range(100):  # each retry means another build let go just now: a few at most
            with plain_errors(f"cannot write in {shown(out.parent)}"):
                descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                locked = True
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    os.close(descriptor)
                    raise describe(exc, f"cannot lock {shown(self.path)}") from None
                locked = False
            if self._still_at_path(descriptor):
                if locked:
                    self.descriptor = descriptor
                    return
                os.close(descriptor)
                raise WorldError(f"another build into {shown(out)} is running; wait for it to finish,"
                                 " then build again")
            os.close(descriptor)
        raise WorldError(f"cannot lock {shown(self.path)}: other builds keep taking it; build again")

    def _still_at_path(self, descriptor: int) -> bool:
        try:
            at_path = os.stat(self.path, follow_symlinks=False)
        except OSError:
            return False
        held = os.fstat(descriptor)
        return (held.st_dev, held.st_ino) == (at_path.st_dev, at_path.st_ino)

    def release(self) -> None:
        """Let the next build in (idempotent): the file goes first, while it is still ours."""
        if self.descriptor >= 0:
            with suppress(OSError):
                os.unlink(self.path)
            os.close(self.descriptor)
            self.descriptor = -1


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


class _QuietTermination:
    """Where Python ignores exceptions (a weakref callback in the import system, a __del__), a SIGTERM's
    Terminated would only print "Exception ignored … Traceback" and the command would go on: this hook
    keeps it quiet and remembers it, so the command still ends with the signal's exit code."""

    def __init__(self) -> None:
        self.swallowed = False

    def __call__(self, unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, Terminated):
            self.swallowed = True
        else:
            sys.__unraisablehook__(unraisable)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM ends the command as Ctrl-C does (in the main thread only)."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread
        yield
        return
    quiet = _QuietTermination()
    previous_hook, sys.unraisablehook = sys.unraisablehook, quiet
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        sys.unraisablehook = previous_hook
    if quiet.swallowed:
        raise Terminated
