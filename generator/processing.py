"""processing.csv: a register of processing, one row per notice and data tier.

The data protection officer keeps a record of processing activities (UK GDPR Article 30).
This file is a starting point for it, taken from what the notices say: for each tier of
data a service collects, its purposes, lawful bases and conditions, recipients, sources and
retention. It opens in a spreadsheet, so no cell may start a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .resolve import Notice, Site
from .schema import DataTier, LawfulBasis, ServiceNotice

COLUMNS = (
    "notice", "notice_title", "notice_url", "version", "last_updated", "tier", "tier_title",
    "data_categories", "special_category_data", "criminal_offence_data", "purposes",
    "article_6_lawful_bases", "article_9_conditions", "schedule_1_conditions", "criminal_offence_bases",
    "lawful_basis_ids", "recipients", "sources", "retention", "transfers",
)
"""The column order, fixed: a spreadsheet or script reading the file can rely on it."""
SEPARATOR = "; "
"""Between the values of a cell that holds a list."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """One line of text that a spreadsheet shows as text: whitespace runs become one space, and a
    cell that would start a formula gets a leading apostrophe."""
    text = " ".join(value.split())
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def processing_rows(site: Site) -> list[dict[str, str]]:
    """The register's rows, in the site's notice order then tier order (main notice: none)."""
    rows = []
    for notice in site.service_notices:
        content = notice.content
        assert isinstance(content, ServiceNotice)
        for tier in content.information_collected.tiers:
            rows.append(_row(site, notice, content, tier))
    return rows


def _row(site: Site, notice: Notice, content: ServiceNotice, tier: DataTier) -> dict[str, str]:
    return {
        "notice": notice.slug,
        "notice_title": notice.title,
        "notice_url": f"{site.config.base_url}{notice.slug}/",
        "version": content.version,
        "last_updated": content.last_updated.isoformat(),
        "tier": tier.id,
        "tier_title": tier.title or "",
        "data_categories": _joined(item.name for item in tier.items),
        "special_category_data": _joined(item.name for item in tier.items if item.special_category),
        "criminal_offence_data": _joined(item.name for item in tier.items if item.criminal_offence),
        "purposes": _joined(content.purposes.items),
        "article_6_lawful_bases": _bases(notice.article_6),
        "article_9_conditions": _bases(notice.article_9),
        "schedule_1_conditions": _bases(notice.schedule_1),
        "criminal_offence_bases": _bases(notice.criminal_offence),
        "lawful_basis_ids": " ".join(basis.id for basis in notice.lawful_bases),
        "recipients": _joined(r.organisation.name for r in notice.recipients),
        "sources": _joined(f"{s.data} (from {s.organisation.name})" for s in notice.sources),
        "retention": _retention(content, tier),
        "transfers": content.transfers.text,
    }


def _joined(values: Iterable[str]) -> str:
    return SEPARATOR.join(" ".join(value.split()) for value in values)


def _bases(bases: Iterable[LawfulBasis]) -> str:
    return _joined(f"{basis.article} ({basis.title})" for basis in bases)


def _retention(content: ServiceNotice, tier: DataTier) -> str:
    """The periods written for this tier, else those written for no tier in particular."""
    periods = content.retention or []
    own = [p for p in periods if p.tier == tier.id] or [p for p in periods if p.tier is None]
    return _joined(f"{p.title}: {p.period}" for p in own)


def processing_csv(site: Site) -> bytes:
    """The whole file: a header row, then one row per notice and tier; UTF-8, CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in processing_rows(site):
        writer.writerow({column: safe_cell(value) for column, value in row.items()})
    return buffer.getvalue().encode("utf-8")
