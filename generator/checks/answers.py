"""The rules that read the structured answers: transfers outside the UK and decisions taken by
computer alone. A sentence alone answers neither: the notice must say `none`, or name each
destination's mechanism; and whether any significant decision is solely automated.

Transfers: UK GDPR Article 13(1)(f), 14(1)(f) as amended by the Data (Use and Access) Act 2025
Schedule 9 paras 2 and 3 ("regulations under Article 45A", "the safeguards relied on"); the
mechanisms are those of Article 44A(2): Article 45A regulations, Article 46 safeguards or an Article 49
derogation, which needs no safeguard. Automated decisions: Article 13(2)(f), 14(2)(g) and Articles 22A
to 22D (DUAA s.80); Article 22C's safeguards.
"""

from __future__ import annotations

from ..content.schema import Transfer
from ..diagnostics import shorten
from .requirements import Finding, NoticeContext, Outcome, met, missing, not_applicable, service_only

TRANSFERS_LAW = "UK GDPR Art 13(1)(f), 14(1)(f) (as amended by DUAA 2025 Sch 9); Art 44A(2), 45A, 46, 49"
AUTOMATED_LAW = "UK GDPR Art 13(2)(f), 14(2)(g); Art 22A to 22D (safeguards: Art 22C)"
ART_22C = {"information": "information about such decisions", "representations": "making representations",
           "human-intervention": "obtaining human intervention", "contest": "contesting the decision"}
"""The Article 22C safeguards, in the order the page lists them."""


@service_only
def transfers(ctx: NoticeContext) -> Outcome:
    answer = ctx.service.transfers
    if answer.none:
        return met("nothing is sent outside the UK")
    if not answer.destinations:
        reason = ctx.not_applicable("transfers")
        if reason:
            return not_applicable(reason)
        said = f" (it says only '{shorten(answer.text.strip().splitlines()[0])}')" if answer.text else ""
        return missing("not answered", Finding(
            "transfers", f"the notice does not say whether information goes outside the UK{said}, nor,"
            " for each place it goes, whether the transfer relies on regulations under Article 45A,"
            " Article 46 safeguards or an Article 49 derogation (UK GDPR Article 13(1)(f), 14(1)(f))",
            "under `transfers:` write `none: true` when nothing is sent abroad, or list `destinations:`, each"
            " with `to:` and `mechanism:`; leave `mechanism` out where it is not known", ("transfers",),
            key=True))
    findings = [finding for i, place in enumerate(answer.destinations)
                for finding in _destination(place, ("transfers", "destinations", i))]
    if findings:
        return missing(f"{len(findings)} gaps in {len(answer.destinations)} destinations", *findings)
    return met(f"{len(answer.destinations)} destinations, each with what it relies on")


def _destination(place: Transfer, where: tuple[str | int, ...]) -> list[Finding]:
    to = shorten(place.to, 50)
    if place.mechanism is None:
        return [Finding(
            "transfers", f"the notice does not say what the transfer to '{to}' relies on: regulations under"
            " Article 45A, Article 46 safeguards or an Article 49 derogation (UK GDPR Article 13(1)(f),"
            " 14(1)(f), 44A(2))",
            "ask who sends it what makes the transfer lawful, then add `mechanism:` (adequacy-regulations,"
            " article-46-safeguards or article-49-derogation)", where)]
    if place.mechanism == "article-46-safeguards":
        said = {"safeguards": place.safeguards, "get_a_copy": place.get_a_copy}
        lacking = [name for name, value in said.items() if not value]
        if lacking:
            what = {"safeguards": "which safeguards", "get_a_copy": "how to get a copy of them"}
            return [Finding(
                "transfers", f"the transfer to '{to}' relies on Article 46 safeguards, but the notice does"
                " not say " + " nor ".join(what[n] for n in lacking)
                + " (UK GDPR Article 13(1)(f), 14(1)(f))",
                "add " + " and ".join(f"`{n}:`" for n in lacking) + " to this destination", where)]
    if place.mechanism == "article-49-derogation" and not place.derogation:
        return [Finding(
            "transfers", f"the transfer to '{to}' relies on an Article 49 derogation but does not say which",
            "add `derogation:` with the point of Article 49(1) relied on, a to g", where)]
    return []


@service_only
def automated_decisions(ctx: NoticeContext) -> Outcome:
    answer = ctx.service.automated_decisions
    if answer.solely_automated is None:
        said = " (it says only prose)" if answer.text else ""
        return missing("not answered", Finding(
            "automated-decisions", "the notice does not say whether any decision with legal or similarly"
            f" significant effects on a person is taken solely by automated means{said} (UK GDPR Article"
            " 13(2)(f), 14(2)(g); Article 22A)",
            "under `automated_decisions:` add `solely_automated: false`, or `true` with `logic:`,"
            " `significance:` and `safeguards:`", ("automated_decisions",), key=True))
    if not answer.solely_automated:
        return met("no decision is taken by computer alone")
    lacking = [name for name in ("logic", "significance") if not getattr(answer, name)]
    absent = [label for key, label in ART_22C.items() if key not in answer.safeguards]
    findings = []
    if lacking:
        findings.append(Finding(
            "automated-decisions", "decisions are taken by computer alone, but the notice gives no "
            + " nor ".join({"logic": "meaningful information about the logic involved",
                            "significance": "significance and envisaged consequences"}[n] for n in lacking)
            + " (UK GDPR Article 13(2)(f), 14(2)(g))", "add " + " and ".join(f"`{n}:`" for n in lacking),
            ("automated_decisions",), key=True))
    if absent:
        findings.append(Finding(
            "automated-decisions", "decisions are taken by computer alone, but the notice does not offer "
            + ", ".join(absent) + " (UK GDPR Article 22C)",
            "add them to `safeguards:` (information, representations, human-intervention, contest), once in"
            " place", ("automated_decisions",), key=True))
    if findings:
        return missing("safeguards or explanation missing", *findings)
    return met("solely automated decisions, with logic, significance and the Article 22C safeguards")
