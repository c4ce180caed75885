"""The vocabulary of the compliance check: requirements, outcomes and findings.

A `Requirement` pairs one thing the law says a notice must contain with the rule that
looks for it; a rule reads a `NoticeContext` and answers with an `Outcome`. The rules
themselves are in rules.py (the checklist) and compliance.py (the rules across registers); the
shapes many of them share (`service_only`, `own_or_inherited`, `said_or_explained`) are at the end.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TypeVar, cast

from ..content.load import Location, SourceFile
from ..content.resolve import Notice, Site
from ..content.schema import LawfulBasis, NoticeBase, ServiceNotice

ICO_CHECKLIST = "ICO, 'The right to be informed' checklist"
COMPLAINTS_DUTY_STARTS = datetime.date(2026, 6, 19)


class Status(StrEnum):
    MET = "met"
    INHERITED = "inherited"
    NOT_APPLICABLE = "not applicable"
    MISSING = "missing"


@dataclass(frozen=True)
class Finding:
    """One gap to report, at `location` in the notice's file (or the main notice's)."""

    rule: str
    message: str
    hint: str
    location: Location
    key: bool = False
    in_main_notice: bool = False


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class NoticeContext:
    """What a rule may look at: the site, one notice, and where its lines are."""

    site: Site
    notice: Notice
    source: SourceFile
    today: datetime.date

    @cached_property
    def service(self) -> ServiceNotice:
        assert isinstance(self.notice.content, ServiceNotice)
        return self.notice.content

    def main_outcome(self, rule: Rule) -> Outcome:
        """The main notice's outcome for `rule`, asked only for its status and detail: its findings are
        reported on its own run. The same for every service notice, so worked out once (`shared`)."""
        return self.shared(rule, lambda: rule(NoticeContext(self.site, self.site.main_notice, self.source,
                                                                self.today)))

    def shared(self, key: object, work: Callable[[], T]) -> T:
        """`work()`, which reads only the main notice, the contacts, controller, DPO and regulator, and
        the date: kept under `key` in the site's cache (entry_data.BuildCache) while the site has those
        very objects. Every notice of a build has them (in each worker too); a preview rebuild makes a
        new site, and so works it anew."""
        kept = self._kept
        if key not in kept:
            kept[key] = work()
        return cast(T, kept[key])

    @cached_property
    def _kept(self) -> dict[object, object]:
        site = self.site
        return site.cache.shared_for("requirements", (site.main_notice, site.contacts, site.controller,
                                      site.data_protection_officer, site.regulator, self.today))

    def line(self, location: Location) -> int:
        return self.source.position(location)[0]

    def not_applicable(self, item: str) -> str | None:
        return (self.service.not_applicable or {}).get(item)  # type: ignore[call-overload]

    def links_to_main(self) -> bool:
        """Inheriting from the main notice only counts when the reader is sent there."""
        return self._links_to_main

    @cached_property
    def _links_to_main(self) -> bool:
        """Whether anything the notice says has `notice:<the main notice's slug>`: several rules ask.

        Everything it says is read as its JSON, which pydantic writes several times faster than Python
        writes its `repr` (what this read before). The two find the same: a slug is lowercase letters,
        digits and hyphens, so the text sought has no quote, backslash or space, and cannot span two
        texts of the notice or take in an escaped character but the `n` of a newline's `\\n`, which
        both write alike. A notice with text JSON cannot hold (a lone surrogate) is read the old way.
        The texts where notices link to it (rights, introduction) are looked at first: the text sought
        in any one text is in the JSON too, so most notices need not be written out (40 us each).
        """
        target = f"notice:{self.site.main_notice.slug}"
        content = self.notice.content
        if isinstance(content, ServiceNotice) and any(
                target in (text or "") for text in (content.rights.text, content.introduction)):
            return True
        assert isinstance(content, NoticeBase), "the rules read whole notices"
        try:
            return target in content.model_dump_json()
        except ValueError:
            return target in repr(content.model_dump(mode="json"))

    def controller_contacts(self) -> list[str]:
        """The controller's own contact (Art 13(1)(a)): site.yaml's `controller_contact`, else any contact of
        the controller's but the data protection officer's (13(1)(b)), which is a separate item."""
        chosen = self.site.config.controller_contact
        return [chosen] if chosen else self.shared("controller contacts", lambda: [
            c.id for c in self.site.contacts.values()
            if c.organisation == self.site.controller.id and c.id != self.site.data_protection_officer.id])

    @cached_property
    def flagged(self) -> dict[str, list[tuple[Location, str]]]:
        """Where the notice marks data as special category or criminal offence data, and what it is,
        by flag; in one pass over the items, as two rules ask."""
        found: dict[str, list[tuple[Location, str]]] = {"special_category": [], "criminal_offence": []}
        special, criminal = found["special_category"], found["criminal_offence"]
        for t, tier in enumerate(self.service.information_collected.tiers):
            for i, item in enumerate(tier.items):
                if item.special_category:
                    special.append((("information_collected", "tiers", t, "items", i), item.name))
                if item.criminal_offence:
                    criminal.append((("information_collected", "tiers", t, "items", i), item.name))
        if self.service.sources:
            for i, source in enumerate(self.service.sources.items):
                if source.special_category:
                    special.append((("sources", "items", i), source.data))
                if source.criminal_offence:
                    criminal.append((("sources", "items", i), source.data))
        return found


Rule = Callable[[NoticeContext], Outcome]
T = TypeVar("T")


@dataclass(frozen=True)
class Requirement:
    id: str
    title: str
    law: str
    guidance: str
    check: Rule = field(repr=False)


def met(detail: str) -> Outcome:
    return Outcome(Status.MET, detail)


def not_applicable(reason: str) -> Outcome:
    return Outcome(Status.NOT_APPLICABLE, reason)


def missing(detail: str, *findings: Finding) -> Outcome:
    return Outcome(Status.MISSING, detail, findings)


def cites(basis: LawfulBasis, *points: str) -> bool:
    """Whether `basis` is one of `points` ('6(1)(e)', '9(2)(a)'), read from how the register cites it."""
    return basis.article.replace(" ", "").endswith(points)


def articles(bases: list[LawfulBasis]) -> str:
    names = [b.article for b in bases]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- How rules are built ----------------------------------------------------------------


def service_only(rule: Rule) -> Rule:
    """Items each service notice states for its own service; the main notice leaves them to them."""

    def check(ctx: NoticeContext) -> Outcome:
        if ctx.notice.is_main:
            return not_applicable("each service notice says this for its service")
        return rule(ctx)

    check.__doc__ = rule.__doc__
    return check


def own_or_inherited(ctx: NoticeContext, rule: str, own: str | None, main_rule: Rule, what: str,
                      where: Location) -> Outcome:
    """A service notice meets an item itself, or inherits it from a main notice it links to."""
    if own:
        return met(own)
    if not ctx.notice.is_main:
        main = ctx.main_outcome(main_rule)
        if main.status is Status.MET and ctx.links_to_main():
            return Outcome(Status.INHERITED, f"from the main notice: {main.detail}")
        if main.status is Status.MET:
            return missing("not linked to the main notice", Finding(
                rule, f"the notice does not give {what}, and does not link to the main notice that does",
                f"link to it, e.g. [main Privacy Notice](notice:{ctx.site.main_notice.slug})", where,
                key=True))
    return missing("missing", Finding(rule, f"the notice does not give {what}", "", where, key=True))


def said_or_explained(ctx: NoticeContext, item: str, said: str | None, gap: Finding) -> Outcome:
    """An item that applies only sometimes: met when the notice says it, not applicable when
    the notice gives the reason, and missing (with `gap`) when it is silent."""
    if said:
        return met(said)
    reason = ctx.not_applicable(item)
    return not_applicable(reason) if reason else missing("not said", gap)
