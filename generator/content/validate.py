"""Stage 2, validate: every content file against its model, every id against its register.

Nothing here stops at the first problem: each file is checked, each error is recorded
with the line and column the editor wrote, and the caller decides what to do. The steps
each file goes through are in checked_files.py, the notices' own in notice_files.py;
turning a pydantic error into plain words is `messages.report_model_errors`' job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..diagnostics import Diagnostics
from . import schema
from .checked_files import load_checked, report_duplicate_ids, validate_file
from .load import SourceFile
from .notice_files import validate_notices

REGISTERS: dict[str, tuple[str, type[BaseModel]]] = {
    "lawful_bases": ("lawful-bases.yaml", schema.LawfulBasesFile),
    "legislation": ("legislation.yaml", schema.LegislationFile),
    "organisations": ("organisations.yaml", schema.OrganisationsFile),
    "data_subjects": ("data-subjects.yaml", schema.DataSubjectsFile),
}
OPTIONAL_REGISTERS = {"data_subjects"}
"""Registers a project may not have yet (it came later): without the file, no id is known."""


@dataclass
class ValidContent:
    """The content that passed validation, with the files it came from (for positions)."""

    site: schema.SiteFile
    lawful_bases: list[schema.LawfulBasis]
    legislation: list[schema.Act]
    organisations: list[schema.Organisation]
    notices: list[schema.NoticeBase]
    sources: dict[str, SourceFile] = field(default_factory=dict)
    """Each notice's source file, by slug; and registers by register name."""
    data_subjects: list[schema.DataSubject] = field(default_factory=list)


@dataclass
class SharedContent:
    """Everything but the notices: the registers, the site's settings, and the ids notices may name."""

    site: schema.SiteFile | None
    registers: dict[str, list[Any]]
    context: dict[str, dict[str, str]]
    """Each register's ids (with their kind), and the contacts', for checking the notices' references."""
    sources: dict[str, SourceFile]


def validate_content(root: Path, diagnostics: Diagnostics) -> ValidContent | None:
    """Load and validate the whole of `root/content`, every notice whole (the build takes one notice at
    a time instead: one_notice.py); None when any error was found."""
    shared = validate_shared(root, diagnostics)
    if shared is None:
        return None
    folder = root / "content" / "notices"
    notices = validate_notices(folder, shared.context, shared.sources, diagnostics)
    if diagnostics.errors or shared.site is None:
        return None
    return valid_content(shared, notices)


def valid_content(shared: SharedContent, notices: list[schema.NoticeBase]) -> ValidContent:
    """The shared content with these notices, once everything has passed."""
    assert shared.site is not None
    registers = shared.registers
    return ValidContent(shared.site, registers["lawful_bases"], registers["legislation"],
                        registers["organisations"], notices, shared.sources,
                        registers.get("data_subjects", []))


def validate_shared(root: Path, diagnostics: Diagnostics) -> SharedContent | None:
    """The registers and site.yaml of `root/content`; None when there is no content folder."""
    content = root / "content"
    if not content.is_dir():
        diagnostics.error(content, (1, 1), "there is no content folder here",
                          "run the command from the project folder that holds content/")
        return None
    sources: dict[str, SourceFile] = {}
    registers: dict[str, list[Any]] = {}
    context: dict[str, dict[str, str]] = {}
    for name, (filename, model) in REGISTERS.items():
        if name in OPTIONAL_REGISTERS and not (content / "definitions" / filename).exists():
            registers[name], context[name] = [], {}
            continue
        source = load_checked(content / "definitions" / filename, diagnostics)
        entries: list[Any] = []
        if source is not None:
            sources[name] = source
            # `replaced_by` names another entry of the legislation register: checked against its ids
            own = ({name: {_entry_id(e): name for e in _salvage_ids(source, name)}} if name == "legislation"
                   else None)
            parsed = validate_file(source, model, diagnostics, own)
            entries = list(getattr(parsed, name)) if parsed else _salvage_ids(source, name)
        registers[name] = entries
        if source is not None:  # an unreadable register: its references are not checked
            context[name] = {_entry_id(e): _entry_kind(e, name) for e in entries if _entry_id(e)}
            report_duplicate_ids(source, (name,), diagnostics)

    site_source = load_checked(content / "site.yaml", diagnostics)
    site: schema.SiteFile | None = None
    if site_source is not None:
        sources["site"] = site_source
        contacts = site_source.data.get("contacts")
        context["contacts"] = {
            c["id"]: "contact" for c in contacts if isinstance(c, dict) and isinstance(c.get("id"), str)
        } if isinstance(contacts, list) else {}
        site = validate_file(site_source, schema.SiteFile, diagnostics, context)
        report_duplicate_ids(site_source, ("contacts",), diagnostics)
    return SharedContent(site, registers, context, sources)


def _entry_id(entry: Any) -> str:
    return getattr(entry, "id", None) or (entry.get("id") if isinstance(entry, dict) else "") or ""


def _entry_kind(entry: Any, register: str) -> str:
    if register == "lawful_bases":
        kind = getattr(entry, "kind", None) or (entry.get("kind") if isinstance(entry, dict) else None)
        return str(kind)
    return register


def _salvage_ids(source: SourceFile, name: str) -> list[dict[str, Any]]:
    """Ids of a register that has errors, so notices' references are not all reported too."""
    entries = source.data.get(name) if isinstance(source.data, dict) else None
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)]
