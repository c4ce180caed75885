"""Register entries as data for notice.json, made once per build.

Every notice.json carries, in place of each id, the register entry it names, and a thousand notices
name the same few entries: each entry's data is made once per build, in the order of its model for
the file and with its keys sorted for the content hash (see export.py). A new build has a new `Site`,
so the preview's next build starts afresh and never shows an edited entry as it was.
"""

from __future__ import annotations

import weakref
from typing import Any

from .resolve import Site
from .schema import Model


class EntryData:
    """Each register entry of one site as data (shared by every notice that names it: not to be changed)."""

    def __init__(self, site: Site) -> None:
        self.site = weakref.ref(site)
        self._written: dict[int, dict[str, Any]] = {}
        self._sorted: dict[int, dict[str, Any]] = {}
        self._entries: list[Model] = []
        """Kept, so that no entry's id is given to another object while its data is here."""

    def as_written(self, entry: Model) -> dict[str, Any]:
        """The entry's fields in the order of its model, without those it leaves empty."""
        try:
            return self._written[id(entry)]
        except KeyError:
            return self._make(entry)[0]

    def sorted(self, entry: Model) -> dict[str, Any]:
        """The same with its keys sorted, as the content hash reads them."""
        try:
            return self._sorted[id(entry)]
        except KeyError:
            return self._make(entry)[1]

    def _make(self, entry: Model) -> tuple[dict[str, Any], dict[str, Any]]:
        written = self._written[id(entry)] = entry.model_dump(mode="json", exclude_none=True)
        self._sorted[id(entry)] = with_sorted_keys(written)
        self._entries.append(entry)
        return written, self._sorted[id(entry)]


_last: EntryData | None = None


def entry_data(site: Site) -> EntryData:
    """The entries' data for this build's site: made again for a new site."""
    global _last
    if _last is None or _last.site() is not site:
        _last = EntryData(site)
    return _last


def with_sorted_keys(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` with the keys of every object in it in sorted order."""
    copy = dict(sorted(data.items()))
    for key, value in copy.items():
        if type(value) is dict:
            copy[key] = with_sorted_keys(value)
        elif type(value) is list:
            copy[key] = _with_sorted_keys_in(value)
    return copy


def _with_sorted_keys_in(items: list[Any]) -> list[Any]:
    return [with_sorted_keys(item) if type(item) is dict else _with_sorted_keys_in(item) if type(item) is list
            else item for item in items]
