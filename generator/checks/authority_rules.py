"""The rules that apply because the controller is a public authority, and those read from site.yaml.

A public body cannot rely on some lawful bases for its tasks (UK GDPR Article 6(1), last subparagraph),
some Article 9(2) conditions cannot fit a public service, and consent is the wrong basis where people have
no real choice. Since 19 June 2026 a controller must take complaints first (DPA 2018 s.164A). The
controller's contact, the DPO's and any joint controller's arrangement are site-wide facts in site.yaml:
where one is missing, the check reports the gap on the main notice, which is where readers look for it.
"""

from __future__ import annotations

import re

from ..content.schema import MainNotice, MainSection
from .requirements import (
    COMPLAINTS_DUTY_STARTS,
    Finding,
    NoticeContext,
    Outcome,
    Status,
    articles,
    cites,
    met,
    missing,
    not_applicable,
    own_or_inherited,
    service_only,
)

NOT_FOR_A_PUBLIC_SERVICE = {
    "9(2)(d)": "is for a foundation, association or other not-for-profit body with a political,"
               " philosophical, religious or trade union aim, about its members or people in regular contact"
               " with it",
    "9(2)(e)": "covers only data the person has manifestly made public themselves",
}
"""Article 9(2) conditions whose own words cannot describe a public body's service to families."""

STATUTORY_DUTIES = ("6(1)(c)", "6(1)(e)")
ICO_CONSENT = "ICO, 'When is consent appropriate?': consent fits only where people have a real choice"


@service_only
def public_authority_basis(ctx: NoticeContext) -> Outcome:
    """A public authority relying on 6(1)(ea) or (f) for its tasks: the law says those points do not apply.

    UK GDPR Art 6(1), last subparagraph (DUAA 2025 s.70): "Points (ea) and (f) of the first subparagraph
    shall not apply to processing carried out by public authorities in the performance of their tasks".
    The register marks such a basis `public_authority_tasks: false`, so the rule reads the register."""
    relied = [(i, b) for i, b in enumerate(ctx.notice.article_6) if b.public_authority_tasks is False]
    if not relied:
        return not_applicable("relies on neither Article 6(1)(ea) nor 6(1)(f)")
    reason = ctx.not_applicable("public-authority-restriction")
    if reason:
        return not_applicable(reason)
    index, basis = relied[0]
    return missing("basis not available to a public authority", Finding(
        "public-authority-restriction",
        f"the notice relies on {articles([b for _, b in relied])}, which a public authority cannot use for"
        " processing in the performance of its tasks (UK GDPR Article 6(1), last subparagraph, as amended by"
        " DUAA 2025 s.70)",
        "use Article 6(1)(e) for the controller's tasks; if this processing is not one of them, say so in"
        " `not_applicable: {public-authority-restriction: reason}`", ("lawful_basis", "article_6", index)))


@service_only
def public_body_article_9(ctx: NoticeContext) -> Outcome:
    """Article 9(2)(d) and (e) listed for a public service: their conditions cannot be met by it."""
    unfit = [(i, b, point) for i, b in enumerate(ctx.notice.article_9)
             for point in NOT_FOR_A_PUBLIC_SERVICE if cites(b, point)]
    if not unfit:
        return not_applicable("lists neither Article 9(2)(d) nor 9(2)(e)") if ctx.notice.article_9 else \
            not_applicable("lists no Article 9(2) condition")
    return missing(f"{articles([b for _, b, _ in unfit])} listed", *(Finding(
        "article-9-public-body",
        f"the notice lists {basis.article}, which {NOT_FOR_A_PUBLIC_SERVICE[point]}"
        f" (UK GDPR Article {point}): a public body's service does not meet it",
        "take it out of `lawful_basis: article_9:`, and name the condition the service does rely on (for"
        " social care, usually Article 9(2)(g) or (h) with its DPA 2018 Schedule 1 condition)",
        ("lawful_basis", "article_9", index)) for index, basis, point in unfit))


@service_only
def blanket_consent(ctx: NoticeContext) -> Outcome:
    """Consent listed beside the statutory duties the service works under, with nothing saying what it
    covers: where the law makes us do it, people have no real choice, so consent is not the basis."""
    bases = ctx.notice.article_6
    consent = [i for i, b in enumerate(bases) if cites(b, "6(1)(a)")]
    duties = [b for b in bases if cites(b, *STATUTORY_DUTIES)]
    if not consent:
        return not_applicable("does not rely on consent")
    if not duties:
        return met("consent is the only basis listed")
    reason = ctx.not_applicable("blanket-consent")
    if reason:
        return Outcome(Status.MET, f"consent limited: {reason}")
    return missing("consent listed beside statutory duties", Finding(
        "blanket-consent",
        f"the notice lists consent (Article 6(1)(a)) beside {articles(duties)} for the whole service: where"
        " the law requires the processing, people have no real choice, so consent is not its basis (UK GDPR"
        " Article 6(1)(a); consent must be 'freely given', Article 4(1)(11); ICO: consent is appropriate only"
        " where people have a real choice)",
        "take consent out of `lawful_basis: article_6:`, or say which processing relies on it in"
        " `not_applicable: {blanket-consent: the only processing based on consent, e.g. photos for our"
        " newsletter}`", ("lawful_basis", "article_6", consent[0])))


def controller_contact(ctx: NoticeContext) -> Outcome:
    """The controller's own contact, named in site.yaml and distinct from the DPO's (Art 13(1)(a), (b))."""
    if not ctx.notice.is_main:
        return _inherit(ctx.main_outcome(controller_contact))
    chosen = ctx.site.config.controller_contact
    dpo = ctx.site.data_protection_officer
    if chosen == dpo.id:
        problem = f"site.yaml's `controller_contact` is the data protection officer's contact ({dpo.name})"
    elif chosen:
        return met(ctx.site.contacts[chosen].name)
    else:
        problem = f"site.yaml {_names_no(ctx, 'controller_contact')}: the notices give the data protection" \
                  " officer's contact only"
    return missing("not separate from the DPO", Finding(
        "controller-contact", f"{problem}; a notice must give the controller's own contact details (UK GDPR"
        " Article 13(1)(a), 14(1)(a)) as well as the DPO's (13(1)(b), 14(1)(b))",
        "add the controller's own contact to `contacts:` in site.yaml (only details the Trust has confirmed),"
        " name it in `controller_contact:`, and list it in a section of the main notice",
        ("sections",), key=True, in_main_notice=True))


def _names_no(ctx: NoticeContext, field: str) -> str:
    marked = field in ctx.site.config.to_confirm
    return f"marks `{field}` as still to confirm" if marked else f"names no `{field}`"


def _inherit(main: Outcome) -> Outcome:
    """A site-wide item: reported once, on the main notice; each service notice shows its status."""
    if main.status is Status.MET:
        return Outcome(Status.INHERITED, f"site-wide: {main.detail}")
    return Outcome(main.status, f"site-wide: {main.detail}")


def joint_controllers(ctx: NoticeContext) -> Outcome:
    """Each joint controller declared in site.yaml with the essence of the arrangement (Art 26(2)), which the
    main notice shows (components/joint-controllers.html)."""
    declared = ctx.site.config.joint_controllers
    if not declared and "joint_controllers" in ctx.site.config.to_confirm:
        if not ctx.notice.is_main:
            return _inherit(ctx.main_outcome(joint_controllers))
        return missing("to confirm", Finding(
            "joint-controllers", "site.yaml marks `joint_controllers` as still to confirm: whether another"
            " body decides with the controller why and how information is used; if so the notices must make"
            " the essence of the arrangement available (UK GDPR Article 26(1), 26(2))",
            "once the legal set-up is confirmed, declare each joint controller under `joint_controllers:`"
            " with its `arrangement:`, or confirm there is none, and take it off `to_confirm:`",
            ("sections",), key=True, in_main_notice=True))
    if not declared:
        return not_applicable("site.yaml declares no joint controller")
    if not ctx.notice.is_main:
        main = ctx.main_outcome(joint_controllers)
        if main.status is Status.MET and not ctx.links_to_main():
            return missing("not linked to the main notice", Finding(
                "joint-controllers", "the site has joint controllers, whose arrangement the main notice"
                " states, but this notice does not link to it (UK GDPR Article 26(2))",
                f"link to it, e.g. [main Privacy Notice](notice:{ctx.site.main_notice.slug})", ("rights",),
                key=True))
        return _inherit(main)
    names = {o.id: o.name for o in ctx.site.organisations}
    lacking = [names[j.organisation] for j in declared if not j.arrangement]
    if not lacking:
        return met(", ".join(names[j.organisation] for j in declared))
    return missing("arrangement not stated", Finding(
        "joint-controllers", f"site.yaml declares {', '.join(lacking)} as joint controller but gives no"
        " `arrangement:`: the essence of the arrangement must be made available to people (UK GDPR"
        " Article 26(2))", "write the essence of the arrangement under `joint_controllers:` in site.yaml,"
        " once it is confirmed (who answers requests and complaints, who gives the notices)", ("sections",),
        key=True, in_main_notice=True))


# --- DPA 2018 s.164A: complaints to the controller first -------------------------------------------

_THIRTY_DAYS = re.compile(r"\b(30|thirty) days\b", re.I)


def complaint_to_controller(ctx: NoticeContext) -> Outcome:
    """How to complain to the controller itself (s.164A(1)); on the main notice, the means to do it: a
    form that can be completed electronically and other means (164A(2)), and the 30-day acknowledgement
    (164A(3))."""
    outcome = _where_to_complain(ctx)
    if outcome.status is Status.MISSING and ctx.today < COMPLAINTS_DUTY_STARTS:
        return not_applicable("DPA 2018 s.164A is in force from 19 June 2026")
    section = _complaints_section(ctx) if ctx.notice.is_main else None
    if section is None or ctx.today < COMPLAINTS_DUTY_STARTS:
        return outcome
    return _means_to_complain(ctx, section, outcome)


def _where_to_complain(ctx: NoticeContext) -> Outcome:
    """Whether the notice says how to complain to the controller with a contact of its (or inherits it)."""
    section = _complaints_section(ctx) if ctx.notice.is_main else None
    own = f"in '{section.heading}'" if section is not None else None
    if not ctx.notice.is_main:
        said = ctx.service.rights.text + (ctx.service.rights.complaint or "")
        if "complain" in said.lower() and any(c.id in _complaint_contacts(ctx) for c in ctx.notice.contacts):
            own = "in 'What are your rights?'"
    return own_or_inherited(ctx, "complaint-controller", own, _where_to_complain,
                            f"how to complain to {ctx.site.controller.name} itself (DPA 2018 s.164A)",
                            ("sections",) if ctx.notice.is_main else ("rights",))


def _complaint_contacts(ctx: NoticeContext) -> list[str]:
    """Complaints may go to the controller's own contact or to its data protection officer."""
    return ctx.controller_contacts() + [ctx.site.data_protection_officer.id]


def _complaints_section(ctx: NoticeContext) -> MainSection | None:
    """The main notice's section about complaining that gives, or links to, a contact of the controller's."""
    assert isinstance(ctx.notice.content, MainNotice)
    ids = _complaint_contacts(ctx)
    reachable = {sid for sid, contacts in ctx.notice.section_contacts.items()
                 if any(c.id in ids for c in contacts)}
    for section in ctx.notice.content.sections:
        links = set(re.findall(r"\(#([a-z0-9-]+)\)", section.body))
        mentions = "complain" in (section.heading + section.body).lower()
        if mentions and (section.id in reachable or links & reachable):
            return section
    return None


def _means_to_complain(ctx: NoticeContext, section: MainSection, outcome: Outcome) -> Outcome:
    assert isinstance(ctx.notice.content, MainNotice)
    index = [s.id for s in ctx.notice.content.sections].index(section.id)
    where = ("sections", index, "body")
    form_id = ctx.site.config.complaint_form
    form = ctx.site.contacts.get(form_id) if form_id else None
    shown = ctx.notice.section_contacts.get(section.id, ())
    findings = []
    if form is None or not form.url:
        findings.append(Finding(
            "complaint-controller", f"site.yaml {_names_no(ctx, 'complaint_form')}: the Trust's complaint"
            " form that can be completed electronically (a contact whose `url` is the form) (DPA 2018"
            " s.164A(2))",
            "add the Trust's complaint form as a contact with its `url` in site.yaml once it is confirmed,"
            f" name it in `complaint_form:`, and list it under `contacts:` of '{section.heading}'", where))
    elif form not in shown:
        findings.append(Finding(
            "complaint-controller", f"'{section.heading}' does not show the complaint form ({form.name})"
            " (DPA 2018 s.164A(2))", f"add `{form.id}` to the section's `contacts:`", where))
    reachable = [c for sid, cs in ctx.notice.section_contacts.items() for c in cs
                 if sid == section.id or f"(#{sid})" in section.body]
    if not any(c.address or c.phone for c in reachable if c.organisation == ctx.site.controller.id):
        findings.append(Finding(
            "complaint-controller", f"'{section.heading}' gives no way to complain other than online (a"
            " postal address or phone number of the Trust's) (DPA 2018 s.164A(2): 'electronically and by"
            " other means')",
            "list a contact with an address or phone number in the section, or link to the section that does",
            where))
    if not _THIRTY_DAYS.search(section.body):
        findings.append(Finding(
            "complaint-controller", f"'{section.heading}' does not say that the Trust acknowledges a"
            " complaint within 30 days (DPA 2018 s.164A(3))",
            "say, e.g., 'We will tell you we have received your complaint within 30 days'", where))
    if not findings:
        return outcome
    return missing(f"{len(findings)} of the means to complain not given", *findings)
