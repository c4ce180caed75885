"""A service notice in outline: what the pages that list every notice show of it, and no more.

A big build (see per_notice.py) takes each service notice through every stage in a worker and
keeps only its outline: at 10,000 notices the whole notices would take 600 MB, their outlines
30 MB. The outline is the resolved `Notice` with its content cut down to a `NoticeSummary`; the
lists, the sharing and lawful-bases tables, the feed, the sitemap and notices.json read nothing
else. A template that does read more of a notice's content there raises `NeedsWholeNotice`, and
the build is made again the usual way, with every notice whole: the output never depends on it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from .resolve import Notice, Recipient, Registers, Source
from .schema import Change, ServiceNotice


class NeedsWholeNotice(Exception):
    """A page asked for more of a notice than its outline has (see the module's docstring)."""


@dataclass(frozen=True, slots=True)
class NoticeSummary:
    """The parts of a service notice's content that every notice has (see schema.NoticeBase)."""

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
        raise NeedsWholeNotice(f"a page that lists every notice reads `{name}` of a notice's content")


@dataclass(frozen=True, slots=True)
class NoticeOutline:
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
    summary = NoticeSummary(kind="service", slug=content.slug, title=content.title, summary=content.summary,
                            last_updated=content.last_updated, version=content.version,
                            changes=list(content.changes))
    return NoticeOutline(
        summary=summary,
        users=_ids(notice.users), article_6=_ids(notice.article_6), article_9=_ids(notice.article_9),
        schedule_1=_ids(notice.schedule_1), criminal_offence=_ids(notice.criminal_offence),
        acts=_ids(notice.acts), contacts=_ids(notice.contacts),
        recipients=tuple((r.organisation.id, r.why) for r in notice.recipients),
        sources=tuple((s.organisation.id, s.data, s.special_category, s.criminal_offence)
                      for s in notice.sources),
    )


def notice_from(outline: NoticeOutline, registers: Registers) -> Notice:
    """The outline as a `Notice` whose entries are the parent's own register entries."""
    organisations, bases = registers.organisations, registers.lawful_bases
    return Notice(
        content=outline.summary,
        users=tuple(organisations[i] for i in outline.users),
        article_6=tuple(bases[i] for i in outline.article_6),
        article_9=tuple(bases[i] for i in outline.article_9),
        schedule_1=tuple(bases[i] for i in outline.schedule_1),
        criminal_offence=tuple(bases[i] for i in outline.criminal_offence),
        acts=tuple(registers.acts[i] for i in outline.acts),
        recipients=tuple(Recipient(organisations[i], why) for i, why in outline.recipients),
        sources=tuple(Source(organisations[i], data, special, criminal)
                      for i, data, special, criminal in outline.sources),
        contacts=tuple(registers.contacts[i] for i in outline.contacts),
    )


def _ids(entries: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(entry.id for entry in entries)


class EveryPage(Sequence[Any]):
    """Stands for the list of every page on a page a worker makes alone: it has no such list."""

    def __getitem__(self, index: Any) -> NoReturn:
        raise NeedsWholeNotice("a notice's page reads the list of every page")

    def __len__(self) -> NoReturn:
        raise NeedsWholeNotice("a notice's page reads the list of every page")

    def __iter__(self) -> Iterator[Any]:
        raise NeedsWholeNotice("a notice's page reads the list of every page")
