"""The loader: plain values with the line and column of every key and value, and no way to crash it."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.load import SourceFile, load_yaml
from generator.content.quickyaml import quick_read
from generator.diagnostics import Diagnostics


def _load(tmp_path: Path, text: str | bytes, positions: bool = True) -> tuple[SourceFile | None, list[str]]:
    path = tmp_path / "file.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    diagnostics = Diagnostics(tmp_path)
    source = load_yaml(path, diagnostics, positions=positions)
    return source, [d.text() for d in diagnostics.sorted()]


BOTH_WAYS = pytest.mark.parametrize("positions", [True, False], ids=["with positions", "the quick way"])
"""A notice is read the quick way (quickyaml.py); a problem must be found, and placed, either way."""


def test_positions_of_keys_and_values(tmp_path: Path) -> None:
    text = "# comment\ntitle: Hello\nitems:\n  - one\n  - name: two\n    flag: true\n"
    source, problems = _load(tmp_path, text)
    assert problems == [] and source is not None
    assert source.data == {"title": "Hello", "items": ["one", {"name": "two", "flag": True}]}
    assert source.position(("title",)) == (2, 8)
    assert source.key_position(("title",)) == (2, 1)
    assert source.position(("items", 1, "flag")) == (6, 11)
    assert source.position(("items", 1, "missing")) == (5, 5)  # a missing key: its mapping


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    source, problems = _load(tmp_path, "\ufefftitle: Hello\n".encode())
    assert problems == [] and source is not None and source.data == {"title": "Hello"}


@pytest.mark.parametrize("text, expected", [
    ("a: 1\n\tb: 2\n", "file.yaml:2:1: error: a tab is used for indentation"),
    ("a:\n  b: 1\n  b: 2\n", "file.yaml:3:3: error: duplicate key 'b' (first written at line 2)"),
    ("a: &x {b: 1}\nc:\n  <<: *x\n", "file.yaml:3:3: error: YAML merge keys (`<<`) are not supported"),
    ("? [a, b]\n: 1\n", "file.yaml:1:3: error: a key must be a plain word, not a list or mapping"),
    ("a: 2026-02-30\n", "file.yaml:1:4: error: '2026-02-30' is not a real date"),
    ("a: !!python/object:os.system echo\n", "file.yaml:1:4: error: this value cannot be read"),
    ("a: *nothing\n", "file.yaml:1:4: error: this is not valid YAML: found undefined alias"),
    ("a: b: c\n", "file.yaml:1:5: error: this is not valid YAML: mapping values are not allowed"),
    ("a: [1, 2\n", "file.yaml:1:9: error: this is not valid YAML: the list that opens with [ on line 1"),
    ("   \n# only a comment\n", "file.yaml:1:1: error: the file is empty"),
    ("just text\n", "file.yaml:1:1: error: the file must be a mapping of `key: value` lines"),
    (b"a: caf\xe9\n", "file.yaml:1:7: error: the file is not UTF-8 text"),
    ("a: &a [*a]\n", "file.yaml:1:1: error: the file is nested too deeply (or an alias `*name` refers to"),
])
@BOTH_WAYS
def test_problems_are_reported_where_they_are(
    tmp_path: Path, text: str | bytes, expected: str, positions: bool
) -> None:
    source, problems = _load(tmp_path, text, positions)
    assert source is None
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "a: " + "{b: " * 50_000 + "1" + "}" * 50_000 + "\n",
    "a:\n" + "- " * 100_000 + "x\n",
])
@BOTH_WAYS
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, text: str, positions: bool) -> None:
    """Composing nodes recurses in C and would crash the whole process on these."""
    source, problems = _load(tmp_path, text, positions)
    assert source is None
    assert any("nested too deeply" in problem for problem in problems), problems


@BOTH_WAYS
def test_billion_laughs_is_refused_quickly(tmp_path: Path, positions: bool) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    started = time.perf_counter()
    source, problems = _load(tmp_path, "\n".join(lines) + "\n", positions)
    assert time.perf_counter() - started < 30  # a guard against expanding it, not a speed target
    assert source is None
    assert any("expands to too many values" in problem for problem in problems), problems


@BOTH_WAYS
def test_shared_anchors_within_limits_are_fine(tmp_path: Path, positions: bool) -> None:
    source, problems = _load(tmp_path, "a: &x [1, 2]\nb: *x\n", positions)
    assert problems == [] and source is not None and source.data == {"a": [1, 2], "b": [1, 2]}


SCALARS = st.one_of(
    st.sampled_from(["yes", "no", "on", "off", "true", "False", "~", "null", "", "0", "-1", "+2", "0x1F",
                     "0o17", "1_000", "3.5", ".inf", "-.NaN", "1e3", "2026-11-21", "2026-11-21 10:00:00",
                     "12:30:00", "=", "<<", "- x", "#x", "a # b", "a: b", "'q'", '"q"', "@x", "`x", "!x",
                     "&x", "*x", "%x", "x\ty", "Ünïcode ✓"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
)


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    """A small YAML mapping written in the ways editors write them: block, flow, quoted, folded."""
    lines = []
    for key in draw(st.lists(st.sampled_from(["a", "b", "title", "1", "yes", "<<", "~", "a b"]),
                             min_size=1, max_size=4)):
        style = draw(st.sampled_from(["plain", "single", "double", "block", "list", "flow", "map"]))
        value = draw(SCALARS)
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
        if style == "plain":
            lines.append(f"{key}: {value}")
        elif style == "single":
            lines.append(f"{key}: '{value.replace(chr(39), chr(39) * 2)}'")
        elif style == "double":
            lines.append(f'{key}: "{escaped}"')
        elif style == "block":
            lines.append(f"{key}: |\n  {value}")
        elif style == "list":
            lines.append(f"{key}:\n" + "".join(f"  - {draw(SCALARS)}\n" for _ in range(2)).rstrip("\n"))
        elif style == "flow":
            lines.append(f"{key}: [{value}, {draw(SCALARS)}]")
        elif depth < 2:
            inner = draw(documents(depth + 1)).replace("\n", "\n  ")
            lines.append(f"{key}:\n  {inner}")
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents())
def test_the_quick_way_reads_what_the_full_way_reads(tmp_path: Path, text: str) -> None:
    """Whatever the quick way accepts, it reads as the full way does; the rest it leaves to the full way."""
    full, full_problems = _load(tmp_path, text, positions=True)
    quick_data, blank = quick_read(text, 200_000, 40)
    if quick_data is not None:
        assert full is not None and full_problems == []
        assert quick_data == full.data
        assert [type(v) for v in _leaves(quick_data)] == [type(v) for v in _leaves(full.data)]
        # where it says it saw no empty value, the check for `email:` left blank is skipped
        assert blank == any(v is None for v in _leaves(quick_data))
    quick, quick_problems = _load(tmp_path, text, positions=False)
    assert quick_problems == full_problems
    assert (quick is None) == (full is None)
    if quick is not None and full is not None:
        assert quick.data == full.data


def _leaves(value: object) -> list[object]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_the_quick_way_takes_plain_content_and_leaves_the_rest() -> None:
    assert quick_read("title: Hello\nitems: [1, yes, 2026-11-21, ~, 'x']\n", 100, 10) == ({
        "title": "Hello", "items": [1, True, datetime.date(2026, 11, 21), None, "x"]}, True)
    for unusual in ("a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: {a: 1}\n", "? [a]\n: 1\n", "a: 1\na: 2\n",
                    "a: 2026-02-30\n", "a: [1\n", "a: 1\n---\nb: 2\n", "a: " + "[" * 50 + "]" * 50 + "\n"):
        assert quick_read(unusual, 100, 10)[0] is None, unusual
