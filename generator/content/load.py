"""Stage 1, load: YAML files to plain values, remembering where each value was written.

PyYAML's own loader forgets positions and silently keeps the last of two duplicate
keys; editors need both fixed. So we compose the node tree (fast, with libyaml where it
is installed) and build the values ourselves, recording `line:column` for every key and
value and refusing what would lose or hide the editor's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics
from .quickyaml import quick_read
from .reading import UnreadableFile, read_content_file
from .yamlfaults import continued_item, syntax_error

Location = tuple[str | int, ...]
Position = tuple[int, int]

MAX_NODES = 200_000
"""More values than any real notice has; an alias bomb ("billion laughs") hits it fast."""
MAX_DEPTH = 40
SAFE_NESTING = 200
"""Beyond this (a rough upper bound), libyaml's recursive C parser could crash the process,
so such a file is parsed by PyYAML's Python parser, which fails cleanly instead."""

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


@dataclass(eq=False)
class SourceFile:
    """One content file's values, with the position of every value and every key.

    The positions take more memory than the values (about 130 KB for a notice) and a clean file
    never needs them: loaded with `positions=False`, the file is read again when a position is
    asked for (for a warning, say). Should it have changed since, the positions are those of what
    the editor now sees, and the preview rebuilds anyway.
    """

    path: Path
    data: Any = None
    values: dict[Location, Position] = field(default_factory=dict)
    keys: dict[Location, Position] = field(default_factory=dict)
    blank_free: bool = False
    """Read the quick way, which saw no empty value (None): messages.py need not look for one."""
    written: str = field(default="", repr=False)
    """The text as read, kept with the positions: for a mistake that only the lines show."""
    _read_again: bool = field(default=False, repr=False)

    def position(self, location: Location) -> Position:
        """Where `location` was written, or its nearest written parent (for a missing key)."""
        values = self._maps()[0]
        location = tuple(location)
        while location:
            if location in values:
                return values[location]
            location = location[:-1]
        return values.get((), (1, 1))

    def key_position(self, location: Location) -> Position:
        """Where a mapping key itself was written (for unknown or duplicate keys)."""
        return self._maps()[1].get(tuple(location)) or self.position(location)

    def lines(self) -> list[str]:
        """The file's lines as read (read again, like the positions, for a file read the quick way)."""
        return (self._again() or self).written.splitlines()

    def _maps(self) -> tuple[dict[Location, Position], dict[Location, Position]]:
        source = self._again() or self
        return source.values, source.keys

    def _again(self) -> SourceFile | None:
        if not self._read_again:
            return None
        global _reloaded
        if _reloaded is None or _reloaded[0] is not self:  # only the last file's are kept, to bound memory
            _reloaded = (self, load_yaml(self.path, Diagnostics(self.path.parent)) or SourceFile(self.path))
        return _reloaded[1]


_reloaded: tuple[SourceFile, SourceFile] | None = None


class _TooLarge(Exception):
    pass


def load_yaml(
    path: Path, diagnostics: Diagnostics, raw: bytes | None = None, *, positions: bool = True
) -> SourceFile | None:
    """Read one YAML file whose top level must be a mapping; report problems, never raise.

    `raw` is the file's bytes when the caller has read them already. With `positions=False` a
    file in plain YAML is read the quick way (quickyaml.py), without positions (most of the time,
    and most of the memory, of a clean file), and read again when a position is asked for; any
    other file is read the full way, with positions.
    """
    text = _read_text(path, raw, diagnostics)
    if text is None:
        return None
    source = SourceFile(path)
    if not positions:  # libyaml's parser keeps its own stack: no nesting can crash it (unlike composing)
        data, blank = quick_read(text, MAX_NODES, MAX_DEPTH)
        if isinstance(data, dict):
            source.data, source.blank_free = data, not blank
            source._read_again = True
            return source
    node = _compose(path, text, diagnostics)
    return None if node is None else _build_values(source, node, text, diagnostics)


def _read_text(path: Path, raw: bytes | None, diagnostics: Diagnostics) -> str | None:
    """The file's text, or None once it is reported: unreadable, not UTF-8, empty, or indented with tabs."""
    try:
        raw = read_content_file(path) if raw is None else raw
    except UnreadableFile as exc:
        diagnostics.error(path, (1, 1), exc.reason, exc.hint)
        return None
    text = _decode(path, raw, diagnostics)
    if text is None:
        return None
    if not _has_content(text):
        diagnostics.error(path, (1, 1), "the file is empty", "add the content, or delete the file")
        return None
    tabs = list(_TAB_INDENT.finditer(text)) if "\t" in text else []  # the search costs 5% of a notice
    for tab in tabs[:20]:
        diagnostics.error(path, (text.count("\n", 0, tab.start()) + 1, tab.end() - tab.start()),
                          "a tab is used for indentation",
                          "YAML indents with spaces only: replace the tab with spaces")
    return None if tabs else text


def _compose(path: Path, text: str, diagnostics: Diagnostics) -> yaml.MappingNode | None:
    """The file's node tree, or None once YAML's objection (or a top level that is no mapping) is reported."""
    loader = _Loader if _nesting_bound(text) <= SAFE_NESTING else yaml.SafeLoader
    try:
        node = yaml.compose(text, Loader=loader)
    except RecursionError:
        diagnostics.error(path, (1, 1), "the file is nested too deeply to read",
                          "a notice needs only a few levels of indentation: check the brackets")
        return None
    except yaml.MarkedYAMLError as exc:
        position, message, hint = syntax_error(text, exc, loader)
        diagnostics.error(path, position, message, hint)
        return None
    except yaml.reader.ReaderError as exc:
        _report_control_character(path, text, exc, diagnostics)
        return None
    except yaml.YAMLError as exc:
        diagnostics.error(path, (1, 1), f"this is not valid YAML: {exc}")
        return None
    if not isinstance(node, yaml.MappingNode):
        position = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        diagnostics.error(path, position, "the file must be a mapping of `key: value` lines at its top level")
        return None
    return node


def _report_control_character(path: Path, text: str, exc: yaml.reader.ReaderError,
                              diagnostics: Diagnostics) -> None:
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    diagnostics.error(path, (line, column), f"the file contains an invisible control character"
                      f" (U+{code:04X}) that YAML does not allow", "delete it, or retype the line")


def _build_values(source: SourceFile, node: yaml.MappingNode, text: str,
                  diagnostics: Diagnostics) -> SourceFile | None:
    """The values of the node tree, with their positions; None if any could not be kept as written."""
    source.written = text
    builder = _Builder(source, diagnostics, text)
    try:
        source.data = builder.build(node, ())
    except _TooLarge as exc:
        # At the top-level key whose value grew too large: the editor's unit of work.
        where = source.keys.get(builder.location[:1], builder.last_position)
        diagnostics.error(source.path, where, exc.args[0], exc.args[1])
        return None
    return source if builder.ok else None


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deeply `text` nests: brackets, indentation and `- ` per line."""
    lines = text.splitlines()
    blocks = [len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count(": ") + line.count("? ")
              for line in lines]
    rough = max(blocks, default=0) + text.count("[") + text.count("{")
    if rough <= SAFE_NESTING:  # even with every bracket open at once: no need to look closer
        return rough
    flow = deepest = 0
    for line, block in zip(lines, blocks, strict=True):
        deepest = max(deepest, flow + block)
        for char in line:
            if char in "[{":
                flow += 1
                deepest = max(deepest, flow + block)
            elif char in "]}":
                flow = max(0, flow - 1)
    return deepest


def _decode(path: Path, raw: bytes, diagnostics: Diagnostics) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line, column = before.count(b"\n") + 1, exc.start - before.rfind(b"\n")
        diagnostics.error(path, (line, column), "the file is not UTF-8 text",
                          "save it with UTF-8 encoding in your editor")
        return None


def _has_content(text: str) -> bool:
    if text.lstrip()[:1] not in ("#", ""):  # the first line that is not blank is not a comment
        return True
    return any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines())


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, source: SourceFile, diagnostics: Diagnostics, text: str) -> None:
        self.source = source
        self.text = text
        self._lines: list[str] | None = None
        self.diagnostics = diagnostics
        self.constructor = yaml.constructor.SafeConstructor()
        self.count = 0
        self.ok = True
        self.last_position: Position = (1, 1)
        self.location: Location = ()

    def build(self, node: yaml.Node, location: Location, depth: int = 0) -> Any:
        self.count += 1
        self.location = location
        if self.count > MAX_NODES:
            raise _TooLarge("the file expands to too many values (YAML aliases `*name` repeated too often)",
                            "write the values out instead of repeating them with aliases")
        if depth > MAX_DEPTH:
            raise _TooLarge("the file is nested too deeply (or an alias `*name` refers to itself)",
                            "a content file needs only a few levels of indentation")
        self.last_position = (node.start_mark.line + 1, node.start_mark.column + 1)
        self.source.values[location] = self.last_position
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, location, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, location + (i,), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and not node.style and " -" in node.value \
                and node.end_mark.line > node.start_mark.line:
            self._continued(node, location)
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            return self._unreadable(node, (node.start_mark.line + 1, node.start_mark.column + 1), exc)

    def _continued(self, node: yaml.ScalarNode, location: Location) -> None:
        """Plain text over several lines with a `- ` line among them: a list item indented too far."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        fault = continued_item(self._lines, node, location)
        if fault is not None:
            self._error(*fault)

    def _mapping(self, node: yaml.MappingNode, location: Location, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            mark = key_node.start_mark
            key_position = (mark.line + 1, mark.column + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._error(key_position, "YAML merge keys (`<<`) are not supported",
                            "write the keys out in full")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(key_position, "a key must be a plain word, not a list or mapping")
                continue
            key = str(key_node.value)
            if key in result:
                first = self.source.keys[location + (key,)]
                self._error(key_position, f"duplicate key '{key}' (first written at line {first[0]})",
                            "YAML keeps only one of the two: merge them into one key")
                continue
            self.source.keys[location + (key,)] = key_position
            result[key] = self.build(value_node, location + (key,), depth + 1)
        return result

    def _unreadable(self, node: yaml.Node, position: Position, exc: Exception) -> None:
        """A scalar YAML cannot turn into a value, such as the date 2026-13-45."""
        if node.tag == "tag:yaml.org,2002:timestamp":
            self._error(position, f"'{node.value}' is not a real date ({exc})", "write dates as YYYY-MM-DD")
        else:
            problem = getattr(exc, "problem", None) or str(exc)
            self._error(position, f"this value cannot be read: {problem}",
                        "put the value in quotes to use it as text")

    def _error(self, position: Position, message: str, hint: str = "") -> None:
        self.ok = False
        self.diagnostics.error(self.source.path, position, message, hint)
