"""One content file checked against its model: the steps every file goes through.

Validation (validate.py for the whole content, notice_files.py for the notices) reads each file
with `load_checked`, checks it with `validate_file`, and reports ids with the helpers here. The
preview keeps each file's results between saves in a `ValidationCache`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, Diagnostics
from .load import Location, SourceFile, load_yaml
from .messages import report_blank_values, report_model_errors
from .reading import UnreadableFile, read_content_file

M = TypeVar("M", bound=BaseModel)


T = TypeVar("T")


@dataclass
class ValidationCache:
    """Each file's results from the last run, kept by the preview between saves: a file whose bytes
    (and, for a notice, the ids and slugs it was checked against) are unchanged is not read again."""

    loaded: dict[Path, tuple[bytes, SourceFile | None, list[Diagnostic]]] = field(default_factory=dict)
    stamps: dict[Path, tuple[int, ...]] = field(default_factory=dict)
    """Each file's size, times of change and inode when last read: the same stamp, the same bytes."""
    checked: dict[Path, tuple[Any, Any, list[Diagnostic]]] = field(default_factory=dict)
    seen: set[Path] = field(default_factory=set)
    """The files read in this run; what is kept for any other is dropped at its end."""

    def load(self, path: Path, diagnostics: Diagnostics, positions: bool = True) -> SourceFile | None:
        """load_yaml, or what it gave last time for the same bytes (with the same problems).

        A file whose stamp (size, times of change, inode) is unchanged is not even read: at a
        thousand notices, reading every file at every save would take a third of a rebuild.
        Every save sets a new time of change, and the preview rebuilds 50 ms after the last one.
        """
        try:
            info = path.stat()
            stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
            known = self.loaded.get(path)
            if known is not None and self.stamps.get(path) == stamp:
                self.seen.add(path)
                diagnostics.items += known[2]
                return known[1]
            raw = read_content_file(path)
        except (OSError, UnreadableFile):
            return load_yaml(path, diagnostics, positions=positions)  # which reports it
        self.seen.add(path)
        self.stamps[path] = stamp
        if known is not None and known[0] == raw:
            diagnostics.items += known[2]
            return known[1]
        start = len(diagnostics.items)
        source = load_yaml(path, diagnostics, raw, positions=positions)
        self.loaded[path] = (raw, source, diagnostics.items[start:])
        return source

    def checked_once(self, source: SourceFile, key: tuple[Any, ...], diagnostics: Diagnostics,
                     check: Callable[[], T]) -> T:
        """check(), or its result from last time for the same file object checked against `key`."""
        known = self.checked.get(source.path)
        if known is not None and known[0][0] is source and known[0][1:] == key:
            diagnostics.items += known[2]
            return known[1]  # type: ignore[no-any-return]
        start = len(diagnostics.items)
        result = check()
        self.checked[source.path] = ((source, *key), result, diagnostics.items[start:])
        return result

    def forget_the_rest(self) -> None:
        """Drop what is kept for files not read in this run (deleted or renamed)."""
        for kept in (self.loaded, self.checked, self.stamps):
            for path in set(kept) - self.seen:
                del kept[path]
        self.seen = set()


def load_checked(
    path: Path, diagnostics: Diagnostics, cache: ValidationCache | None, positions: bool = True
) -> SourceFile | None:
    """A notice is loaded with `positions=False`: they are read again only for a problem (load.py)."""
    if cache is not None:
        return cache.load(path, diagnostics, positions)
    return load_yaml(path, diagnostics, positions=positions)


def validate_file(
    source: SourceFile, model: type[M], diagnostics: Diagnostics, context: dict[str, Any] | None = None,
    data: Any = None,
) -> M | None:
    """Check one file against its model; every problem is reported, None if there was any."""
    parsed: M | None = None
    try:
        parsed = model.model_validate(source.data if data is None else data, context=context or {})
        problems: list[Any] = []
    except ValidationError as exc:
        problems = exc.errors(include_url=False)
    reported = report_model_errors(source, model, problems, diagnostics)
    if report_blank_values(source, reported, diagnostics):
        return None
    return parsed


def report_model_error(
    source: SourceFile, model: type[BaseModel], problem: Any, diagnostics: Diagnostics
) -> None:
    """Turn one pydantic error into a plain-words message at the position written."""
    report_model_errors(source, model, [problem], diagnostics)


def report_duplicate_ids(source: SourceFile, location: Location, diagnostics: Diagnostics) -> list[str]:
    """Report an id used twice in the list at `location`; returns the ids, each once, in order."""
    entries: Any = source.data
    for part in location:
        entries = entries.get(part) if isinstance(entries, dict) else None
    seen: dict[str, int] = {}  # each id, with the index of its first entry
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(entry_id, str):
            continue
        if entry_id in seen:  # positions only for a problem: they may be read again (load.py)
            first = source.position(location + (seen[entry_id], "id"))[0]
            diagnostics.error(source.path, source.position(location + (index, "id")),
                              f"duplicate id '{entry_id}' (first used at line {first})",
                              "each entry needs its own id")
        else:
            seen[entry_id] = index
    return list(seen)


def report_unknown_id(source: SourceFile, location: Location, noun: str, value: str, known: list[str],
             where: str, diagnostics: Diagnostics) -> None:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    diagnostics.error(source.path, source.position(location), f"unknown {noun} '{value}'",
                      f"did you mean '{close[0]}'?" if close else
                      f"use the id of one of the {noun}s under `{where}`: {', '.join(known)}")
