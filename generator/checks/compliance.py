"""Stage 4, check: every notice against what the law says a notice must contain.

The Article 13/14 checklist rules live in `rules.py`; the rules that read across the
registers (Article 9 and 10 conditions, DPA 2018 Schedule 1, verified wording) live here,
with the list of every requirement and the loop that runs them, which also runs the editors'
rules of `register_text.py` (register text typed into a notice) and `placeholders.py` (the
scaffold's "TO DO" left in). Findings are warnings:
the site still builds, and `--strict` turns them into a failure, so CI can refuse to
publish a notice with a gap.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from ..content.load import SourceFile
from ..content.resolve import Notice, Site
from ..content.validate import ValidContent
from ..diagnostics import Diagnostic, Diagnostics, shorten
from . import answers, authority_rules, bases, law_status, rules, subjects
from .placeholders import check_placeholders
from .policy_document import check_policy_document, policy_document
from .register_status import UnconfirmedEntry, acts_not_read, unconfirmed_entries
from .register_text import check_typed_text
from .requirements import (
    ICO_CHECKLIST,
    Finding,
    NoticeContext,
    Outcome,
    Requirement,
    Status,
    articles,
    cites,
    service_only,
)

_ICO_SPECIAL = "ICO, 'What are the rules on special category data?'"
_ICO_CRIMINAL = "ICO, 'What are the conditions for processing?' (criminal offence data)"
_BASIS_LISTS = ("article_6", "article_9", "schedule_1", "criminal_offence")


def _first(ctx: NoticeContext, flagged: list[tuple[tuple[str | int, ...], str]]) -> str:
    location, name = flagged[0]
    more = f" and {len(flagged) - 1} more" if len(flagged) > 1 else ""
    return f"line {ctx.line(location)}: '{shorten(name, 50)}'{more}"


@service_only
def article_9_condition(ctx: NoticeContext) -> Outcome:
    flagged = ctx.flagged["special_category"]
    if not flagged:
        return Outcome(Status.NOT_APPLICABLE, "no special category data")
    if ctx.notice.article_9:
        return Outcome(Status.MET, articles(list(ctx.notice.article_9)))
    return Outcome(Status.MISSING, "no Article 9(2) condition", (Finding(
        "article-9-condition", f"the notice collects special category data ({_first(ctx, flagged)}) but names"
        " no Article 9(2) condition (UK GDPR Article 9(1), 13(1)(c))",
        "add `article_9:` under `lawful_basis:` with the condition relied on", ("lawful_basis",), key=True),))


@service_only
def schedule_1_condition(ctx: NoticeContext) -> Outcome:
    findings = []
    for part, section in (("part-1", "10(2)"), ("part-2", "10(3)")):
        needing = [(i, b) for i, b in enumerate(bases.listed(ctx, "article_9")) if b.needs_schedule_1 == part]
        number = int(part[-1])
        if not needing or any(b.schedule_1_part == number for b in ctx.notice.schedule_1):
            continue
        options = [b.id for b in ctx.site.lawful_bases if b.schedule_1_part == number]
        findings.append(Finding(
            "schedule-1-condition", f"{articles([b for _, b in needing])}"
            f" {'needs' if len(needing) == 1 else 'need'} a condition in DPA 2018"
            f" Schedule 1 Part {number} (section {section}); the notice names none",
            f"add `schedule_1:` under `lawful_basis:`, e.g. one of: {', '.join(options)}"
            if options else f"add the Part {number} condition to the register, then to `schedule_1:`",
            ("lawful_basis", "article_9", needing[0][0])))
    if findings:
        return Outcome(Status.MISSING, "no Schedule 1 condition", tuple(findings))
    if any(b.needs_schedule_1 in ("part-1", "part-2") for b in bases.listed(ctx, "article_9")):
        return Outcome(Status.MET, articles(list(ctx.notice.schedule_1)))
    return Outcome(Status.NOT_APPLICABLE, "no Article 9 condition listed for the whole notice needs one")


@service_only
def article_10_condition(ctx: NoticeContext) -> Outcome:
    flagged = ctx.flagged["criminal_offence"]
    if not flagged:
        return Outcome(Status.NOT_APPLICABLE, "no criminal offence data")
    listed = ctx.notice.criminal_offence
    has_article_10 = any(b.kind == "article-10" for b in listed)
    condition = [b for b in listed if b.kind == "schedule-1"]
    authority = ctx.service.lawful_basis.official_authority
    if authority and not has_article_10:
        return Outcome(Status.MET, "under official authority")
    if has_article_10 and (condition or authority):
        also = " and official authority" if authority else ""
        return Outcome(Status.MET, articles(list(listed)) + also)
    lacking = ("DPA 2018 Schedule 1 condition or official authority for it" if has_article_10
               else "Article 10 basis with a DPA 2018 Schedule 1 condition or official authority")
    return Outcome(Status.MISSING, "no Article 10 condition", (Finding(
        "article-10-condition", f"the notice collects criminal offence data ({_first(ctx, flagged)}) but"
        f" names no {lacking} (UK GDPR Article 10; DPA 2018 section 10(5))",
        "add `criminal_offence: [<Article 10 id>, <Schedule 1 condition id>]` under `lawful_basis:`, or"
        " `official_authority:` saying under what authority", ("lawful_basis",), key=True),))


_NAMED_GROUNDS = {"public task": "6(1)(e)", "official authority": "6(1)(e)", "legal obligation": "6(1)(c)"}


@service_only
def public_task_basis(ctx: NoticeContext) -> Outcome:
    intro = ctx.service.legislation.intro
    named = list({point: (label, point) for label, point in _NAMED_GROUNDS.items()
                  if re.search(label, intro, re.I)}.values())
    if not named:
        return Outcome(Status.NOT_APPLICABLE, "the Acts are not presented as a ground")
    findings = []
    for label, point in named:
        if any(cites(b, point) for b in ctx.notice.article_6):
            continue
        ids = [b.id for b in ctx.site.lawful_bases if cites(b, point)]
        findings.append(Finding(
            "public-task-basis", f"the notice presents its Acts as the ground for '{label}' but does not list"
            f" Article {point} among its lawful bases (UK GDPR Article 6(3), 13(1)(c))",
            f"add {ids[0] if ids else 'Article ' + point} to `lawful_basis: article_6:`, or change this"
            " wording",
            ("legislation", "intro")))
    if findings:
        return Outcome(Status.MISSING, "basis named in prose but not listed", tuple(findings))
    return Outcome(Status.MET, ", ".join(f"Article {point}" for _, point in named))


@service_only
def verified_wording(ctx: NoticeContext) -> Outcome:
    findings = [
        Finding("verified-wording", f"the register's wording of {basis.article} is not verified, and this"
                " notice shows it", f"check it against {basis.source} and set `verified: true` in"
                " content/definitions/lawful-bases.yaml (see its verification_note)",
                bases.basis_location(ctx, name, i))
        for name in _BASIS_LISTS
        for i, basis in enumerate(getattr(ctx.notice, name))
        if not basis.verified
    ]
    if findings:
        return Outcome(Status.MISSING, f"{len(findings)} unverified", tuple(findings))
    return Outcome(Status.MET, "every basis shown is verified")


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("controller", "Controller identity and contact", "UK GDPR Art 13(1)(a), 14(1)(a)",
                f"{ICO_CHECKLIST}: 'The name and contact details of our organisation'",
                rules.controller),
    Requirement("data-protection-officer", "DPO contact", "UK GDPR Art 13(1)(b), 14(1)(b)",
                f"{ICO_CHECKLIST}: 'The contact details of our data protection officer'",
                rules.data_protection_officer),
    Requirement("purposes", "Purposes", "UK GDPR Art 13(1)(c), 14(1)(c)",
                f"{ICO_CHECKLIST}: 'The purposes of the processing'", rules.purposes),
    Requirement("lawful-basis", "Lawful basis", "UK GDPR Art 13(1)(c), 14(1)(c)",
                f"{ICO_CHECKLIST}: 'The lawful basis for the processing'", rules.lawful_basis),
    Requirement("purpose-bases", "Lawful basis for each purpose", "UK GDPR Art 13(1)(c), 14(1)(c)",
                bases.ICO_DRAFTING, bases.purpose_bases),
    Requirement("legitimate-interests", "Legitimate interests", "UK GDPR Art 13(1)(d), 14(2)(b), 6(5)",
                f"{ICO_CHECKLIST}: 'The legitimate interests for the processing (if applicable)'",
                rules.legitimate_interests),
    Requirement("data-subjects", "Data subjects", subjects.LAW, subjects.GUIDANCE, subjects.data_subjects),
    Requirement("sources", "Categories and sources", "UK GDPR Art 14(1)(d), 14(2)(f)",
                f"{ICO_CHECKLIST}: 'The categories of personal data obtained' and 'The source of the"
                " personal data'", rules.sources),
    Requirement("recipients", "Recipients", "UK GDPR Art 13(1)(e), 14(1)(e)",
                f"{ICO_CHECKLIST}: 'The recipients or categories of recipients'", rules.recipients),
    Requirement("transfers", "Transfers abroad", answers.TRANSFERS_LAW,
                f"{ICO_CHECKLIST}: 'The details of transfers ... to any third countries'",
                answers.transfers),
    Requirement("retention", "Retention", "UK GDPR Art 13(2)(a), 14(2)(a)",
                "ICO Accountability Framework, transparency: 'Include retention periods ... or ... the"
                " criteria used to determine the period'", rules.retention),
    Requirement("rights", "Rights", "UK GDPR Art 13(2)(b), 14(2)(c)",
                f"{ICO_CHECKLIST}: 'The rights available to individuals'", rules.rights),
    Requirement("right-to-object", "Right to object", "UK GDPR Art 21(1), 21(4)",
                "ICO Accountability Framework: privacy information about the rights available 'if you are"
                " relying on different lawful bases'", rules.right_to_object),
    Requirement("withdraw-consent", "Withdrawing consent", "UK GDPR Art 13(2)(c), 14(2)(d)",
                f"{ICO_CHECKLIST}: 'The right to withdraw consent (if applicable)'",
                rules.withdraw_consent),
    Requirement("complaint-ico", "Complaint to the ICO", "UK GDPR Art 13(2)(d), 14(2)(e)",
                f"{ICO_CHECKLIST}: 'The right to lodge a complaint with a supervisory authority'",
                rules.complaint_to_regulator),
    Requirement("complaint-controller", "Complaint to the controller", "DPA 2018 s.164A(1), 164A(2), 164A(3)",
                "In force from 19 June 2026 (DUAA 2025 s.103); ICO guidance on data protection complaints",
                authority_rules.complaint_to_controller),
    Requirement("statutory-requirement", "Statutory or contractual requirement", "UK GDPR Art 13(2)(e)",
                f"{ICO_CHECKLIST}: 'whether individuals are under a statutory or contractual"
                " obligation'",
                rules.statutory_requirement),
    Requirement("automated-decisions", "Automated decisions", answers.AUTOMATED_LAW,
                f"{ICO_CHECKLIST}: 'the existence of automated decision-making, including profiling'",
                answers.automated_decisions),
    Requirement("article-9-condition", "Article 9 condition", "UK GDPR Art 9(1), 9(2)", _ICO_SPECIAL,
                article_9_condition),
    Requirement("schedule-1-condition", "Schedule 1 condition",
                "DPA 2018 s.10(2), 10(3), Sch 1 Parts 1 and 2",
                f"{_ICO_SPECIAL}: 'you must meet one of the additional conditions in Schedule 1'",
                schedule_1_condition),
    Requirement("schedule-1-pairing", "Schedule 1 paragraph fits its condition",
                "DPA 2018 s.10(2), 10(3), 10(5), Sch 1 Parts 1 and 2, Sch 1 Part 3",
                f"{_ICO_SPECIAL}: 'you must meet one of the additional conditions in Schedule 1'",
                bases.schedule_1_pairing),
    Requirement("article-10-condition", "Article 10 condition", "UK GDPR Art 10; DPA 2018 s.10(5), 11(2)",
                _ICO_CRIMINAL, article_10_condition),
    Requirement("policy-document", "Appropriate policy document", "DPA 2018 Sch 1 paras 5, 38, 39(b)",
                "ICO, 'What is an appropriate policy document?'", policy_document),
    Requirement("public-task-basis", "Ground named in prose is listed", "UK GDPR Art 6(1)(c), 6(1)(e), 6(3)",
                f"{ICO_CHECKLIST}: 'The lawful basis for the processing'", public_task_basis),
    Requirement(law_status.RULE, "Law cited is in force", "UK GDPR Art 13(1)(c), 14(1)(c)",
                "content/definitions/legislation.yaml: entries whose status is not in-force",
                law_status.law_in_force),
    Requirement("verified-wording", "Register wording verified", "UK GDPR Art 13(1)(c), 14(1)(c)",
                "content/definitions/lawful-bases.yaml: entries with verified: false", verified_wording),
    Requirement("controller-contact", "Controller's own contact, not the DPO's",
                "UK GDPR Art 13(1)(a), 13(1)(b), 14(1)(a), 14(1)(b)",
                f"{ICO_CHECKLIST}: 'The name and contact details of our organisation' and, separately, 'The"
                " contact details of our data protection officer'", authority_rules.controller_contact),
    Requirement("public-authority-restriction", "Basis a public authority can use",
                "UK GDPR Art 6(1)(ea), 6(1)(f), 6(1) last subparagraph",
                "Amended by DUAA 2025 s.70: 'Points (ea) and (f) of the first subparagraph shall not apply to"
                " processing carried out by public authorities in the performance of their tasks'",
                authority_rules.public_authority_basis),
    Requirement("article-9-public-body", "Article 9 condition fits a public service",
                "UK GDPR Art 9(2)(d), 9(2)(e)", f"{_ICO_SPECIAL}; DPA 2018 Sch 1 paras 31, 32 mirror them",
                authority_rules.public_body_article_9),
    Requirement("blanket-consent", "Consent only where there is a real choice",
                "UK GDPR Art 4(1)(11), 6(1)(a)",
                authority_rules.ICO_CONSENT, authority_rules.blanket_consent),
    Requirement("joint-controllers", "Joint controllers' arrangement", "UK GDPR Art 26(1), 26(2)",
                "The essence of the arrangement shall be made available to the data subject (Art 26(2))",
                authority_rules.joint_controllers),
)


@dataclass(frozen=True)
class NoticeResult:
    slug: str
    title: str
    path: str
    outcomes: dict[str, Outcome]


@dataclass(frozen=True)
class ComplianceReport:
    """The table of notice x requirement, with the date it was checked against."""

    checked: datetime.date
    requirements: tuple[Requirement, ...]
    notices: tuple[NoticeResult, ...]
    unconfirmed: tuple[UnconfirmedEntry, ...] = ()
    """Register entries whose wording is not confirmed, whether or not a notice uses them (staff only)."""
    unread_acts: tuple[str, ...] = ()
    """Legislation entries with no read date (staff only)."""

    def count(self, status: Status) -> int:
        return sum(1 for n in self.notices for o in n.outcomes.values() if o.status is status)


def check_site(site: Site, content: ValidContent, diagnostics: Diagnostics,
               today: datetime.date | None = None) -> ComplianceReport:
    """Every rule on every notice of a whole site (the build runs `check_notice` with each notice);
    each gap is a warning at the line concerned."""
    today = today or datetime.date.today()
    main_source = content.sources[f"notice:{site.main_notice.slug}"]
    results = []
    for notice in site.notices:
        result, problems = check_notice(site, notice, content.sources[f"notice:{notice.slug}"], main_source,
                                        today, diagnostics.root)
        results.append(result)
        diagnostics.items += problems
    check_policy_document(site, content.sources["site"], today, diagnostics)
    return ComplianceReport(today, REQUIREMENTS, tuple(results), unconfirmed_entries(site),
                            acts_not_read(site))


def check_notice(
    site: Site, notice: Notice, source: SourceFile, main_source: SourceFile, today: datetime.date, root: Path
) -> tuple[NoticeResult, list[Diagnostic]]:
    """Every rule on one notice: its result, and a warning at the line concerned for each gap."""
    diagnostics = Diagnostics(root)
    context = NoticeContext(site, notice, source, today)
    outcomes: dict[str, Outcome] = {}
    for requirement in REQUIREMENTS:
        outcomes[requirement.id] = outcome = requirement.check(context)
        for finding in outcome.findings:
            file = main_source if finding.in_main_notice else source
            locate = file.key_position if finding.key else file.position
            diagnostics.warning(file.path, locate(finding.location), f"{finding.message} [{finding.rule}]",
                                finding.hint, rule=finding.rule)
    check_typed_text(site, notice, source, diagnostics)  # editors' rules, not the law's: no requirement
    check_placeholders(notice, source, diagnostics)
    result = NoticeResult(notice.slug, notice.title, diagnostics.relative(source.path), outcomes)
    return result, diagnostics.items
