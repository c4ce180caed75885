"""The loader: plain values with the line and column of every key and value, and no way to crash it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.diagnostics import Diagnostics
from generator.load import SourceFile, load_yaml


def _load(tmp_path: Path, text: str | bytes) -> tuple[SourceFile | None, list[str]]:
    path = tmp_path / "file.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    diagnostics = Diagnostics(tmp_path)
    source = load_yaml(path, diagnostics)
    return source, [d.text() for d in diagnostics.sorted()]


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
    ("a: [1, 2\n", "file.yaml:2:1: error: this is not valid YAML"),
    ("   \n# only a comment\n", "file.yaml:1:1: error: the file is empty"),
    ("just text\n", "file.yaml:1:1: error: the file must be a mapping of `key: value` lines"),
    (b"a: caf\xe9\n", "file.yaml:1:7: error: the file is not UTF-8 text"),
    ("a: &a [*a]\n", "file.yaml:1:1: error: the file is nested too deeply (or an alias `*name` refers to"),
])
def test_problems_are_reported_where_they_are(tmp_path: Path, text: str | bytes, expected: str) -> None:
    source, problems = _load(tmp_path, text)
    assert source is None
    assert any(problem.startswith(expected) for problem in problems), problems


@pytest.mark.parametrize("text", [
    "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
    "a: " + "{b: " * 50_000 + "1" + "}" * 50_000 + "\n",
    "a:\n" + "- " * 100_000 + "x\n",
])
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, text: str) -> None:
    """libyaml's parser recurses in C and would crash the whole process on these."""
    source, problems = _load(tmp_path, text)
    assert source is None
    assert any("nested too deeply" in problem for problem in problems), problems


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 9) + "]")
    started = time.perf_counter()
    source, problems = _load(tmp_path, "\n".join(lines) + "\n")
    assert time.perf_counter() - started < 2
    assert source is None
    assert any("expands to too many values" in problem for problem in problems), problems


def test_shared_anchors_within_limits_are_fine(tmp_path: Path) -> None:
    source, problems = _load(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert problems == [] and source is not None and source.data == {"a": [1, 2], "b": [1, 2]}
