"""Each purpose with the law it relies on, resolved: the Article 6 basis, and the Article 9 and 10
conditions each paired with the DPA 2018 Schedule 1 paragraphs that complete it.

UK GDPR Article 13(1)(c) asks for "the purposes of the processing ... as well as the legal basis for
the processing"; the ICO asks for the basis of each purpose. A notice may still give one list for the
whole notice (`lawful_basis:`), as the Trust publishes today: `every_basis` joins the two, so the
checks, the lawful-bases page and the data files see every basis a notice relies on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .schema import LawfulBasis, Purpose, ServiceNotice


@dataclass(frozen=True, slots=True)
class Paired:
    """An Article 9 or 10 condition with the Schedule 1 paragraphs the purpose names for it."""

    condition: LawfulBasis
    schedule_1: tuple[LawfulBasis, ...]


@dataclass(frozen=True, slots=True)
class PurposeBases:
    """One purpose and the provisions it names."""

    purpose: Purpose
    article_6: tuple[LawfulBasis, ...]
    article_9: tuple[Paired, ...]
    article_10: tuple[Paired, ...]

    @property
    def named(self) -> bool:
        return bool(self.article_6 or self.article_9 or self.article_10)


@dataclass(frozen=True, slots=True)
class EveryBasis:
    """The notice's bases by kind: its own lists first, then those only its purposes name."""

    article_6: tuple[LawfulBasis, ...]
    article_9: tuple[LawfulBasis, ...]
    schedule_1: tuple[LawfulBasis, ...]
    criminal_offence: tuple[LawfulBasis, ...]


def resolve_purposes(notice: ServiceNotice, bases: dict[str, LawfulBasis]) -> tuple[PurposeBases, ...]:
    """Every purpose of the notice with its ids replaced by the register's entries."""
    return tuple(
        PurposeBases(
            purpose=purpose,
            article_6=tuple(bases[b] for b in purpose.article_6),
            article_9=tuple(Paired(bases[c.condition], tuple(bases[p] for p in c.schedule_1))
                            for c in purpose.article_9),
            article_10=tuple(Paired(bases[c.condition], tuple(bases[p] for p in c.schedule_1))
                             for c in purpose.article_10),
        )
        for purpose in notice.purposes.items
    )


def every_basis(notice: ServiceNotice, bases: dict[str, LawfulBasis],
                purposes: tuple[PurposeBases, ...]) -> EveryBasis:
    """The notice-level lists with what the purposes add, each basis once per kind, in order."""
    listed = notice.lawful_basis
    return EveryBasis(
        article_6=_once([bases[b] for b in listed.article_6], (b for p in purposes for b in p.article_6)),
        article_9=_once([bases[b] for b in listed.article_9],
                        (c.condition for p in purposes for c in p.article_9)),
        schedule_1=_once([bases[b] for b in listed.schedule_1],
                         (s for p in purposes for c in p.article_9 for s in c.schedule_1)),
        criminal_offence=_once([bases[b] for b in listed.criminal_offence],
                               (b for p in purposes for c in p.article_10
                                for b in (c.condition, *c.schedule_1))),
    )


def _once(first: list[LawfulBasis], more: Iterable[LawfulBasis]) -> tuple[LawfulBasis, ...]:
    seen = {b.id for b in first}
    for basis in more:
        if basis.id not in seen:
            seen.add(basis.id)
            first.append(basis)
    return tuple(first)


def provisions_once(bases: Iterable[LawfulBasis]) -> tuple[LawfulBasis, ...]:
    """Each provision once, in the order first named: a Schedule 1 paragraph relied on for both special
    category and criminal offence data has its wording shown once."""
    return _once([], bases)
