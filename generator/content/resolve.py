"""Stage 3, resolve: attach register entries to the notices that name them by id.

After this stage nothing looks anything up by id again: templates and checks get the
organisation, the Act or the lawful basis itself, so every page shows the register's
words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from ..site.entry_data import BuildCache
from .bases import PurposeBases, every_basis, resolve_purposes
from .schema import (
    Act,
    Contact,
    DataSubject,
    LawfulBasis,
    MainNotice,
    NoticeBase,
    Organisation,
    ServiceNotice,
    SiteFile,
)

if TYPE_CHECKING:
    from ..site.summary import NoticeSummary
    from .validate import ValidContent

T = TypeVar("T")


@dataclass(frozen=True, slots=True)  # slots: a big build keeps 15 a notice, for 10,000 notices
class Recipient:
    organisation: Organisation
    why: str | None


@dataclass(frozen=True, slots=True)
class Source:
    """Where information comes from: a register organisation, or a `category` of people in words."""

    organisation: Organisation | None
    data: str
    special_category: bool
    criminal_offence: bool
    category: str | None = None

    @property
    def name(self) -> str:
        """How the source reads in a list or a cell: the organisation's name, or the category."""
        return self.organisation.name if self.organisation else self.category or ""


@dataclass(frozen=True, slots=True)
class Notice:
    """A notice with every id replaced by the entry it names."""

    content: NoticeBase | NoticeSummary
    """The whole notice; on the pages that list every notice, each service notice's summary (summary.py)."""
    users: tuple[Organisation, ...] = ()
    article_6: tuple[LawfulBasis, ...] = ()
    article_9: tuple[LawfulBasis, ...] = ()
    schedule_1: tuple[LawfulBasis, ...] = ()
    criminal_offence: tuple[LawfulBasis, ...] = ()
    acts: tuple[Act, ...] = ()
    recipients: tuple[Recipient, ...] = ()
    sources: tuple[Source, ...] = ()
    contacts: tuple[Contact, ...] = ()
    section_contacts: dict[str, tuple[Contact, ...]] = field(default_factory=dict)
    purposes: tuple[PurposeBases, ...] = ()
    """Each purpose with the bases it names (bases.py); article_6 to criminal_offence hold these too."""
    data_subjects: tuple[DataSubject, ...] = ()
    """Who the notice is about (its `data_subjects`)."""
    subjects: dict[str, DataSubject] = field(default_factory=dict)
    """Every data subject the notice names (its own, its tiers', its items' and its retention's), by id."""
    retention_laws: dict[str, Act] = field(default_factory=dict)
    """The Acts its retention periods are `set_by`, by id."""

    @property
    def slug(self) -> str:
        return self.content.slug

    @property
    def title(self) -> str:
        return self.content.title

    @property
    def is_main(self) -> bool:
        return isinstance(self.content, MainNotice)

    @property
    def lawful_bases(self) -> tuple[LawfulBasis, ...]:
        """Every basis the notice relies on, in the order the page lists them."""
        return self.article_6 + self.article_9 + self.schedule_1 + self.criminal_offence


@dataclass(frozen=True)
class Site:
    """Everything the pages show, resolved and in a fixed order."""

    config: SiteFile
    controller: Organisation
    data_protection_officer: Contact
    regulator: Contact
    contacts: dict[str, Contact]
    lawful_bases: tuple[LawfulBasis, ...]
    legislation: tuple[Act, ...]
    organisations: tuple[Organisation, ...]
    notices: tuple[Notice, ...]
    cache: BuildCache = field(default_factory=BuildCache, compare=False, repr=False)
    young_people: frozenset[str] = frozenset()
    """The slugs of the notices that have a young people's version (content/young-people/)."""
    """What this build works out once for every notice (entry_data.py): a new site, a new cache."""

    @property
    def main_notice(self) -> Notice:
        return next(n for n in self.notices if n.is_main)

    @property
    def service_notices(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if not n.is_main)

    @property
    def base_path(self) -> str:
        """The path part of the base URL, e.g. '/privacy/' (always ends with '/')."""
        path = urlsplit(self.config.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def notices_relying_on(self, basis: LawfulBasis) -> list[Notice]:
        return list(self._relying_on.get(basis.id, ()))

    def notices_sharing_with(self, organisation: Organisation) -> list[tuple[Notice, Recipient]]:
        return list(self._sharing_with.get(organisation.id, ()))

    def notices_obtaining_from(self, organisation: Organisation) -> list[tuple[Notice, Source]]:
        return list(self._obtaining_from.get(organisation.id, ()))

    # The cross-notice pages ask these once per register entry: indexes built once, by id (ids are
    # unique in each register), keep that linear; comparing models for each pair was quadratic.

    @cached_property
    def _relying_on(self) -> dict[str, list[Notice]]:
        return group_by_id((basis_id, notice) for notice in self.notices
                           for basis_id in dict.fromkeys(b.id for b in notice.lawful_bases))

    @cached_property
    def _sharing_with(self) -> dict[str, list[tuple[Notice, Recipient]]]:
        return group_by_id((r.organisation.id, (notice, r))
                           for notice in self.notices for r in notice.recipients)

    @cached_property
    def _obtaining_from(self) -> dict[str, list[tuple[Notice, Source]]]:
        return group_by_id((s.organisation.id, (notice, s))
                           for notice in self.notices for s in notice.sources if s.organisation)


def group_by_id(pairs: Iterable[tuple[str, T]]) -> dict[str, list[T]]:
    """Each id's items, in the order they came: the indexes behind the cross-notice pages."""
    index: dict[str, list[T]] = {}
    for key, item in pairs:
        index.setdefault(key, []).append(item)
    return index


@dataclass(frozen=True)
class Registers:
    """Every register entry and contact by id: what a notice's ids are looked up in."""

    organisations: dict[str, Organisation]
    lawful_bases: dict[str, LawfulBasis]
    acts: dict[str, Act]
    contacts: dict[str, Contact]
    data_subjects: dict[str, DataSubject] = field(default_factory=dict)

    @classmethod
    def of(cls, content: ValidContent) -> Registers:
        return cls(organisations={o.id: o for o in content.organisations},
                   lawful_bases={b.id: b for b in content.lawful_bases},
                   acts={a.id: a for a in content.legislation},
                   contacts={c.id: c for c in content.site.contacts},
                   data_subjects={s.id: s for s in content.data_subjects})


def resolve_references(content: ValidContent) -> Site:
    """The site model of the whole validated content (every id is known to exist)."""
    registers = Registers.of(content)
    return site_of(content, registers, [resolve_notice(notice, registers) for notice in content.notices])


def site_of(content: ValidContent, registers: Registers, notices: list[Notice]) -> Site:
    """The site with these resolved notices, in the site's order (see `in_site_order`)."""
    return Site(
        config=content.site,
        controller=registers.organisations[content.site.controller],
        data_protection_officer=registers.contacts[content.site.data_protection_officer],
        regulator=registers.contacts[content.site.regulator],
        contacts=registers.contacts,
        lawful_bases=tuple(content.lawful_bases),
        legislation=tuple(content.legislation),
        organisations=tuple(content.organisations),
        notices=in_site_order(notices),
    )


def in_site_order(notices: list[Notice]) -> tuple[Notice, ...]:
    """The main notice, then the others by title."""
    return tuple(sorted(notices, key=lambda n: (not n.is_main, n.title.lower(), n.slug)))


def resolve_notice(notice: NoticeBase, registers: Registers) -> Notice:
    """One notice with its ids replaced by the entries they name."""
    organisations, bases, acts, contacts = (registers.organisations, registers.lawful_bases, registers.acts,
                                            registers.contacts)
    if isinstance(notice, MainNotice):
        return Notice(
            content=notice,
            section_contacts={s.id: tuple(contacts[c] for c in s.contacts) for s in notice.sections},
        )
    assert isinstance(notice, ServiceNotice)
    purposes = resolve_purposes(notice, bases)
    every = every_basis(notice, bases, purposes)
    return Notice(
        content=notice,
        users=tuple(organisations[o] for o in notice.used_by.organisations),
        article_6=every.article_6,
        article_9=every.article_9,
        schedule_1=every.schedule_1,
        criminal_offence=every.criminal_offence,
        purposes=purposes,
        acts=tuple(acts[a] for a in notice.legislation.acts),
        recipients=tuple(
            Recipient(organisations[r.organisation], r.why) for r in notice.sharing.recipients
        ),
        sources=tuple(
            Source(organisations[s.organisation] if s.organisation else None, s.data, s.special_category,
                   s.criminal_offence, s.category)
            for s in (notice.sources.items if notice.sources else [])
        ),
        contacts=tuple(contacts[c] for c in notice.rights.contacts),
        data_subjects=tuple(registers.data_subjects[s] for s in notice.data_subjects),
        subjects={s: registers.data_subjects[s] for s in subject_ids(notice)},
        retention_laws={p.set_by: acts[p.set_by] for p in notice.retention or [] if p.set_by},
    )


def subject_ids(notice: ServiceNotice) -> list[str]:
    """Every data subject id the notice names: its own, then its tiers' (each tier's, then its items'), then
    its retention's."""
    tiers = notice.information_collected.tiers
    named = [*notice.data_subjects,
             *(s for t in tiers for s in [*t.data_subjects, *(s for i in t.items for s in i.data_subjects)]),
             *(s for p in notice.retention or [] for s in p.data_subjects)]
    return list(dict.fromkeys(named))
