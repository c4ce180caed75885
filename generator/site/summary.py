"""What the pages that list every notice see of each service notice: its summary.

The home page, sharing/, lawful-bases/, the feed, the sitemap, processing.csv and notices.json list
every notice. They see each service notice as a `Notice` whose register entries are whole (users,
lawful bases, Acts, recipients, sources, contacts) and whose `content` is a `NoticeSummary`: the
fields below, and no more. A notice's own page sees the whole notice. The build keeps only this of
each notice once its own page is made, so 10,000 notices fit in a few tens of MB (docs/templates.md).

A listing template that reads more of a notice's content fails the build at its line, saying what to
add here (`SummaryUndefined`); to show a new field on a listing page, add it to `NoticeSummary` and
to `summary_of`.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import jinja2

from ..content.resolve import Notice, Recipient, Registers, Source
from ..content.schema import Change, RetentionPeriod, ServiceNotice
from .policy_document import retention_for_policy, sensitive_data

if TYPE_CHECKING:
    from ..checks.requirements import Outcome

SUMMARY_MODULE = "generator/site/summary.py"


@dataclass(frozen=True, slots=True)
class NoticeSummary:
    """A service notice's content as the pages that list every notice see it."""

    kind: str
    """Always "service": the main notice is always whole."""
    slug: str
    """The notice's address: its page is `{slug}/`."""
    title: str
    summary: str
    """The one line shown in the list of notices."""
    last_updated: datetime.date
    version: str
    changes: tuple[Change, ...]
    """Its dated changes, newest first, for the feed."""
    own_policy_document: str | None = None
    """The address of its own appropriate policy document, when it names one (policy_document.py)."""
    policy_retention: tuple[RetentionPeriod, ...] = ()
    """The retention periods of its special category and criminal offence data, for the policy document."""
    special_data: tuple[str, ...] = ()
    """The special category and criminal offence data it lists, for the policy document."""


def summary_of(content: ServiceNotice) -> NoticeSummary:
    return NoticeSummary("service", content.slug, content.title, content.summary, content.last_updated,
                         content.version, tuple(content.changes), content.lawful_basis.policy_document,
                         retention_for_policy(content), sensitive_data(content))


class NotInSummary(jinja2.UndefinedError):
    """A page that lists every notice read a field of a notice that its summary does not have."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    def explained(self) -> tuple[str, str]:
        """The message and the hint, as the build reports them at the template's line."""
        return (f"the pages that list every notice see each notice's summary (NoticeSummary); `{self.name}`"
                " is not in it",
                f"add it to NoticeSummary in {SUMMARY_MODULE}, or show it on the notice's own page")


class SummaryUndefined(jinja2.StrictUndefined):
    """Jinja2's StrictUndefined, saying so plainly when the missing value is a field of a summary."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        obj = kwargs.get("obj", args[1] if len(args) > 1 else None)
        if isinstance(obj, NoticeSummary) and "name" in kwargs:
            kwargs.update(hint=kwargs["name"], exc=NotInSummary)
        super().__init__(*args, **kwargs)


class NoticeOutline(NamedTuple):
    """A service notice as the process that made its page sends it back: its summary and the register
    ids it names (the receiver has the register entries: sending them would copy them once a notice).
    Plain tuples and strings, which unpickle several times faster than objects do."""

    summary: tuple[Any, ...]
    users: tuple[str, ...]
    article_6: tuple[str, ...]
    article_9: tuple[str, ...]
    schedule_1: tuple[str, ...]
    criminal_offence: tuple[str, ...]
    acts: tuple[str, ...]
    contacts: tuple[str, ...]
    recipients: tuple[tuple[str, str | None], ...]
    sources: tuple[tuple[str | None, str, bool, bool, str | None], ...]


def outline_of(notice: Notice) -> NoticeOutline:
    content = notice.content
    assert isinstance(content, ServiceNotice), "the main notice is always kept whole"
    summary = summary_of(content)
    return NoticeOutline(
        tuple(getattr(summary, name) for name in NoticeSummary.__dataclass_fields__),
        _ids(notice.users), _ids(notice.article_6), _ids(notice.article_9),
        _ids(notice.schedule_1), _ids(notice.criminal_offence), _ids(notice.acts), _ids(notice.contacts),
        tuple([(r.organisation.id, r.why) for r in notice.recipients]),
        tuple([(s.organisation.id if s.organisation else None, s.data, s.special_category, s.criminal_offence,
                s.category) for s in notice.sources]),
    )


def notice_from(outline: NoticeOutline, registers: Registers) -> Notice:
    """The outline as a `Notice` with its summary and the receiver's own register entries."""
    organisation, basis = registers.organisations.__getitem__, registers.lawful_bases.__getitem__
    return Notice(
        content=NoticeSummary(*outline.summary),
        users=tuple(map(organisation, outline.users)),
        article_6=tuple(map(basis, outline.article_6)),
        article_9=tuple(map(basis, outline.article_9)),
        schedule_1=tuple(map(basis, outline.schedule_1)),
        criminal_offence=tuple(map(basis, outline.criminal_offence)),
        acts=tuple(map(registers.acts.__getitem__, outline.acts)),
        recipients=tuple([Recipient(organisation(i), why) for i, why in outline.recipients]),
        sources=tuple([Source(organisation(i) if i else None, data, special, criminal, category)
                       for i, data, special, criminal, category in outline.sources]),
        contacts=tuple(map(registers.contacts.__getitem__, outline.contacts)),
    )


def _ids(entries: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple([entry.id for entry in entries])


SentOutcomes = tuple[int, tuple[str, ...], tuple["Outcome", ...], tuple[int, ...]]
"""A notice's outcomes as a worker sends them: the worker's process id, the requirements, the
outcomes this worker has not sent before, and each requirement's outcome by its number."""


class NumberedOutcomes:
    """A notice's compliance outcomes, sent from a worker by number.

    Most notices have most of their outcomes in common ("met", "inherited from the main notice"):
    a worker sends each outcome whole the first time, then only its number, and the parent keeps
    one of each. Made in the parent before the workers fork, so each worker numbers on its own copy.
    The parent must `receive` a worker's notices in the order it `sent` them: parallel.each gives
    the results in the order of the jobs, and a worker runs the jobs it is given in that order.
    """

    def __init__(self) -> None:
        self._numbers: dict[Outcome, int] = {}
        """In a worker: each outcome it has sent, by its number."""
        self._requirements: dict[tuple[str, ...], tuple[str, ...]] = {}
        """In a worker: the same tuple of requirements for each notice, so it is pickled once a chunk."""
        self._received: dict[int, list[Outcome]] = {}
        """In the parent: each worker's outcomes (by process id), in the order of their numbers."""
        self._kept: dict[Outcome, Outcome] = {}
        """In the parent: one of each outcome, whichever worker sent it."""

    def send(self, outcomes: dict[str, Outcome]) -> SentOutcomes:
        numbers, new, numbered = self._numbers, [], []
        for outcome in outcomes.values():
            number = numbers.get(outcome)
            if number is None:
                number = numbers[outcome] = len(numbers)
                new.append(outcome)
            numbered.append(number)
        requirements = tuple(outcomes)
        requirements = self._requirements.setdefault(requirements, requirements)
        return os.getpid(), requirements, tuple(new), tuple(numbered)

    def receive(self, sent: SentOutcomes) -> dict[str, Outcome]:
        worker, requirements, new, numbered = sent
        known = self._received.setdefault(worker, [])
        if new:
            known += [self._kept.setdefault(outcome, outcome) for outcome in new]
        return dict(zip(requirements, map(known.__getitem__, numbered), strict=True))
