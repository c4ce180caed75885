"""A service notice in outline: what the pages that list every notice show of it, and no more.

A big build (see per_notice.py) takes each service notice through every stage in a worker and
keeps only its outline: at 10,000 notices the whole notices would take 600 MB, their outlines
30 MB. The outline is the resolved `Notice` with its content cut down to a `NoticeSummary`; the
lists, the sharing and lawful-bases tables, the feed, the sitemap and notices.json read nothing
else. A template that does read more of a notice's content there raises `NeedsWholeNotice`, and
the build is made again the usual way, with every notice whole: the output never depends on it.

What a worker sends back is unpickled by the parent, one notice after another, while the workers
wait for the cores: so it is sent as plain tuples, strings and numbers (`NoticeOutline`,
`NumberedOutcomes`), which unpickle several times faster than objects do.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from .resolve import Notice, Recipient, Registers, Source
from .schema import Change, ServiceNotice

if TYPE_CHECKING:
    from .requirements import Outcome


class NeedsWholeNotice(Exception):
    """A page asked for more of a notice than its outline has (see the module's docstring)."""


class NoticeSummary(NamedTuple):
    """The parts of a service notice's content that every notice has (see schema.NoticeBase); a
    tuple, quick to send back from a worker."""

    kind: str
    slug: str
    title: str
    summary: str
    last_updated: datetime.date
    version: str
    changes: list[Change]

    def __getattr__(self, name: str) -> Any:  # only called for what the summary does not have
        if name.startswith("_"):  # pickle and copy ask for these; they must see a plain object
            raise AttributeError(name)
        raise NeedsWholeNotice(f"reads `{name}` of each notice on a page that lists every notice")


class NoticeOutline(NamedTuple):
    """A service notice as a worker sends it back: its summary, and the register ids it names
    (the parent has the register entries: sending them too would copy them once per notice)."""

    summary: NoticeSummary
    users: tuple[str, ...]
    article_6: tuple[str, ...]
    article_9: tuple[str, ...]
    schedule_1: tuple[str, ...]
    criminal_offence: tuple[str, ...]
    acts: tuple[str, ...]
    contacts: tuple[str, ...]
    recipients: tuple[tuple[str, str | None], ...]
    sources: tuple[tuple[str, str, bool, bool], ...]


def outline_of(notice: Notice) -> NoticeOutline:
    content = notice.content
    assert isinstance(content, ServiceNotice), "the main notice is always kept whole"
    return NoticeOutline(
        NoticeSummary("service", content.slug, content.title, content.summary, content.last_updated,
                      content.version, list(content.changes)),
        _ids(notice.users), _ids(notice.article_6), _ids(notice.article_9),
        _ids(notice.schedule_1), _ids(notice.criminal_offence), _ids(notice.acts), _ids(notice.contacts),
        tuple([(r.organisation.id, r.why) for r in notice.recipients]),
        tuple([(s.organisation.id, s.data, s.special_category, s.criminal_offence) for s in notice.sources]),
    )


def notice_from(outline: NoticeOutline, registers: Registers) -> Notice:
    """The outline as a `Notice` whose entries are the parent's own register entries."""
    organisation, basis = registers.organisations.__getitem__, registers.lawful_bases.__getitem__
    return Notice(
        content=outline.summary,
        users=tuple(map(organisation, outline.users)),
        article_6=tuple(map(basis, outline.article_6)),
        article_9=tuple(map(basis, outline.article_9)),
        schedule_1=tuple(map(basis, outline.schedule_1)),
        criminal_offence=tuple(map(basis, outline.criminal_offence)),
        acts=tuple(map(registers.acts.__getitem__, outline.acts)),
        recipients=tuple([Recipient(organisation(i), why) for i, why in outline.recipients]),
        sources=tuple([Source(organisation(i), data, special, criminal)
                       for i, data, special, criminal in outline.sources]),
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


class EveryPage(Sequence[Any]):
    """Stands for the list of every page on a page a worker makes alone: it has no such list."""

    def __getitem__(self, index: Any) -> NoReturn:
        raise NeedsWholeNotice("reads the list of every page on a notice's page")

    def __len__(self) -> NoReturn:
        raise NeedsWholeNotice("reads the list of every page on a notice's page")

    def __iter__(self) -> Iterator[Any]:
        raise NeedsWholeNotice("reads the list of every page on a notice's page")
