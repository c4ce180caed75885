"""The rules of 2026 law for a public authority (issue 18): each one on content that breaks it and on
content that meets it. Expected lines and columns are found by searching the YAML text here.

Most tests run the check without rendering (validate, resolve, check), which is all the rules read.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from bs4 import BeautifulSoup
from test_check import (
    ARTICLE_6,
    ARTICLE_9,
    CSC,
    CSC_SLUG,
    MAIN,
    MAIN_SLUG,
    PEH,
    PEH_SLUG,
    edit,
    line_of,
    status,
)

from generator.build import build_in_memory
from generator.checks.compliance import ComplianceReport, check_site
from generator.content.resolve import resolve_references
from generator.content.validate import validate_content
from generator.diagnostics import Diagnostic, Diagnostics

SITE = "content/site.yaml"
AFTER_DUTY = datetime.date(2026, 12, 2)


def run(root: Path, today: datetime.date = AFTER_DUTY) -> tuple[list[Diagnostic], ComplianceReport]:
    """The warnings with a rule id, and the table; the content must have no errors."""
    diagnostics = Diagnostics(root)
    content = validate_content(root, diagnostics)
    assert content is not None and not diagnostics.errors, [d.text() for d in diagnostics.errors]
    report = check_site(resolve_references(content), content, diagnostics, today=today)
    return [d for d in diagnostics.warnings if d.rule], report


def of(found: list[Diagnostic], rule: str, path: str | None = None) -> list[Diagnostic]:
    return [d for d in found if d.rule == rule and (path is None or d.path == path)]


def test_a_public_authority_cannot_rely_on_ea_or_f_for_its_tasks(project: Path) -> None:
    bases = "  article_6: [art6-1-c, art6-1-e, art6-1-ea]\n"
    edit(project, PEH, ARTICLE_6, bases)
    found, report = run(project)
    [restricted] = of(found, "public-authority-restriction")
    assert (restricted.path, restricted.line, restricted.column) == (
        PEH, line_of(project, PEH, bases.rstrip()), bases.index("art6-1-ea") + 1)
    assert "shall not" not in restricted.message and "last subparagraph" in restricted.message
    assert "6(1)(ea)" in restricted.message
    # Article 13(1)(d) speaks of point (f): for (ea) the notice names its Annex 1 condition instead
    [interests] = of(found, "legitimate-interests")
    assert "13(1)(d)" not in interests.message and "Annex 1" in interests.message
    assert status(report, PEH_SLUG, "public-authority-restriction") == "missing"
    assert status(report, CSC_SLUG, "public-authority-restriction") == "not applicable"  # (a)-(d) only
    edit(project, PEH, "\nused_by:", "\nnot_applicable:\n  public-authority-restriction: Not one of our"
         " tasks.\n\nused_by:")
    found, report = run(project)
    assert of(found, "public-authority-restriction") == []
    assert status(report, PEH_SLUG, "public-authority-restriction") == "not applicable"


def test_unfitting_article_9_conditions_and_blanket_consent_are_reported_and_cleared(project: Path) -> None:
    found, report = run(project)
    peh_9 = line_of(project, PEH, ARTICLE_9.rstrip())
    unfit = of(found, "article-9-public-body")
    assert [(d.path, d.line, d.column) for d in unfit] == [
        (PEH, peh_9, ARTICLE_9.index("art9-2-d") + 1), (PEH, peh_9, ARTICLE_9.index("art9-2-e") + 1)]
    assert "not-for-profit" in unfit[0].message and "UK GDPR Article 9(2)(d)" in unfit[0].message
    assert "manifestly made public" in unfit[1].message and "UK GDPR Article 9(2)(e)" in unfit[1].message
    consent = of(found, "blanket-consent")
    assert sorted((d.path, d.line, d.column) for d in consent) == [
        (CSC, line_of(project, CSC, ARTICLE_6.rstrip()), ARTICLE_6.index("art6-1-a") + 1),
        (PEH, line_of(project, PEH, ARTICLE_6.rstrip()), ARTICLE_6.index("art6-1-a") + 1)]
    assert "real choice" in consent[0].message and "Article 6(1)(c)" in consent[0].message
    # met: the conditions a public service can rely on; consent alone, or limited to what relies on it
    edit(project, PEH, ARTICLE_9, ARTICLE_9.replace(" art9-2-d, art9-2-e,", ""))
    edit(project, CSC, ARTICLE_6, "  article_6: [art6-1-a]\n")
    edit(project, PEH, "\nused_by:", "\nnot_applicable:\n  blanket-consent: Only the photos for our"
         " newsletter.\n\nused_by:")
    found, report = run(project)
    assert of(found, "article-9-public-body") == [] and of(found, "blanket-consent") == []
    assert status(report, PEH_SLUG, "article-9-public-body") == "not applicable"
    assert status(report, CSC_SLUG, "blanket-consent") == "met"
    notice = next(n for n in report.notices if n.slug == PEH_SLUG)
    assert "photos for our newsletter" in notice.outcomes["blanket-consent"].detail


TRUST_CONTACTS = """
  - id: information-governance
    name: Corporate Information Governance Team
    organisation: bradford-children-and-families-trust
    address: [Corporate Information Governance Team, 1 Example Street, Bradford, BD1 1AA]

  - id: complaint-form
    name: Our complaint form
    organisation: bradford-children-and-families-trust
    url: https://www.example.org/complaint-form
"""


def _trust_contacts(project: Path, controller_contact: str = "information-governance") -> None:
    edit(project, SITE, "regulator: ico\n", f"regulator: ico\ncontroller_contact: {controller_contact}\n"
         "complaint_form: complaint-form\n")
    edit(project, SITE, "\ncontacts:\n", "\ncontacts:" + TRUST_CONTACTS)
    edit(project, MAIN, "    contacts: [data-protection-officer]\n",
         "    contacts: [data-protection-officer, information-governance]\n")
    edit(project, MAIN, "    contacts: [ico]\n", "    contacts: [complaint-form, ico]\n")


def test_the_controllers_own_contact_and_the_means_to_complain_meet_s164a(project: Path) -> None:
    found, report = run(project)  # the fixture: the DPO's contact only, no complaint form
    [contact] = of(found, "controller-contact")
    assert contact.path == MAIN and "13(1)(a)" in contact.message and "13(1)(b)" in contact.message
    [form] = of(found, "complaint-controller")
    assert form.line == line_of(project, MAIN, "  - id: complaints") + 2  # the section's body
    assert "s.164A(2)" in form.message
    assert status(report, PEH_SLUG, "controller-contact") == "missing"  # site-wide, reported once
    _trust_contacts(project)
    found, report = run(project)
    assert of(found, "controller-contact") == [] and of(found, "complaint-controller") == []
    for rule in ("controller", "controller-contact", "complaint-controller"):
        assert status(report, MAIN_SLUG, rule) == "met", rule
    assert status(report, PEH_SLUG, "controller-contact") == "inherited"


def test_the_dpo_is_not_the_controllers_contact_and_the_30_day_acknowledgement_is_said(project: Path) -> None:
    _trust_contacts(project, controller_contact="data-protection-officer")
    edit(project, MAIN, "received your complaint within 30 days.", "received your complaint.")
    found, report = run(project)
    [contact] = of(found, "controller-contact")
    assert "is the data protection officer's contact" in contact.message
    [acknowledge] = of(found, "complaint-controller")
    assert "30 days" in acknowledge.message and "s.164A(3)" in acknowledge.message
    # before the duty started, the means to complain were not asked for
    _, before = run(project, today=datetime.date(2026, 6, 18))
    assert status(before, MAIN_SLUG, "complaint-controller") == "met"


def test_a_fact_to_confirm_is_reported_and_never_given_as_well(project: Path) -> None:
    edit(project, SITE, "regulator: ico\n", "regulator: ico\nto_confirm: [controller_contact, complaint_form,"
         " joint_controllers]\n")
    found, report = run(project)
    assert "still to confirm" in of(found, "controller-contact")[0].message
    assert "still to confirm" in of(found, "complaint-controller")[0].message
    assert "still to confirm" in of(found, "joint-controllers")[0].message
    assert status(report, MAIN_SLUG, "joint-controllers") == "missing"
    _trust_contacts(project)  # given, while still listed as to confirm: an error
    diagnostics = Diagnostics(project)
    assert validate_content(project, diagnostics) is None or diagnostics.errors
    [error] = diagnostics.errors
    assert error.path == SITE and "controller_contact" in error.message and "to_confirm" in error.message


JOINT = "joint_controllers:\n  - organisation: bradford-council\n"
ARRANGEMENT = ("    arrangement: The Trust answers every request and complaint about these records for both"
               " of us.\n")


def test_joint_controllers_complaint_form_and_controller_contact_are_published(project: Path) -> None:
    edit(project, SITE, "regulator: ico\n", "regulator: ico\n" + JOINT)
    result = build_in_memory(project)
    [gap] = [d for d in result.diagnostics.warnings if d.rule == "joint-controllers"]
    assert gap.path == MAIN and "Article 26(2)" in gap.message
    page = result.files["privacy-notice/index.html"].decode("utf-8")
    assert "joint-controllers" not in page  # no arrangement yet: the page names no joint controller
    assert "controller_contact" not in json.loads(result.files["privacy-notice/notice.json"])
    edit(project, SITE, JOINT, JOINT + ARRANGEMENT)
    _trust_contacts(project)
    result = build_in_memory(project)
    assert not result.diagnostics.errors, [d.text() for d in result.diagnostics.errors]
    assert not [d for d in result.diagnostics.warnings if d.rule == "joint-controllers"]
    assert result.compliance is not None
    assert status(result.compliance, MAIN_SLUG, "joint-controllers") == "met"
    assert status(result.compliance, PEH_SLUG, "joint-controllers") == "inherited"  # links to the main notice
    page = result.files["privacy-notice/index.html"].decode("utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.select_one('.contents-list a[href="#joint-controllers"]') is not None
    section = soup.select_one('section[aria-labelledby="joint-controllers-heading"]')
    assert section is not None and section.h2 is not None and section.h2["id"] == "joint-controllers-heading"
    assert section.select_one("#joint-controllers") is not None  # the contents list's link opens the body
    rows = section.select("dl.summary-list > div.summary-list-row")
    assert [(r.dt.get_text(), r.dd.get_text(" ", strip=True)) for r in rows] == [  # type: ignore[union-attr]
        ("City of Bradford Metropolitan District Council",
         "The Trust answers every request and complaint about these records for both of us.")]
    assert "Our complaint form" in page and "https://www.example.org/complaint-form" in page
    exported = json.loads(result.files["prevention-and-early-help/notice.json"])
    assert exported["controller_contact"]["name"] == "Corporate Information Governance Team"


def test_official_authority_alone_meets_article_10_and_counts_as_a_public_task_ground(project: Path) -> None:
    edit(project, PEH, "  outro: |",
         "  official_authority: Under the Children Act 1989, section 47.\n  outro: |")
    edit(project, CSC, '  intro: "Legal obligation or public task', '  intro: "Legal obligation or official'
         ' authority')
    found, report = run(project)
    assert status(report, PEH_SLUG, "article-10-condition") == "met"
    assert of(found, "article-10-condition", PEH) == []
    [ground] = of(found, "public-task-basis", CSC)
    assert "'official authority'" in ground.message and "Article 6(1)(e)" in ground.message
