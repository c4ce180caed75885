"""The mistakes a new editor makes, each told once, at the line to change, with the fix.

Each case makes one mistake in a copy of the project, as an editor would in their editor, and
runs `notices check`: exactly one error, at the line and column worked out here from the edited
text, saying what YAML made of the mistake and how to fix it; no second message (such as a
"missing key" for a key the editor did write) to send them looking in the wrong place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import notices

CSC = "content/notices/children-social-care.yaml"
PEH = "content/notices/prevention-and-early-help.yaml"
MAIN = "content/notices/main.yaml"

PURPOSES = """purposes:
  intro: "We use this personal data to:"
  items:
    - support these children and monitor their progress
    - provide them with pastoral care
    - assess the quality of our services
    - evaluate and improve our policies on children’s social care
    - help us work with you to provide an effective service
    - help us improve services through research and planning
"""
INDENTED_PURPOSES = "".join(f"  {line}" for line in PURPOSES.splitlines(keepends=True))


@dataclass(frozen=True)
class Mistake:
    name: str
    file: str
    old: str
    new: str
    at: str
    """Where the message must point, in the edited file: `^` marks the column (else its start)."""
    message: str
    """What the message must say; `{line}` is the line of `at`."""
    hint: str = ""


MISTAKES = [
    Mistake("id-indented-too-far", CSC, "    - bradford-council", "      - bradford-council",
            "      ^- bradford-council", "line {line} is indented more than the item above it, so YAML reads"
            " it as more of that item's text", "line up the dashes: start line {line} at column 5"),
    Mistake("basis-indented-too-far", CSC, "  article_6: [art6-1-a, art6-1-b, art6-1-c, art6-1-d]",
            "  article_6:\n    - art6-1-a\n      - art6-1-b\n    - art6-1-c", "      ^- art6-1-b",
            "line {line} is indented more than the item above it", "line up the dashes"),
    Mistake("text-item-indented-too-far", CSC, "    - provide them with pastoral care",
            "      - provide them with pastoral care", "      ^- provide them",
            "line {line} is indented more than the item above it", "line up the dashes"),
    Mistake("key-indented-into-a-block", CSC, "transfers:\n  text: For liaison",
            "  transfers:\n    text: For liaison", "  ^transfers:",
            "line {line} was read as part of the text above (the `|` block of 'automated_decisions' that"
            " starts at line 113), so 'transfers' is missing",
            "take 2 spaces off the start of `transfers:` and of the lines under it, to line it up with"
            " `automated_decisions:` at column 1"),
    Mistake("key-indented-under-a-key", CSC, PURPOSES, INDENTED_PURPOSES, "  ^purposes:", "'purposes' is"
            " indented under 'used_by', so YAML reads it as a key of 'used_by'",
            "take 2 spaces off the start of `purposes:` and of the lines under it, to line it up with"
            " `used_by:` at column 1"),
    Mistake("key-line-alone-indented", CSC, "\nused_by:\n", "\n  used_by:\n", "  ^used_by:",
            "'used_by' is indented under 'information_collected', so YAML reads it as a key of"
            " 'information_collected'", "take 2 spaces off the start of `used_by:`, to line it up with"
            " `information_collected:` at column 1"),
    Mistake("key-indented-less", CSC, "  tiers:\n", "tiers:\n", "^tiers:", "'tiers' is indented less than the"
            " other keys of 'information_collected', so YAML reads it as a key of the file",
            "add 2 spaces at the start of `tiers:` and of the lines under it, to line it up with `intro:` at"
            " column 3"),
    Mistake("quote-left-open", CSC, '  intro: "We use this personal data to:"',
            '  intro: "We use this personal data to:', 'intro: ^"We use this',
            'this is not valid YAML: the quote " that opens here is not closed on this line',
            'end the text with " on this line'),
    Mistake("quote-never-closed", CSC, "  intro: \"We use this personal data to:\"",
            "  intro: 'We use this personal data to:", "intro: ^'We use this",
            "this is not valid YAML: the quote ' that opens here is never closed", "end the text with '"),
    Mistake("bracket-left-open", CSC, "art6-1-c, art6-1-d]", "art6-1-c, art6-1-d", "art6-1-c, art6-1-d^\n",
            "this is not valid YAML: the list that opens with [ on line {line} is not closed",
            "add ] here, after its last item"),
    Mistake("colon-left-out", CSC, "slug: childrens-social-care", "slug childrens-social-care",
            "^slug childrens", "this is not valid YAML: line {line} has no colon after its key",
            "write `slug: …`, with a colon and a space after the key"),
    Mistake("colon-left-out-above-a-key", CSC, '  intro: "We use this personal data to:"',
            '  intro "We use this personal data to:"', '  ^intro "We use',
            "this is not valid YAML: line {line} has no colon after its key", "write `intro: …`"),
    Mistake("words-after-a-closing-quote", CSC, 'lawfulness apply:"', 'lawfulness apply:" below',
            'lawfulness apply:" ^below', "this is not valid YAML: there is text after the closing quote",
            "put all of the text inside the quotes"),
    Mistake("list-item-dedented", CSC, "    - provide them with pastoral care",
            "   - provide them with pastoral care",
            "   ^- provide them", "this is not valid YAML",
            "line {above} starts at column 5, this one at column 4"),
    Mistake("colon-in-a-text-item", CSC, "    - Safeguard vulnerable children and young people",
            "    - Safeguard: vulnerable children and young people", "    - ^Safeguard:",
            "this item has ': ' in it, so YAML reads it as `key: value`, not as text",
            'put the item in quotes: - "Safeguard: vulnerable children and young people"'),
    Mistake("colon-in-a-data-item", CSC, "        - adoptions (such as dates",
            "        - adoptions (such as: dates",
            "        - ^adoptions", "this item has ': ' in it",
            'put the item in quotes: - "adoptions (such as: dates of key court orders and decisions)"'),
    Mistake("misspelt-nested-key", CSC, "  recipients:", "  recipeints:", "  ^recipeints:",
            "unknown key 'recipeints'", "did you mean 'recipients'?"),
    Mistake("misspelt-top-level-key", MAIN, "title: Privacy notice", "titel: Privacy notice", "^titel:",
            "unknown key 'titel'", "did you mean 'title'?"),
    Mistake("broken-link-in-a-block", PEH, "(notice:privacy-notice), which", "(notice:privacy-notise), which",
            "(^notice:privacy-notise)", "the link 'notice:privacy-notise' leads nowhere",
            "did you mean 'notice:privacy-notice'?"),
    Mistake("broken-link-in-a-folded-block", PEH, "introduction: |\n  This notice adds to the Trust’s [main",
            "introduction: >\n  This notice adds to the\n  Trust’s [main", "(^notice:privacy-notise)",
            "the link 'notice:privacy-notise' leads nowhere"),
]


def _apply(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {file}"
    path.write_text(text.replace(old, new), "utf-8")


def _position(root: Path, file: str, at: str) -> tuple[int, int]:
    """Line and column of the `^` (or the start) of `at` in the edited file, worked out by hand."""
    text = (root / file).read_text("utf-8")
    anchor = at.replace("^", "")
    assert text.count(anchor) == 1, f"{anchor!r} should occur once in {file}"
    offset = text.index(anchor) + (at.index("^") if "^" in at else 0)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_one_message_at_the_mistake(mistake: Mistake, project: Path) -> None:
    _apply(project, mistake.file, mistake.old, mistake.new)
    if mistake.name == "broken-link-in-a-folded-block":
        _apply(project, PEH, "(notice:privacy-notice), which", "(notice:privacy-notise), which")
    line, column = _position(project, mistake.file, mistake.at)
    run = notices(project, "check")
    assert run.code == 1, run.stderr
    errors = [text for text in run.stderr.splitlines() if ": error: " in text]
    assert len(errors) == 1, f"one mistake, one message; got:\n{run.stderr}"
    expected = f"{mistake.file}:{line}:{column}: error: {mistake.message.format(line=line, above=line - 1)}"
    assert errors[0].startswith(expected), f"expected {expected}\n--- got:\n{errors[0]}"
    assert mistake.hint.format(line=line, above=line - 1) in errors[0][len(expected):], errors[0]
    assert "missing required key" not in run.stderr


def test_quoted_snippets_end_at_a_word(project: Path) -> None:
    """The compliance check quotes the item it means, cut at a word with an ellipsis, not mid-word."""
    run = notices(project, "check")
    assert "'characteristics (such as gender, ethnicity and…'" in run.stderr
    assert "and dis'" not in run.stderr


def test_shorten() -> None:
    from generator.diagnostics import shorten

    assert shorten("short text") == "short text"
    assert shorten("characteristics (such as gender, ethnicity and disability)", 50) == \
        "characteristics (such as gender, ethnicity and…"
    address = "https://example.org/" + "a" * 80
    assert shorten(address) == address[:59] + "…"  # no word to end at: cut where it is
    assert len(shorten("word " * 40)) <= 60
