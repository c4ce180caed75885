"""Saves, not file events: what `notices serve` watches, and the changes grouped into one save each.

An editor's save is often several file events (write a temporary file, rename it over the old
one); the preview rebuilds once per save, once the files have been still for QUIET_MS.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import watchfiles

QUIET_MS = 50  # a save is complete once the files have been still this long: one rebuild per burst
WATCH_STEP_MS = 5  # watchfiles hands over events once they have been still this long
WATCHED = ("content", "templates")  # templates/ holds the stylesheet (templates/assets/)


def changed_files(changes: set[tuple[watchfiles.Change, str]], root: Path) -> list[str]:
    """The files a save changed, relative to the project, as messages name them.

    An editor's or a tool's temporary file, gone by now (`sed -i`, write-then-rename), is left out.
    """
    paths = {path for _, path in changes}
    kept = {path for path in paths if os.path.exists(path)} or paths
    return sorted(Path(os.path.relpath(path, root)).as_posix() for path in kept)


class Saves:
    """File changes grouped into saves: a save is over once the files have been still for QUIET_MS.

    watchfiles' own grouping checks only every `step` ms, which would add up to a second step
    of delay; here the quiet time is measured from the last change itself.
    """

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.pending: set[tuple[watchfiles.Change, str]] = set()
        self.arrived = asyncio.Event()
        self.last_change = 0.0

    async def collect(self, stop: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        async for changes in watchfiles.awatch(*self.paths, stop_event=stop, step=WATCH_STEP_MS):
            self.pending |= changes
            self.last_change = loop.time() - WATCH_STEP_MS / 1000
            self.arrived.set()

    async def next_save(self) -> set[tuple[watchfiles.Change, str]]:
        await self.arrived.wait()
        loop = asyncio.get_running_loop()
        while (still_to_wait := self.last_change + QUIET_MS / 1000 - loop.time()) > 0:
            await asyncio.sleep(still_to_wait)
        changes, self.pending = self.pending, set()
        self.arrived.clear()
        return changes
