"""Register entries as data for notice.json and JSON-LD, each made once per build.

Every notice.json carries, in place of each id, the register entry it names, and a thousand notices
name the same few entries: each entry's data is made once, in the order of its model for the file and
with its keys sorted for the content hash (see content_hash.py).

What is made is kept in the build's `BuildCache`, which the build's `Site` carries (resolve.py): a
second build in the same process (the preview's next one) has a new site, so an empty cache, and never
sees what the last one made. Entries are kept by the very entry (the cache holds it, so no other object
can take its id while it is kept), not by value: an edited register file gives new entries.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from ..content.schema import Model
from .content_hash import sorted_for_hash

T = TypeVar("T")


class PerEntry:
    """Values made from register entries, each kept with the very entry it was made from (frozen
    models: what is made of one never changes). Other arguments (text) are kept by value."""

    def __init__(self) -> None:
        self._made: dict[Hashable, tuple[object, Any]] = {}

    def get(self, entry: object, more: Hashable, make: Callable[[], T]) -> T:
        """make(), the first time it is asked for this entry and `more`; what it made, after."""
        key = (id(entry), more)
        kept = self._made.get(key)
        if kept is None or kept[0] is not entry:  # kept[0] holds the entry: its id is not reused
            kept = self._made[key] = (entry, make())
        return kept[1]  # type: ignore[no-any-return]


class EntryData:
    """Each register entry's data (shared by every notice that names it: not to be changed)."""

    def __init__(self) -> None:
        self._made: dict[int, tuple[Model, tuple[dict[str, Any], dict[str, Any]]]] = {}

    def as_written(self, entry: Model) -> dict[str, Any]:
        """The entry's fields in the order of its model, without those it leaves empty."""
        return self._both(entry)[0]

    def sorted(self, entry: Model) -> dict[str, Any]:
        """The same with its keys sorted, as the content hash reads them."""
        return self._both(entry)[1]

    def _both(self, entry: Model) -> tuple[dict[str, Any], dict[str, Any]]:
        kept = self._made.get(id(entry))  # a notice names some forty entries: as few steps as can be
        if kept is None or kept[0] is not entry:  # kept[0] holds the entry: its id is not reused
            kept = self._made[id(entry)] = (entry, _both(entry))
        return kept[1]


def _both(entry: Model) -> tuple[dict[str, Any], dict[str, Any]]:
    written = entry.model_dump(mode="json", exclude_none=True)
    return written, sorted_for_hash(written)


class BuildCache:
    """What one build works out once and every notice reuses: register entries as data (`entries`),
    their JSON-LD descriptions (`per_entry`), and the compliance rules' work on the main notice
    (`shared_for`). Made with the build's site; a worker process starts with an empty one."""

    def __init__(self) -> None:
        self.entries = EntryData()
        self._per_entry: dict[str, PerEntry] = {}
        self._shared: dict[str, tuple[tuple[object, ...], dict[object, object]]] = {}

    def __reduce__(self) -> tuple[type[BuildCache], tuple[()]]:
        return BuildCache, ()  # sent to a worker empty: it makes its own

    def per_entry(self, kind: str) -> PerEntry:
        """The values of one `kind` made from entries (for example "JSON-LD lawful basis")."""
        store = self._per_entry.get(kind)
        if store is None:
            store = self._per_entry[kind] = PerEntry()
        return store

    def shared_for(self, user: str, inputs: tuple[object, ...]) -> dict[object, object]:
        """Values that `user` (a rule, say) works out from these very objects (compared by identity):
        a new store when any is another object than last time."""
        kept = self._shared.get(user)
        if kept is None or any(old is not new for old, new in zip(kept[0], inputs, strict=True)):
            kept = self._shared[user] = (inputs, {})
        return kept[1]
