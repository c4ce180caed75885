"""Stage 2, validate: every content file against its model, every id against its register.

Nothing here stops at the first problem: each file is checked, each error is recorded
with the line and column the editor wrote, and the caller decides what to do.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import schema
from .diagnostics import Diagnostics
from .load import SourceFile, load_yaml

M = TypeVar("M", bound=BaseModel)

REGISTERS: dict[str, tuple[str, type[BaseModel]]] = {
    "lawful_bases": ("lawful-bases.yaml", schema.LawfulBasesFile),
    "legislation": ("legislation.yaml", schema.LegislationFile),
    "organisations": ("organisations.yaml", schema.OrganisationsFile),
}


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


def validate_content(root: Path, diagnostics: Diagnostics) -> ValidContent | None:
    """Load and validate `root/content`; None when any error was found."""
    content = root / "content"
    if not content.is_dir():
        diagnostics.error(content, (1, 1), "there is no content folder here",
                          "run the command from the project folder that holds content/")
        return None
    sources: dict[str, SourceFile] = {}
    registers: dict[str, list[Any]] = {}
    context: dict[str, dict[str, str]] = {}
    for name, (filename, model) in REGISTERS.items():
        source = load_yaml(content / "definitions" / filename, diagnostics)
        entries = []
        if source is not None:
            sources[name] = source
            parsed = _validate(source, model, diagnostics)
            entries = list(getattr(parsed, name)) if parsed else _salvage_ids(source, name)
        registers[name] = entries
        if source is not None:  # an unreadable register: its references are not checked
            context[name] = {_entry_id(e): _entry_kind(e, name) for e in entries if _entry_id(e)}
            _report_duplicate_ids(source, name, diagnostics)

    site_source = load_yaml(content / "site.yaml", diagnostics)
    site = None
    if site_source is not None:
        sources["site"] = site_source
        contacts = site_source.data.get("contacts") if isinstance(site_source.data, dict) else None
        context["contacts"] = {
            c["id"]: "contact" for c in contacts or [] if isinstance(c, dict) and isinstance(c.get("id"), str)
        }
        site = _validate(site_source, schema.SiteFile, diagnostics, context)
        _report_duplicate_ids(site_source, "contacts", diagnostics)

    notices = _validate_notices(content / "notices", context, sources, diagnostics)
    if diagnostics.errors or site is None:
        return None
    return ValidContent(site, registers["lawful_bases"], registers["legislation"],
                        registers["organisations"], notices, sources)


def _validate_notices(
    folder: Path, context: dict[str, dict[str, str]], sources: dict[str, SourceFile],
    diagnostics: Diagnostics,
) -> list[schema.NoticeBase]:
    notices: list[schema.NoticeBase] = []
    slugs: dict[str, SourceFile] = {}
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not paths:
        diagnostics.error(folder, (1, 1), "there are no notices (no .yaml files in content/notices)")
    for path in paths:
        source = load_yaml(path, diagnostics)
        if source is None:
            continue
        kind = source.data.get("kind")
        model = schema.NOTICE_MODELS.get(kind) if isinstance(kind, str) else None
        if model is None:
            where = source.position(("kind",)) if "kind" in source.data else (1, 1)
            diagnostics.error(path, where, f"`kind` must be 'service' or 'main', not {kind!r}"
                              if "kind" in source.data else "missing required key 'kind'",
                              "add `kind: service` for a service's notice, `kind: main` for the main one")
            continue
        notice = _validate(source, model, diagnostics, context)
        if notice is None:
            continue
        if notice.slug in slugs:
            first = slugs[notice.slug]
            diagnostics.error(path, source.position(("slug",)),
                              f"two notices have the slug '{notice.slug}'",
                              f"the other is {diagnostics.relative(first.path)}:"
                              f"{first.position(('slug',))[0]}; each page needs its own slug")
            continue
        slugs[notice.slug] = source
        sources[f"notice:{notice.slug}"] = source
        notices.append(notice)
    if notices and sum(1 for n in notices if isinstance(n, schema.MainNotice)) != 1:
        diagnostics.error(folder, (1, 1), "there must be exactly one notice with `kind: main`")
    return notices


def _validate(
    source: SourceFile, model: type[M], diagnostics: Diagnostics, context: dict[str, Any] | None = None
) -> M | None:
    try:
        return model.model_validate(source.data, context=context or {})
    except ValidationError as exc:
        for problem in exc.errors(include_url=False):
            report_model_error(source, model, problem, diagnostics)
        return None


def report_model_error(
    source: SourceFile, model: type[BaseModel], problem: Any, diagnostics: Diagnostics
) -> None:
    """Turn one pydantic error into a plain-words message at the position written."""
    location = tuple(problem["loc"])
    kind = problem["type"]
    field_name = _field_label(location)
    hint = ""
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, location[:-1])
        close = difflib.get_close_matches(str(location[-1]), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys here: {', '.join(allowed)}"
        diagnostics.error(source.path, source.key_position(location), f"unknown key '{location[-1]}'", hint)
        return
    if kind == "missing":
        message = f"missing required key '{location[-1]}'"
        hint = f"add `{location[-1]}:` here"
    elif kind in ("value_error", "assertion_error"):
        message = str(problem["msg"]).removeprefix("Value error, ")
        if " | " in message:
            message, hint = message.split(" | ", 1)
    elif kind == "literal_error":
        message = f"{field_name} must be one of {problem['ctx']['expected']}, not {problem['input']!r}"
    elif kind == "string_pattern_mismatch":
        message = f"{field_name} '{problem['input']}' must be lowercase words joined by hyphens"
        hint = f"for example '{_suggest_id(str(problem['input']))}'"
    elif kind == "too_short":
        message = f"{field_name} must not be empty: list at least one item"
    elif kind in ("string_type", "int_type", "bool_type", "list_type", "dict_type", "model_type",
                  "date_type", "date_from_datetime_parsing", "date_parsing", "bool_parsing",
                  "int_parsing"):
        message = f"{field_name} {_TYPE_WORDS.get(kind, 'has the wrong type')}, not {_describe(problem['input'])}"
        if kind == "string_type" and problem["input"] is None:
            message = f"{field_name} is empty"
            hint = "write the value after the colon, or delete the line"
    else:
        message = f"{field_name}: {problem['msg']}"
    diagnostics.error(source.path, source.position(location), message, hint)


_TYPE_WORDS = {
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list (lines starting with '- ')",
    "dict_type": "must be a mapping of `key: value` lines",
    "model_type": "must be a mapping of `key: value` lines",
    "date_type": "must be a date written YYYY-MM-DD",
    "date_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _field_label(location: tuple[Any, ...]) -> str:
    words = [str(part) for part in location if not isinstance(part, int)]
    return f"'{words[-1]}'" if words else "the value"


def _suggest_id(value: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-id"


def _allowed_keys(model: type[BaseModel], location: tuple[Any, ...]) -> list[str]:
    """The keys the model allows at `location`, for 'did you mean' suggestions."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        field_info = getattr(current, "model_fields", {}).get(part)
        if field_info is None:
            return []
        current = _model_in(field_info.annotation)
    return sorted(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


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
    return [e for e in entries or [] if isinstance(e, dict) and isinstance(e.get("id"), str)]


def _report_duplicate_ids(source: SourceFile, name: str, diagnostics: Diagnostics) -> None:
    entries = source.data.get(name) if isinstance(source.data, dict) else None
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries or []):
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(entry_id, str):
            continue
        position = source.position((name, index, "id"))
        if entry_id in seen:
            diagnostics.error(source.path, position, f"duplicate id '{entry_id}' (first used at line"
                              f" {seen[entry_id]})", "each entry needs its own id")
        else:
            seen[entry_id] = position[0]
