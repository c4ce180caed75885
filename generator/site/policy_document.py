"""The appropriate policy document page (DPA 2018 Schedule 1 Part 4), made from what the notices say.

The Trust writes its procedures once, in site.yaml's `policy_document:`; everything else on the page
comes from the notices: each Schedule 1 condition they rely on that needs the document (the register's
`needs_policy_document`), the Article 9 or 10 condition it goes with, the notices relying on it, the
special category and criminal offence data they list and how long they keep it. So the document can
never leave out a condition a notice relies on, which the ICO has faulted councils' documents for.

A notice may name its own document instead (`lawful_basis.policy_document:` an address): it then links
there, and this page does not list it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.resolve import Notice, Site
from ..content.schema import LawfulBasis, RetentionPeriod, ServiceNotice
from ..content.schema import Source as SourceItem

ADDRESS = "appropriate-policy-document/"
"""The page's address in the site."""


def needing(notice: Notice) -> tuple[LawfulBasis, ...]:
    """The conditions the notice relies on that need an appropriate policy document, each once."""
    return tuple(dict.fromkeys(b for b in notice.schedule_1 + notice.criminal_offence
                               if b.kind == "schedule-1" and b.needs_policy_document))


def undecided(notice: Notice) -> tuple[LawfulBasis, ...]:
    """The Schedule 1 conditions it relies on whose register entry does not say whether one is needed."""
    return tuple(dict.fromkeys(b for b in notice.schedule_1 + notice.criminal_offence
                               if b.kind == "schedule-1" and b.needs_policy_document is None))


def own_document(notice: Notice) -> str | None:
    """The address of the notice's own document, when it names one (whole notice or summary)."""
    content = notice.content
    basis = getattr(content, "lawful_basis", None)
    return basis.policy_document if basis is not None else getattr(content, "own_policy_document", None)


def policy_document_href(site: Site, notice: Notice, root: str) -> str | None:
    """Where the notice's link to its appropriate policy document goes: its own, else the site's page
    when it relies on a condition that needs one and the site has the page; else None (no link)."""
    own = own_document(notice)
    if own:
        return own
    if site.config.policy_document is not None and needing(notice):
        return root + ADDRESS
    return None


def site_document_url(site: Site, notice: Notice) -> str | None:
    """The absolute address of the site's page, when this notice links to it (for its notice.json)."""
    relative = policy_document_href(site, notice, "")
    return site.config.base_url + relative if relative == ADDRESS else None


def with_document_url(lawful_basis: dict[str, object], url: str) -> dict[str, object]:
    """A notice's `lawful_basis` as data with `policy_document` set, in the model's field order
    (it comes just before `outro`)."""
    before = {key: value for key, value in lawful_basis.items() if key != "outro"}
    after = {"outro": lawful_basis["outro"]} if "outro" in lawful_basis else {}
    return {**before, "policy_document": url, **after}


@dataclass(frozen=True)
class ConditionUse:
    """One condition the page lists: what it goes with, and the notices relying on it."""

    condition: LawfulBasis
    goes_with: tuple[LawfulBasis, ...]
    """The UK GDPR Article 9(2) or Article 10 entries, in these notices, that the condition completes."""
    notices: tuple[Notice, ...]


def conditions_used(site: Site) -> list[ConditionUse]:
    """Every condition needing the document that a notice covered by the page relies on, in the
    register's order, each with its notices in the site's order."""
    relying: dict[str, list[Notice]] = {}
    for notice in site.service_notices:
        if not own_document(notice):
            for condition in needing(notice):
                relying.setdefault(condition.id, []).append(notice)
    uses = []
    for condition in site.lawful_bases:
        notices = relying.get(condition.id)
        if notices:
            goes_with = tuple(dict.fromkeys(b for n in notices for b in _completed(n, condition)))
            uses.append(ConditionUse(condition, goes_with, tuple(notices)))
    return uses


def notices_covered(site: Site, uses: list[ConditionUse]) -> list[Notice]:
    """The notices the page covers (relying on at least one of `uses`), in the site's order."""
    slugs = {notice.slug for use in uses for notice in use.notices}
    return [notice for notice in site.service_notices if notice.slug in slugs]


def _completed(notice: Notice, condition: LawfulBasis) -> list[LawfulBasis]:
    """What the condition completes in this notice: an Article 9(2) condition needing a condition of
    its Part of Schedule 1 (DPA 2018 s.10(2), 10(3)), or Article 10 (s.10(5))."""
    found = []
    if condition in notice.schedule_1:
        found += [b for b in notice.article_9 if b.needs_schedule_1 == f"part-{condition.schedule_1_part}"]
    if condition in notice.criminal_offence:
        found += [b for b in notice.criminal_offence if b.kind == "article-10"]
    return found


def retention_for_policy(content: ServiceNotice) -> tuple[RetentionPeriod, ...]:
    """The notice's retention periods that cover its special category and criminal offence data: those
    for a tier listing it and those for no tier in particular; all of them when the notice marks no tier,
    or when such data also comes from a source (a source is not tied to a tier)."""
    tiers = content.information_collected.tiers
    sensitive = {t.id for t in tiers if any(i.special_category or i.criminal_offence for i in t.items)}
    if any(s.special_category or s.criminal_offence for s in _sources(content)):
        sensitive = set()
    return tuple(p for p in content.retention or () if not sensitive or p.tier is None or p.tier in sensitive)


def sensitive_data(content: ServiceNotice) -> tuple[str, ...]:
    """The special category and criminal offence data the notice lists (its tiers, then its sources),
    each once, as it names them."""
    listed = [item.name for tier in content.information_collected.tiers for item in tier.items
              if item.special_category or item.criminal_offence]
    listed += [source.data for source in _sources(content)
               if source.special_category or source.criminal_offence]
    return tuple(dict.fromkeys(listed))


def _sources(content: ServiceNotice) -> list[SourceItem]:
    return list(content.sources.items) if content.sources else []
