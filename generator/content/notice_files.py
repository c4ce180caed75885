"""Stage 2 for content/notices: each notice file read and checked on its own, then all together.

On its own (with the rest of the notice's stages, see one_notice.py): the YAML, the `kind`, the
Markdown, the model and the ids inside the notice. Together: no two notices with one slug,
exactly one main notice, and every `notice:` link leading to a notice.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..diagnostics import Diagnostic, Diagnostics
from ..site.render import reserved_slugs
from . import schema
from .checked_files import (
    load_checked,
    report_duplicate_ids,
    report_unknown_id,
    validate_file,
)
from .load import SourceFile
from .prose import NoticeLink, check_markdown, check_notice_links

_KIND_OF = {model: kind for kind, model in schema.NOTICE_MODELS.items()}


KIND_HINT = "write `kind: service` for a service's notice, `kind: main` for the main one"


@dataclass
class NoticeRead:
    """One notice file, read and checked on its own: all that can be known without the others."""

    source: SourceFile | None
    slug: Any = None
    """The `slug:` as written, whatever it is, for the check that no two notices share one."""
    model: type[schema.NoticeBase] | None = None
    notice: schema.NoticeBase | None = None
    notice_links: list[NoticeLink] = field(default_factory=list)
    passed: bool = False
    """Whether the notice passed every check of its own (`notice` may since have been let go)."""


def validate_notices(
    folder: Path, context: dict[str, dict[str, str]], sources: dict[str, SourceFile],
    diagnostics: Diagnostics,
) -> list[schema.NoticeBase]:
    """Every notice read and checked, whole, in this process (the build reads one at a time instead)."""
    paths = notice_paths(folder, diagnostics)
    reads = []
    for path in paths:
        read, problems = read_notice_file(path, context, diagnostics_root=diagnostics.root)
        diagnostics.items += problems
        reads.append(read)
    return check_together(folder, paths, reads, sources, diagnostics)


def notice_paths(folder: Path, diagnostics: Diagnostics) -> list[Path]:
    """Every notice file, in the order they are read and reported."""
    paths = sorted(folder.glob("*.yaml"), key=str) + sorted(folder.glob("*.yml"), key=str)  # by name: quicker
    if not paths:
        diagnostics.error(folder, (1, 1), "there are no notices (no .yaml files in content/notices)")
    return paths


def check_together(
    folder: Path, paths: list[Path], reads: list[NoticeRead], sources: dict[str, SourceFile],
    diagnostics: Diagnostics,
) -> list[schema.NoticeBase]:
    """The checks of the notices as a whole: no two with one slug, exactly one main notice, every
    `notice:` link leading to a notice. Adds each notice's source to `sources`; returns the notices
    that passed (those still held: see `NoticeRead.passed`)."""
    loaded = [read for read in reads if read.source is not None]
    slugs: set[str] | None = _check_slugs(loaded, diagnostics)
    if len(loaded) < len(paths) or any(not isinstance(read.slug, str) for read in loaded):
        slugs = None  # a notice that cannot be read: links to it would be reported wrongly
    all_known = len(loaded) == len(paths) and all(read.model for read in loaded)
    mains = [read.source for read in loaded if read.model is schema.MainNotice and read.source is not None]
    _check_one_main(folder, mains, all_known, diagnostics)
    return _links_checked(loaded, slugs, sources, diagnostics)


def _links_checked(loaded: list[NoticeRead], slugs: set[str] | None, sources: dict[str, SourceFile],
                   diagnostics: Diagnostics) -> list[schema.NoticeBase]:
    """Each notice's `notice:` links checked against every slug; the notices that passed, whose
    sources are added to `sources`."""
    notices: list[schema.NoticeBase] = []
    for read in loaded:
        assert read.source is not None
        check_notice_links(read.source, read.notice_links, slugs, diagnostics)
        if read.passed and sources.get(f"notice:{read.slug}") is None:
            sources[f"notice:{read.slug}"] = read.source
            if read.notice is not None:
                notices.append(read.notice)
    return notices


def read_notice_file(
    path: Path, context: dict[str, dict[str, str]], *, diagnostics_root: Path
) -> tuple[NoticeRead, list[Diagnostic]]:
    """One notice file read and checked on its own, with its problems (none of them reported yet):
    loaded, its model found from `kind`, and checked against the registers' ids (`context`)."""
    diagnostics = Diagnostics(diagnostics_root)
    source = load_checked(path, diagnostics, positions=False)
    if source is None:
        return NoticeRead(None), diagnostics.items
    read = NoticeRead(source, source.data.get("slug"), _notice_model(source, diagnostics))
    if read.model is None:
        return read, diagnostics.items
    read.notice, read.notice_links = _check_notice(source, read.model, context, diagnostics)
    read.passed = read.notice is not None
    source.data = None  # the model holds it now
    return read, diagnostics.items


def _check_notice(
    source: SourceFile, model: type[schema.NoticeBase], context: dict[str, dict[str, str]],
    diagnostics: Diagnostics,
) -> tuple[schema.NoticeBase | None, list[NoticeLink]]:
    """Everything checked of one notice on its own: its Markdown, its model, its inner ids.
    Returns the notice (None when it has errors) and its `notice:` links, checked once all are read."""
    notice_links = check_markdown(source, model, diagnostics, context)
    data = {**source.data, "kind": _KIND_OF[model]}  # a wrong kind was reported once already
    notice = validate_file(source, model, diagnostics, context, data)
    if notice is not None:
        _check_notice_ids(source, notice, diagnostics)
    return notice, notice_links


def _notice_model(source: SourceFile, diagnostics: Diagnostics) -> type[schema.NoticeBase] | None:
    """The model the notice's `kind` names; a near miss is reported and still checked as meant."""
    data = source.data
    kinds = list(schema.NOTICE_MODELS)
    if "kind" not in data:
        diagnostics.error(source.path, source.position(()), "missing required key 'kind'", KIND_HINT)
        guess = "service" if "information_collected" in data else "main" if "sections" in data else None
        return schema.NOTICE_MODELS[guess] if guess else None
    kind = data["kind"]
    if isinstance(kind, str) and kind in schema.NOTICE_MODELS:  # not a list: it cannot be looked up
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
        if other is model or len(source.data.keys() & _only_in(other, model)) < 3:
            continue
        foreign = [key for key in source.data if key in _only_in(other, model)]
        if foreign:
            diagnostics.error(source.path, source.position(("kind",)),
                              f"this notice says `kind: {kind}`, but it is written like a"
                              f" `kind: {other_kind}` notice (it has {', '.join(foreign[:3])})",
                              f"did you mean `kind: {other_kind}`?")
            return other
    return model


@functools.cache
def _only_in(model: type[BaseModel], other: type[BaseModel]) -> frozenset[str]:
    """The fields of `model` that `other` does not have, worked out once: every notice is looked at."""
    return frozenset(model.model_fields) - frozenset(other.model_fields)


def _shown(value: Any) -> str:
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else repr(value)


def _check_slugs(loaded: list[NoticeRead], diagnostics: Diagnostics) -> set[str]:
    """Each notice's page needs its own address: two notices with one slug is an error at the second,
    and so is a slug that is the folder of a page every site has (lawful-bases/, sharing/, ...)."""
    reserved = reserved_slugs()
    first: dict[str, SourceFile] = {}
    for read in loaded:
        if not isinstance(read.slug, str) or read.source is None:
            continue
        if read.slug in reserved:
            diagnostics.error(read.source.path, read.source.position(("slug",)),
                              f"the slug '{read.slug}' is the address of a page the site makes itself",
                              f"choose another, such as '{read.slug}-notice'; these slugs are taken:"
                              f" {', '.join(reserved)}")
        if read.slug in first:
            other = first[read.slug]
            diagnostics.error(read.source.path, read.source.position(("slug",)),
                              f"two notices have the slug '{read.slug}'",
                              f"the other is {diagnostics.relative(other.path)}:"
                              f"{other.position(('slug',))[0]}; each page needs its own slug")
        else:
            first[read.slug] = read.source
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


def _check_notice_ids(source: SourceFile, notice: schema.NoticeBase, diagnostics: Diagnostics) -> None:
    """Ids that must be unique inside one notice, and references from one part to another."""
    if isinstance(notice, schema.ServiceNotice):
        tiers = report_duplicate_ids(source, ("information_collected", "tiers"), diagnostics)
        for index, period in enumerate(notice.retention or []):
            if period.tier is not None and period.tier not in tiers:
                report_unknown_id(source, ("retention", index, "tier"), "data tier", period.tier, tiers,
                                  "information_collected:", diagnostics)
    elif isinstance(notice, schema.MainNotice):
        sections = report_duplicate_ids(source, ("sections",), diagnostics)
        if notice.rights_after and notice.rights_after not in sections:
            report_unknown_id(source, ("rights_after",), "section", notice.rights_after, sections,
                              "sections:", diagnostics)
