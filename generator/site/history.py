"""A notice's history: its numbered changes, the Atom feed of them, and the check that none is missed.

Each change a notice lists gets a number in date order (the first change is 1), which stays
the same when later changes are added, so the page anchor `#change-N` and the feed entry's id
are stable. Every date comes from the content, never the clock, so the feed is reproducible.

`notices check --previous notices.json` compares this build with a previous one: a notice
whose content hash changed while its change list did not gets a warning, because readers
(and the feed's subscribers) would not be told.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..content.load import load_yaml
from ..content.reading import UnreadableFile, read_content_file
from ..content.resolve import Notice, Site
from ..content.schema import Change
from ..diagnostics import Diagnostics, one_line
from .export import INDEX_FILE, read_index

RULE = "change-history"
MAX_INDEX_BYTES = 100 * 1024 * 1024
"""Each notice takes some 800 bytes of notices.json: room for over 100,000."""


@dataclass(frozen=True)
class FeedEntry:
    """One change of one notice, as the Atom feed shows it."""

    notice: Notice
    number: int
    change: Change
    url: str
    """The change on the notice's page (`.../#change-N`); also the entry's id."""

    @property
    def link(self) -> str:
        """Where the entry links: the change on the page, or, for an editorial change (which the page
        does not list), the page's changes section."""
        return self.url.rsplit("#", 1)[0] + "#changes" if self.change.editorial else self.url


def numbered_changes(notice: Notice) -> list[tuple[int, Change]]:
    """(number, change), newest first; numbers count up from the oldest, ties in the order written."""
    in_date_order = sorted(enumerate(notice.content.changes), key=lambda pair: (pair[1].date, pair[0]))
    numbered = [(number, change) for number, (_, change) in enumerate(in_date_order, start=1)]
    return numbered[::-1]


def feed_entries(site: Site) -> list[FeedEntry]:
    """Every change of every notice, newest first; on the same day, in the site's notice order."""
    entries = []
    for position, notice in enumerate(site.notices):
        for number, change in numbered_changes(notice):
            url = f"{site.config.base_url}{notice.slug}/#change-{number}"
            entries.append((position, FeedEntry(notice, number, change, url)))
    entries.sort(key=lambda item: (-item[1].change.date.toordinal(), item[0], -item[1].number))
    return [entry for _, entry in entries]


def feed_updated(site: Site) -> datetime.date:
    """The feed's `updated`: its newest change, or the newest notice when none lists a change."""
    return max([c.date for n in site.notices for c in n.content.changes]
               + [n.content.last_updated for n in site.notices])


def warn_unrecorded_changes(
    files: Mapping[str, bytes], previous: Path, notice_files: dict[str, Path], diagnostics: Diagnostics
) -> int:
    """Warn for each notice whose content changed since `previous` (a notices.json) but whose
    change list did not; returns how many. ValueError when `previous` cannot be used."""
    try:
        text = read_content_file(previous, MAX_INDEX_BYTES).decode("utf-8")
    except UnreadableFile as exc:
        raise ValueError(f"cannot read the previous {INDEX_FILE} {one_line(str(previous))}:"
                         f" {exc.reason.removeprefix('cannot read the file: ')}") from None
    except UnicodeDecodeError:
        raise ValueError(f"cannot read the previous {INDEX_FILE} {one_line(str(previous))}:"
                         " it is not UTF-8 text") from None
    try:
        before = {entry.slug: entry for entry in read_index(text).notices}
    except ValueError as exc:
        raise ValueError(f"cannot use {one_line(str(previous))} as the previous {INDEX_FILE}:"
                         f" {exc}") from None
    current = read_index(files[INDEX_FILE].decode("utf-8"))
    count = 0
    for entry in current.notices:
        old = before.get(entry.slug)
        if old is None or old.content_hash == entry.content_hash:
            continue
        if (old.changes, old.latest_change) != (entry.changes, entry.latest_change):
            continue
        path = notice_files[entry.slug]
        source = load_yaml(path, Diagnostics(diagnostics.root))
        key = ("changes",) if source and ("changes",) in source.keys else ("last_updated",)
        where = source.key_position(key) if source else (1, 1)
        diagnostics.warning(
            path, where, f"this notice's page changed but its change list did not (compared with"
            f" {previous.name}, where it was version {old.version}, last updated"
            f" {old.last_updated.isoformat()}) [{RULE}]",
            "add an entry under `changes:` with the date and, in plain words, what changed;"
            " update `last_updated` (and `version`) to match", rule=RULE)
        count += 1
    return count
