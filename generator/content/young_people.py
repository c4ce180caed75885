"""The young people's versions (content/young-people/<slug>.yaml): read, validated, and kept in step.

A version is read with its notice (one_notice.py for a service notice, build.py for the main one),
checked against its model like any content file, then against the full notice: every purpose
(by its `id`), every recipient (by its organisation id) and, for the main notice, every right (by
its kind) must be named in one of its sections or left out with a reason. An id the full notice does
not have is a warning (it would explain something the notice no longer says), and so is an item of the
full notice that the version neither names nor leaves out [young-people]: the notice gained something
the children it is about are not told. Warnings, not errors: editing a notice never stops the build.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics
from . import schema
from .checked_files import load_checked, report_duplicate_ids, validate_file
from .load import Location, SourceFile
from .prose import check_markdown
from .schema.young_people import YoungPeopleVersion

FOLDER = "young-people"
"""content/young-people/: one file per notice, named after its slug."""
RULE = "young-people"
KINDS = ("purposes", "recipients", "rights")
_NOUN = {"purposes": "purpose", "recipients": "recipient", "rights": "right"}
_WHERE = {"purposes": "purposes: items:", "recipients": "sharing: recipients:", "rights": "rights: items:"}


def young_folder(root: Path) -> Path:
    return root / "content" / FOLDER


def young_slugs(root: Path) -> frozenset[str]:
    """The slugs that have a young people's version (a file, readable or not: errors are reported)."""
    folder = young_folder(root)
    return frozenset(path.stem for path in folder.glob("*.yaml")) if folder.is_dir() else frozenset()


@dataclass(frozen=True)
class FullItems:
    """What the full notice lists that its young people's version must cover, each with its position."""

    purposes: dict[str, tuple[int, int]]
    recipients: dict[str, tuple[int, int]]
    rights: dict[str, tuple[int, int]]


def full_items(notice: schema.NoticeBase, source: SourceFile, diagnostics: Diagnostics,
               *, warn_unnamed: bool) -> FullItems:
    """The purposes, recipients and rights of the full notice; a purpose with no id is a warning
    (when `warn_unnamed`): nothing can refer to it."""
    purposes: dict[str, tuple[int, int]] = {}
    recipients: dict[str, tuple[int, int]] = {}
    rights: dict[str, tuple[int, int]] = {}
    if isinstance(notice, schema.ServiceNotice):
        for index, purpose in enumerate(notice.purposes.items):
            where: Location = ("purposes", "items", index)
            if purpose.id is not None:
                purposes[purpose.id] = source.position(where)
            elif warn_unnamed:
                diagnostics.warning(source.path, source.position(where),
                                    f"the purpose '{purpose.text}' has no id, so the young people's version"
                                    f" cannot say it explains it [{RULE}]",
                                    "write it as `- id: SHORT-NAME` with `text: ...`, and name the id in"
                                    f" {FOLDER}/{notice.slug}.yaml", rule=RULE)
        for index, recipient in enumerate(notice.sharing.recipients):
            recipients.setdefault(recipient.organisation,
                                  source.position(("sharing", "recipients", index)))
    elif isinstance(notice, schema.MainNotice):
        for index, right in enumerate(notice.rights.items):
            rights.setdefault(right.right, source.position(("rights", "items", index)))
    return FullItems(purposes, recipients, rights)


def read_young_version(
    root: Path, notice: schema.NoticeBase, notice_source: SourceFile, context: dict[str, dict[str, str]],
) -> tuple[YoungPeopleVersion | None, list[Diagnostic]]:
    """The notice's young people's version (None when it has none, or errors), with its problems."""
    path = young_folder(root) / f"{notice.slug}.yaml"
    diagnostics = Diagnostics(root)
    if not path.exists():
        return None, []
    source = load_checked(path, diagnostics)
    if source is None:
        return None, diagnostics.items
    check_markdown(source, YoungPeopleVersion, diagnostics)
    version = validate_file(source, YoungPeopleVersion, diagnostics, context)
    report_duplicate_ids(source, ("sections",), diagnostics)
    if version is not None:
        full = full_items(notice, notice_source, diagnostics, warn_unnamed=True)
        check_coverage(source, version, full, notice_source, diagnostics)
    if diagnostics.errors:
        return None, diagnostics.items
    return version, diagnostics.items


def check_coverage(source: SourceFile, version: YoungPeopleVersion, full: FullItems,
                   notice_source: SourceFile, diagnostics: Diagnostics) -> None:
    """Every id named must be in the full notice, and every item of the full notice must be named or left
    out (warnings, the latter at `sections:`)."""
    for kind in KINDS:
        known: dict[str, tuple[int, int]] = getattr(full, kind)
        named: set[str] = set()
        for index, section in enumerate(version.sections):
            for nth, value in enumerate(getattr(section, kind)):
                named.add(value)
                if value not in known:
                    _unknown(source, ("sections", index, kind, nth), kind, value, known, diagnostics)
        for value in getattr(version.left_out, kind):
            if value not in known:
                _unknown(source, ("left_out", kind, value), kind, value, known, diagnostics, key=True)
            elif value in named:
                diagnostics.warning(source.path, source.key_position(("left_out", kind, value)),
                                    f"the {_NOUN[kind]} '{value}' is both explained and left out [{RULE}]",
                                    "take it out of `left_out:`, or out of the section that names it",
                                    rule=RULE)
        for value, (line, _) in known.items():
            if value not in named and value not in version.left_out.model_dump()[kind]:
                diagnostics.warning(
                    source.path, source.key_position(("sections",)),
                    f"the full notice's {_NOUN[kind]} '{value}' ({diagnostics.relative(notice_source.path)}"
                    f":{line}) is not in the young people's version [{RULE}]",
                    f"name it under a section's `{kind}:` where the section explains it, or under"
                    f" `left_out: {kind}:` with the reason", rule=RULE)


def _unknown(source: SourceFile, location: Location, kind: str, value: str,
             known: dict[str, tuple[int, int]], diagnostics: Diagnostics, key: bool = False) -> None:
    """An id the full notice does not have: a warning, so that taking an item out of a notice never
    stops the build, but the version is told it now explains something the notice no longer says."""
    noun = _NOUN[kind]
    where = source.key_position(location) if key else source.position(location)
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    if not known:
        hint = f"take '{value}' out, or give the full notice's {noun} the id '{value}'"
    elif close:
        hint = f"did you mean '{close[0]}'?"
    else:
        hint = (f"take it out, or use one of the ids under `{_WHERE[kind]}` of the full notice:"
                f" {', '.join(known)}")
    diagnostics.warning(source.path, where, f"unknown {noun} '{value}': the full notice does not list it"
                        f" [{RULE}]", hint, rule=RULE)


def orphan_versions(root: Path, slugs: set[str], diagnostics: Diagnostics) -> None:
    """A young people's version whose file name is no notice's slug is an error: it would never be shown."""
    folder = young_folder(root)
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir(), key=str):
        if path.suffix == ".yml" or (path.suffix == ".yaml" and path.stem not in slugs):
            close = difflib.get_close_matches(path.stem, sorted(slugs), n=1, cutoff=0.6)
            diagnostics.warning(path, (1, 1), f"no notice has the slug '{path.stem}', so this young people's"
                                f" version is not shown [{RULE}]", f"name the file {close[0]}.yaml, after its"
                                " notice's slug" if close and path.suffix == ".yaml" else
                                "name the file after its notice's slug, ending in .yaml", rule=RULE)
