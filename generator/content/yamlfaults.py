"""What a YAML mistake really was, and the line it was made on.

PyYAML reports where it gave up, which is often lines below the mistake: a quote left open
is reported at the next quote, a `[` left open at the next key, a missing colon at the
line after. And some mistakes are no syntax error at all: a list item indented one space
too far is read as more of the item above, a key indented under a `|` block as more of its
text. Here each of these is told in the editor's words, at the line they need to change.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Position = tuple[int, int]
Fault = tuple[Position, str, str]
"""Where the mistake is, what it is, and how to fix it."""

_QUOTES = ("'", '"')


def syntax_error(text: str, exc: yaml.MarkedYAMLError, loader: Any) -> Fault:
    """The message for a file YAML cannot read, at the line at fault where it can be found."""
    mark = exc.problem_mark or exc.context_mark
    position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    found = _open_quote(exc, lines) or _no_colon(exc, lines)
    if found is None and exc.problem_mark is not None:
        found = _from_tokens(text, lines, exc, loader)
    if found is not None:
        return found
    return position, _yaml_message(exc), _yaml_hint(exc, lines)


def _open_quote(exc: yaml.MarkedYAMLError, lines: list[str]) -> Fault | None:
    """A quote never closed: the file ends inside it. Said where it opens."""
    start = exc.context_mark
    if start is None or "quoted scalar" not in (exc.context or ""):
        return None
    quote = _char(lines, start.line, start.column) or '"'
    return ((start.line + 1, start.column + 1), f"this is not valid YAML: the quote {quote} that opens here"
            " is never closed", f"end the text with {quote}, or write it without quotes")


def _no_colon(exc: yaml.MarkedYAMLError, lines: list[str]) -> Fault | None:
    """`slug my-notice` with no colon: libyaml says so at the line below. Said at the line itself."""
    start = exc.context_mark
    if start is None or "could not find expected ':'" not in (exc.problem or ""):
        return None
    if not re.match(r"[\w-]", _char(lines, start.line, start.column)):  # a stray quote or bracket, say
        return ((start.line + 1, start.column + 1), _yaml_message(exc),
                "each line needs `key: value`: check this line for a stray quote or bracket")
    return _missing_colon(lines, start.line, start.column)


def _missing_colon(lines: list[str], line: int, column: int) -> Fault:
    key = re.match(r"\w[\w-]*(:?)", lines[line][column:]) if line < len(lines) else None
    example = f"`{key.group(0).rstrip(':')}: …`" if key else "`key: value`"
    if key and key.group(1):  # `kind:service`: a colon, but no space after it
        return ((line + 1, column + 1), f"this is not valid YAML: line {line + 1} has no space after the"
                " colon of its key, so YAML reads it as text that goes on to the next line",
                f"write {example}, with a space after the colon")
    return ((line + 1, column + 1), f"this is not valid YAML: line {line + 1} has no colon after its key,"
            " so YAML reads it as text that goes on to the next line",
            f"write {example}, with a colon and a space after the key")


def _from_tokens(text: str, lines: list[str], exc: yaml.MarkedYAMLError, loader: Any) -> Fault | None:
    """Read the file's tokens up to where YAML gave up: the last of them shows what went wrong."""
    problem = exc.problem_mark
    assert problem is not None
    scalars = _scalars_before(text, problem, loader)
    if not scalars:
        return None
    last = scalars[-1]
    opening = exc.context_mark
    if "flow" in (exc.context or "") and opening and _char(lines, opening.line, opening.column) in ("[", "{"):
        return _open_bracket(lines, opening, last, problem)
    if last.style in _QUOTES:
        return _after_quote(lines, problem, last)
    if not last.style and "mapping values are not allowed" in (exc.problem or ""):
        return _plain_runs_on(lines, last)
    return None


def _scalars_before(text: str, problem: Any, loader: Any) -> list[yaml.ScalarToken]:
    """The values and keys (scalar tokens) YAML read before the place it gave up at."""
    tokens: list[Any] = []
    try:
        for token in yaml.scan(text, Loader=loader):
            if token.start_mark.index >= problem.index:
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass  # the tokens before the scanner's own error are all there is
    return [token for token in tokens if isinstance(token, yaml.ScalarToken)]


def _open_bracket(lines: list[str], opening: Any, last: Any, problem: Any) -> Fault | None:
    """`[a, b` with no `]`: YAML reads on into the next lines and stops at the next key."""
    if last.start_mark.line >= problem.line:
        return None  # the mistake is on the line YAML stopped at
    bracket = _char(lines, opening.line, opening.column)
    closing, noun = ("]", "list") if bracket == "[" else ("}", "mapping")
    line = last.start_mark.line
    column = len(lines[line].rstrip()) + 1 if line < len(lines) else 1
    return ((line + 1, column), f"this is not valid YAML: the {noun} that opens with {bracket} on line"
            f" {opening.line + 1} is not closed", f"add {closing} here, after its last item")


def _after_quote(lines: list[str], problem: Any, last: Any) -> Fault | None:
    """A quoted text followed by more on its line: either the quote was left open lines above (YAML
    took the next quote as its end), or there are words after the closing quote."""
    start, end = last.start_mark, last.end_mark
    if end.line != problem.line:
        return None
    quote = last.style
    indent = _indent(lines[start.line]) if start.line < len(lines) else 0
    swallowed = [n for n in range(start.line + 1, min(end.line + 1, len(lines)))
                 if lines[n].strip() and _indent(lines[n]) <= indent]
    if swallowed:  # lines as far left as the quote's own line: they were meant as lines of their own
        return ((start.line + 1, start.column + 1), f"this is not valid YAML: the quote {quote} that opens"
                f" here is not closed on this line, so YAML reads on to the next {quote}, on line"
                f" {end.line + 1}",
                f"end the text with {quote} on this line")
    return ((problem.line + 1, problem.column + 1), "this is not valid YAML: there is text after the closing"
            f" quote {quote}", "put all of the text inside the quotes, or write it without quotes")


def _plain_runs_on(lines: list[str], last: Any) -> Fault | None:
    """`intro "We use…"` with no colon, above a line with one: YAML reads both lines as one text and
    then finds a colon it cannot use. The mistake is on the first line."""
    start = last.start_mark
    if last.end_mark.line == start.line or start.line >= len(lines):
        return None
    if lines[start.line][: start.column].strip():
        return None  # the text follows a `key:` or `- ` on its line: the colon below is the mistake
    return _missing_colon(lines, start.line, start.column)


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "the YAML is malformed").rstrip(".")
    if exc.context and problem.startswith("but "):  # libyaml: context "expected X", problem "but found Y"
        return f"this is not valid YAML: {exc.context}, {problem}"
    if exc.context and exc.context not in problem:
        return f"this is not valid YAML: {problem} ({exc.context})"
    return f"this is not valid YAML: {problem}"


def _yaml_hint(exc: yaml.MarkedYAMLError, lines: list[str]) -> str:
    problem = f"{exc.context or ''} {exc.problem or ''}"
    if "mapping values are not allowed" in problem:
        return "put text that contains ': ' in quotes, or check the indentation of this line"
    if "found character '\\t'" in problem:
        return "replace the tab with spaces"
    if "could not find expected ':'" in problem:
        return "each line needs `key: value`; check the line above for a missing colon"
    if "expected a single document" in problem:
        return "a content file holds one document: remove the `---` line"
    if "found undefined alias" in problem:
        return "a `*` at the start of a value refers to an anchor: put the value in quotes"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "a value cannot start with @ or `: put it in quotes"
    if "did not find expected" in problem or "expected <block end>" in problem:
        return "check the indentation: items of one list or mapping line up exactly" + _above(exc, lines)
    return ""


def _above(exc: yaml.MarkedYAMLError, lines: list[str]) -> str:
    """Where the line above the problem starts, to line this one up with."""
    mark = exc.problem_mark
    if mark is None or mark.line >= len(lines):
        return ""
    above = next((n for n in range(mark.line - 1, -1, -1) if lines[n].strip()
                  and not lines[n].lstrip().startswith("#")), None)
    if above is None or _indent(lines[above]) == _indent(lines[mark.line]):
        return ""
    return f": line {above + 1} starts at column {_indent(lines[above]) + 1}, this one at column" \
           f" {_indent(lines[mark.line]) + 1}"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _char(lines: list[str], line: int, column: int) -> str:
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


def continued_item(lines: list[str], node: yaml.ScalarNode, location: tuple[str | int, ...]) -> Fault | None:
    """A `- item` line indented more than the item above it: YAML reads it as more of that item's
    plain text (two ids become one that does not exist, two sentences one). At its first such line."""
    start = node.start_mark
    for number in range(start.line + 1, min(node.end_mark.line + 1, len(lines))):
        text = lines[number].lstrip(" ")
        if not (text.startswith("- ") or text == "-"):
            continue
        where = (number + 1, _indent(lines[number]) + 1)
        if location and isinstance(location[-1], int):
            dash = lines[start.line].rfind("-", 0, start.column) + 1
            return (where, f"line {number + 1} is indented more than the item above it, so YAML reads it"
                    " as more of that item's text",
                    f"line up the dashes: start line {number + 1} at column {dash}, like line"
                    f" {start.line + 1}")
        key = str(location[-1]) if location else "the value"
        return (where, f"line {number + 1} starts with '- ' but is indented under '{key}', so YAML reads it"
                f" as more of the text of '{key}'", "a list goes under a key of its own, with its dashes"
                " lined up; to keep the dash as text, put the whole text in quotes")
    return None


def key_in_text(lines: list[str], start: Position, key: str) -> Position | None:
    """Where a line `key:` is written inside the text (a `|` block, say) whose value starts at `start`:
    indented as far as the text, YAML reads it as one more line of the text."""
    pattern = re.compile(rf"[ ]*{re.escape(key)}:(?: |$)")
    indent = None
    for number in range(start[0], len(lines)):  # the text's lines: from the line after its start
        line = lines[number]
        if not line.strip():
            continue
        if indent is None:
            indent = _indent(line)
        if _indent(line) < indent:
            return None  # the end of the text
        if pattern.match(line):
            return number + 1, _indent(line) + 1
    return None


def find_in_text(lines: list[str], start: Position, words: str, skip: int = 0, *, link: bool = False
                 ) -> Position | None:
    """Where `words` are written in the text whose value starts at `start` (after `skip` times): a
    link in a `|` block is on a line of its own, not on the line of its key. A `link` is found whole
    (`notice:a` is not the start of `notice:a-b`)."""
    pattern = re.compile(re.escape(words) + (r"(?![\w#/-])" if link else ""))
    line, column = start
    for number in range(line - 1, len(lines)):
        for found in pattern.finditer(lines[number], column - 1 if number == line - 1 else 0):
            if skip == 0:
                return number + 1, found.start() + 1
            skip -= 1
    return None
