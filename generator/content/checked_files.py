"""One content file checked against its model: the steps every file goes through.

Validation (validate.py for the whole content, notice_files.py for the notices) reads each file
with `load_checked`, checks it with `validate_file`, and reports ids with the helpers here.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostics
from .load import Location, SourceFile, load_yaml
from .messages import report_blank_values, report_model_errors

M = TypeVar("M", bound=BaseModel)


def load_checked(path: Path, diagnostics: Diagnostics, positions: bool = True) -> SourceFile | None:
    """A notice is loaded with `positions=False`: they are read again only for a problem (load.py)."""
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
