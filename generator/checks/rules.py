"""What the law says a notice must contain: one rule per requirement, each citing its source.

Each rule reads one resolved notice (with its file, for positions) and answers with an
`Outcome`: met, inherited from the main notice, not applicable (with the reason) or
missing, plus the findings to report. The rules check that a notice *says* something;
whether the processing is lawful is for the data protection officer to judge.
"""

from __future__ import annotations

from typing import cast

from ..content.load import Location
from ..content.schema import MainNotice
from .bases import basis_location
from .requirements import (
    Finding,
    NoticeContext,
    Outcome,
    Rule,
    Status,
    articles,
    cites,
    met,
    missing,
    not_applicable,
    own_or_inherited,
    said_or_explained,
    service_only,
)


def _main_sections_with(ctx: NoticeContext, contact_ids: list[str]) -> list[str]:
    main = ctx.site.main_notice
    return [sid for sid, contacts in main.section_contacts.items()
            if any(c.id in contact_ids for c in contacts)]


def _heading(ctx: NoticeContext, section_id: str) -> str:
    assert isinstance(ctx.site.main_notice.content, MainNotice)
    return next(s.heading for s in ctx.site.main_notice.content.sections if s.id == section_id)


# --- Article 13(1) and 14(1) ---------------------------------------------------------------


def controller(ctx: NoticeContext) -> Outcome:
    ids = ctx.controller_contacts()
    if not ids:
        return missing("no contact of the controller's own (see controller-contact)")
    name = ctx.site.controller.name
    if ctx.notice.is_main:
        sections = _main_sections_with(ctx, ids)
        own = f"{name}, contact in '{_heading(ctx, sections[0])}'" if sections else None
        return own_or_inherited(ctx, "controller", own, controller, f"a way to contact {name}",
                                 ("sections",))
    own_contacts = [c.name for c in ctx.notice.contacts if c.id in ids]
    own = f"{name}, contact: {own_contacts[0]}" if own_contacts else None
    return own_or_inherited(ctx, "controller", own, controller, f"a way to contact {name} (the controller)",
                             ("rights",))


def data_protection_officer(ctx: NoticeContext) -> Outcome:
    dpo = ctx.site.data_protection_officer
    if ctx.notice.is_main:
        sections = _main_sections_with(ctx, [dpo.id])
        own = f"in '{_heading(ctx, sections[0])}'" if sections else None
        return own_or_inherited(ctx, "data-protection-officer", own, data_protection_officer,
                                 "the data protection officer's contact details", ("sections",))
    if dpo in ctx.notice.contacts:
        return met(f"names {dpo.name}")
    reason = ctx.not_applicable("data-protection-officer")
    outcome = own_or_inherited(ctx, "data-protection-officer", None, data_protection_officer,
                                "the data protection officer's contact details", ("rights",))
    return not_applicable(reason) if reason and outcome.status is Status.MISSING else outcome


@service_only
def purposes(ctx: NoticeContext) -> Outcome:
    items = ctx.service.purposes.items
    return met(f"{len(items)} purposes") if items else missing("missing", Finding(
        "purposes", "the notice lists no purposes", "", ("purposes",), key=True))


@service_only
def lawful_basis(ctx: NoticeContext) -> Outcome:
    bases = list(ctx.notice.article_6)
    return met(articles(bases)) if bases else missing("missing", Finding(
        "lawful-basis", "the notice names no Article 6 lawful basis", "", ("lawful_basis",), key=True))


@service_only
def legitimate_interests(ctx: NoticeContext) -> Outcome:
    """Article 13(1)(d) / 14(2)(b) ask for the interests where point (f) is relied on; for point (ea) the
    basis is the recognised legitimate interest (Annex 1 condition) it names, Article 13(1)(c) and 6(5).
    Whether a public authority may rely on either is the `public-authority-restriction` rule's question."""
    relied = [(i, b) for i, b in enumerate(ctx.notice.article_6) if cites(b, "6(1)(f)", "6(1)(ea)")]
    if not relied:
        return not_applicable("relies on neither Article 6(1)(f) nor 6(1)(ea)")
    if ctx.service.lawful_basis.legitimate_interests:
        return met("legitimate interests described")
    index, basis = relied[0]
    law = ("UK GDPR Article 13(1)(d), 14(2)(b)" if cites(basis, "6(1)(f)")
           else "UK GDPR Article 13(1)(c), 14(1)(c); Article 6(5) and Annex 1")
    what = "what the legitimate interests are" if cites(basis, "6(1)(f)") else \
        "which recognised legitimate interest (Annex 1 condition) applies"
    return missing("interests not described", Finding(
        "legitimate-interests", f"the notice relies on {basis.article} but does not say {what} ({law})",
        "add `legitimate_interests:` under `lawful_basis:`", basis_location(ctx, "article_6", index)))


@service_only
def sources(ctx: NoticeContext) -> Outcome:
    given = ctx.notice.sources
    said = f"{len(given)} sources, with the information each provides" if given else None
    return said_or_explained(ctx, "sources", said, Finding(
        "sources", "the notice does not say where the information comes from, nor that it all comes from the"
        " person (UK GDPR Article 14(1)(d), 14(2)(f))",
        "add a `sources:` block after `information_collected:`, or `not_applicable: {sources: reason}`",
        ("information_collected",), key=True))


@service_only
def recipients(ctx: NoticeContext) -> Outcome:
    count = len(ctx.notice.recipients)
    return met(f"{count} recipients") if count else missing("missing", Finding(
        "recipients", "the notice names no recipients", "", ("sharing",), key=True))


@service_only
def retention(ctx: NoticeContext) -> Outcome:
    tiers = [t.id for t in ctx.service.information_collected.tiers]
    periods = ctx.service.retention or []
    if not periods:
        return missing("no period", Finding(
            "retention", "the notice gives no retention period (UK GDPR Article 13(2)(a), 14(2)(a))",
            "add `retention:` before `rights:` with the period, or the criteria used to decide it, for each"
            " tier of information", ("rights",), key=True))
    findings = [
        Finding("retention", f"this period is for the tier '{p.tier}', but the notice has no tier with"
                " that id",
                f"the tiers are: {', '.join(tiers)}", ("retention", i, "tier"))
        for i, p in enumerate(periods) if p.tier and p.tier not in tiers
    ]
    covered = {p.tier for p in periods}
    uncovered = [] if None in covered else [t for t in tiers if t not in covered]
    findings += [
        Finding("retention", f"no retention period covers the tier '{t}' (line {ctx.line(_tier(ctx, t))})"
                " (UK GDPR Article 13(2)(a), 14(2)(a))",
                f"add a period with `tier: {t}`", ("retention",), key=True)
        for t in uncovered
    ]
    if findings:
        return missing(f"{len(uncovered)} tiers without a period", *findings)
    return met(f"{len(periods)} periods, covering every tier")


def _tier(ctx: NoticeContext, tier_id: str) -> Location:
    index = [t.id for t in ctx.service.information_collected.tiers].index(tier_id)
    return ("information_collected", "tiers", index)


# --- Article 13(2) and 14(2): rights and complaints ------------------------------------------


def rights(ctx: NoticeContext) -> Outcome:
    if isinstance(ctx.notice.content, MainNotice):
        count = len(ctx.notice.content.rights.items)
        return own_or_inherited(ctx, "rights", f"{count} rights listed" if count else None, rights,
                                 "the rights people have", ("rights",))
    return own_or_inherited(ctx, "rights", None, rights, "the rights people have", ("rights",))


def _matched_right(right: str, points: tuple[str, ...], label: str, law: str) -> Rule:
    """A right the reader must be told of because of the lawful bases this notice relies on."""
    rule_id = "right-to-object" if right == "object" else right

    def check(ctx: NoticeContext) -> Outcome:
        listed = ctx.shared(("rights list has", right), lambda: any(
            item.right == right for item in cast(MainNotice, ctx.site.main_notice.content).rights.items))
        if ctx.notice.is_main:
            needing = [n.title for n in ctx.site.service_notices
                       if any(cites(b, *points) for b in n.lawful_bases)]
            if listed:
                return met("in the rights list")
            return missing(f"needed by {', '.join(needing)}") if needing else not_applicable(
                f"no notice relies on Article {' or '.join(points)}")
        relied = [b for b in ctx.notice.lawful_bases if cites(b, *points)]
        if not relied:
            return not_applicable(f"relies on no Article {' or '.join(points)}")
        if listed and ctx.links_to_main():
            return Outcome(Status.INHERITED, "from the main notice's rights list")
        if listed:
            return missing("not linked to the main notice", Finding(
                rule_id, f"the notice relies on {articles(relied)} but does not tell people of the {label},"
                " nor link to the main notice that does",
                f"link to it, e.g. [main Privacy Notice](notice:{ctx.site.main_notice.slug})",
                ("rights",), key=True))
        return missing("not in the main notice's rights list", Finding(
            rule_id, f"'{ctx.notice.title}' relies on {articles(relied)}, so people must be told of the"
            f" {label} ({law}), but the rights list does not include it",
            f"add `- right: {right}` to `rights: items:`", ("rights", "items"), key=True,
            in_main_notice=True))

    return check


right_to_object = _matched_right("object", ("6(1)(e)", "6(1)(f)"), "right to object",
                                 "UK GDPR Article 21(1) and 21(4)")
withdraw_consent = _matched_right("withdraw-consent", ("6(1)(a)", "9(2)(a)"), "right to withdraw consent",
                                  "UK GDPR Article 13(2)(c), 14(2)(d)")


def complaint_to_regulator(ctx: NoticeContext) -> Outcome:
    regulator = ctx.site.regulator
    if ctx.notice.is_main:
        sections = _main_sections_with(ctx, [regulator.id])
        own = f"in '{_heading(ctx, sections[0])}'" if sections else None
    else:
        own = "in 'What are your rights?'" if ctx.service.rights.complaint else None
    return own_or_inherited(ctx, "complaint-ico", own, complaint_to_regulator,
                             f"the right to complain to the {regulator.name}", ("rights",))


@service_only
def statutory_requirement(ctx: NoticeContext) -> Outcome:
    said = "stated" if ctx.service.statutory_requirement else None
    return said_or_explained(ctx, "statutory-requirement", said, Finding(
        "statutory-requirement", "the notice does not say whether people must give this information (by law"
        " or by contract) and what happens if they do not (UK GDPR Article 13(2)(e))",
        "add `statutory_requirement:`, or `not_applicable: {statutory-requirement: reason}` when no"
        " information is collected from the person", ("why",), key=True))
