"""Notices as data: notice.json beside every notice page, notices.json for the site, and their schemas.

A council's information asset register, a researcher comparing trusts or a family watching
for changes needs the notice as data, not as a page. Each notice.json is the notice's own
content with every register id replaced by the entry it names (the entry keeps its `id`).
The export models (export_models.py) are the content models with the references swapped for the
entries; the published JSON Schema is generated from them, and each file is built as they
describe it (tests/test_export.py checks every file against the models and the schema).
"""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable
from typing import Any, Literal

import pydantic_core
from pydantic import Field, TypeAdapter, ValidationError

from ..content import schema
from ..content.jsonschema import DIALECT, _without_nulls
from ..content.resolve import Notice, Site
from . import policy_document
from .content_hash import content_hash, sorted_for_hash
from .export_models import ExportedNotice
from .lawlinks import acts_by_id, cited_acts, prose_with_law_links

NOTICE_FILE = "notice.json"
INDEX_FILE = "notices.json"
NOTICE_SCHEMA = "schema/notice.json"
INDEX_SCHEMA = "schema/notices.json"
FEED_FILE = "feed.xml"
REGISTER_FILE = "processing.csv"


_NOTICE = TypeAdapter(ExportedNotice)


class IndexEntry(schema.Model):
    """One notice in notices.json: enough to tell, without fetching it, whether it changed."""

    slug: str
    kind: Literal["service", "main"]
    title: str
    summary: str
    url: str = Field(description="The notice's page.")
    data_url: str = Field(description="The notice as data (its notice.json).")
    young_people_url: str | None = Field(None, description="Its version for children and young people, if it"
                                         " has one (content/young-people/).")
    version: str
    last_updated: datetime.date
    changes: int = Field(ge=0, description="How many entries the notice's change list has.")
    latest_change: datetime.date | None = Field(None, description="The date of its newest change, if any.")
    content_hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description=(
        "sha256 of the notice's notice.json without `$schema` and `url`, as JSON with sorted keys,"
        " no spaces and UTF-8 text: it changes when anything the notice says changes."))


class NoticeIndex(schema.Model):
    """notices.json: every notice of the site, with the addresses of the other data files."""

    schema_url: str = Field(alias="$schema")
    title: str
    controller: str
    base_url: str
    feed: str = Field(description="The Atom feed of changes to every notice.")
    processing_register: str = Field(description="processing.csv: one row per notice and data tier.")
    notice_schema: str = Field(description="The JSON Schema of each notice.json.")
    notices: list[IndexEntry]


# --- Building the files ----------------------------------------------------------------------


def notice_url(site: Site, notice: Notice, file: str = "") -> str:
    """The absolute address of a notice's page (or of a file beside it)."""
    return f"{site.config.base_url}{notice.slug}/{file}"


def export_notice(site: Site, notice: Notice) -> tuple[dict[str, Any], dict[str, Any]]:
    """The notice as data, its content with every register entry in place of its id; and the same
    without `$schema` and `url` and with every object's keys sorted: what its content hash reads.

    Built by hand, from the validated content and the validated entries, as the export models
    (`ExportedNotice`) describe it and in the order of their fields: validating and dumping through
    those models took most of the time of a notice. tests/test_export.py checks that every notice.json
    is what the models make of it, and follows the schema made from them.
    """
    assert isinstance(notice.content, schema.NoticeBase), "notice.json is made from the whole notice"
    content = notice.content.model_dump(mode="json", exclude_none=True)
    document = policy_document.site_document_url(site, notice)
    if document is not None:  # the site's own page, which the notice links to
        content["lawful_basis"] = policy_document.with_document_url(content["lawful_basis"], document)
    hashed = sorted_for_hash(content)  # before the entries go in: each is sorted once per build
    entries = site.cache.entries
    _put_entries(content, notice, entries.as_written)
    _put_entries(hashed, notice, entries.sorted)
    published = {"controller": site.controller, "data_protection_officer": site.data_protection_officer,
                 "regulator": site.regulator}
    if site.config.controller_contact:
        published["controller_contact"] = site.contacts[site.config.controller_contact]
    exported = {"$schema": site.config.base_url + NOTICE_SCHEMA, **content, "url": notice_url(site, notice),
                **{key: entries.as_written(entry) for key, entry in published.items()}}
    hashed.update((key, entries.sorted(entry)) for key, entry in published.items())
    cited = cited_acts(prose_with_law_links(content), notice.acts, acts_by_id(site))
    exported["cited_legislation"] = [entries.as_written(act) for act in cited]
    hashed["cited_legislation"] = [entries.sorted(act) for act in cited]  # a title edited there: a new hash
    return exported, dict(sorted(hashed.items()))


def notice_data(site: Site, notice: Notice) -> tuple[bytes, str]:
    """One notice's notice.json and its content hash: made beside its page, in the same worker."""
    exported, hashed = export_notice(site, notice)
    return to_json(exported), content_hash(hashed)


def _put_entries(
    data: dict[str, Any], notice: Notice, as_data: Callable[[schema.Model], dict[str, Any]]
) -> None:
    """Put each register entry the notice names, as data, in place of its id in `data` (its content)."""
    if notice.is_main:
        for section in data["sections"]:
            section["contacts"] = [as_data(contact) for contact in notice.section_contacts[section["id"]]]
        return
    if "sources" in data:
        for item, source in zip(data["sources"]["items"], notice.sources, strict=True):
            if source.organisation is not None:
                item["organisation"] = as_data(source.organisation)
    _put_subjects_and_laws(data, notice, as_data)
    data["used_by"]["organisations"] = [as_data(organisation) for organisation in notice.users]
    for name in ("article_6", "article_9", "schedule_1", "criminal_offence"):  # the notice's own lists
        own = len(data["lawful_basis"][name])
        data["lawful_basis"][name] = [as_data(basis) for basis in getattr(notice, name)[:own]]
    for item, purpose in zip(data["purposes"]["items"], notice.purposes, strict=True):
        item["article_6"] = [as_data(basis) for basis in purpose.article_6]
        for key, conditions in (("article_9", purpose.article_9), ("article_10", purpose.article_10)):
            item[key] = [{"condition": as_data(c.condition), "schedule_1": [as_data(p) for p in c.schedule_1]}
                         for c in conditions]
    data["legislation"]["acts"] = [as_data(act) for act in notice.acts]
    for item, recipient in zip(data["sharing"]["recipients"], notice.recipients, strict=True):
        item["organisation"] = as_data(recipient.organisation)
    data["rights"]["contacts"] = [as_data(contact) for contact in notice.contacts]


def _put_subjects_and_laws(
    data: dict[str, Any], notice: Notice, as_data: Callable[[schema.Model], dict[str, Any]]
) -> None:
    """The data subjects (the notice's, its tiers', its items' and its retention's) and the Acts that set its
    retention periods, in place of their ids."""
    subjects = notice.subjects
    data["data_subjects"] = [as_data(subject) for subject in notice.data_subjects]
    for tier in data["information_collected"]["tiers"]:
        tier["data_subjects"] = [as_data(subjects[i]) for i in tier["data_subjects"]]
        for item in tier["items"]:
            item["data_subjects"] = [as_data(subjects[i]) for i in item["data_subjects"]]
    for period in data.get("retention", ()):
        period["data_subjects"] = [as_data(subjects[i]) for i in period["data_subjects"]]
        if "set_by" in period:
            period["set_by"] = as_data(notice.retention_laws[period["set_by"]])


def build_index(site: Site, hashes: dict[str, str]) -> dict[str, Any]:
    """notices.json: every notice with its addresses, version, dates and content hash (by slug)."""
    base = site.config.base_url
    entries = []
    for notice in site.notices:
        content = notice.content
        entries.append(IndexEntry(
            slug=notice.slug, kind="main" if notice.is_main else "service", title=notice.title,
            summary=content.summary, url=notice_url(site, notice),
            data_url=notice_url(site, notice, NOTICE_FILE),
            young_people_url=notice_url(site, notice, "young-people/") if notice.slug in site.young_people
            else None,
            version=content.version, last_updated=content.last_updated, changes=len(content.changes),
            latest_change=max((c.date for c in content.changes), default=None),
            content_hash=hashes[notice.slug]))
    index = NoticeIndex.model_validate({
        "$schema": base + INDEX_SCHEMA, "title": site.config.title, "controller": site.controller.name,
        "base_url": base, "feed": base + FEED_FILE, "processing_register": base + REGISTER_FILE,
        "notice_schema": base + NOTICE_SCHEMA, "notices": entries})
    dumped: dict[str, Any] = index.model_dump(mode="json", by_alias=True)
    for entry in dumped["notices"]:  # only a notice with a young people's version has the key
        if entry["young_people_url"] is None:
            del entry["young_people_url"]
    return {"$schema": dumped.pop("$schema"), **dumped}


def read_index(text: str) -> NoticeIndex:
    """A notices.json read back (a previous build's), or ValueError saying what is wrong with it."""
    try:
        return NoticeIndex.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise ValueError(f"it is not JSON ({exc.msg} at line {exc.lineno})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise ValueError(f"it is not a notices.json written by this tool ({where}: {first['msg']})") from None


def export_schemas(base_url: str) -> dict[str, dict[str, Any]]:
    """The JSON Schemas of notice.json and notices.json, keyed by their path in the site."""
    notice, index = _schemas()
    return {
        NOTICE_SCHEMA: {"$schema": DIALECT, "$id": base_url + NOTICE_SCHEMA, **notice,
                        "title": "Privacy notice as data",
                        "description": "A notice.json: the notice's content with every register entry"
                                       " (lawful basis, Act, organisation, contact) in place of its id."},
        INDEX_SCHEMA: {"$schema": DIALECT, "$id": base_url + INDEX_SCHEMA, **index,
                       "title": "Privacy notices index",
                       "description": "notices.json: every notice of the site, its version, dates and"
                                      " content hash."},
    }


@functools.cache
def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    """Worked out once per process: pydantic takes longer to write them than the preview to rebuild."""
    return (_without_nulls(_NOTICE.json_schema(mode="serialization", by_alias=True)),
            _without_nulls(NoticeIndex.model_json_schema(mode="serialization", by_alias=True)))


def to_json(value: Any) -> bytes:
    """The one way every JSON file is written: fixed order, UTF-8 text, two-space indent, final newline."""
    # pydantic_core writes exactly what json.dumps(value, ensure_ascii=False, indent=2) writes for
    # these values (text, whole numbers, booleans, null: the models have no floats), 7 times faster;
    # tests/test_parallel.py compares the two.
    return pydantic_core.to_json(value, indent=2) + b"\n"


def data_files(
    site: Site, notice_files: dict[str, bytes] | None = None, hashes: dict[str, str] | None = None
) -> dict[str, bytes]:
    """Every JSON file of the site: notice.json per notice, notices.json and the two schemas.

    `notice_files` and `hashes` (by slug) are the notices' files when the renderer made them already.
    """
    if notice_files is None or hashes is None:
        made = {notice.slug: notice_data(site, notice) for notice in site.notices}
        notice_files = {slug: data for slug, (data, _) in made.items()}
        hashes = {slug: digest for slug, (_, digest) in made.items()}
    files = {f"{notice.slug}/{NOTICE_FILE}": notice_files[notice.slug] for notice in site.notices}
    files.update(index_files(site, hashes))
    return files


def index_files(site: Site, hashes: dict[str, str]) -> dict[str, bytes]:
    """notices.json (from each notice's content hash, by slug) and the two schemas."""
    files = {INDEX_FILE: to_json(build_index(site, hashes))}
    files.update({path: to_json(value) for path, value in export_schemas(site.config.base_url).items()})
    return files
