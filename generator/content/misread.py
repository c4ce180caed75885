"""Mistakes that YAML reads as something else, told as the one mistake the editor made.

An item with an unquoted `: ` is read as a key and its value, a key indented under a `|`
block as a line of its text, a key indented under the key above as one of its keys, a
misspelt key as an unknown key. The model then reports what it sees: a mapping where text
belongs, a required key missing although the editor wrote it. Here each such group of the
model's problems is found and said once, at the line to change, with the fix; messages.py
reports the rest.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

from ..diagnostics import Diagnostics, shorten
from .load import Location, SourceFile
from .yamlfaults import key_in_text

AllowedKeys = Callable[[Location], list[str]]
"""The keys the model allows in the mapping at a location."""

_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_]*")


def close_key(key: str, allowed: list[str]) -> str | None:
    """The allowed key an unknown one is most likely a misspelling of."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return close[0] if close else None


def explain(
    source: SourceFile, problems: list[Any], allowed: AllowedKeys, diagnostics: Diagnostics
) -> tuple[list[Any], set[Location]]:
    """Report each mistake that explains some of `problems` once; return the problems left, and the
    locations the mistakes were reported at (nothing under them is reported again)."""
    explained: set[Location] = set()
    left = []
    for problem in problems:
        location = tuple(problem["loc"])
        item = _colon_item(source.data, location, allowed)
        if item is None:
            left.append(problem)
        elif item not in explained:
            explained.add(item)
            _report_colon_item(source, item, diagnostics)
    unknown = {tuple(p["loc"]) for p in left if p["type"] == "extra_forbidden"}
    moved: set[Location] = set()  # unknown keys that are required keys indented too far
    kept = []
    for problem in left:
        location = tuple(problem["loc"])
        if problem["type"] == "missing" and _missing_explained(source, location, unknown, allowed, moved,
                                                               diagnostics):
            explained.add(location)
        else:
            kept.append(problem)
    return [p for p in kept if tuple(p["loc"]) not in moved], explained | moved


def _colon_item(data: Any, location: Location, allowed: AllowedKeys) -> Location | None:
    """The list item at or above `location` that YAML read as `key: value` because of an unquoted
    `: `: a mapping of one entry whose key is not a key (words, capitals) where text may go."""
    for size in range(len(location), 0, -1):
        at = location[:size]
        if not isinstance(at[-1], int):
            continue
        item = _value_at(data, at)
        if not isinstance(item, dict) or len(item) != 1:
            continue
        key, value = next(iter(item.items()))
        keys = allowed(at)
        if (isinstance(key, str) and key not in keys and not isinstance(value, (dict, list))
                and (not keys or not _PLAIN_KEY.fullmatch(key)) and close_key(key, keys) is None):
            return at
    return None


def _report_colon_item(source: SourceFile, location: Location, diagnostics: Diagnostics) -> None:
    key, value = next(iter(_value_at(source.data, location).items()))
    written = f"{key}:" if value is None else f"{key}: {value}"
    shown = written if len(written) <= 100 else shorten(written)
    if '"' not in shown:
        quoted = f'"{shown}"'
    elif "'" not in shown:
        quoted = f"'{shown}'"
    else:
        quoted = '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'
    diagnostics.error(source.path, source.position(location), "this item has ': ' in it, so YAML reads it as"
                      " `key: value`, not as text",
                      f"put the item in quotes: - {quoted}")


def _missing_explained(
    source: SourceFile, location: Location, unknown: set[Location], allowed: AllowedKeys,
    moved: set[Location], diagnostics: Diagnostics,
) -> bool:
    """Whether the editor did write the missing key, and a message says what went wrong with it."""
    parent, key = location[:-1], str(location[-1])
    keys = allowed(parent)
    if any(written[:-1] == parent and close_key(str(written[-1]), keys) == key for written in unknown):
        return True  # a misspelling: the unknown key's message says "did you mean"
    return (_explain_indented_under(source, parent, key, unknown, allowed, moved, diagnostics)
            or _explain_indented_less(source, parent, key, unknown, moved, diagnostics)
            or _report_in_text(source, parent, key, diagnostics))


def _explain_indented_under(
    source: SourceFile, parent: Location, key: str, unknown: set[Location], allowed: AllowedKeys,
    moved: set[Location], diagnostics: Diagnostics,
) -> bool:
    """Whether the missing key was written indented under a key beside it (then reported, and moved)."""
    under = sorted(written for written in unknown if written[-1] == key and written[: len(parent)] == parent)
    if not under:
        return False
    moved.add(under[0])
    if _value_at(source.data, under[0]) is None:  # only the key's line was indented: its keys were not
        own = allowed(parent + (key,))
        moved.update(u for u in unknown if u[:-1] == under[0][:-1] and str(u[-1]) in own)
    _report_indented_under(source, parent, under[0], diagnostics)
    return True


def _explain_indented_less(
    source: SourceFile, parent: Location, key: str, unknown: set[Location], moved: set[Location],
    diagnostics: Diagnostics,
) -> bool:
    """Whether the missing key was written indented less, in a mapping above (then reported, and moved)."""
    above = [written for written in unknown if written[-1] == key and len(written) <= len(parent)
             and parent[: len(written) - 1] == written[:-1]]
    if above and _report_indented_less(source, parent, above[0], diagnostics):
        moved.add(above[0])
        return True
    return False


def _report_indented_under(
    source: SourceFile, parent: Location, written: Location, diagnostics: Diagnostics
) -> None:
    key, owner = str(written[-1]), _last_key(written[:-1])
    sibling = parent + (written[len(parent)],)
    where = source.key_position(written)
    alone = _value_at(source.data, written) is None
    diagnostics.error(source.path, where, f"'{key}' is indented under '{owner}', so YAML reads it as a key of"
                      f" '{owner}'", _dedent(key, where[1], sibling, source.key_position(sibling)[1], alone))


def _report_indented_less(
    source: SourceFile, parent: Location, written: Location, diagnostics: Diagnostics
) -> bool:
    """A key indented less than the mapping it belongs in: YAML reads it as a key of a mapping above."""
    keys = _value_at(source.data, parent)
    if not isinstance(keys, dict) or not keys:
        return False
    key, first = str(written[-1]), parent + (next(iter(keys)),)
    where, target = source.key_position(written), source.key_position(first)[1]
    owner = f"'{_last_key(written[:-1])}'" if written[:-1] else "the file"
    spaces = target - where[1]
    if spaces <= 0:
        return False
    diagnostics.error(source.path, where, f"'{key}' is indented less than the other keys of"
                      f" '{_last_key(parent)}', so YAML reads it as a key of {owner}",
                      f"add {_spaces(spaces)} at the start of `{key}:` and of the lines under it, to line it"
                      f" up with `{first[-1]}:` at column {target}")
    return True


def _report_in_text(source: SourceFile, parent: Location, key: str, diagnostics: Diagnostics) -> bool:
    pattern = re.compile(rf"^[ ]*{re.escape(key)}:(?: |$)", re.MULTILINE)
    for location, text in _texts(_value_at(source.data, parent), parent):
        if "\n" not in text or not pattern.search(text):
            continue
        start = source.position(location)
        lines = source.lines()
        where = key_in_text(lines, start, key)
        if where is None:
            continue
        owner = parent + (location[len(parent)],)
        indicator = _char_at(lines, start)
        block = f"the `{indicator}` block" if indicator in ("|", ">") else "the text"
        diagnostics.error(source.path, where, f"line {where[0]} was read as part of the text above ({block}"
                          f" of '{_last_key(location)}' that starts at line {start[0]}), so '{key}' is"
                          " missing",
                          _dedent(key, where[1], owner, source.key_position(owner)[1], False))
        return True
    return False


def _dedent(key: str, column: int, sibling: Location, target: int, alone: bool) -> str:
    """How to line a key up with the key it belongs beside (`alone`: its line only)."""
    spaces = column - target
    lines = "" if alone else " and of the lines under it"
    return (f"take {_spaces(spaces)} off the start of `{key}:`{lines}, to line it up with `{sibling[-1]}:` at"
            f" column {target}")


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _texts(data: Any, location: Location) -> list[tuple[Location, str]]:
    """Every text in `data`, with its location."""
    if isinstance(data, str):
        return [(location, data)]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    return [found for key, value in items for found in _texts(value, location + (key,))]


def _value_at(data: Any, location: Location) -> Any:
    for part in location:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _last_key(location: Location) -> str:
    keys = [str(part) for part in location if not isinstance(part, int)]
    return keys[-1] if keys else "the file"


def _char_at(lines: list[str], position: tuple[int, int]) -> str:
    line, column = position
    return lines[line - 1][column - 1] if line <= len(lines) and column <= len(lines[line - 1]) else ""
