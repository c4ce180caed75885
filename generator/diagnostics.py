"""One type for every problem found in the content, and one place that formats it.

Every stage reports problems as `Diagnostic` values instead of raising, so a single
run can tell an editor about all of their mistakes at once. Each is one line whatever it quotes:
a file name or a key holding a newline cannot write a line (or a GitHub annotation) of its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem in a content file, with where it is and, where we know one, the fix."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""
    rule: str = ""

    def __post_init__(self) -> None:
        for name in ("path", "message", "hint"):  # the one place every value quoted is made one line
            value = getattr(self, name)
            if _CONTROL.search(value):
                object.__setattr__(self, name, one_line(value))

    def text(self) -> str:
        """The compiler convention: `path:line:col: error: message (hint)`."""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}{hint}"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown on the pull request's diff."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        message = self.message + (f" ({self.hint})" if self.hint else "")
        path = _github_data(self.path).replace(":", "%3A").replace(",", "%2C")  # a property's value
        return f"::{level} file={path},line={self.line},col={self.column}::{_github_data(message)}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


@dataclass
class Diagnostics:
    """Collects the problems of one run; stages add to it and carry on."""

    root: Path
    items: list[Diagnostic] = field(default_factory=list)

    def relative(self, path: Path | str) -> str:
        """Paths in messages are relative to the project root, with forward slashes."""
        path = Path(path)
        try:  # the folder resolved, not the file: a symbolic link is named, not what it leads to
            return (path.parent.resolve() / path.name).relative_to(self.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside the root; a folder that is a link loop
            return path.as_posix()

    def add(
        self,
        path: Path | str,
        line: int,
        column: int,
        message: str,
        *,
        hint: str = "",
        severity: Severity = Severity.ERROR,
        rule: str = "",
    ) -> None:
        self.items.append(
            Diagnostic(self.relative(path), line, column, message, severity, hint, rule)
        )

    def error(self, path: Path | str, position: tuple[int, int], message: str, hint: str = "") -> None:
        self.add(path, position[0], position[1], message, hint=hint)

    def warning(
        self, path: Path | str, position: tuple[int, int], message: str, hint: str = "", rule: str = ""
    ) -> None:
        self.add(path, position[0], position[1], message, hint=hint, severity=Severity.WARNING, rule=rule)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Sorted by file then line, each problem once."""
        return sorted(set(self.items), key=lambda d: (d.path, d.line, d.column, d.message))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` with each control character (and line or paragraph separator) written as an escape:
    a newline as `\\n`, U+001C as `\\x1c`."""
    return _CONTROL.sub(lambda found: _ESCAPES.get(found.group(), found.group().encode("unicode_escape")
                                                   .decode("ascii")), text)


def _github_data(text: str) -> str:
    """Escaped as GitHub's workflow commands require (% first, so no escape is read twice)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def shorten(text: str, limit: int = 60) -> str:
    """`text` cut to at most `limit` characters for quoting in a message: at the end of a word, with
    an ellipsis, so that a snippet never ends in half a word ('gender, ethnicity and dis')."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back; else (a long address) cut where it is
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—(") + "…"


def format_diagnostics(items: list[Diagnostic], output_format: str = "text") -> str:
    """Render diagnostics for the terminal, for GitHub annotations, or as JSON."""
    if output_format == "json":
        return json.dumps([d.as_dict() for d in items], indent=2, ensure_ascii=False)
    if output_format == "github":
        return "\n".join(d.github() for d in items)
    lines = [d.text() for d in items]
    errors = sum(1 for d in items if d.severity is Severity.ERROR)
    warnings = len(items) - errors
    if items:
        lines.append(f"{_count(errors, 'error')}, {_count(warnings, 'warning')}")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
