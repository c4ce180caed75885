"""Pydantic's errors in plain words, at the line and column the editor wrote.

The people who edit content/ are not programmers: "Input should be a valid string" means
nothing to them, "'title' must be text, not 2026-11-21 (put it in quotes)" does. Every
message names the field, says what is wrong, and where it can, says how to fix it.
"""

from __future__ import annotations

import difflib
import re
from functools import partial
from typing import Any

from pydantic import BaseModel

from ..diagnostics import Diagnostics, shorten
from . import schema
from .load import Location, SourceFile
from .misread import close_key, explain

EMPTY_HINT = "write the value after the colon, or delete the line"

_TYPE_WORDS = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a mapping of `key: value` lines",
    "model_type": "must be a mapping of `key: value` lines",
    "model_attributes_type": "must be a mapping of `key: value` lines",
    "date_type": "must be a date written YYYY-MM-DD",
    "date_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "must be a date without a time, written YYYY-MM-DD",
}


def report_model_errors(
    source: SourceFile, model: type[BaseModel], problems: list[Any], diagnostics: Diagnostics
) -> set[Location]:
    """Report pydantic's problems for one file; returns the locations reported."""
    missing: dict[Location, list[str]] = {}
    problems, reported = explain(source, problems, partial(allowed_keys, model), diagnostics)
    for problem in problems:
        location = _without_union_tags(tuple(problem["loc"]))
        reported.add(location)
        if problem["type"] == "missing":
            missing.setdefault(location[:-1], []).append(str(location[-1]))
        else:
            _report_one(source, model, location, problem, diagnostics)
    for parent, keys in missing.items():
        _report_missing(source, parent, keys, diagnostics)
    return reported


def _without_union_tags(location: Location) -> Location:
    """The location without the name pydantic gives the kind of a retention period (schema.UNION_TAGS),
    which is no key of the file: an error in `period: {years: ten}` is at `years`."""
    return tuple(part for i, part in enumerate(location)
                 if not (part in schema.UNION_TAGS and i and location[i - 1] == "period"))


def _report_one(
    source: SourceFile, model: type[BaseModel], location: Location, problem: Any, diagnostics: Diagnostics
) -> None:
    kind = problem["type"]
    value = problem.get("input")
    label = field_label(location)
    hint = ""
    if location and location[-1] == "[key]":  # a mapping key that is not one of the allowed words
        location = location[:-1]
        label = f"the key '{location[-1]}'" if location else "a key"
        if kind == "literal_error":
            message = f"{label} must be {problem['ctx']['expected']}"
            diagnostics.error(source.path, source.key_position(location), message, _did_you_mean(problem))
            return
    if kind == "extra_forbidden":
        diagnostics.error(source.path, source.key_position(location), f"unknown key '{location[-1]}'",
                          _unknown_key_hint(model, location))
        return
    if kind in ("value_error", "assertion_error"):
        message = str(problem["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if " | " in message:
            message, hint = message.split(" | ", 1)
        if message.startswith("must "):
            message = f"{label} {message}"
    elif kind == "literal_error":
        message = f"{label} must be {problem['ctx']['expected']}, not {_describe(value)}"
        hint = _did_you_mean(problem)
    elif kind == "string_pattern_mismatch":
        message, hint = _bad_id(label, str(value))
    elif kind == "too_short":
        message = f"{label} must not be empty: list at least one item"
        hint = "add a line starting with '- ' under it"
    elif kind in _TYPE_WORDS and value is None:
        _report_blank(source, location, diagnostics)
        return
    elif kind in _TYPE_WORDS:
        message = f"{label} {_TYPE_WORDS[kind]}, not {_describe(value)}"
        hint = _type_hint(kind, value)
    else:
        message = f"{label}: {problem['msg']}"
    diagnostics.error(source.path, source.position(location), message, hint)


def _did_you_mean(problem: Any) -> str:
    """For a value that must be one of a few words: the nearest of them."""
    allowed = re.findall(r"'([^']*)'", str(problem.get("ctx", {}).get("expected", "")))
    close = difflib.get_close_matches(str(problem.get("input")).strip().lower(), allowed, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else ""


def _report_missing(source: SourceFile, parent: Location, keys: list[str], diagnostics: Diagnostics) -> None:
    """Missing keys are reported once per mapping, at the mapping that lacks them."""
    named = [str(part) for part in parent if not isinstance(part, int)]
    inside = f" in '{named[-1]}'" if named else ""
    where = source.key_position(parent) if parent and isinstance(parent[-1], str) else source.position(parent)
    if len(keys) == 1:
        message, hint = f"missing required key '{keys[0]}'{inside}", f"add a `{keys[0]}:` line"
    else:
        listed = ", ".join(f"'{key}'" for key in keys[:-1]) + f" and '{keys[-1]}'"
        message = f"missing {len(keys)} required keys{inside}: {listed}"
        hint = "see docs/content-model.md, or copy the shape of an existing file"
    diagnostics.error(source.path, where, message, hint)


def report_blank_values(source: SourceFile, reported: set[Location], diagnostics: Diagnostics) -> bool:
    """`email:` with nothing after it is a mistake even where email may be left out."""
    if source.blank_free:  # most notices: no need to look through every value
        return False
    found = False
    for location in _blank_locations(source.data, ()):
        if any(location[:size] in reported for size in range(len(location) + 1)):
            continue
        found = True
        _report_blank(source, location, diagnostics)
    return found


def _report_blank(source: SourceFile, location: Location, diagnostics: Diagnostics) -> None:
    """At the key (or the '- ') that has nothing after it."""
    if location and isinstance(location[-1], int):
        diagnostics.error(source.path, source.position(location),
                          f"an item of {field_label(location)} is empty",
                          "write the item after the '- ', or delete the line")
    else:
        diagnostics.error(source.path, source.key_position(location), f"{field_label(location)} is empty",
                          EMPTY_HINT)


def _blank_locations(data: Any, location: Location) -> list[Location]:
    """Where `data` has nothing (None), in the order written. Every notice is looked through, and most
    values are text: only mappings and lists are gone into, so no location is made for text."""
    if data is None:
        return [location] if location else []
    found: list[Location] = []
    _add_blank_locations(data, location, found)
    return found


def _add_blank_locations(data: Any, location: Location, found: list[Location]) -> None:
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        if type(value) is str:  # most values: looked at first
            continue
        if value is None:
            found.append(location + (key,))
        elif isinstance(value, (dict, list)):
            _add_blank_locations(value, location + (key,), found)


def field_label(location: Location) -> str:
    """The name of the field at `location`, quoted, as an editor wrote it."""
    words = [str(part) for part in location if not isinstance(part, int)]
    return f"'{words[-1]}'" if words else "the value"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(shorten(value)) if isinstance(value, str) else shorten(str(value))


def _type_hint(kind: str, value: Any) -> str:
    if kind == "string_type" and not isinstance(value, (dict, list)):
        return f"put it in quotes to keep it as text: \"{_describe(value)}\""
    if isinstance(value, (dict, list)) and kind not in ("list_type", "dict_type", "model_type"):
        return "check the indentation: this should be a single value"
    if kind == "list_type":
        return "write each item on its own line, starting with '- '"
    if kind.startswith("date"):
        return "for example 2026-11-21"
    return ""


def _bad_id(label: str, value: str) -> tuple[str, str]:
    suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-id"
    if label == "'slug'":
        return (f"the slug '{value}' must be lowercase words and digits joined by hyphens (it becomes the"
                " page's address)", f"for example '{suggestion}'")
    return (f"{label} '{value}' must be lowercase words and digits joined by hyphens",
            f"for example '{suggestion}'")


def _unknown_key_hint(model: type[BaseModel], location: Location) -> str:
    allowed = allowed_keys(model, location[:-1])
    key = str(location[-1])
    close = close_key(key, allowed)
    if close:
        return f"did you mean '{close}'?"
    if len(location) == 1 and model in schema.NOTICE_MODELS.values():
        for kind, other in schema.NOTICE_MODELS.items():
            if other is not model and key in other.model_fields:
                return f"'{key}' belongs in a notice with `kind: {kind}`"
    return f"the keys allowed here are: {', '.join(allowed)}" if allowed else "delete this line"


def allowed_keys(model: type[BaseModel], location: Location) -> list[str]:
    """The keys the model allows at `location`, for 'did you mean' suggestions."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        field_info = getattr(current, "model_fields", {}).get(part)
        if field_info is None:
            return []
        current = child_model(field_info.annotation)
    return list(getattr(current, "model_fields", {}))


def child_model(annotation: Any) -> Any:
    """The model inside an annotation such as `list[Recipient] | None`, or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = child_model(arg)
        if found is not None:
            return found
    return None
