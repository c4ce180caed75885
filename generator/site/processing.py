"""processing.csv: a register of processing, one row per notice and data tier.

The data protection officer keeps a record of processing activities (UK GDPR Article 30).
This file is a starting point for it, taken from what the notices say: for each tier of
data a service collects, its purposes, lawful bases and conditions, recipients, sources and
retention. It opens in a spreadsheet, so no cell may start a formula (CSV injection).
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from ..content.resolve import Notice, Site
from ..content.schema import DataTier, LawfulBasis, ServiceNotice
from . import answers
from .retention import retention_text, span_words

COLUMNS = (
    "notice", "notice_title", "notice_url", "version", "last_updated", "tier", "tier_title", "data_subjects",
    "data_categories", "special_category_data", "criminal_offence_data", "purposes",
    "article_6_lawful_bases", "article_9_conditions", "schedule_1_conditions", "criminal_offence_bases",
    "lawful_basis_ids", "recipients", "sources", "retention", "retention_periods", "retention_runs_from",
    "retention_set_by", "transfers", "purpose_bases",
)
"""The column order, fixed: a spreadsheet or script reading the file can rely on it."""
SEPARATOR = "; "
"""Between the values of a cell that holds a list."""
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """One line of text that a spreadsheet shows as text: whitespace runs become one space, and a
    cell that would start a formula gets a leading apostrophe."""
    text = _one_line(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def list_cell(values: Iterable[str]) -> str:
    """A cell that lists values, joined by SEPARATOR, each made one line: safe for a spreadsheet."""
    return _listed([_one_line(value) for value in values])


def _one_line(value: str) -> str:
    """The value with each run of whitespace made one space, and none at either end."""
    if value.isprintable() and "  " not in value and value.strip() == value:
        return value  # most values are one line already: a quick look is cheaper than splitting them
    return " ".join(value.split())


def _listed(lines: list[str]) -> str:
    """What safe_cell makes of lines (each one line already) joined by SEPARATOR, without going over
    the long cell again: the only whitespace left to tidy is the space a last, empty, line leaves."""
    text = SEPARATOR.join(lines).rstrip(" ")
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def processing_csv(site: Site) -> bytes:
    """The whole file: a header row, then one row per notice and tier; UTF-8, CRLF line ends (RFC 4180)."""
    return b"".join(processing_csv_parts(site))


def processing_csv_parts(site: Site, rows: Rows | None = None) -> Iterator[bytes]:
    """The file in parts (the header, then each service notice's rows), so it need never be whole in
    memory. `rows` has each notice's rows, by slug, made beside its page (one_notice.py)."""
    yield csv_line(COLUMNS).encode("utf-8")
    register = register_names(site)
    for notice in site.service_notices:
        yield rows[notice.slug] if rows is not None else notice_rows(site, notice, register).encode("utf-8")


class Rows(Protocol):
    """Each notice's rows of processing.csv, written where a notice is made and read by slug at the end."""

    def write(self, rows: bytes) -> tuple[int, int]: ...
    def note(self, slug: str, span: tuple[int, int]) -> None: ...
    def __getitem__(self, slug: str) -> bytes: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def close(self) -> None: ...


class RowsInMemory(Mapping[str, bytes]):
    """`Rows` kept in memory, for the preview: they are read after the build, when processing.csv is
    asked for."""

    def __init__(self) -> None:
        self._written: list[bytes] = []
        self._rows: dict[str, bytes] = {}

    def write(self, rows: bytes) -> tuple[int, int]:
        self._written.append(rows)
        return len(self._written) - 1, len(rows)

    def note(self, slug: str, span: tuple[int, int]) -> None:
        self._rows[slug] = self._written[span[0]]

    def __getitem__(self, slug: str) -> bytes:
        return self._rows[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def close(self) -> None:
        self._written = []


class RowSpool(Mapping[str, bytes]):
    """Each notice's rows of processing.csv, kept in a temporary file until every notice is done and
    the file is written in the site's order: at 10,000 notices they are 70 MB.

    A forked worker writes a notice's rows there itself (`write`) and sends back only where they
    are, for the parent to `note`: they need not go through the parent twice.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(buffering=0)  # noqa: SIM115 (closed by `close`)
        self._spans: dict[str, tuple[int, int]] = {}
        self._lock = self._lock_for_workers()
        """Held while a process writes at the end of the file: the end it finds is then its own."""

    def write(self, rows: bytes) -> tuple[int, int]:
        """Add rows at the end of the file (in this process or a forked worker); where they are."""
        with self._lock:
            start = end = os.lseek(self._file.fileno(), 0, os.SEEK_END)
            view = memoryview(rows)
            while view:
                written = os.pwrite(self._file.fileno(), view, end)
                view, end = view[written:], end + written
        return start, len(rows)

    def note(self, slug: str, span: tuple[int, int]) -> None:
        """Where a notice's rows are (from `write`)."""
        self._spans[slug] = span

    def __getitem__(self, slug: str) -> bytes:
        """By position, not by the file's offset: a forked worker may read while nothing else does."""
        start, length = self._spans[slug]
        return os.pread(self._file.fileno(), length, start)

    def __iter__(self) -> Iterator[str]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def close(self) -> None:
        self._file.close()

    @staticmethod
    def _lock_for_workers() -> AbstractContextManager[bool]:
        """A lock that workers forked from this process share; where none are forked, a plain one."""
        if "fork" in multiprocessing.get_all_start_methods():
            return multiprocessing.get_context("fork").Lock()
        return threading.Lock()


def register_names(site: Site) -> RegisterNames:
    return RegisterNames(
        bases={basis.id: _one_line(f"{basis.article} ({basis.title})") for basis in site.lawful_bases},
        organisations={organisation.id: _one_line(organisation.name) for organisation in site.organisations})


def notice_rows(site: Site, notice: Notice, register: RegisterNames) -> str:
    """A service notice's rows, one for each tier of data it collects."""
    content = notice.content
    assert isinstance(content, ServiceNotice)
    # Most cells are the same on every tier's row of a notice: made (and quoted) once per notice.
    shared = _notice_cells(site, notice, content, register)
    retention = _retention_by_tier(notice, content)
    sourced = _flagged_sources(notice)
    lines = []
    for tier in content.information_collected.tiers:
        row = {**shared, **_tier_cells(notice, tier, sourced), **retention.get(tier.id, retention[None])}
        lines.append(",".join(map(row.__getitem__, COLUMNS)) + "\r\n")
    return "".join(lines)


@dataclass(frozen=True)
class RegisterNames:
    """How each lawful basis and organisation reads in a cell, by id: the same on every notice."""

    bases: dict[str, str]
    organisations: dict[str, str]


def _notice_cells(
    site: Site, notice: Notice, content: ServiceNotice, register: RegisterNames
) -> dict[str, str]:
    """The cells that say the same on every row of a notice, as CSV fields."""
    def bases(chosen: tuple[LawfulBasis, ...]) -> str:
        return _listed([register.bases[basis.id] for basis in chosen])

    cells = {
        "notice": safe_cell(notice.slug),
        "notice_title": safe_cell(notice.title),
        "notice_url": safe_cell(f"{site.config.base_url}{notice.slug}/"),
        "version": safe_cell(content.version),
        "last_updated": safe_cell(content.last_updated.isoformat()),
        "purposes": list_cell(purpose.text for purpose in content.purposes.items),
        "article_6_lawful_bases": bases(notice.article_6),
        "article_9_conditions": bases(notice.article_9),
        "schedule_1_conditions": bases(notice.schedule_1),
        "criminal_offence_bases": bases(notice.criminal_offence),
        "lawful_basis_ids": safe_cell(" ".join(basis.id for basis in notice.lawful_bases)),
        "recipients": _listed([register.organisations[r.organisation.id] for r in notice.recipients]),
        "sources": list_cell(f"{s.data} (from {s.name})" for s in notice.sources),
        "transfers": safe_cell(answers.transfers_cell(content.transfers)),
        "purpose_bases": list_cell(answers.purpose_bases_cell(notice.purposes, register.bases)),
    }
    return {column: csv_field(cell) for column, cell in cells.items()}


def _flagged_sources(notice: Notice) -> tuple[list[str], list[str]]:
    """What sources give that is special category, and criminal offence, data: on every tier's row, as a
    source gives information for the whole notice."""
    special, criminal = [], []
    for source in notice.sources:
        said = _one_line(f"{source.data} (from {source.name})")
        if source.special_category:
            special.append(said)
        if source.criminal_offence:
            criminal.append(said)
    return special, criminal


def _tier_cells(notice: Notice, tier: DataTier, sourced: tuple[list[str], list[str]]) -> dict[str, str]:
    """The cells of one tier of data, as CSV fields."""
    names, special, criminal = [], [], []
    for item in tier.items:
        name = _one_line(item.name)
        names.append(name)
        if item.special_category:
            special.append(name)
        if item.criminal_offence:
            criminal.append(name)
    ids = tier.data_subjects or [subject.id for subject in notice.data_subjects]
    ids = list(dict.fromkeys([*ids, *(s for item in tier.items for s in item.data_subjects)]))  # and items'
    subjects = [notice.subjects[s] for s in ids]
    cells = {"tier": safe_cell(tier.id), "tier_title": safe_cell(tier.title or ""),
             "data_subjects": list_cell(subject.name for subject in subjects),
             "data_categories": _listed(names), "special_category_data": _listed(special + sourced[0]),
             "criminal_offence_data": _listed(criminal + sourced[1])}
    return {column: csv_field(cell) for column, cell in cells.items()}


_RETENTION_COLUMNS = ("retention", "retention_periods", "retention_runs_from", "retention_set_by")


def _retention_by_tier(notice: Notice, content: ServiceNotice) -> dict[str | None, dict[str, str]]:
    """Each tier's retention cells, by tier id: the periods written for that tier; under None, those
    written for no tier in particular, which a tier with none of its own shows. `retention` has each
    entry's sentence (without its full stop, so entries join cleanly); the other columns each entry's
    period in numbers, the event it runs from and the law that sets it, each after the entry's name."""
    cells: dict[str | None, dict[str, list[str]]] = {None: {column: [] for column in _RETENTION_COLUMNS}}
    for period in content.retention or []:
        said = retention_text(period, notice)
        tier = cells.setdefault(period.tier, {column: [] for column in _RETENTION_COLUMNS})
        tier["retention"].append(_one_line(said.sentence).removesuffix("."))
        label = _one_line(said.label)
        if not isinstance(period.period, str):
            tier["retention_periods"].append(f"{label}: {span_words(period.period)}")
        if period.runs_from:
            tier["retention_runs_from"].append(_one_line(f"{label}: {period.runs_from}"))
        if said.law:
            tier["retention_set_by"].append(_one_line(f"{label}: {said.law.title}"))
    return {tier: {column: csv_field(_listed(lines)) for column, lines in columns.items()}
            for tier, columns in cells.items()}


def csv_line(cells: Iterable[str]) -> str:
    """One CSV record and its CRLF, quoted as Python's csv module quotes (QUOTE_MINIMAL, Excel dialect)."""
    return ",".join([csv_field(cell) for cell in cells]) + "\r\n"


def csv_field(cell: str) -> str:
    """A cell as CSV: quoted, with its quotes doubled, when it holds a comma, a quote or a line end.

    By hand, not with the csv module: its writer copies a cell one character at a time, which was
    most of the time this file took. tests/test_export.py checks the two agree.
    """
    if "," in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell
