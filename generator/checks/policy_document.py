"""The checks of the appropriate policy document (DPA 2018 Schedule 1 Part 4).

Each notice's own rule (`policy-document`, run with the others by compliance.py) says whether it
links to a document and whether its retention periods give the "indication of how long" paragraph
39(b) asks for. `check_policy_document` reads what the Trust wrote in site.yaml's `policy_document:`
and reports, at its lines, what the document still lacks: a principle's procedures (paragraph
39(a)), the retention and erasure policy (39(b)), who keeps it and when it was and will next be
reviewed (paragraph 40(1)), and any "TO DO". Conditions whose need for the document depends on the
processing are told to staff as notes.
"""

from __future__ import annotations

import datetime

from ..content.load import SourceFile
from ..content.messages import field_label
from ..content.resolve import Site
from ..content.schema import PRINCIPLES
from ..diagnostics import Diagnostics
from ..site.policy_document import conditions_used, retention_for_policy
from .bases import basis_location
from .placeholders import PLACEHOLDER
from .placeholders import RULE as TO_DO_RULE
from .register_text import texts_of
from .requirements import Finding, NoticeContext, Outcome, Status, articles, service_only

RULE = "policy-document-content"
_PARTLY = "does not have an appropriate policy document in place"
"""Words of a condition (paragraph 10(2), 27(3)) met without the document for some processing."""


@service_only
def policy_document(ctx: NoticeContext) -> Outcome:
    """A notice relying on a condition that needs the document links to one: its own, or the site's
    page, which then takes the notice's retention periods as its indication of how long."""
    basis = ctx.service.lawful_basis
    findings = [Finding(
        "policy-document", f"the register does not say whether {b.article} needs an appropriate policy"
        " document (DPA 2018 Schedule 1 paragraphs 5, 38), so the notice cannot say whether it links to"
        " one", f"set `needs_policy_document:` on {b.id} in content/definitions/lawful-bases.yaml",
        basis_location(ctx, name, i))
        for name in ("schedule_1", "criminal_offence") for i, b in enumerate(getattr(ctx.notice, name))
        if b.kind == "schedule-1" and b.needs_policy_document is None]
    needing = [(name, i, b) for name in ("schedule_1", "criminal_offence")
               for i, b in enumerate(getattr(ctx.notice, name)) if b.needs_policy_document]
    if not needing:
        return Outcome(Status.MISSING, "register silent", tuple(findings)) if findings else Outcome(
            Status.NOT_APPLICABLE, "no condition listed needs one")
    name, index, first = needing[0]
    named = articles([b for _, _, b in needing])
    if basis.policy_document:
        detail = "linked to its own"
    elif ctx.site.config.policy_document is not None:
        detail = "the site's appropriate policy document"
        if not retention_for_policy(ctx.service):
            findings.append(Finding(
                "policy-document", f"the appropriate policy document takes from this notice how long the"
                f" data it uses under {named} is likely to be kept, and the notice gives no retention period"
                " for its special category or criminal offence data (DPA 2018 Schedule 1 paragraph 39(b))",
                "add `retention:` with a period for each tier listing special category or criminal"
                " offence data", basis_location(ctx, name, index)))
    else:
        findings.append(Finding(
            "policy-document", f"{named} need an appropriate policy document (DPA 2018 Schedule 1"
            " paragraphs 5, 38, 39); the notice does not link to one, and site.yaml has no"
            " `policy_document:` to make the site's own",
            "add `policy_document:` to content/site.yaml (docs/appropriate-policy-document.md), or"
            " `policy_document: https://...` under `lawful_basis:` for one published elsewhere",
            basis_location(ctx, name, index)))
        return Outcome(Status.MISSING, "no link", tuple(findings))
    if findings:
        return Outcome(Status.MISSING, detail + ", incomplete", tuple(findings))
    return Outcome(Status.MET, detail)


def check_policy_document(site: Site, source: SourceFile, today: datetime.date,
                          diagnostics: Diagnostics) -> list[str]:
    """Warn at site.yaml's lines for what the document lacks; return notes for staff (conditions whose
    need for the document depends on the processing)."""
    document = site.config.policy_document
    if document is None:
        return []  # each notice relying on a condition that needs one says so (compliance.py)

    def warn(location: tuple[str | int, ...], message: str, hint: str, rule: str = RULE) -> None:
        """At the text concerned; for something missing, at the key of what should hold it."""
        where = ("policy_document", *location)
        position = source.key_position(where) if rule == RULE and len(where) < 3 else source.position(where)
        diagnostics.warning(source.path, position, f"{message} [{rule}]", hint, rule=rule)

    for location, text in texts_of(document.model_dump(mode="json"), ()):
        if PLACEHOLDER in text:
            warn(location, f"{field_label(location)} of the appropriate policy document still says"
                 f" '{PLACEHOLDER}': the document is not finished", f"replace the '{PLACEHOLDER}' text with"
                 " what the Trust does", TO_DO_RULE)
    uses = conditions_used(site)
    if uses:
        for key, article, title in PRINCIPLES:
            if key not in document.principles:
                warn(("principles",), f"the appropriate policy document does not explain the procedures for"
                     f" the principle '{title}' (UK GDPR {article}) for the conditions it lists (DPA 2018"
                     " Schedule 1 paragraph 39(a))",
                     f"add `{key}:` under `policy_document: principles:`, saying what the Trust does")
        if not document.retention_and_erasure:
            warn((), "the appropriate policy document does not explain the Trust's policies on retaining"
                 " and erasing this data (DPA 2018 Schedule 1 paragraph 39(b))",
                 "add `retention_and_erasure:` under `policy_document:`: who decides, how records are"
                 " reviewed and destroyed (each notice's `retention` gives the periods)")
    if document.responsible is None:
        warn((), "the appropriate policy document names no one responsible for keeping and reviewing it"
             " (DPA 2018 Schedule 1 paragraph 40(1))",
             "add `responsible:` under `policy_document:`, the id of a contact in `contacts:`")
    if document.last_reviewed is None:
        warn((), "the appropriate policy document does not say when it was last reviewed (DPA 2018"
             " Schedule 1 paragraph 40(1)(b): review it from time to time)",
             "add `last_reviewed: YYYY-MM-DD` under `policy_document:`")
    if document.next_review is None:
        warn((), "the appropriate policy document does not say when it will next be reviewed (DPA 2018"
             " Schedule 1 paragraph 40(1)(b))", "add `next_review: YYYY-MM-DD` under `policy_document:`")
    elif document.next_review < today:
        warn(("next_review",), f"the appropriate policy document was due for review on"
             f" {document.next_review.isoformat()} (DPA 2018 Schedule 1 paragraph 40(1)(b))",
             "review it, then set `last_reviewed:` to the day and `next_review:` to the next date")
    return [f"{use.condition.article} is met without the appropriate policy document for some processing"
            " (its own words, e.g. disclosure to a competent authority); the document lists it for all of"
            " it: check with the DPO which of the Trust's processing needs the document"
            for use in uses if _PARTLY in use.condition.wording]
