"""The appropriate policy document (DPA 2018 Schedule 1 Part 4): the page made from the notices and
site.yaml's `policy_document:`, the notices' links to it, and what `notices check` says it lacks.

The fixture notices rely on no condition that needs the document, so each test edits a copy:
`with_conditions` makes Prevention and Early Help rely on paragraph 2 (needs none), paragraph 18
(needs one, with Article 9(2)(g)) and paragraph 10 (needs one, with Article 10), as a notice would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project
from test_bases import with_purpose_bases

from generator.build import BuildResult, build_in_memory
from generator.checks.report import render_report

PEH, CSC = "content/notices/prevention-and-early-help.yaml", "content/notices/children-social-care.yaml"
SITE = "content/site.yaml"
PAGE = "appropriate-policy-document/index.html"
ARTICLE_9 = "art9-2-h, art9-2-j]\n"
CONDITIONS = "  schedule_1: [dpa-sch1-para2, dpa-sch1-para18]\n  criminal_offence: [art10, dpa-sch1-para10]\n"


def edit(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    (root / path).write_text(text.replace(old, new), "utf-8")


def with_conditions(root: Path) -> Path:
    edit(root, PEH, ARTICLE_9, ARTICLE_9 + CONDITIONS)
    return root


def built(root: Path) -> BuildResult:
    result = build_in_memory(root)
    assert not result.diagnostics.errors, [d.text() for d in result.diagnostics.errors]
    return result


def soup(result: BuildResult, path: str) -> BeautifulSoup:
    return BeautifulSoup(result.files[path].decode("utf-8"), "html.parser")


def conditions_table(page: BeautifulSoup) -> dict[str, tuple[list[str], list[str]]]:
    """Each row of the conditions table: the condition's id, what it is used with, and its notices."""
    table = page.find("caption", string="Schedule 1 conditions that need this document").parent
    rows = {}
    for row in table.tbody.find_all("tr"):
        rows[row.th["id"]] = ([li.get_text() for li in row.th.find_all("li")],
                              [a["href"] for a in row.td.find_all("a")])
    return rows


def findings(result: BuildResult, path: str, rule: str) -> list[tuple[int, str]]:
    return sorted((d.line, d.message) for d in result.diagnostics.warnings
                  if d.path == path and d.rule == rule)


@pytest.fixture(scope="module")
def relying(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The fixture with Prevention and Early Help relying on paragraphs 2, 18 and 10, built once."""
    return built(with_conditions(copy_project(tmp_path_factory.mktemp("policy"))))


def test_the_page_lists_exactly_the_conditions_relied_on_that_need_it(relying: BuildResult) -> None:
    rows = conditions_table(soup(relying, PAGE))
    # paragraph 2 needs no document (Part 1, paragraph 2 says nothing of one); the order is the register's
    assert list(rows) == ["dpa-sch1-para10", "dpa-sch1-para18"]
    assert rows["dpa-sch1-para10"] == (["Article 10: Criminal offence data"],
                                       ["../prevention-and-early-help/#lawful-basis"])
    assert rows["dpa-sch1-para18"] == (
        ["Article 9(2)(g): Reasons of substantial public interest (with a basis in law)"],
        ["../prevention-and-early-help/#lawful-basis"])


def test_the_page_says_what_data_and_how_long_from_the_notice(relying: BuildResult) -> None:
    page = soup(relying, PAGE)
    data = page.find("caption", string="Special category and criminal offence data, by notice").parent
    assert [li.get_text() for li in data.tbody.find_all("li")] == [
        "Ethnicity", "Special Educational Needs and Disability", "medical information",
        "details of any criminal offences", "details of victims of youth crime"]
    kept = page.find("caption", string="How long we are likely to keep this information, by condition").parent
    rows = kept.tbody.find_all("tr")
    assert [row.th.get_text() for row in rows] == [
        "Data Protection Act 2018, Schedule 1, paragraph 10: Preventing or detecting unlawful acts",
        "Data Protection Act 2018, Schedule 1, paragraph 18: Safeguarding of children and of individuals at"
        " risk"]
    # the criminal offence data comes from the police, a source tied to no tier: every period applies
    assert [li.get_text() for li in rows[0].find_all("li")] == [
        "Universal Services: Your information is retained securely for six years following service use",
        "Early Help Services: Your information is retained securely for the date of birth of the pupil + 25"
        " years."]


def test_the_page_carries_the_trusts_procedures_and_the_review_facts(relying: BuildResult) -> None:
    page = soup(relying, PAGE)
    principles = [h3.get_text() for h3 in page.find(id="principles").find_next_siblings("h3")][:7]
    assert principles == [
        "Lawfulness, fairness and transparency (Article 5(1)(a))", "Purpose limitation (Article 5(1)(b))",
        "Data minimisation (Article 5(1)(c))", "Accuracy (Article 5(1)(d))",
        "Storage limitation (Article 5(1)(e))", "Integrity and confidentiality (security) (Article 5(1)(f))",
        "Accountability (Article 5(2))"]
    assert page.find(id="principle-accuracy").find_next_sibling("p").get_text() == (
        "We check records with families and correct them when they are wrong.")
    text = page.get_text(" ", strip=True)
    assert "Records are destroyed securely at the end of their retention period." in text
    assert "Next review 21 November 2099" in text
    assert "free of charge" in text and "six months after we stop" in text  # paragraph 40


def test_notices_relying_on_a_condition_link_to_it_and_others_do_not(relying: BuildResult) -> None:
    def links(slug: str) -> list[str]:
        return [a["href"] for a in soup(relying, f"{slug}/index.html").find_all("a")
                if a.get_text() == "appropriate policy document"]
    assert links("prevention-and-early-help") == ["../appropriate-policy-document/"]
    assert links("childrens-social-care") == []
    data = json.loads(relying.files["prevention-and-early-help/notice.json"])
    assert data["lawful_basis"]["policy_document"].endswith("/appropriate-policy-document/")
    assert "appropriate-policy-document/</loc>" in relying.files["sitemap.xml"].decode()
    assert soup(relying, "index.html").find("a", href="appropriate-policy-document/") is not None


def test_a_complete_document_draws_no_finding(relying: BuildResult) -> None:
    assert findings(relying, SITE, "policy-document-content") == []
    assert findings(relying, SITE, "to-do") == []
    assert findings(relying, PEH, "policy-document") == []
    # paragraph 10(2): no document needed for disclosure to a competent authority; staff are told
    assert any("paragraph 10 is met without the appropriate policy document" in n for n in relying.notes)


def test_a_notice_adding_a_condition_appears_on_the_page(tmp_path: Path) -> None:
    root = with_conditions(copy_project(tmp_path / "project"))
    edit(root, CSC, "  article_6: [art6-1-a, art6-1-b, art6-1-c, art6-1-d]\n",
         "  article_6: [art6-1-a, art6-1-b, art6-1-c, art6-1-d]\n  article_9: [art9-2-b]\n"
         "  schedule_1: [dpa-sch1-para1]\n")
    # and the register stops saying whether paragraph 2 (which Prevention and Early Help names) needs one
    registers = "content/definitions/lawful-bases.yaml"
    text = (root / registers).read_text("utf-8")
    start = text.index("- id: dpa-sch1-para2\n")
    silenced = text[start:].replace("    needs_policy_document: false\n", "", 1)
    (root / registers).write_text(text[:start] + silenced, "utf-8")
    result = built(root)
    rows = conditions_table(soup(result, PAGE))
    assert list(rows) == ["dpa-sch1-para1", "dpa-sch1-para10", "dpa-sch1-para18"]
    assert rows["dpa-sch1-para1"][1] == ["../childrens-social-care/#lawful-basis"]
    assert rows["dpa-sch1-para1"][0][0].startswith("Article 9(2)(b)")
    # Children's Social Care gives no retention period: the document has no indication for it
    assert [line for line, _ in findings(result, CSC, "policy-document")] == [67]
    silent = findings(result, PEH, "policy-document")  # at the `schedule_1:` line naming paragraph 2
    assert len(silent) == 1 and silent[0][0] == 95 and "does not say whether" in silent[0][1]
    assert "paragraph 2 " in silent[0][1]


def test_a_notice_naming_its_own_document_links_there_and_leaves_the_page(tmp_path: Path) -> None:
    root = with_conditions(copy_project(tmp_path / "project"))
    edit(root, PEH, CONDITIONS, CONDITIONS + "  policy_document: https://www.example.org/apd/\n")
    result = built(root)
    links = [a["href"] for a in soup(result, "prevention-and-early-help/index.html").find_all("a")
             if a.get_text() == "appropriate policy document"]
    assert links == ["https://www.example.org/apd/"]
    assert soup(result, PAGE).find("caption", string="Schedule 1 conditions that need this document") is None


def test_a_lacking_document_is_reported_at_its_lines(tmp_path: Path) -> None:
    root = with_conditions(copy_project(tmp_path / "project"))
    text = (root / SITE).read_text("utf-8")
    for line in ("  responsible: data-protection-officer\n", "  last_reviewed: 2026-11-21\n",
                 "    accuracy: We check records with families and correct them when they are wrong.\n",
                 "  retention_and_erasure: Records are destroyed securely at the end of their retention"
                 " period.\n"):
        assert line in text
        text = text.replace(line, "")
    text = text.replace("  next_review: 2099-11-21\n", "  next_review: 2026-01-31\n")
    text = text.replace("We record only what", "TO DO say what")
    (root / SITE).write_text(text, "utf-8")
    result = built(root)
    lines = (root / SITE).read_text("utf-8").splitlines()
    start = lines.index("policy_document:") + 1  # the line number of the key
    found = findings(result, SITE, "policy-document-content")
    messages = " / ".join(message for _, message in found)
    assert len(found) == 5, messages
    assert "'Accuracy' (UK GDPR Article 5(1)(d))" in messages and "paragraph 39(a)" in messages
    assert "retaining and erasing" in messages and "paragraph 39(b)" in messages
    assert "names no one responsible" in messages and "last reviewed" in messages
    assert "due for review on 2026-01-31" in messages
    overdue = next(line for line, message in found if "due for review" in message)
    assert lines[overdue - 1] == "  next_review: 2026-01-31"
    assert {line for line, message in found if "principle" in message} == {lines.index("  principles:") + 1}
    assert {line for line, message in found if "principle" not in message and "due" not in message} == {start}
    to_do = findings(result, SITE, "to-do")
    assert [lines[line - 1].strip().split(":")[0] for line, _ in to_do] == ["data-minimisation"]
    assert result.compliance is not None and result.site is not None  # staff see it in the HTML report too
    report = render_report(result.compliance, result.site, result.diagnostics.items, root / "templates")
    assert "(content/site.yaml)" in report and "due for review on 2026-01-31" in report


def test_without_a_document_in_site_yaml_there_is_no_page_and_the_notice_is_told(tmp_path: Path) -> None:
    root = with_conditions(copy_project(tmp_path / "project"))
    (root / SITE).write_text((root / SITE).read_text("utf-8").split("\n# Test content for the appropriate")[0]
                             + "\n", "utf-8")
    result = built(root)
    assert PAGE not in result.files
    found = findings(result, PEH, "policy-document")
    assert len(found) == 1 and "site.yaml has no `policy_document:`" in found[0][1]




def test_a_condition_named_only_by_a_purpose_is_reported_where_the_purpose_names_it(tmp_path: Path) -> None:
    """Per-purpose bases (issue 17): the notice's own lists hold no Schedule 1 paragraph, so the finding
    must point at the purpose that names paragraph 18, not at a line of `lawful_basis:`."""
    root = copy_project(tmp_path / "project")
    with_purpose_bases(root)
    (root / SITE).write_text((root / SITE).read_text("utf-8").split("\n# Test content for the appropriate")[0]
                             + "\n", "utf-8")
    lines = (root / PEH).read_text("utf-8").splitlines()
    para_18 = next(n for n, line in enumerate(lines, 1) if "dpa-sch1-para18" in line)
    [(line, message)] = findings(built(root), PEH, "policy-document")
    assert line == para_18 and "site.yaml has no `policy_document:`" in message
