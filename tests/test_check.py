"""The compliance check: the fixture notices' legal gaps (those of the Trust's notices as first shipped)
are found, and filling a gap clears it.

Expected lines are found by searching the YAML text here, not copied from the program's output.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import notices

from generator.build import build_in_memory
from generator.checks.compliance import ComplianceReport, check_site
from generator.content.resolve import resolve_references
from generator.content.validate import validate_content
from generator.diagnostics import Diagnostics

CSC = "content/notices/children-social-care.yaml"
PEH = "content/notices/prevention-and-early-help.yaml"
MAIN = "content/notices/main.yaml"
CSC_SLUG, PEH_SLUG, MAIN_SLUG = "childrens-social-care", "prevention-and-early-help", "privacy-notice"
ARTICLE_6 = "  article_6: [art6-1-a, art6-1-b, art6-1-c, art6-1-d]\n"
ARTICLE_9 = ("  article_9: [art9-2-a, art9-2-b, art9-2-c, art9-2-d, art9-2-e, art9-2-f, art9-2-g, art9-2-h,"
             " art9-2-j]\n")


def line_of(root: Path, path: str, start: str) -> int:
    """The number of the first line of `path` that starts with `start` (indentation included)."""
    for number, line in enumerate((root / path).read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(start):
            return number
    raise AssertionError(f"{start!r} is not in {path}")


def edit(root: Path, path: str, old: str, new: str) -> None:
    text = (root / path).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    (root / path).write_text(text.replace(old, new), encoding="utf-8")


def check(root: Path) -> tuple[list[tuple[str, int, int, str]], ComplianceReport]:
    """Findings as (path, line, column, rule), and the table; the content must have no errors."""
    result = build_in_memory(root)
    assert not result.diagnostics.errors, [d.text() for d in result.diagnostics.errors]
    assert result.compliance is not None
    found = [(d.path, d.line, d.column, d.rule) for d in result.diagnostics.warnings if d.rule]
    return found, result.compliance


def rules_in(found: list[tuple[str, int, int, str]], path: str) -> Counter[str]:
    return Counter(rule for p, _, _, rule in found if p == path)


def status(report: ComplianceReport, slug: str, requirement: str) -> str:
    notice = next(n for n in report.notices if n.slug == slug)
    return notice.outcomes[requirement].status.value


def test_the_fixture_notices_report_exactly_their_legal_gaps(project: Path) -> None:
    found, _ = check(project)
    at = lambda path, start: line_of(project, path, start)  # noqa: E731
    csc_intro = at(CSC, '  intro: "Legal obligation or public task')
    peh_intro = at(PEH, '  intro: "Legal obligation or public task')
    expected = Counter({
        # seeds item 6: "legal obligation or public task", but no Article 6(1)(e)
        (CSC, csc_intro, "public-task-basis"): 1,
        (PEH, peh_intro, "public-task-basis"): 1,
        # item 7: Children's Social Care collects special category data, names no Article 9(2) condition
        (CSC, at(CSC, "lawful_basis:"), "article-9-condition"): 1,
        # item 8: no retention period (reported where the block belongs: before `rights:`)
        (CSC, at(CSC, "rights:"), "retention"): 1,
        # item 9: criminal offence data from the Police with no Article 10 condition (and CSC's "offending")
        (PEH, at(PEH, "lawful_basis:"), "article-10-condition"): 1,
        (CSC, at(CSC, "lawful_basis:"), "article-10-condition"): 1,
        # item 10: Article 9(2)(b), (h), (j) need a Part 1 condition and (g) a Part 2 condition
        (PEH, at(PEH, ARTICLE_9.rstrip()), "schedule-1-condition"): 2,
        # the register's wording of 9(2)(d), (e), (f), (g), (h), (j) is not verified
        (PEH, at(PEH, ARTICLE_9.rstrip()), "verified-wording"): 6,
        # others the rules find: transfers and automated decisions told as prose, not answered; one
        # list of lawful bases for every purpose (the ICO asks for each purpose's); silent conditional items
        (CSC, at(CSC, "transfers:"), "transfers"): 1,
        (PEH, at(PEH, "transfers:"), "transfers"): 1,
        (CSC, at(CSC, "automated_decisions:"), "automated-decisions"): 1,
        (PEH, at(PEH, "automated_decisions:"), "automated-decisions"): 1,
        (CSC, at(CSC, ARTICLE_6.rstrip()), "purpose-bases"): 1,
        (PEH, at(PEH, ARTICLE_6.rstrip()), "purpose-bases"): 1,
        (CSC, at(CSC, "why:"), "statutory-requirement"): 1,
        (PEH, at(PEH, "why:"), "statutory-requirement"): 1,
        (CSC, at(CSC, "information_collected:"), "sources"): 1,
        # 2026 law (issue 18): no controller contact apart from the DPO's; no complaint form (s.164A(2));
        # consent listed beside legal obligation; Art 9(2)(d) and (e) listed by a public service
        (MAIN, at(MAIN, "sections:"), "controller-contact"): 1,
        (MAIN, at(MAIN, "  - id: complaints") + 2, "complaint-controller"): 1,
        (CSC, at(CSC, ARTICLE_6.rstrip()), "blanket-consent"): 1,
        (PEH, at(PEH, ARTICLE_6.rstrip()), "blanket-consent"): 1,
        (PEH, at(PEH, ARTICLE_9.rstrip()), "article-9-public-body"): 2,
        # law no longer in force, listed as law the notice works under (register `status`)
        (PEH, at(PEH, "    - education-act-1944"), "law-in-force"): 1,
        (PEH, at(PEH, "    - local-safeguarding-children-boards-regulations-2006"), "law-in-force"): 1,
        (CSC, at(CSC, "    - local-safeguarding-children-boards-regulations-2006"), "law-in-force"): 1,
    })
    assert Counter((p, line, rule) for p, line, _, rule in found) == expected


def test_findings_point_at_the_list_item_concerned(project: Path) -> None:
    found, _ = check(project)
    column = {name: ARTICLE_9.index(name) + 1 for name in ("art9-2-b", "art9-2-d", "art9-2-g", "art9-2-j")}
    unverified = sorted(c for p, _, c, rule in found if p == PEH and rule == "verified-wording")
    assert unverified[0] == column["art9-2-d"] and unverified[-1] == column["art9-2-j"]
    schedule_1 = sorted(c for p, _, c, rule in found if rule == "schedule-1-condition")
    assert schedule_1 == [column["art9-2-b"], column["art9-2-g"]]  # first Part 1 basis, the Part 2 basis


@pytest.mark.parametrize(("path", "old", "new", "rule"), [
    pytest.param(CSC, ARTICLE_6, ARTICLE_6.replace("]", ", art6-1-e]"), "public-task-basis", id="item-6"),
    pytest.param(CSC, ARTICLE_6, ARTICLE_6 + "  article_9: [art9-2-a]\n", "article-9-condition", id="item-7"),
    pytest.param(CSC, "\nrights:\n", "\nretention:\n  - title: All our services\n    period: Until the child"
                 " is 25.\n\nrights:\n", "retention", id="item-8"),
    pytest.param(PEH, ARTICLE_9, ARTICLE_9 + "  criminal_offence: [art10, dpa-sch1-para10]\n"
                 "  policy_document: https://www.bradfordcft.org.uk/policy/\n", "article-10-condition",
                 id="item-9"),
    pytest.param(PEH, ARTICLE_9, ARTICLE_9 + "  schedule_1: [dpa-sch1-para2, dpa-sch1-para18]\n"
                 "  policy_document: https://www.bradfordcft.org.uk/policy/\n", "schedule-1-condition",
                 id="item-10"),
    pytest.param(PEH, "transfers:\n  text: For liaison with courts or when a child is placed abroad.\n",
                 "transfers:\n  destinations:\n    - to: Courts outside the UK\n"
                 "      mechanism: article-49-derogation\n      derogation: e\n", "transfers",
                 id="transfers"),
    # `transfers: none` and `solely_automated: false` clear theirs in tests/test_docs.py (the guide's example)
    pytest.param(PEH, "\nwhy: |", "\nstatutory_requirement: You do not have to give us this information.\n"
                 "\nwhy: |", "statutory-requirement", id="statutory-requirement"),
    pytest.param(CSC, "\nused_by:", "\nnot_applicable:\n  sources: All of it comes from you.\n\nused_by:",
                 "sources", id="sources-not-applicable"),
])
def test_filling_a_gap_clears_its_finding(project: Path, path: str, old: str, new: str, rule: str) -> None:
    before, _ = check(project)
    assert rules_in(before, path)[rule] >= 1
    edit(project, path, old, new)
    after, _ = check(project)
    assert rules_in(after, path)[rule] == 0
    added = set(Counter((p, r) for p, _, _, r in after) - Counter((p, r) for p, _, _, r in before))
    added = {rule for _, rule in added}
    assert added <= {"verified-wording"}  # filling a gap opens none, but art10's wording is unverified


def test_a_not_applicable_item_shows_its_reason(project: Path) -> None:
    edit(project, CSC, "\nused_by:", "\nnot_applicable:\n  transfers: We send nothing abroad.\n\nused_by:")
    _, report = check(project)
    outcome = next(n for n in report.notices if n.slug == CSC_SLUG).outcomes["transfers"]
    assert (outcome.status.value, outcome.detail) == ("not applicable", "We send nothing abroad.")


def test_a_condition_needing_a_policy_document_needs_a_link(project: Path) -> None:
    site = project / "content/site.yaml"  # without the site's own document (test_policy_document.py)
    site.write_text(site.read_text("utf-8").split("\n# Test content for the appropriate")[0] + "\n", "utf-8")
    edit(project, PEH, ARTICLE_9, ARTICLE_9 + "  criminal_offence: [art10, dpa-sch1-para18]\n")
    found, _ = check(project)
    where = line_of(project, PEH, "  criminal_offence:")
    assert (PEH, where, "policy-document") in {(p, line, rule) for p, line, _, rule in found}
    assert rules_in(found, PEH)["article-10-condition"] == 0
    edit(project, PEH, "dpa-sch1-para18]\n", "dpa-sch1-para18]\n  policy_document: https://www.bradfordcft.org.uk/apd/\n")
    found, report = check(project)
    assert rules_in(found, PEH)["policy-document"] == 0
    assert status(report, PEH_SLUG, "policy-document") == "met"


def test_verifying_a_register_entry_clears_its_finding_on_every_notice(project: Path) -> None:
    registers = project / "content/definitions/lawful-bases.yaml"
    text = registers.read_text(encoding="utf-8")
    start = text.index("- id: art9-2-d")
    registers.write_text(text[:start] + text[start:].replace("verified: false", "verified: true", 1),
                         encoding="utf-8")
    found, _ = check(project)
    columns = [c for p, _, c, rule in found if p == PEH and rule == "verified-wording"]
    assert len(columns) == 5 and ARTICLE_9.index("art9-2-d") + 1 not in columns


def test_service_notices_inherit_from_the_main_notice_they_link_to(project: Path) -> None:
    _, report = check(project)
    assert status(report, CSC_SLUG, "complaint-ico") == "met"  # it has its own complaint paragraph
    assert status(report, PEH_SLUG, "complaint-ico") == "inherited"
    assert status(report, PEH_SLUG, "rights") == "inherited"
    assert status(report, PEH_SLUG, "withdraw-consent") == "inherited"  # it relies on Article 6(1)(a)
    assert status(report, PEH_SLUG, "right-to-object") == "not applicable"  # no 6(1)(e) or (f)
    for link in ("](notice:privacy-notice)", "](notice:privacy-notice#your-rights)"):
        edit(project, PEH, link, "](#rights)")
    found, report = check(project)
    assert status(report, PEH_SLUG, "complaint-ico") == "missing"
    assert status(report, PEH_SLUG, "withdraw-consent") == "missing"
    assert rules_in(found, PEH)["complaint-ico"] == 1


def test_a_link_to_the_main_notice_anywhere_in_a_notice_counts(project: Path) -> None:
    for link in ("](notice:privacy-notice)", "](notice:privacy-notice#your-rights)"):
        edit(project, PEH, link, "](#rights)")
    edit(project, PEH, "security: |\n", "security: |\n  See also [our main notice](notice:privacy-notice).\n")
    _, report = check(project)
    assert status(report, PEH_SLUG, "complaint-ico") == "inherited"
    edit(project, PEH, "[our main notice](notice:privacy-notice)", "our main notice (notice: privacy-notice)")
    _, report = check(project)
    assert status(report, PEH_SLUG, "complaint-ico") == "missing"


def test_findings_name_files_from_the_project_root_however_it_is_reached(project: Path,
                                                                          tmp_path: Path) -> None:
    (tmp_path / "linked").symlink_to(project, target_is_directory=True)
    for root in (project, tmp_path / "linked", Path(os.path.relpath(tmp_path / "linked"))):
        found, report = check(root)
        assert {path for path, _, _, _ in found} == {CSC, PEH, MAIN}
        assert {notice.path for notice in report.notices} == {CSC, PEH, MAIN}


def test_findings_in_content_kept_elsewhere_name_the_file_as_given(project: Path, tmp_path: Path) -> None:
    """A content folder that links outside the project has no path from its root: the whole path is shown."""
    (project / "content").rename(tmp_path / "content")
    (project / "content").symlink_to(tmp_path / "content", target_is_directory=True)
    found, report = check(project)
    assert {path for path, _, _, _ in found} == {(project / p).as_posix() for p in (CSC, PEH, MAIN)}
    assert (project / MAIN).as_posix() in {notice.path for notice in report.notices}


def test_rights_must_match_the_lawful_bases(project: Path) -> None:
    edit(project, PEH, ARTICLE_6, ARTICLE_6.replace("]", ", art6-1-e]"))
    _, report = check(project)
    assert status(report, PEH_SLUG, "right-to-object") == "inherited"
    main = (project / MAIN).read_text(encoding="utf-8")
    main = re.sub(r"    - right: object\n(      .*\n)+", "", main)
    main = re.sub(r"    - right: withdraw-consent\n(      .*\n)+", "", main)
    (project / MAIN).write_text(main, encoding="utf-8")
    found, report = check(project)
    items = line_of(project, MAIN, "  items:")
    main_findings = Counter((line, rule) for p, line, _, rule in found
                            if p == MAIN and rule in ("right-to-object", "withdraw-consent"))
    # object: only the notice relying on 6(1)(e); consent: both service notices rely on 6(1)(a)
    assert main_findings == Counter({(items, "right-to-object"): 1, (items, "withdraw-consent"): 2})
    assert status(report, MAIN_SLUG, "withdraw-consent") == "missing"


def test_legitimate_interests_must_be_described_and_a_public_authority_is_warned(project: Path) -> None:
    edit(project, PEH, ARTICLE_6, ARTICLE_6.replace("]", ", art6-1-f]"))
    found, _ = check(project)
    where = line_of(project, PEH, ARTICLE_6.rstrip().replace("]", ", art6-1-f]"))
    hits = {(line, rule) for p, line, _, rule in found if p == PEH}
    assert {(where, "legitimate-interests"), (where, "public-authority-restriction")} <= hits
    edit(project, PEH, "  outro: |",
         "  legitimate_interests: Telling families about local groups.\n  outro: |")
    found, report = check(project)
    assert rules_in(found, PEH)["legitimate-interests"] == 0
    assert rules_in(found, PEH)["public-authority-restriction"] == 1
    assert status(report, PEH_SLUG, "legitimate-interests") == "met"
    edit(project, PEH, "\nused_by:", "\nnot_applicable:\n  public-authority-restriction: Not one of our"
         " tasks.\n\nused_by:")
    found, _ = check(project)
    assert rules_in(found, PEH)["public-authority-restriction"] == 0


def test_complaint_to_the_controller_is_required_from_19_june_2026(project: Path) -> None:
    edit(project, MAIN, "Officer](#contact-us))", "Officer](#copy-of-your-records))")

    def report_on(day: datetime.date) -> ComplianceReport:
        diagnostics = Diagnostics(project)
        content = validate_content(project, diagnostics)
        assert content is not None
        return check_site(resolve_references(content), content, diagnostics, today=day)

    after = report_on(datetime.date(2026, 6, 19))
    assert status(after, MAIN_SLUG, "complaint-controller") == "missing"
    assert status(after, PEH_SLUG, "complaint-controller") == "missing"
    assert status(after, CSC_SLUG, "complaint-controller") == "met"  # "if you have a complaint", with the DPO
    before = report_on(datetime.date(2026, 6, 18))
    assert status(before, PEH_SLUG, "complaint-controller") == "not applicable"


# --- the command line ------------------------------------------------------------------------


def test_check_prints_warnings_then_the_table_and_strict_fails(project: Path) -> None:
    run = notices(project, "check")
    assert run.code == 0, run.stderr
    retention = line_of(project, CSC, "rights:")
    assert re.search(rf"^{CSC}:{retention}:1: warning: .*\[retention\]", run.stderr, re.M)
    rows = {line.split("  ")[0]: re.split(r"\s{2,}", line)[1:] for line in run.stdout.splitlines()}
    assert rows["Requirement"] == [MAIN_SLUG, CSC_SLUG, PEH_SLUG]
    assert rows["Retention"] == ["not applicable", "missing", "met"]
    assert rows["Complaint to the ICO"] == ["met", "met", "inherited"]
    assert "No problems found" not in run.stdout
    assert notices(project, "check", "--strict").code == 1


def test_build_prints_the_warnings_and_strict_refuses_to_publish(project: Path) -> None:
    run = notices(project, "build", "--strict")
    assert run.code == 1
    assert "[article-9-condition]" in run.stderr
    assert not (project / "site").exists()
    run = notices(project, "build")
    assert run.code == 0 and "[article-9-condition]" in run.stderr
    assert (project / "site/index.html").exists()


def test_json_and_github_formats(project: Path) -> None:
    plain = json.loads(notices(project, "check", "--format", "json").stdout)
    assert set(plain) == {"diagnostics", "compliance"} and plain["compliance"] is None
    assert {"path", "line", "column", "rule"} <= set(plain["diagnostics"][0])
    combined = json.loads(notices(project, "check", "--format", "json", "--compliance").stdout)
    assert combined["diagnostics"] == plain["diagnostics"]
    table = {n["slug"]: n["results"] for n in combined["compliance"]["notices"]}
    assert table[CSC_SLUG]["retention"]["status"] == "missing"
    assert table[PEH_SLUG]["retention"]["status"] == "met"
    requirement = next(r for r in combined["compliance"]["requirements"] if r["id"] == "retention")
    assert "13(2)(a)" in requirement["law"]
    github = notices(project, "check", "--format", "github").stderr
    assert re.search(rf"^::warning file={CSC},line=\d+,col=\d+::.*\[retention\]", github, re.M)


def test_html_report_for_staff(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    assert notices(project, "check", "--html", str(out)).code == 0
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.find("table")
    assert table.caption is not None
    columns = [th.get_text() for th in table.select("thead th[scope=col]")]
    assert columns[1:] == ["Privacy notice", "Children’s Social Care", "Prevention and Early Help"]
    row = next(tr for tr in table.select("tbody tr") if tr.th.get_text().startswith("Retention"))
    assert [td.select_one(".status").get_text() for td in row.find_all("td")] == [
        "Not applicable", "Missing", "Met"]
    assert "no retention period" in soup.get_text()
    assert notices(project, "check", "--html", str(out)).code == 0  # its own report: replaced


def test_html_report_never_overwrites_another_page(project: Path, tmp_path: Path) -> None:
    page = tmp_path / "site" / "index.html"
    page.parent.mkdir()
    page.write_text("<p>the published home page</p>", encoding="utf-8")
    run = notices(project, "check", "--html", str(page.parent))
    assert run.code == 2 and "refusing" in run.stderr
    assert page.read_text(encoding="utf-8") == "<p>the published home page</p>"
