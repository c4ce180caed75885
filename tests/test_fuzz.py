"""Random edits of the real content never end in a traceback: only "built" or "here is what is wrong".

Hypothesis makes the kind of slips an editor makes (a line deleted or pasted twice, stray
characters, broken indentation, values swapped, a file cut short) and runs the whole
pipeline in-process, which is what `notices build` and `notices check` do minus the writing.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURE, copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build_in_memory

FILES = sorted(p.relative_to(FIXTURE).as_posix() for p in (FIXTURE / "content").rglob("*.yaml"))
ORIGINAL = {name: (FIXTURE / name).read_bytes() for name in FILES}
VALUE = re.compile(r"^(\s*-?\s*[A-Za-z_]+:\s)(.+)$")
NASTY = st.sampled_from(["\t", ":", ": ", "- ", "#", "&a ", "*a", "!!", "{", "[", "]", "}", "'", '"', "|",
                         ">", "---", "%", "@", "`", "\x00", "\x85", "\ufeff", "\u2028", "é", "ü", "\\",
                         "<script>", "javascript:", "notice:", "?", "~", "null", "yes", "1e9", "2026-02-30"])


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        yield copy_project(folder / "project")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, bytes]:
    """One content file with one editor's slip in it."""
    name = draw(st.sampled_from(FILES))
    lines = ORIGINAL[name].decode("utf-8").split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["delete", "duplicate", "insert", "indent", "swap", "truncate", "bytes"]))
    if kind == "delete":
        del lines[index]
    elif kind == "duplicate":
        lines.insert(index, lines[index])
    elif kind == "insert":
        column = draw(st.integers(0, len(lines[index])))
        extra = draw(st.one_of(NASTY, st.text(max_size=6)))
        lines[index] = lines[index][:column] + extra + lines[index][column:]
    elif kind == "indent":
        lines[index] = draw(st.sampled_from(["", " ", "   ", "\t", "      "])) + lines[index].lstrip(" ")
    elif kind == "swap":
        valued = [i for i, line in enumerate(lines) if VALUE.match(line)]
        first, second = draw(st.sampled_from(valued)), draw(st.sampled_from(valued))
        a, b = VALUE.match(lines[first]), VALUE.match(lines[second])
        assert a and b
        lines[first], lines[second] = a.group(1) + b.group(2), b.group(1) + a.group(2)
    data = "\n".join(lines).encode("utf-8")
    if kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return name, data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=edits())
def test_random_edits_never_end_in_a_traceback(sandbox: Path, edit: tuple[str, bytes]) -> None:
    name, data = edit
    (sandbox / name).write_bytes(data)
    try:
        result = build_in_memory(sandbox)  # any exception here is the traceback an editor must never see
    finally:
        (sandbox / name).write_bytes(ORIGINAL[name])
    exit_code = 1 if result.diagnostics.has_errors() else 0
    assert exit_code in (0, 1)
    if exit_code == 0:
        assert result.files, "a clean run renders the site"
    for problem in result.diagnostics.items:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.message and "Traceback" not in problem.message
        assert not problem.path.startswith("/"), problem  # relative to the project root


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit=edits())
def test_the_command_line_never_prints_a_traceback(sandbox: Path, edit: tuple[str, bytes],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The same through `notices check`, in-process, reading what it prints."""
    from generator.cli import main

    name, data = edit
    (sandbox / name).write_bytes(data)
    try:
        code = main(["--root", str(sandbox), "check"])
    finally:
        (sandbox / name).write_bytes(ORIGINAL[name])
    out = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in out.err + out.out
