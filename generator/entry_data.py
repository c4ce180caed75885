"""Register entries as data for notice.json, each made once.

Every notice.json carries, in place of each id, the register entry it names, and a thousand notices
name the same few entries: each entry's data is made once, in the order of its model for the file and
with its keys sorted for the content hash (see export.py).

The data is kept with the very entry it was made from, for as long as that entry lives. Entries are
frozen models, so an entry's data never changes; an edited register file gives new entries (the
preview's next build never shows an edited entry as it was). Keeping it by entry, not by site, matters
in a big build: each notice's worker makes a `Site` of its own (per_notice.py), yet the entries are the
build's.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from .schema import Model

T = TypeVar("T")


class PerEntry:
    """Values made from register entries, each kept with the very entry it was made from while that
    entry lives (and dropped before its id can be given to another object). Entries are frozen models:
    what is made of one never changes. Other arguments (text) are kept by value."""

    def __init__(self) -> None:
        self.made: dict[Hashable, Any] = {}
        """By `key(entry, more)`: a caller may look here first, and call `make` when it is not there."""
        self._watches: dict[Hashable, weakref.ref[Any]] = {}

    @staticmethod
    def key(entry: object, more: Hashable = None) -> Hashable:
        return id(entry) if more is None else (id(entry), more)

    def get(self, entry: object, more: Hashable, make: Callable[[], T]) -> T:
        """make(), the first time it is asked for this entry and `more`; what it made, after."""
        key = self.key(entry, more)
        try:
            return self.made[key]  # type: ignore[no-any-return]
        except KeyError:
            return self.make(entry, more, make)

    def make(self, entry: object, more: Hashable, make: Callable[[], T]) -> T:
        """make(), kept for this entry and `more`."""
        made = make()
        key = self.key(entry, more)

        def forget(_: weakref.ref[Any]) -> None:
            self.made.pop(key, None)
            self._watches.pop(key, None)

        try:
            self._watches[key] = weakref.ref(entry, forget)
        except TypeError:  # cannot be watched: made each time
            return made
        self.made[key] = made
        return made


class EntryData:
    """Each register entry's data (shared by every notice that names it: not to be changed)."""

    def __init__(self) -> None:
        self._kept = PerEntry()

    def as_written(self, entry: Model) -> dict[str, Any]:
        """The entry's fields in the order of its model, without those it leaves empty."""
        made = self._kept.made.get(id(entry))  # a notice names some forty entries: the quick way first
        return (made or self._kept.make(entry, None, lambda: _both(entry)))[0]

    def sorted(self, entry: Model) -> dict[str, Any]:
        """The same with its keys sorted, as the content hash reads them."""
        made = self._kept.made.get(id(entry))
        return (made or self._kept.make(entry, None, lambda: _both(entry)))[1]


def _both(entry: Model) -> tuple[dict[str, Any], dict[str, Any]]:
    written = entry.model_dump(mode="json", exclude_none=True)
    return written, with_sorted_keys(written)


_ENTRIES = EntryData()


def entry_data() -> EntryData:
    """The entries' data: one store for the process, each entry kept while it lives."""
    return _ENTRIES


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
