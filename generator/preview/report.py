"""What the preview prints after each save, and what it says when the generator itself fails.

After the first build, which lists every finding as `notices build` does, a save prints only
the warnings it added or resolved: an editor fixing one warning of nineteen sees that one go,
not the nineteen again. A warning is the same one when only its line moved (a line added above
it). Errors are always listed in full, since the site is not shown while they last.

A failure of the generator (an exception, which is a bug) is one plain error naming the file
being handled where it can be told, and where the details were saved for a bug report; the
traceback goes to that file, never to the terminal.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ..content.resolve import Notice
from ..diagnostics import Diagnostic, Severity, format_diagnostics

MAX_NOTICE_BYTES = 10_000_000


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


LINE_NUMBER = re.compile(r"\blines? \d+")


def _same_finding(item: Diagnostic) -> tuple[str, str, str, str, str]:
    """What makes two findings the same one across saves: all but where it is (its line and column,
    and the line numbers its message quotes, as in "(line 34: 'outcomes for …')")."""
    return (item.path, item.severity.value, item.rule, LINE_NUMBER.sub("line", item.message), item.hint)


def only_in_first(first: Iterable[Diagnostic], second: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The findings of `first` that `second` does not have (each counted as often as it occurs)."""
    left = Counter(_same_finding(item) for item in second)
    missing = []
    for item in first:
        key = _same_finding(item)
        if left[key]:
            left[key] -= 1
        else:
            missing.append(item)
    return missing


class Findings:
    """The warnings of the last good build, to tell what each save changed."""

    def __init__(self) -> None:
        self.warnings: tuple[Diagnostic, ...] | None = None  # None until the first good build

    def built(self, warnings: tuple[Diagnostic, ...], summary: str) -> None:
        """Print the findings a good build added or resolved, then `summary` with a word on the rest."""
        previous, self.warnings = self.warnings, warnings
        if previous is None:
            if warnings:
                _error_stream(format_diagnostics(list(warnings)))
            _out(summary + ".")
            return
        added, resolved = only_in_first(warnings, previous), only_in_first(previous, warnings)
        lines = [item.text() for item in added]
        lines += [f"resolved: {replace(item, hint='').text()}" for item in resolved]
        if lines:
            _error_stream("\n".join(lines))
        total = _count(len(warnings), "warning")
        if added or resolved:
            changes = [_count(len(added), "new warning")] if added else []
            changes += [f"{len(resolved)} resolved"] if resolved else []
            _out(f"{summary}: {', '.join(changes)}; {total} in all.")
        else:
            _out(f"{summary}; no change in the {total}." if warnings else f"{summary}; no warnings.")

    @staticmethod
    def failed(problems: tuple[Diagnostic, ...], cause: str) -> None:
        """Every error, always: the browser shows them instead of the site until they are fixed."""
        errors = [item for item in problems if item.severity is Severity.ERROR]
        _error_stream("\n".join(item.text() for item in errors))
        warnings = len(problems) - len(errors)
        shown = f" (and the {_count(warnings, 'warning')})" if warnings else ""
        _error_stream(f"{_count(len(errors), 'error')}{cause}: the browser shows the errors{shown}"
                      " instead of the site until they are fixed.")


def _out(text: str) -> None:
    print(text, flush=True)


def _error_stream(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class BugReport:
    """Turns an exception in the generator into one error line; the traceback goes to a log file.

    The log is made on the first failure (a new private file in the system's temporary folder,
    named in the message), and each later failure of the same preview is added to it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.log: Path | None = None

    def diagnose(self, exc: BaseException, doing: str, changed: list[str]) -> Diagnostic:
        """The error to show for `exc`, raised while `doing` (say, 'building the site')."""
        saved = self._save(exc, doing)
        what = "".join(traceback.format_exception_only(exc)).strip().replace("\n", " ")
        place = self._culprit(exc)
        if place is not None:
            path, line, column = place
            message = f"notices failed while {doing}, handling this file ({what})"
        else:
            path, line, column = (changed[0] if changed else "content"), 1, 1
            after = " after a change to this file" if changed else ""
            message = f"notices failed while {doing}{after} ({what})"
        hint = (f"this is a bug in notices: please report it{saved}. Undoing the last change may get round"
                " it; the preview keeps running and shows the site again after the next save that builds")
        failure = Diagnostic(path, line, column, message, hint=hint)
        _error_stream(failure.text())
        return failure

    def _save(self, exc: BaseException, doing: str) -> str:
        """Append the traceback to the log; ' with the details in PATH', or why they could not be kept."""
        try:
            if self.log is None:
                handle, name = tempfile.mkstemp(prefix="notices-preview-", suffix=".log")
                os.close(handle)
                self.log = Path(name)
            with self.log.open("a", encoding="utf-8") as log:
                log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {doing} in {self.root}\n")
                log.write("".join(traceback.format_exception(exc)) + "\n")
        except OSError as error:
            return f" (its details could not be saved: {error.strerror or error})"
        return f" with the details saved in {self.log}"

    def _culprit(self, exc: BaseException) -> tuple[str, int, int] | None:
        """The project file being handled when `exc` was raised, innermost first, if one can be told.

        A template's own line is in the traceback (Jinja2 puts it there); a notice is found by its
        slug; a file being read is a `Path` among a frame's variables.
        """
        try:
            for frame, line in reversed(list(traceback.walk_tb(exc.__traceback__))):
                place = self._project_file(Path(frame.f_code.co_filename), line)
                for value in frame.f_locals.values():
                    if place is None and isinstance(value, Notice):
                        place = _notice_file(self.root, value.slug)
                    elif place is None and isinstance(value, Path):
                        place = self._project_file(value, 1)
                if place is not None:
                    return place
        except Exception:  # only a guess to help the report: never a second failure
            return None
        return None

    def _project_file(self, path: Path, line: int) -> tuple[str, int, int] | None:
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except (ValueError, OSError):
            return None
        if relative.parts[:1] not in (("content",), ("templates",)) or not path.is_file():
            return None
        return relative.as_posix(), line, 1


def _notice_file(root: Path, slug: str) -> tuple[str, int, int] | None:
    """The notice file whose `slug:` line gives `slug`, with that line and the slug's column."""
    wanted = re.compile(r"^(slug:\s*['\"]?)" + re.escape(slug) + r"['\"]?\s*(#.*)?$", re.MULTILINE)
    for path in sorted((root / "content" / "notices").glob("*.yaml")):
        try:  # only regular files of a notice's size: never a FIFO or a device, which could hang
            if not path.is_file() or path.stat().st_size > MAX_NOTICE_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = wanted.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            return f"content/notices/{path.name}", line, len(found.group(1)) + 1
    return None
