"""Notices as data: notice.json and its schema, notices.json, JSON-LD, processing.csv, feed.xml and
`check --previous`, each compared with what the pages and the content files say."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURE, notices

from generator.build import build_in_memory
from generator.content.resolve import Site, resolve_references
from generator.content.validate import validate_content
from generator.diagnostics import Diagnostics
from generator.site import export, jsonld
from generator.site.linktarget import existing_file, resolve_link
from generator.site.processing import SEPARATOR, csv_line, list_cell, safe_cell

BASE = yaml.safe_load((FIXTURE / "content" / "site.yaml").read_text("utf-8"))["base_url"]
DPV_GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
ATOM = "{http://www.w3.org/2005/Atom}"
CSC = Path("content/notices/children-social-care.yaml")
PEH = Path("content/notices/prevention-and-early-help.yaml")
LAWFUL_BASES = Path("content/definitions/lawful-bases.yaml")


def content_notices(root: Path = FIXTURE) -> dict[str, dict[str, Any]]:
    """slug -> the notice's YAML, read directly (not through the generator)."""
    found = {}
    for path in sorted((root / "content" / "notices").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        found[data["slug"]] = data
    return found


def register(name: str) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((FIXTURE / "content" / "definitions" / f"{name}.yaml").read_text("utf-8"))
    return {entry["id"]: entry for entry in data[name.replace("-", "_")]}


def basis_ids(notice: dict[str, Any]) -> list[str]:
    section = notice["lawful_basis"]
    lists = ("article_6", "article_9", "schedule_1", "criminal_offence")
    return [basis for key in lists for basis in section.get(key, [])]


def recipient_ids(notice: dict[str, Any]) -> list[str]:
    return [r if isinstance(r, str) else r["organisation"] for r in notice["sharing"]["recipients"]]


def purpose_texts(notice: dict[str, Any]) -> list[str]:
    """The purposes as the content file writes them: a bare string or `{id, text}`."""
    return [p if isinstance(p, str) else p["text"] for p in notice["purposes"]["items"]]


def page(site: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((site / slug / "index.html").read_text("utf-8"), "html.parser")


def json_ld(soup: BeautifulSoup) -> dict[str, Any]:
    scripts = soup.find_all("script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert scripts[0].parent.name == "head"
    return json.loads(scripts[0].string)


def expected_iri(basis_id: str) -> str:
    """Worked out by hand from the ids: DPV names Article 6(1)(a)-(f) and 9(2)(a)-(j); the rest are ours."""
    point = re.fullmatch(r"art(6)-(1)-([a-f])|art(9)-(2)-([a-j])", basis_id)
    if point:
        article, paragraph, letter = [g for g in point.groups() if g]
        return f"{DPV_GDPR}A{article}-{paragraph}-{letter}"
    return f"{BASE}lawful-bases/#{basis_id}"


def build(project: Path) -> Path:
    run = notices(project, "build")
    assert run.code == 0, run.stderr
    return project / "site"


# --- notice.json -------------------------------------------------------------------------------


def test_each_notice_has_its_data_beside_its_page_saying_what_the_page_says(built_site: Path) -> None:
    bases, organisations = register("lawful-bases"), register("organisations")
    for slug, notice in content_notices().items():
        data = json.loads((built_site / slug / "notice.json").read_text("utf-8"))
        soup = page(built_site, slug)
        assert data["slug"] == slug and data["url"] == f"{BASE}{slug}/"
        assert data["title"] == notice["title"] == soup.h1.get_text(strip=True)
        assert data["version"] == notice["version"] and data["last_updated"] == str(notice["last_updated"])
        if notice["kind"] == "main":
            assert [s["id"] for s in data["sections"]] == [s["id"] for s in notice["sections"]]
            continue
        exported = data["lawful_basis"]
        ids = [b["id"] for key in ("article_6", "article_9", "schedule_1", "criminal_offence")
               for b in exported.get(key, [])]
        assert ids == basis_ids(notice)
        for basis in exported["article_6"] + exported.get("article_9", []):
            assert basis["wording"] == bases[basis["id"]]["wording"]  # the register's entry, embedded
        on_page = [a["href"].split("#")[1] for a in soup.find(id="lawful-basis").parent.find_all("a")
                   if "lawful-bases/#" in a["href"]]
        assert on_page == ids
        recipients = [r["organisation"] for r in data["sharing"]["recipients"]]
        assert [r["id"] for r in recipients] == recipient_ids(notice)
        assert [r["name"] for r in recipients] == [organisations[i]["name"] for i in recipient_ids(notice)]
        section = soup.find(id="sharing").parent  # a table when reasons are given, else a list
        shown = [cell.get_text(strip=True) for cell in section.select("table tbody th, ul.recipients li")]
        assert shown == [organisations[i].get("short_name") or organisations[i]["name"]
                         for i in recipient_ids(notice)]


def test_notice_data_follows_its_published_schema_and_the_schema_has_teeth(built_site: Path) -> None:
    schema = json.loads((built_site / "schema" / "notice.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert schema["$id"] == f"{BASE}schema/notice.json"
    for slug in content_notices():
        data = json.loads((built_site / slug / "notice.json").read_text("utf-8"))
        assert data["$schema"] == schema["$id"]
        assert list(validator.iter_errors(data)) == [], slug
    broken = json.loads((built_site / "childrens-social-care" / "notice.json").read_text("utf-8"))
    del broken["lawful_basis"]["article_6"][0]["wording"]
    broken["sharing"]["recipients"][0]["organisation"] = "bradford-council"  # an id where the entry belongs
    messages = [e.message for e in validator.iter_errors(broken)]
    assert messages, "a notice without a basis's wording, or with a bare id, must not pass"
    index_schema = json.loads((built_site / "schema" / "notices.json").read_text("utf-8"))
    index = json.loads((built_site / "notices.json").read_text("utf-8"))
    assert list(jsonschema.Draft202012Validator(index_schema).iter_errors(index)) == []


def whole_site(root: Path) -> Site:
    """The site with every notice whole, as each notice's own page sees it."""
    content = validate_content(root, Diagnostics(root))
    assert content is not None
    return resolve_references(content)


def test_notice_data_is_what_the_export_models_make_of_it() -> None:
    """notice.json is built by hand for speed: it must be, byte for byte, what validating it against
    the export models and writing those out gives (the models the published schema comes from)."""
    site = whole_site(FIXTURE)
    assert site is not None
    for notice in site.notices:
        data, _ = export.notice_data(site, notice)
        exported = json.loads(data)
        checked = export._NOTICE.validate_python(exported)
        dumped = checked.model_dump(mode="json", by_alias=True, exclude_none=True)
        assert export.to_json({"$schema": dumped.pop("$schema"), **dumped}) == data, notice.slug


def test_the_index_lists_every_notice_with_addresses_versions_dates_and_hash(built_site: Path) -> None:
    index = json.loads((built_site / "notices.json").read_text("utf-8"))
    shipped = content_notices()
    assert sorted(n["slug"] for n in index["notices"]) == sorted(shipped)
    assert index["base_url"] == BASE
    for entry in index["notices"]:
        notice = shipped[entry["slug"]]
        assert entry["url"] == f"{BASE}{entry['slug']}/" and entry["data_url"] == entry["url"] + "notice.json"
        for address in (entry["url"], entry["data_url"]):
            assert (built_site / address.removeprefix(BASE)).exists() or \
                (built_site / address.removeprefix(BASE) / "index.html").exists()
        assert (entry["version"], entry["last_updated"]) == (notice["version"], str(notice["last_updated"]))
        assert entry["changes"] == len(notice["changes"])
        assert entry["latest_change"] == str(max(c["date"] for c in notice["changes"]))
        data = json.loads((built_site / entry["slug"] / "notice.json").read_text("utf-8"))
        content = {k: v for k, v in data.items() if k not in ("$schema", "url")}  # the rule in docs/data.md
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert entry["content_hash"] == "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    for key in ("feed", "processing_register", "notice_schema"):
        assert (built_site / index[key].removeprefix(BASE)).is_file(), key


def test_json_files_are_utf8_text_indented_with_a_final_newline(built_site: Path) -> None:
    for path in [built_site / "notices.json", *built_site.glob("*/notice.json")]:
        text = path.read_bytes().decode("utf-8")
        assert text.endswith("}\n") and "\n  " in text, path
    social_care = (built_site / "childrens-social-care" / "notice.json").read_text("utf-8")
    assert "Children’s Social Care" in social_care  # UTF-8 text, not \u2019


# --- JSON-LD ----------------------------------------------------------------------------------


def test_json_ld_describes_the_processing_with_dpv_terms(built_site: Path) -> None:
    organisations = register("organisations")
    for slug, notice in content_notices().items():
        described = json_ld(page(built_site, slug))
        assert described["@context"]["dpv"] == "https://w3id.org/dpv#"
        assert described["@type"] == "dpv:PersonalDataHandling"
        assert described["dct:title"] == notice["title"]
        assert described["dpv:hasDataController"]["rdfs:label"] == "Bradford Children and Families Trust"
        if notice["kind"] == "main":
            others = [s for s, n in content_notices().items() if n["kind"] == "service"]
            assert sorted(p["@id"] for p in described["dpv:hasPersonalDataHandling"]) == \
                sorted(f"{BASE}{s}/#processing" for s in others)
            continue
        iris = [basis["@id"] for basis in described["dpv:hasLegalBasis"]]
        assert iris == [expected_iri(i) for i in basis_ids(notice)]
        assert [p["dct:description"] for p in described["dpv:hasPurpose"]] == purpose_texts(notice)
        assert [r["rdfs:label"] for r in described["dpv:hasRecipient"]] == \
            [organisations[i]["name"] for i in recipient_ids(notice)]
        names = [item if isinstance(item, str) else item["name"]
                 for tier in notice["information_collected"]["tiers"] for item in tier["items"]]
        assert [d["rdfs:label"] for d in described["dpv:hasPersonalData"]] == names
        periods = [r["period"] for r in notice.get("retention", [])]
        assert [s["dct:description"] for s in described["dpv:hasStorageCondition"]] == periods
        assert all(s["@type"] == "dpv:StorageDuration" for s in described["dpv:hasStorageCondition"])
        prefixes = {t.split(":")[0] for t in re.findall(r'"((?:dpv|dct|rdfs|xsd|eu-gdpr):[A-Za-z]+)"',
                                                          json.dumps(described))}
        assert prefixes <= set(described["@context"])


@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")  # its own JSON-LD parser
def test_json_ld_is_linked_data_an_rdf_library_reads_as_intended(built_site: Path) -> None:
    """Parsed as RDF (with its inline context, offline), each page states its bases with DPV's terms."""
    rdflib = pytest.importorskip("rdflib", reason="rdflib is in the project's test extra")
    dpv = rdflib.Namespace("https://w3id.org/dpv#")
    for slug, notice in content_notices().items():
        raw = (built_site / slug / "index.html").read_text("utf-8")
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S)
        assert block, slug
        graph = rdflib.Graph().parse(data=block.group(1), format="json-ld")
        processing = rdflib.URIRef(f"{BASE}{slug}/#processing")
        assert (processing, rdflib.RDF.type, dpv.PersonalDataHandling) in graph
        bases = {str(o) for o in graph.objects(processing, dpv.hasLegalBasis)}
        expected = {expected_iri(i) for i in basis_ids(notice)} if notice["kind"] == "service" else set()
        assert bases == expected, slug


def test_bases_dpv_lacks_get_our_own_iris_which_lead_to_their_wording(project: Path) -> None:
    path = project / PEH
    text = path.read_text("utf-8").replace("article_6: [art6-1-a, art6-1-b, art6-1-c, art6-1-d]",
                                           "article_6: [art6-1-e, art6-1-ea]\n  criminal_offence: [art10]\n"
                                           "  schedule_1: [dpa-sch1-para2]")
    path.write_text(text, "utf-8")
    site = build(project)
    described = json_ld(page(site, "prevention-and-early-help"))
    iris = [b["@id"] for b in described["dpv:hasLegalBasis"]]
    assert f"{DPV_GDPR}A6-1-e" in iris and f"{DPV_GDPR}A9-2-h" in iris
    own = [f"{BASE}lawful-bases/#{basis}" for basis in ("art6-1-ea", "dpa-sch1-para2", "art10")]
    assert [i for i in iris if not i.startswith(DPV_GDPR)] == own
    ids_on_page = {tag["id"] for tag in page(site, "lawful-bases").find_all(id=True)}
    for iri in own:
        assert iri.split("#")[1] in ids_on_page, iri  # the IRI resolves to the basis and its wording
    assert "article-10" in ids_on_page  # the class given to criminal offence data (docs/data.md)


def test_json_ld_marks_special_category_and_criminal_offence_data(built_site: Path) -> None:
    described = json_ld(page(built_site, "childrens-social-care"))
    types = {d["rdfs:label"].split(" (")[0]: d["@type"] for d in described["dpv:hasPersonalData"]}
    assert types["personal information"] == ["dpv:PersonalData"]
    assert types["characteristics"] == ["dpv:SpecialCategoryPersonalData"]
    assert types["outcomes for looked after children"] == [
        "dpv:SpecialCategoryPersonalData", "dpv:SensitivePersonalData", f"{BASE}lawful-bases/#article-10"]


def test_an_edited_register_entry_shows_in_the_next_build_in_the_same_process(project: Path) -> None:
    """What is made of each register entry is kept with the entry: the preview's next build, with the
    edited register, shows the entry as it is now."""
    first = build_in_memory(project)
    path = project / "content/definitions/organisations.yaml"
    path.write_text(path.read_text("utf-8").replace("name: Bradford Children and Families Trust",
                                                    "name: Bradford Children’s Trust"), "utf-8")
    second = build_in_memory(project)
    for result, name in ((first, "Bradford Children and Families Trust"),
                         (second, "Bradford Children’s Trust")):
        data = json.loads(result.files["childrens-social-care/notice.json"])
        assert data["controller"]["name"] == name
        soup = BeautifulSoup(result.files["childrens-social-care/index.html"], "html.parser")
        assert json_ld(soup)["dpv:hasDataController"]["rdfs:label"] == name


def test_json_ld_of_a_site_published_elsewhere_uses_its_own_address(project: Path) -> None:
    path = project / PEH
    path.write_text(path.read_text("utf-8").replace("article_6: [art6-1-a, art6-1-b, art6-1-c, art6-1-d]",
                                                    "article_6: [art6-1-e, art6-1-ea]"), "utf-8")
    for base in ("https://one.example/privacy/", "https://two.example/"):
        result = build_in_memory(project, base_url=base)
        peh, csc = (json_ld(BeautifulSoup(result.files[f"{slug}/index.html"], "html.parser"))
                    for slug in ("prevention-and-early-help", "childrens-social-care"))
        iris = [b["@id"] for b in peh["dpv:hasLegalBasis"]]
        assert f"{base}lawful-bases/#art6-1-ea" in iris
        assert not [i for i in iris if not i.startswith((base, DPV_GDPR))]
        types = [t for data in csc["dpv:hasPersonalData"] for t in data["@type"]]
        assert f"{base}lawful-bases/#article-10" in types


def test_json_ld_is_the_json_the_standard_library_writes() -> None:
    site = whole_site(FIXTURE)
    assert site is not None
    for notice in site.notices:
        text = json.dumps(jsonld.describe_notice(site, notice), ensure_ascii=False, separators=(",", ":"))
        expected = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        assert str(jsonld.script_content(site, notice)) == expected, notice.slug


def test_no_text_in_the_content_can_close_the_json_ld_script(project: Path) -> None:
    hostile = "</script><script>alert(1)</script>"
    path = project / CSC
    text = path.read_text("utf-8").replace("title: Children’s Social Care", f'title: "{hostile}"')
    text = text.replace("    - provide them with pastoral care\n",
                        "    - \"provide <!-- them --> with pastoral care & </SCRIPT >\"\n")
    path.write_text(text, "utf-8")
    site = build(project)
    raw = (site / "childrens-social-care" / "index.html").read_text("utf-8")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S | re.I)
    assert block and "<" not in block.group(1) and "&" not in block.group(1)
    soup = BeautifulSoup(raw, "html.parser")
    described = json_ld(soup)  # exactly one script element, and it is the JSON-LD
    assert described["dct:title"] == hostile
    assert "provide <!-- them --> with pastoral care & </SCRIPT >" in \
        [p["dct:description"] for p in described["dpv:hasPurpose"]]
    assert soup.h1.get_text() == hostile  # shown as text on the page
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy and "script-src" not in policy


# --- The changes section and the feed ---------------------------------------------------------


def test_every_notice_ends_with_its_changes_listed_in_the_contents(built_site: Path) -> None:
    for slug, notice in content_notices().items():
        soup = page(built_site, slug)
        sections = soup.main.find_all("section", class_="notice-section")
        assert sections[-1].h2.get_text(strip=True) == "Changes to this notice"
        assert soup.find("nav", class_="contents-list").find_all("a")[-1]["href"] == "#changes"
        listed = [li.get_text(" ", strip=True) for li in sections[-1].find_all("li")]
        assert len(listed) == len(notice["changes"])
        for change in notice["changes"]:
            assert any(change["summary"] in item for item in listed)
        links = {a["href"] for a in sections[-1].find_all("a")}
        assert {"notice.json", "../feed.xml"} <= links
        assert soup.head.find("link", rel="alternate", type="application/atom+xml")["href"] == "../feed.xml"
        assert soup.find(class_="last-updated")


def test_the_fixture_notices_record_their_first_publication(built_site: Path) -> None:
    for notice in content_notices().values():
        summaries = [c["summary"] for c in notice["changes"]]
        if notice["kind"] == "main":
            assert summaries == ["First published."]
        else:
            assert summaries == ["First published on this site, from the Trust’s published notice, with the"
                                 " broken links, missing contact details and typing errors corrected."]
        assert [str(c["date"]) for c in notice["changes"]] == ["2026-11-21"]


def add_change(path: Path, date: str, summary: str) -> None:
    text = path.read_text("utf-8")
    entry = f"changes:\n  - summary: {summary}\n    date: {date}\n"
    path.write_text(text.replace("changes:\n", entry, 1), "utf-8")


def test_the_feed_is_atom_with_one_entry_per_change_newest_first(project: Path) -> None:
    add_change(project / CSC, "2027-01-10", "Added how long we keep records.")
    add_change(project / PEH, "2027-02-01", "Named the police as a source.")
    add_change(project / "content/notices/main.yaml", "2027-01-10", "New DPO address.")
    site = build(project)
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Bradford Children and Families Trust"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    summaries = [e.find(f"{ATOM}summary").text for e in entries]
    # Newest first; on 10 January the main notice comes first, as it does on the site; then the
    # three first publications of 21 November 2026, in the same order.
    first = ("First published on this site, from the Trust’s published notice, with the broken links, missing"
             " contact details and typing errors corrected.")
    assert summaries == ["Named the police as a source.", "New DPO address.",
                         "Added how long we keep records.", "First published.", first, first]
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == ["2027-02-01T00:00:00Z", "2027-01-10T00:00:00Z", "2027-01-10T00:00:00Z",
                       *["2026-11-21T00:00:00Z"] * 3]
    assert feed.find(f"{ATOM}updated").text == "2027-02-01T00:00:00Z"
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    assert ids[2] == f"{BASE}childrens-social-care/#change-2"
    assert ids[5] == f"{BASE}prevention-and-early-help/#change-1"
    for entry in entries:
        assert entry.find(f"{ATOM}title").text
        href = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        target = resolve_link("feed.xml", href, BASE)
        assert target is not None and not target.outside, href
        served = existing_file(target.path, {p.relative_to(site).as_posix(): b"" for p in site.rglob("*")})
        assert served, href
        assert BeautifulSoup((site / served).read_text("utf-8"), "html.parser").find(id=target.fragment), href


# --- processing.csv ---------------------------------------------------------------------------

COLUMNS = ["notice", "notice_title", "notice_url", "version", "last_updated", "tier", "tier_title",
           "data_subjects", "data_categories", "special_category_data", "criminal_offence_data", "purposes",
           "article_6_lawful_bases", "article_9_conditions", "schedule_1_conditions",
           "criminal_offence_bases", "lawful_basis_ids", "recipients", "sources", "retention",
           "retention_periods", "retention_runs_from", "retention_set_by", "transfers", "purpose_bases"]


def read_register(site: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = (site / "processing.csv").read_bytes()
    text = raw.decode("utf-8")
    assert text.count("\r\n") == text.count("\n") > 1, "every line ends with CRLF, and only lines do"
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def test_the_register_has_one_row_per_notice_and_tier(built_site: Path) -> None:
    columns, rows = read_register(built_site)
    assert columns == COLUMNS
    services = {s: n for s, n in content_notices().items() if n["kind"] == "service"}
    expected = [(slug, tier["id"]) for slug, notice in services.items()
                for tier in notice["information_collected"]["tiers"]]
    assert sorted((r["notice"], r["tier"]) for r in rows) == sorted(expected)
    assert len(rows) == 3  # Children's Social Care has one tier, Prevention and Early Help two
    organisations = register("organisations")
    for row in rows:
        notice = services[row["notice"]]
        assert row["lawful_basis_ids"].split() == basis_ids(notice)
        assert row["recipients"].split("; ") == [organisations[i]["name"] for i in recipient_ids(notice)]
        assert row["purposes"].split("; ") == purpose_texts(notice)
        assert row["notice_url"] == f"{BASE}{row['notice']}/"
    early_help = next(r for r in rows if r["tier"] == "early-help")
    # Each entry without its full stop, so that two entries of one tier join cleanly ("a; b", never "a.; b")
    assert early_help["retention"] == ("Early Help Services: Your information is retained securely for the"
                                       " date of birth of the pupil + 25 years")
    assert early_help["retention_periods"] == ""  # written in words: no period in numbers to give
    assert early_help["data_subjects"] == "Children and young people; Parents and carers"
    # A source's flags reach every row of its notice, as an item's reach its tier's row
    assert early_help["criminal_offence_data"] == ("details of any criminal offences (from Police); details"
                                                   " of victims of youth crime (from Police)")
    universal = next(r for r in rows if r["tier"] == "universal")
    assert universal["special_category_data"] == ("Ethnicity; Special Educational Needs and Disability;"
                                                  " medical information (from Health services)")
    assert "Article 9(2)(h)" in universal["article_9_conditions"]
    social_care = next(r for r in rows if r["notice"] == "childrens-social-care")
    assert social_care["retention"] == ""  # the notice gives none: the DPO sees the gap
    assert "offending" in social_care["criminal_offence_data"]


@pytest.mark.parametrize("value", ["=1+1", "+44 123", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\")"])
def test_a_cell_that_would_start_a_formula_starts_with_an_apostrophe(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert safe_cell("  spaced\n out  ") == "spaced out"
    assert safe_cell("a = b") == "a = b"


@pytest.mark.parametrize("cells", [
    ["plain", "", "a, b", 'say "hi"', "line\nbreak", "carriage\rreturn", "both\r\n", ",", '"', " spaced "],
    ["'=1+1", "x;y", "tab\there", "é ’ “quoted”", "\u2028", ""],
])
def test_register_lines_are_quoted_as_the_csv_module_quotes_them(cells: list[str]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    assert csv_line(cells) == buffer.getvalue()


def test_a_list_cell_is_the_safe_cell_of_its_values_each_on_one_line() -> None:
    rng = random.Random(7)
    pieces = ["a", "word", " ", "  ", "\n", "\t", "\u00a0", "=", "-", "@", "+", ";", ""]
    for _ in range(3_000):
        values = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
                  for _ in range(rng.randint(0, 4))]
        joined = SEPARATOR.join(" ".join(value.split()) for value in values)
        assert list_cell(values) == safe_cell(joined), values


def test_content_cannot_put_a_formula_in_the_register(project: Path) -> None:
    path = project / CSC
    path.write_text(path.read_text("utf-8").replace(
        "    - support these children and monitor their progress\n",
        "    - \"=HYPERLINK(\\\"http://evil.example\\\",\\\"x\\\")\"\n").replace(
        "    - adoptions (such as dates of key court orders and decisions)\n",
        "    - \"@adoptions\"\n"), "utf-8")
    _, rows = read_register(build(project))
    row = next(r for r in rows if r["notice"] == "childrens-social-care")
    assert row["purposes"].startswith("'=HYPERLINK(")
    assert row["data_categories"].startswith("personal information")  # the list starts safely...
    assert "@adoptions" in row["data_categories"]  # ...and mid-cell text is left as it is


# --- Links and the sitemap --------------------------------------------------------------------


def test_every_address_in_the_data_files_is_a_file_of_the_site(built_site: Path) -> None:
    files = {p.relative_to(built_site).as_posix(): b"" for p in built_site.rglob("*") if p.is_file()}
    addresses = re.findall(rf'"({re.escape(BASE)}[^"#]*)', (built_site / "notices.json").read_text("utf-8"))
    feed = ET.parse(built_site / "feed.xml").getroot()
    addresses += [link.get("href") for link in feed.iter(f"{ATOM}link")]
    for slug in content_notices():
        data = json.loads((built_site / slug / "notice.json").read_text("utf-8"))
        addresses += [data["$schema"], data["url"]]
    assert len(addresses) > 10
    for address in addresses:
        target = resolve_link("notices.json", address, BASE)
        assert target is not None and not target.outside and existing_file(target.path, files), address


def test_the_sitemap_lists_pages_only(built_site: Path) -> None:
    locations = re.findall(r"<loc>([^<]+)</loc>", (built_site / "sitemap.xml").read_text("utf-8"))
    assert locations and all(loc.endswith("/") for loc in locations)


# --- check --previous ---------------------------------------------------------------------------

WARNING = "this notice's page changed but its change list did not"


def test_a_register_change_without_a_change_entry_is_reported(project: Path, tmp_path: Path) -> None:
    build(project)
    previous = tmp_path / "published-notices.json"
    shutil.copy(project / "site" / "notices.json", previous)

    unchanged = notices(project, "check", "--previous", str(previous))
    assert unchanged.code == 0 and WARNING not in unchanged.stderr

    wording = project / LAWFUL_BASES
    text = wording.read_text("utf-8")
    assert text.count("the data subject has given consent") == 1
    text = text.replace("the data subject has given consent", "the data subject has agreed")
    wording.write_text(text, "utf-8")
    run = notices(project, "check", "--previous", str(previous))
    assert run.code == 0, run.stderr
    warned = [line for line in run.stderr.splitlines() if WARNING in line]
    # Both service notices rely on Article 6(1)(a); the main notice does not show it.
    assert [line.split(":")[0] for line in warned] == [CSC.as_posix(), PEH.as_posix()]
    changes_line = next(n for n, line in enumerate((project / CSC).read_text("utf-8").splitlines(), 1)
                        if line.startswith("changes:"))
    assert warned[0].startswith(f"{CSC.as_posix()}:{changes_line}:1: warning: ")
    assert notices(project, "check", "--strict", "--previous", str(previous)).code == 1

    add_change(project / CSC, "2027-01-10", "Clearer wording of the consent basis.")
    run = notices(project, "check", "--previous", str(previous))
    warned = [line for line in run.stderr.splitlines() if WARNING in line]
    assert [line.split(":")[0] for line in warned] == [PEH.as_posix()]


def test_a_previous_file_that_cannot_be_used_is_a_usage_error(project: Path, tmp_path: Path) -> None:
    missing = notices(project, "check", "--previous", str(tmp_path / "nowhere.json"))
    assert missing.code == 2 and "cannot read the previous notices.json" in missing.stderr
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"notices": "no"}', "utf-8")
    run = notices(project, "check", "--previous", str(wrong))
    assert run.code == 2 and "is not a notices.json written by this tool" in run.stderr
    assert "Traceback" not in run.stderr + missing.stderr
