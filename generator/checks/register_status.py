"""What the check says to staff about the lawful-bases register, and what it cannot judge.

A register entry whose wording could not be confirmed says so in `verified: false` and a
`verification_note`. That note is research: it names what was read where, sometimes a third-party
copy of legislation.gov.uk. It is for the data protection officer and editors only, so it appears in
`notices check` (text and JSON) and the staff report, never on the published site (the note is
left out of every exported entry, see schema/registers.py).

The list of what the check cannot judge is said in the same three places, so a reader of the report
never takes "met" for "lawful".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ..content.resolve import Site

CANNOT_JUDGE: tuple[str, ...] = (
    "whether a lawful basis, Article 9 condition or Schedule 1 condition is the right one for the processing",
    "whether a Schedule 1 condition's own tests are met (necessity, substantial public interest, why consent"
    " is not sought) and whether the appropriate policy document says what it must",
    "whether what a notice says is true and complete: the facts about the Trust, its services, who receives"
    " information and how long it is kept",
    "the Trust's controller arrangements: who is controller of which records, joint controllers, and the"
    " direction or contract the Trust works under",
    "whether the processing itself is lawful, fair and necessary",
    "whether the law has changed since each register entry was read (the dates are in the register and"
    " below): nothing is checked live against legislation.gov.uk",
)
"""Short and fixed: what a "met" in the table does not mean. The data protection officer decides these."""


@dataclass(frozen=True)
class UnconfirmedEntry:
    """A lawful-bases register entry whose current wording is not confirmed, with what is uncertain."""

    id: str
    citation: str
    note: str
    source: str
    read_on: datetime.date | None
    read_from: str | None

    def line(self) -> str:
        """One line of the text report: what, why, and what was read when."""
        read = f"read on {self.read_on.isoformat()}" if self.read_on else "date read not recorded"
        where = f": {self.read_from}" if self.read_from else ""
        return f"{self.citation} ({self.id}): {self.note} [{read}{where}; check against {self.source}]"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "citation": self.citation, "note": self.note, "source": self.source,
                "read_on": self.read_on.isoformat() if self.read_on else None, "read_from": self.read_from}


def unconfirmed_entries(site: Site) -> tuple[UnconfirmedEntry, ...]:
    """Every register entry with `verified: false`, in register order, whether or not a notice uses it."""
    return tuple(
        UnconfirmedEntry(basis.id, basis.article, basis.verification_note or "", basis.source, basis.read_on,
                         basis.read_from)
        for basis in site.lawful_bases if not basis.verified
    )


def acts_not_read(site: Site) -> tuple[str, ...]:
    """The ids of legislation entries with no `read_on`: title, citation and address not re-read."""
    return tuple(act.id for act in site.legislation if act.read_on is None)


def register_lines(unconfirmed: tuple[UnconfirmedEntry, ...], unread_acts: tuple[str, ...] = ()) -> list[str]:
    """The end of the text report: the unconfirmed register wording, the legislation entries never re-read,
    then what the check cannot judge."""
    lines = []
    if unconfirmed:
        lines.append(f"Register wording not confirmed ({len(unconfirmed)}; for staff, never published):")
        lines += [f"  {entry.line()}" for entry in unconfirmed]
    if unread_acts:
        lines.append(f"Legislation entries whose title, citation and address have no read date"
                     f" ({len(unread_acts)}): {', '.join(unread_acts)}")
    lines.append("What this check cannot judge (for the data protection officer):")
    lines += [f"  - {item}" for item in CANNOT_JUDGE]
    return lines
