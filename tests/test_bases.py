"""Each purpose names its lawful basis, each Article 9 or 10 condition its Schedule 1 paragraph; transfers
and automated decisions are answers the check reads, not prose.

One copy of the fixture project, edited here so that 'Prevention and Early Help' names a basis per
purpose and answers the two questions, is built once for the module (in memory). Expected lines are
found in the YAML text here, and expected words come from the statute and the brief, not the program.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project

from generator.build import BuildResult, build_in_memory

PEH = "content/notices/prevention-and-early-help.yaml"
SLUG = "prevention-and-early-help"
PURPOSES = """\
    - id: access-support
      text: help families to access relevant support and advice services and groups
      article_6: [art6-1-e]
      article_9:
        - condition: art9-2-h
          schedule_1: [dpa-sch1-para2]
    - id: monitor-progress
      text: monitor progress made
      article_6: [art6-1-e]
      article_9:
        - {condition: art9-2-g, schedule_1: [dpa-sch1-para18]}
      article_10:
        - {condition: art10, schedule_1: [dpa-sch1-para18]}
    - id: integrated-working
      text: enable integrated working with other teams and organisations
      article_6: [art6-1-e]
      article_9:
        - {condition: art9-2-h, schedule_1: [dpa-sch1-para6]}
    - id: research-and-planning
      text: improve health, care and services through research and planning
      article_6: [art6-1-e]
      article_9: [art9-2-a]
    - id: improve-policies
      text: evaluate and improve our policies
"""
TRANSFERS = """\
transfers:
  destinations:
    - to: Courts in Ireland
      why: To take part in court proceedings there.
      mechanism: adequacy-regulations
    - to: A placement in Spain
      mechanism: article-46-safeguards
      safeguards: the International Data Transfer Agreement
    - to: A court in the United States
      mechanism: article-49-derogation
      derogation: e
    - to: A placement not yet known
"""
AUTOMATED = """\
automated_decisions:
  solely_automated: true
  logic: A computer scores each referral from the answers on the form.
  significance: A high score means a social worker visits within a day.
  safeguards: [information, human-intervention]
"""
PARA_18 = "protecting an individual from neglect or physical, mental or emotional harm"
"""Words of DPA 2018 Schedule 1 paragraph 18(1)(a)(i) (law reference section 3.4)."""


def _replace_block(text: str, key: str, new: str) -> str:
    """`text` with the top-level block `key:` (up to the next top-level key) replaced by `new`."""
    start = text.index(f"\n{key}:") + 1
    end = re.compile(r"^\S", re.M).search(text, text.index("\n", start) + 1)
    assert end is not None
    return text[:start] + new + "\n" + text[end.start():]


def with_purpose_bases(root: Path) -> None:
    """Edit the project's 'Prevention and Early Help' to name each purpose's bases and answer the
    transfers and automated-decisions questions (the browser tests visit it too)."""
    path = root / PEH
    text = path.read_text("utf-8")
    items = text.index("  items:\n", text.index("\npurposes:")) + len("  items:\n")
    text = text[:items] + PURPOSES + "\n" + text[text.index("\nwhy:") + 1:]
    text = re.sub(r"  article_6: \[[^\]]*\]\n  special_category_intro", "  special_category_intro", text)
    text = re.sub(r"^  article_9: \[[^\]]*\]\n", "", text, count=1, flags=re.M)
    text = _replace_block(_replace_block(text, "transfers", TRANSFERS), "automated_decisions", AUTOMATED)
    path.write_text(text, "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    root = copy_project(tmp_path_factory.mktemp("bases"))
    with_purpose_bases(root)
    result = build_in_memory(root)
    assert not result.diagnostics.errors, [d.text() for d in result.diagnostics.errors]
    return root, result


def line_of(root: Path, start: str) -> int:
    for number, line in enumerate((root / PEH).read_text("utf-8").splitlines(), 1):
        if line.startswith(start):
            return number
    raise AssertionError(start)


def findings(result: BuildResult, rule: str) -> list[tuple[int, str]]:
    return [(d.line, d.text()) for d in result.diagnostics.warnings if d.rule == rule and d.path == PEH]


def page(result: BuildResult) -> BeautifulSoup:
    return BeautifulSoup(result.files[f"{SLUG}/index.html"], "html.parser")


def test_the_page_shows_each_purpose_with_its_basis_in_a_table(built: tuple[Path, BuildResult]) -> None:
    table = page(built[1]).select_one("#lawful-basis ~ table.purpose-bases, table.purpose-bases")
    assert table is not None and table.caption is not None
    assert [th["scope"] for th in table.select("thead th")] == ["col", "col"]
    assert all(tr.th["scope"] == "row" for tr in table.select("tbody tr"))
    rows = {tr.th.get_text(): [" ".join(li.get_text().split()) for li in tr.td.find_all("li")] or
            [tr.td.get_text(strip=True)] for tr in table.select("tbody tr")}
    assert rows["help families to access relevant support and advice services and groups"] == [
        "Lawful basis: Article 6(1)(e): Public task",
        "For special category data: Article 9(2)(h): Health or social care (with a basis in law), with Data"
        " Protection Act 2018, Schedule 1, paragraph 2: Health or social care purposes"]
    assert rows["monitor progress made"][2].startswith("For criminal offence data: Article 10: ")
    assert rows["evaluate and improve our policies"] == ["Not yet stated for this purpose"]


def test_each_provision_s_wording_is_on_the_page_once_in_details(built: tuple[Path, BuildResult]) -> None:
    html = page(built[1])
    section = html.find(id="lawful-basis").parent
    # paragraph 18 is named for special category data and for criminal offence data: its wording once
    assert str(section).count(PARA_18) == 1
    provisions = section.find_all("details")
    ids = [d["id"] for d in provisions]
    assert len(ids) == len(set(ids)) and "law-dpa-sch1-para18" in ids and "law-art10" in ids
    assert all(d.summary and d.blockquote for d in provisions)
    targets = {a["href"][1:] for a in section.select('a[href^="#law-"]')}
    assert targets and targets <= set(ids)  # every name in the table leads to its wording


def test_a_purpose_without_a_basis_is_named_when_others_have_one(built: tuple[Path, BuildResult]) -> None:
    root, result = built
    found = findings(result, "purpose-bases")
    assert len(found) == 1
    line, text = found[0]
    assert line == line_of(root, "    - id: improve-policies")
    assert "'evaluate and improve our policies'" in text
    assert not findings(result, "lawful-basis")  # per-purpose bases are bases: no notice-level list needed


def test_a_schedule_1_paragraph_of_the_wrong_part_is_reported(built: tuple[Path, BuildResult]) -> None:
    root, result = built
    found = findings(result, "schedule-1-pairing")
    wrong = line_of(root, "        - {condition: art9-2-h, schedule_1: [dpa-sch1-para6")
    assert [line for line, _ in found] == [wrong]
    assert "paragraph 6 is in Part 2" in found[0][1]
    assert "Article 9(2)(h) needs a condition in Part 1" in found[0][1]
    assert "section 10(2)" in found[0][1]
    # register-wide rules find bases named only by purposes, and point at the purpose naming them
    unverified = [line for line, _ in findings(result, "verified-wording")]
    first, last = line_of(root, "    - id: access-support"), line_of(root, "    - id: improve-policies")
    assert unverified and all(first < line < last for line in unverified)


def test_transfers_are_read_destination_by_destination(built: tuple[Path, BuildResult]) -> None:
    root, result = built
    found = findings(result, "transfers")
    assert sorted(line for line, _ in found) == [line_of(root, "    - to: A placement in Spain"),
                                                  line_of(root, "    - to: A placement not yet known")]
    assert any("how to get a copy" in text for _, text in found)
    places = page(result).find(id="transfers").parent.select(".summary-list-row")
    rows = {row.dt.get_text(): " ".join(row.dd.get_text().split()) for row in places}
    assert "Article 45A" in rows["Courts in Ireland"]
    assert "legal claims" in rows["A court in the United States"] and "Article 49(1)(e)" in rows[
        "A court in the United States"]
    assert "International Data Transfer Agreement" in rows["A placement in Spain"]
    assert "does not yet say" in rows["A placement not yet known"]


def test_solely_automated_decisions_need_every_article_22c_safeguard(built: tuple[Path, BuildResult]) -> None:
    _, result = built
    found = findings(result, "automated-decisions")
    assert len(found) == 1 and "making representations" in found[0][1] and "contesting" in found[0][1]
    assert "Article 22C" in found[0][1]
    section = page(result).find(id="automated-decisions").parent
    assert "A high score means a social worker visits within a day." in section.get_text()
    assert len(section.select("ul li")) == 2  # the two safeguards offered, no more


def test_per_purpose_bases_reach_every_data_file(built: tuple[Path, BuildResult]) -> None:
    _, result = built
    data = json.loads(result.files[f"{SLUG}/notice.json"])
    first = data["purposes"]["items"][0]
    assert [b["id"] for b in first["article_6"]] == ["art6-1-e"]
    assert first["article_9"][0]["condition"]["id"] == "art9-2-h"
    assert first["article_9"][0]["schedule_1"][0]["wording"]  # the entry itself, not its id
    assert data["lawful_basis"]["article_6"] == []  # the notice's own list stays as written: empty
    graph = json.loads(page(result).find("script", type="application/ld+json").string)
    purposes = {p["dct:description"]: p for p in graph["dpv:hasPurpose"]}
    labels = [b["rdfs:label"] for b in purposes["monitor progress made"]["dpv:hasLegalBasis"]]
    para_18 = "Data Protection Act 2018, Schedule 1, paragraph 18: Safeguarding of children and of"
    assert Counter(labels)[para_18 + " individuals at risk"] == 1 and len(labels) == 4
    assert "dpv:hasLegalBasis" not in purposes["evaluate and improve our policies"]
    rows = list(csv.DictReader(io.StringIO(result.files["processing.csv"].decode("utf-8"))))
    cell = next(r for r in rows if r["notice"] == SLUG)["purpose_bases"]
    assert "monitor progress made: Article 6(1)(e) (Public task), Article 9(2)(g)" in cell
    assert "evaluate and improve our policies" not in cell


def test_contradictory_answers_are_errors_at_their_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    path = root / PEH
    text = _replace_block(path.read_text("utf-8"), "transfers", "transfers:\n  none: true\n  destinations:\n"
                          "    - to: Courts in Ireland\n      derogation: e\n")
    path.write_text(text, "utf-8")
    errors = [d.text() for d in build_in_memory(root).diagnostics.errors]
    assert len(errors) == 1 and errors[0].startswith(f"{PEH}:{line_of(root, '    - to: Courts in Ireland')}:")
    assert "add `mechanism: article-49-derogation`" in errors[0]
    path.write_text(text.replace("      derogation: e\n", ""), "utf-8")
    errors = [d.text() for d in build_in_memory(root).diagnostics.errors]
    assert len(errors) == 1 and errors[0].startswith(f"{PEH}:{line_of(root, '  none: true')}:")
    assert "`none: true` says nothing goes outside the UK" in errors[0]
