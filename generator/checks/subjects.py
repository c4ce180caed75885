"""Who a notice is about: the rule that reads its data subjects.

The notices are the start of the record of processing (UK GDPR Article 30), which describes "the
categories of data subjects"; processing.csv and the JSON-LD take them from each notice. A service
notice that names none leaves that column empty, and a tier, data item or retention entry that names
someone the notice does not say it is about contradicts it.
"""

from __future__ import annotations

from ..content.load import Location
from .requirements import Finding, NoticeContext, Outcome, met, missing, service_only

LAW = "UK GDPR Art 30(1)(c)"
GUIDANCE = ("UK GDPR Article 30(1)(c): 'a description of the categories of data subjects and of the"
            " categories of personal data'")


@service_only
def data_subjects(ctx: NoticeContext) -> Outcome:
    own = ctx.service.data_subjects
    if not own:
        return missing("none named", Finding(
            "data-subjects", "the notice does not say who it is about: it names no data subjects (the record"
            " of processing needs 'a description of the categories of data subjects', UK GDPR Article"
            " 30(1)(c))",
            "add `data_subjects: [...]` before `information_collected:`, with ids from"
            " content/definitions/data-subjects.yaml", ("information_collected",), key=True))
    findings = [
        Finding("data-subjects", f"'{subject}' is named here but is not among the notice's `data_subjects`,"
                " so the page and the data files do not say the notice is about them",
                f"add {subject} to `data_subjects:` at the top of the notice", location)
        for subject, location in _named_elsewhere(ctx) if subject not in own
    ]
    if findings:
        return missing(f"{len(findings)} named but not listed", *findings)
    names = [ctx.notice.subjects[s].name for s in own]
    return met(f"{len(names)} categories: {', '.join(names)}")


def _named_elsewhere(ctx: NoticeContext) -> list[tuple[str, Location]]:
    """Each data subject a tier, a data item or a retention entry names, with where."""
    named: list[tuple[str, Location]] = []
    for t, tier in enumerate(ctx.service.information_collected.tiers):
        named += [(s, ("information_collected", "tiers", t, "data_subjects", i))
                  for i, s in enumerate(tier.data_subjects)]
        named += [(s, ("information_collected", "tiers", t, "items", n, "data_subjects", i))
                  for n, item in enumerate(tier.items) for i, s in enumerate(item.data_subjects)]
    for p, period in enumerate(ctx.service.retention or []):
        named += [(s, ("retention", p, "data_subjects", i)) for i, s in enumerate(period.data_subjects)]
    return named
