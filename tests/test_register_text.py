"""An editors' rule `notices check` enforces: what a register holds is named by its id, not typed.

Expected positions are found by searching the YAML text here, not copied from the program's output.
"""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURE, notices

from generator.build import build_in_memory
from generator.checks.register_text import RULE

PEH = "content/notices/prevention-and-early-help.yaml"
CSC = "content/notices/children-social-care.yaml"
MAIN = "content/notices/main.yaml"


def edit(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    (root / path).write_text(text.replace(old, new), "utf-8")


def where(root: Path, path: str, typed: str) -> tuple[int, int]:
    """Line and column of the first `typed` in the file."""
    text = (root / path).read_text("utf-8")
    offset = text.index(typed)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def found(root: Path) -> list[tuple[str, int, int, str, str]]:
    result = build_in_memory(root)
    assert not result.diagnostics.errors, [d.text() for d in result.diagnostics.errors]
    return sorted((d.path, d.line, d.column, d.message, d.hint) for d in result.diagnostics.warnings
                  if d.rule == RULE)


def test_the_fixture_notices_type_no_register_text() -> None:
    """They name Acts and bases by id, and the organisations they name in prose they also list."""
    assert found(FIXTURE) == []


def test_a_typed_act_title_is_a_warning_at_the_title_with_its_register_id(project: Path) -> None:
    # Across a line break, in other letter case, twice: each is reported where it is typed.
    edit(project, PEH, "why: |\n", "why: |\n  Under the Children\n  Act 1989 (and the children act 1989),\n")
    edit(project, MAIN, "This notice explains how", "Under the Care Act 2014, this notice explains how")
    run = notices(project, "check")
    assert run.code == 0, run.stderr
    first, second = where(project, PEH, "Children\n  Act 1989"), where(project, PEH, "children act 1989")
    hint = ("write [](law:children-act-1989) in its place (the page shows the register's title, linked to"
            " legislation.gov.uk), and list children-act-1989 under `legislation: acts:` if it is law the"
            " notice works under")
    for (line, column), typed in ((first, "Children Act 1989"), (second, "children act 1989")):
        assert (f"{PEH}:{line}:{column}: warning: '{typed}' is typed here: the title of an Act belongs to the"
                f" legislation register [{RULE}] ({hint})") in run.stderr.splitlines()
    line, column = where(project, MAIN, "Care Act 2014")
    assert f"{MAIN}:{line}:{column}: warning: 'Care Act 2014' is typed here" in run.stderr
    assert ("write [](law:care-act-2014) in its place (the page shows the register's title, linked to"
            " legislation.gov.uk), and list care-act-2014 under `legislation: acts:` of the service notices"
            " that rely on it)") in run.stderr
    assert notices(project, "check", "--strict").code == 1


def test_typed_statutory_wording_is_a_warning_naming_the_basis_to_cite(project: Path) -> None:
    typed = ("processing is necessary for compliance with a legal obligation to which the controller is"
             " subject")
    edit(project, CSC, "why: |\n", f"why: |\n  We do this because {typed}.\n")
    (hit,) = found(project)
    line, _ = where(project, CSC, typed)
    assert hit[:2] == (CSC, line)
    assert "the statutory wording of Article 6(1)(c) belongs to the lawful-bases register" in hit[3]
    assert hit[4].startswith("write it only through its register id, art6-1-c: list it under"
                             " `lawful_basis: article_6:`")


def test_an_organisation_named_but_not_listed_is_a_warning_until_it_is_listed(project: Path) -> None:
    edit(project, CSC, "security: |\n", "security: |\n  We may tell Incommunities Limited and the Police.\n")
    line, column = where(project, CSC, "Incommunities Limited")
    message = ("'Incommunities Limited' is named here, but the notice does not list Incommunities Limited, so"
               f" the sharing page, notice.json and processing.csv leave it out [{RULE}]")
    hint = ("write it through its register id, incommunities: add it under `sharing: recipients:`,"
            " `sources:` or `used_by: organisations:`, whichever it is")
    assert found(project) == [(CSC, line, column, message, hint)]
    listed = "    - department-for-education\n"
    edit(project, CSC, listed, listed + "    - incommunities\n")
    assert found(project) == []


def test_the_main_notice_names_organisations_freely_and_history_is_left_as_written(project: Path) -> None:
    """The main notice lists no organisations, so it may name any; a change entry records what was done."""
    edit(project, MAIN, "This notice explains how", "With Incommunities Limited, this notice explains how")
    edit(project, PEH, "  - summary: First published", "  - summary: Named the Children Act 1989.\n"
         "    date: 2026-11-22\n  - summary: First published")
    assert found(project) == []
