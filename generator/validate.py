"""Stage 2, validate: every content file against its model, every id against its register.

Nothing here stops at the first problem: each file is checked, each error is recorded
with the line and column the editor wrote, and the caller decides what to do. Turning a
pydantic error into plain words is `messages.report_model_errors`' job.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import parallel, schema
from .diagnostics import Diagnostic, Diagnostics
from .load import Location, SourceFile, load_yaml
from .messages import report_blank_values, report_model_errors
from .prose import check_markdown

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")

REGISTERS: dict[str, tuple[str, type[BaseModel]]] = {
    "lawful_bases": ("lawful-bases.yaml", schema.LawfulBasesFile),
    "legislation": ("legislation.yaml", schema.LegislationFile),
    "organisations": ("organisations.yaml", schema.OrganisationsFile),
}
_KIND_OF = {model: kind for kind, model in schema.NOTICE_MODELS.items()}
KIND_HINT = "write `kind: service` for a service's notice, `kind: main` for the main one"


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


@dataclass
class ValidationCache:
    """Each file's results from the last run, kept by the preview between saves: a file whose bytes
    (and, for a notice, the ids and slugs it was checked against) are unchanged is not read again."""

    loaded: dict[Path, tuple[bytes, SourceFile | None, list[Diagnostic]]] = field(default_factory=dict)
    checked: dict[Path, tuple[Any, Any, list[Diagnostic]]] = field(default_factory=dict)
    seen: set[Path] = field(default_factory=set)
    """The files read in this run; what is kept for any other is dropped at its end."""

    def load(self, path: Path, diagnostics: Diagnostics, positions: bool = True) -> SourceFile | None:
        """load_yaml, or what it gave last time for the same bytes (with the same problems)."""
        try:
            raw = path.read_bytes()
        except OSError:
            return load_yaml(path, diagnostics, positions=positions)  # which reports it
        self.seen.add(path)
        known = self.loaded.get(path)
        if known is not None and known[0] == raw:
            diagnostics.items += known[2]
            return known[1]
        start = len(diagnostics.items)
        source = load_yaml(path, diagnostics, raw, positions=positions)
        self.loaded[path] = (raw, source, diagnostics.items[start:])
        return source

    def checked_once(self, source: SourceFile, key: tuple[Any, ...], diagnostics: Diagnostics,
                     check: Callable[[], T]) -> T:
        """check(), or its result from last time for the same file object checked against `key`."""
        known = self.checked.get(source.path)
        if known is not None and known[0][0] is source and known[0][1:] == key:
            diagnostics.items += known[2]
            return known[1]  # type: ignore[no-any-return]
        start = len(diagnostics.items)
        result = check()
        self.checked[source.path] = ((source, *key), result, diagnostics.items[start:])
        return result

    def forget_the_rest(self) -> None:
        """Drop what is kept for files not read in this run (deleted or renamed)."""
        for kept in (self.loaded, self.checked):
            for path in set(kept) - self.seen:
                del kept[path]
        self.seen = set()


def _load(
    path: Path, diagnostics: Diagnostics, cache: ValidationCache | None, positions: bool = True
) -> SourceFile | None:
    """A notice is loaded with `positions=False`: they are read again only for a problem (load.py)."""
    if cache is not None:
        return cache.load(path, diagnostics, positions)
    return load_yaml(path, diagnostics, positions=positions)


def _load_notices(
    paths: list[Path], diagnostics: Diagnostics, cache: ValidationCache | None
) -> list[SourceFile | None]:
    """Every notice file, loaded in forked workers when there are many (see parallel.py).

    Each file's problems come back with it and are added in the order of the files, so the
    diagnostics are those of a one-process run. The preview (with its cache) loads in this process.
    """
    if cache is not None:
        return [_load(path, diagnostics, cache, positions=False) for path in paths]
    jobs = [partial(_load_alone, path, diagnostics.root) for path in paths]
    loaded = []
    for source, problems in parallel.each(jobs, threshold=parallel.LOAD_THRESHOLD):
        diagnostics.items += problems
        loaded.append(source)
    return loaded


def _load_alone(path: Path, root: Path) -> tuple[SourceFile | None, list[Diagnostic]]:
    diagnostics = Diagnostics(root)
    return load_yaml(path, diagnostics, positions=False), diagnostics.items


def validate_content(
    root: Path, diagnostics: Diagnostics, cache: ValidationCache | None = None
) -> ValidContent | None:
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
        source = _load(content / "definitions" / filename, diagnostics, cache)
        entries: list[Any] = []
        if source is not None:
            sources[name] = source
            check = partial(_validate, source, model, diagnostics)
            parsed = cache.checked_once(source, (model,), diagnostics, check) if cache else check()
            entries = list(getattr(parsed, name)) if parsed else _salvage_ids(source, name)
        registers[name] = entries
        if source is not None:  # an unreadable register: its references are not checked
            context[name] = {_entry_id(e): _entry_kind(e, name) for e in entries if _entry_id(e)}
            report_duplicate_ids(source, (name,), diagnostics)

    site_source = _load(content / "site.yaml", diagnostics, cache)
    site: schema.SiteFile | None = None
    if site_source is not None:
        sources["site"] = site_source
        contacts = site_source.data.get("contacts")
        context["contacts"] = {
            c["id"]: "contact" for c in contacts if isinstance(c, dict) and isinstance(c.get("id"), str)
        } if isinstance(contacts, list) else {}
        check_site: Callable[[], schema.SiteFile | None] = partial(
            _validate, site_source, schema.SiteFile, diagnostics, context)
        site = (cache.checked_once(site_source, (repr(context),), diagnostics, check_site) if cache
                else check_site())
        report_duplicate_ids(site_source, ("contacts",), diagnostics)

    notices = _validate_notices(content / "notices", context, sources, diagnostics, cache)
    if cache is not None:
        cache.forget_the_rest()
    if diagnostics.errors or site is None:
        return None
    return ValidContent(site, registers["lawful_bases"], registers["legislation"],
                        registers["organisations"], notices, sources)


def _validate_notices(
    folder: Path, context: dict[str, dict[str, str]], sources: dict[str, SourceFile],
    diagnostics: Diagnostics, cache: ValidationCache | None = None,
) -> list[schema.NoticeBase]:
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    if not paths:
        diagnostics.error(folder, (1, 1), "there are no notices (no .yaml files in content/notices)")
    loaded = [source for source in _load_notices(paths, diagnostics, cache) if source is not None]
    slugs: set[str] | None = _check_slugs(loaded, diagnostics)
    if len(loaded) < len(paths) or any(not isinstance(s.data.get("slug"), str) for s in loaded):
        slugs = None  # a notice that cannot be read: links to it would be reported wrongly
    models = [(source, _notice_model(source, diagnostics)) for source in loaded]
    all_known = len(loaded) == len(paths) and all(model for _, model in models)
    _check_one_main(folder, [source for source, model in models if model is schema.MainNotice], all_known,
                    diagnostics)
    notices: list[schema.NoticeBase] = []
    # What a notice's checks depend on besides its own text: the register ids and the notices' slugs.
    against = (repr(sorted((name, sorted(ids.items())) for name, ids in context.items())),
               None if slugs is None else frozenset(slugs))
    for source, model in models:
        if model is None:
            continue
        check = partial(_check_notice, source, model, slugs, context, diagnostics)
        notice = cache.checked_once(source, (model, against), diagnostics, check) if cache else check()
        if notice is None:
            continue
        if cache is None:
            source.data = None  # the model holds it now; only the preview validates a file twice
        if sources.get(f"notice:{notice.slug}") is None:
            sources[f"notice:{notice.slug}"] = source
            notices.append(notice)
    return notices


def _check_notice(
    source: SourceFile, model: type[schema.NoticeBase], slugs: set[str] | None,
    context: dict[str, dict[str, str]], diagnostics: Diagnostics,
) -> schema.NoticeBase | None:
    """Everything checked of one notice on its own: its Markdown, its model, its inner ids."""
    check_markdown(source, model, slugs, diagnostics)
    data = {**source.data, "kind": _KIND_OF[model]}  # a wrong kind was reported once already
    notice = _validate(source, model, diagnostics, context, data)
    if notice is not None:
        _check_notice_ids(source, notice, diagnostics)
    return notice


def _notice_model(source: SourceFile, diagnostics: Diagnostics) -> type[schema.NoticeBase] | None:
    """The model the notice's `kind` names; a near miss is reported and still checked as meant."""
    data = source.data
    kinds = list(schema.NOTICE_MODELS)
    if "kind" not in data:
        diagnostics.error(source.path, source.position(()), "missing required key 'kind'", KIND_HINT)
        guess = "service" if "information_collected" in data else "main" if "sections" in data else None
        return schema.NOTICE_MODELS[guess] if guess else None
    kind = data["kind"]
    if kind in schema.NOTICE_MODELS:
        return _kind_that_fits(source, kind, diagnostics)
    where = source.position(("kind",))  # only when reported: it may read the file again (load.py)
    if kind is None:
        diagnostics.error(source.path, where, "'kind' is empty", KIND_HINT)
        return None
    close = difflib.get_close_matches(str(kind).strip().lower(), kinds, n=1, cutoff=0.6)
    diagnostics.error(source.path, where, f"'kind' must be 'service' or 'main', not {_shown(kind)}",
                      f"did you mean '{close[0]}'?" if close else KIND_HINT)
    return schema.NOTICE_MODELS[close[0]] if close else None


def _kind_that_fits(source: SourceFile, kind: str, diagnostics: Diagnostics) -> type[schema.NoticeBase]:
    """A service notice marked `kind: main` (or the reverse) is one mistake, not twenty unknown keys."""
    model = schema.NOTICE_MODELS[kind]
    for other_kind, other in schema.NOTICE_MODELS.items():
        foreign = [key for key in source.data if key not in model.model_fields and key in other.model_fields]
        if other is not model and len(foreign) >= 3:
            diagnostics.error(source.path, source.position(("kind",)),
                              f"this notice says `kind: {kind}`, but it is written like a"
                              f" `kind: {other_kind}` notice (it has {', '.join(foreign[:3])})",
                              f"did you mean `kind: {other_kind}`?")
            return other
    return model


def _shown(value: Any) -> str:
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else repr(value)


def _check_slugs(loaded: list[SourceFile], diagnostics: Diagnostics) -> set[str]:
    """Each notice's page needs its own address: two notices with one slug is an error at the second."""
    first: dict[str, SourceFile] = {}
    for source in loaded:
        slug = source.data.get("slug")
        if not isinstance(slug, str):
            continue
        if slug in first:
            other = first[slug]
            diagnostics.error(source.path, source.position(("slug",)), f"two notices have the slug '{slug}'",
                              f"the other is {diagnostics.relative(other.path)}:"
                              f"{other.position(('slug',))[0]}; each page needs its own slug")
        else:
            first[slug] = source
    return set(first)


def _check_one_main(folder: Path, mains: list[SourceFile], all_known: bool, diagnostics: Diagnostics) -> None:
    """Exactly one main notice; "none" is only said when every notice could be read."""
    if not mains and all_known and any(folder.glob("*.y*ml")):
        diagnostics.error(folder, (1, 1), "there is no main notice: exactly one notice needs `kind: main`",
                          "the main notice says who we are, your rights and how to complain")
    if len(mains) < 2:
        return
    for source in mains:
        others = ", ".join(diagnostics.relative(m.path) for m in mains if m is not source)
        diagnostics.error(source.path, source.position(("kind",)),
                          f"there can be only one notice with `kind: main`, but {others} has it too",
                          "keep `kind: main` on the main notice; the others are `kind: service`")


def _validate(
    source: SourceFile, model: type[M], diagnostics: Diagnostics, context: dict[str, Any] | None = None,
    data: Any = None,
) -> M | None:
    """Check one file against its model; every problem is reported, None if there was any."""
    parsed: M | None = None
    try:
        parsed = model.model_validate(source.data if data is None else data, context=context or {})
        problems: list[Any] = []
    except ValidationError as exc:
        problems = exc.errors(include_url=False)
    reported = report_model_errors(source, model, problems, diagnostics)
    if report_blank_values(source, reported, diagnostics):
        return None
    return parsed


def report_model_error(
    source: SourceFile, model: type[BaseModel], problem: Any, diagnostics: Diagnostics
) -> None:
    """Turn one pydantic error into a plain-words message at the position written."""
    report_model_errors(source, model, [problem], diagnostics)


def _check_notice_ids(source: SourceFile, notice: schema.NoticeBase, diagnostics: Diagnostics) -> None:
    """Ids that must be unique inside one notice, and references from one part to another."""
    if isinstance(notice, schema.ServiceNotice):
        tiers = report_duplicate_ids(source, ("information_collected", "tiers"), diagnostics)
        for index, period in enumerate(notice.retention or []):
            if period.tier is not None and period.tier not in tiers:
                _unknown(source, ("retention", index, "tier"), "data tier", period.tier, tiers,
                         "information_collected:", diagnostics)
    elif isinstance(notice, schema.MainNotice):
        sections = report_duplicate_ids(source, ("sections",), diagnostics)
        if notice.rights_after and notice.rights_after not in sections:
            _unknown(source, ("rights_after",), "section", notice.rights_after, sections, "sections:",
                     diagnostics)


def _unknown(source: SourceFile, location: Location, noun: str, value: str, known: list[str],
             where: str, diagnostics: Diagnostics) -> None:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    diagnostics.error(source.path, source.position(location), f"unknown {noun} '{value}'",
                      f"did you mean '{close[0]}'?" if close else
                      f"use the id of one of the {noun}s under `{where}`: {', '.join(known)}")


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


def report_duplicate_ids(source: SourceFile, location: Location, diagnostics: Diagnostics) -> list[str]:
    """Report an id used twice in the list at `location`; returns the ids, each once, in order."""
    entries: Any = source.data
    for part in location:
        entries = entries.get(part) if isinstance(entries, dict) else None
    seen: dict[str, int] = {}  # each id, with the index of its first entry
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        entry_id = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(entry_id, str):
            continue
        if entry_id in seen:  # positions only for a problem: they may be read again (load.py)
            first = source.position(location + (seen[entry_id], "id"))[0]
            diagnostics.error(source.path, source.position(location + (index, "id")),
                              f"duplicate id '{entry_id}' (first used at line {first})",
                              "each entry needs its own id")
        else:
            seen[entry_id] = index
    return list(seen)
