"""The lawful-bases page in two parts: the grounds our notices rely on, and the rest of the register.

A family reading "the grounds our notices use" must not find grounds no notice uses under it, so
the page lists first the entries some notice names (with those notices), then, under their own
heading, the other grounds of the same parts of the law. Each part is grouped by kind (Article 6,
Article 9, Article 10, Schedule 1), in register order.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.resolve import Site
from ..content.schema import LawfulBasis

KINDS = (
    ("article-6", "UK GDPR Article 6: lawful bases"),
    ("article-9", "UK GDPR Article 9: special category data"),
    ("article-10", "UK GDPR Article 10: criminal offence data"),
    ("schedule-1", "Data Protection Act 2018, Schedule 1 conditions"),
)


@dataclass(frozen=True)
class BasisGroup:
    """The entries of one kind in one part of the page, under a heading with this id."""

    id: str
    heading: str
    bases: tuple[LawfulBasis, ...]


def lawful_bases_parts(site: Site) -> tuple[list[BasisGroup], list[BasisGroup]]:
    """(the groups our notices rely on, the groups they do not). A kind's heading takes the kind as its
    id where it first appears (`#article-10` is a published address: docs/data.md), then `<kind>-other`."""
    relied_on = {basis.id for basis in site.lawful_bases if site.notices_relying_on(basis)}
    parts: tuple[list[BasisGroup], list[BasisGroup]] = ([], [])
    for kind, heading in KINDS:
        used = tuple(b for b in site.lawful_bases if b.kind == kind and b.id in relied_on)
        unused = tuple(b for b in site.lawful_bases if b.kind == kind and b.id not in relied_on)
        ids = iter((kind, f"{kind}-other"))
        for part, bases in zip(parts, (used, unused), strict=True):
            if bases:
                part.append(BasisGroup(next(ids), heading, bases))
    return parts
