"""JSON-LD on every notice page: the processing described with the W3C Data Privacy Vocabulary.

Search engines, browser extensions and registers that read linked data find, in each notice
page's <head>, what the page says in words: the controller, purposes, data, lawful bases,
recipients, sources and retention. Lawful bases use DPV's GDPR IRIs where DPV has them (the
UK GDPR keeps the EU GDPR's numbering); for what DPV lacks (Article 6(1)(ea), Article 10,
DPA 2018 Schedule 1) the IRI is the basis's entry on the site's lawful-bases page, which
resolves to its statutory wording (see docs/data.md).

It is data, not script: the page's Content-Security-Policy still runs no script, and the
JSON is escaped so that no text in the content can close the <script> element.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

import pydantic_core
from markupsafe import Markup

from ..content.bases import PurposeBases, provisions_once
from ..content.resolve import Notice, Site
from ..content.schema import (
    Act,
    Contact,
    DataSubject,
    LawfulBasis,
    Organisation,
    RetentionPeriod,
    ServiceNotice,
)
from .entry_data import PerEntry
from .fragments import as_markup
from .lawlinks import acts_by_id
from .retention import retention_text

DPV = "https://w3id.org/dpv#"
EU_GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
CONTEXT = {
    "dpv": DPV,
    "eu-gdpr": EU_GDPR,
    "dct": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
}
_GDPR_POINT = re.compile(r"Article (?P<article>6|9)\((?P<paragraph>1|2)\)\((?P<point>[a-j])\)")
_IN_DPV = {("6", "1"): "abcdef", ("9", "2"): "abcdefghij"}
"""The points DPV's GDPR extension names: Article 6(1)(a) to (f) and Article 9(2)(a) to (j)."""


def lawful_basis_iri(basis: LawfulBasis, base_url: str) -> str:
    """DPV's IRI for a GDPR point it names (eu-gdpr:A6-1-e), else the basis's entry on our site."""
    match = _GDPR_POINT.fullmatch(basis.article.strip())
    if match and match["point"] in _IN_DPV.get((match["article"], match["paragraph"]), ""):
        return f"{EU_GDPR}A{match['article']}-{match['paragraph']}-{match['point']}"
    return f"{base_url}lawful-bases/#{basis.id}"


def criminal_offence_data_iri(base_url: str) -> str:
    """DPV has no class for criminal offence data (UK GDPR Article 10): ours is the law's heading."""
    return f"{base_url}lawful-bases/#article-10"


def describe_notice(site: Site, notice: Notice) -> dict[str, Any]:
    """The notice's processing as a JSON-LD object, with only terms DPV (or docs/data.md) defines."""
    base = site.config.base_url
    page = f"{base}{notice.slug}/"
    content = notice.content
    node: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": page + "#processing",
        "@type": "dpv:PersonalDataHandling",
        "dct:title": content.title,
        "dct:description": content.summary,
        "dct:modified": {"@value": content.last_updated.isoformat(), "@type": "xsd:date"},
        "dct:hasVersion": content.version,
        "rdfs:seeAlso": [{"@id": page}, {"@id": page + "notice.json"}],
        "dpv:hasDataController": _organisation(site.controller, "dpv:DataController"),
        "dpv:hasDataProtectionOfficer": _contact(site.data_protection_officer),
    }
    if not isinstance(content, ServiceNotice):
        node["dpv:hasPersonalDataHandling"] = [{"@id": f"{base}{other.slug}/#processing"}
                                               for other in site.service_notices]
        return node
    bases, organisations = site.cache.per_entry(_LAWFUL_BASES), site.cache.per_entry(_ORGANISATIONS)
    node["dpv:hasPurpose"] = [_purpose(row, bases, base) for row in notice.purposes]
    node["dpv:hasLegalBasis"] = [_kept(bases, basis, base, _lawful_basis)
                                 for basis in notice.lawful_bases]
    data_types = {(special, criminal): _data_types(special, criminal, base)
                  for special in (False, True) for criminal in (False, True)}
    node["dpv:hasPersonalData"] = [
        {"@type": data_types[item.special_category, item.criminal_offence], "rdfs:label": item.name,
         **({"dpv:hasDataSubject": [_data_subject(notice.subjects[s]) for s in item.data_subjects]}
            if item.data_subjects else {})}
        for tier in content.information_collected.tiers for item in tier.items
    ]
    node["dpv:hasDataSubject"] = [_data_subject(subject) for subject in notice.data_subjects]
    node["dpv:hasDataSource"] = [
        {**(_kept(organisations, source.organisation, "dpv:ThirdPartyDataSource", _organisation)
            if source.organisation else {"@type": "dpv:ThirdPartyDataSource", "rdfs:label": source.category}),
         "dct:description": source.data,
         "dpv:hasPersonalData": {"@type": data_types[source.special_category, source.criminal_offence],
                                 "rdfs:label": source.data}}
        for source in notice.sources
    ]
    node["dpv:hasRecipient"] = [
        {**_kept(organisations, recipient.organisation, "dpv:Recipient", _organisation),
         **({"dct:description": recipient.why} if recipient.why else {})}
        for recipient in notice.recipients
    ]
    node["dpv:hasStorageCondition"] = [_storage(period, notice) for period in content.retention or []]
    node["dpv:hasApplicableLaw"] = [_law(act, site) for act in notice.acts]
    return node


def _purpose(row: PurposeBases, bases: PerEntry, base: str) -> dict[str, Any]:
    """A dpv:Purpose, with the legal bases it names (each Article 9 or 10 condition and its Schedule 1
    paragraphs), when it names any."""
    node: dict[str, Any] = {"@type": "dpv:Purpose", "dct:description": row.purpose.text}
    if row.named:
        paired = (b for c in (*row.article_9, *row.article_10) for b in (c.condition, *c.schedule_1))
        node["dpv:hasLegalBasis"] = [_kept(bases, basis, base, _lawful_basis)
                                     for basis in provisions_once((*row.article_6, *paired))]
    return node


def _law(act: Act, site: Site) -> dict[str, Any]:
    """An Act with whether it is in force (schema.org's legislationLegalForce), and what replaced it."""
    described: dict[str, Any] = {"@id": act.url, "rdfs:label": act.title, "schema:legislationLegalForce": {
        "@id": "schema:InForce" if act.status == "in-force" else "schema:NotInForce"}}
    replacement = acts_by_id(site).get(act.replaced_by) if act.replaced_by else None
    if replacement is not None:
        described["dct:isReplacedBy"] = {"@id": replacement.url}
    return described


_LAWFUL_BASES, _ORGANISATIONS = "JSON-LD lawful basis", "JSON-LD organisation"
"""Each register entry's description is kept in the build's cache (entry_data.BuildCache), by entry and
base URL or kind: a notice names some thirty entries, and the notices of a big build the same few."""

E = TypeVar("E")


def _kept(
    kept: PerEntry, entry: E, more: str, describe: Callable[[E, str], dict[str, Any]]
) -> dict[str, Any]:
    """describe(entry, more), made once (shared by every notice that names the entry: not to be changed)."""
    return kept.get(entry, more, lambda: describe(entry, more))


def _lawful_basis(basis: LawfulBasis, base_url: str) -> dict[str, Any]:
    iri = lawful_basis_iri(basis, base_url)
    described: dict[str, Any] = {"@id": iri, "rdfs:label": f"{basis.article}: {basis.title}"}
    if not iri.startswith(EU_GDPR):  # our own term: say what it is and where its wording comes from
        described.update({"@type": "dpv:LegalBasis", "rdfs:seeAlso": {"@id": basis.source}})
    return described


def _data_types(special: bool, criminal: bool, base_url: str) -> list[str]:
    types = ["dpv:SpecialCategoryPersonalData"] if special else []
    if criminal:
        types += ["dpv:SensitivePersonalData", criminal_offence_data_iri(base_url)]
    return types or ["dpv:PersonalData"]


def _data_subject(subject: DataSubject) -> dict[str, Any]:
    return {"@type": "dpv:DataSubject", "rdfs:label": subject.name, "dct:identifier": subject.id,
            "dct:description": subject.description}


def _storage(period: RetentionPeriod, notice: Notice) -> dict[str, Any]:
    """A retention entry: its sentence, and whose information it is and the law that sets it, if said."""
    said = retention_text(period, notice)
    described: dict[str, Any] = {"@type": "dpv:StorageDuration", "rdfs:label": said.label,
                                 "dct:description": said.sentence if said.structured else said.how_long}
    if period.data_subjects:
        described["dpv:hasDataSubject"] = [_data_subject(notice.subjects[s]) for s in period.data_subjects]
    if said.law:
        described["dpv:hasApplicableLaw"] = {"@id": said.law.url, "rdfs:label": said.law.title}
    return described


def _organisation(organisation: Organisation, kind: str) -> dict[str, Any]:
    described: dict[str, Any] = {"@type": kind, "rdfs:label": organisation.name,
                                 "dct:identifier": organisation.id}
    if organisation.website:
        described["rdfs:seeAlso"] = {"@id": organisation.website}
    return described


def _contact(contact: Contact) -> dict[str, Any]:
    described: dict[str, Any] = {"@type": "dpv:DataProtectionOfficer", "rdfs:label": contact.name}
    if contact.email:
        described["rdfs:seeAlso"] = {"@id": f"mailto:{contact.email}"}
    return described


def escape_for_script(text: bytes) -> bytes:
    """JSON (UTF-8) that is safe inside <script>: no '<' (so no '</script' or '<!--'), '>' or '&' at all.

    JSON only has these characters inside strings, where the \\u escapes mean the same text. In UTF-8
    these bytes are these characters and nothing else, and looking for a byte is quicker than for a
    character of a text that is not all ASCII.
    """
    return text.replace(b"<", b"\\u003c").replace(b">", b"\\u003e").replace(b"&", b"\\u0026")


def script_content(site: Site, notice: Notice) -> Markup:
    """The text of the page's <script type="application/ld+json"> element, already made safe."""
    # pydantic_core writes what json.dumps(..., ensure_ascii=False, separators=(",", ":")) writes for
    # these values (text, lists, objects), several times faster; tests/test_export.py compares the two.
    text = pydantic_core.to_json(describe_notice(site, notice))
    return as_markup(escape_for_script(text).decode("utf-8"))
