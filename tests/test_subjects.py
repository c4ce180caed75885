"""Who a notice is about, sources that are people, and retention in numbers: from the YAML to the page,
notice.json, the JSON-LD, processing.csv and the check.

One fostering notice (adults, criminal records checks, periods that depend on a person's status,
referees) is added to a copy of the fixture project, which is built once for the module.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import copy_project, notices

from generator.build import build_in_memory

LEGISLATION = "content/definitions/legislation.yaml"
FOSTERING_REGULATIONS = """
  - id: fostering-services-england-regulations-2011
    title: Fostering Services (England) Regulations 2011
    year: 2011
    type: statutory-instrument
    citation: SI 2011/581
    url: https://www.legislation.gov.uk/uksi/2011/581/contents
"""
SUBJECTS = "content/definitions/data-subjects.yaml"
FOSTERING_SUBJECTS = """
  - id: foster-carer
    name: Foster carers
    description: People approved to foster children.
  - id: fostering-applicant
    name: People who apply to foster
    description: People who ask to become foster carers, while we assess them.
  - id: household-member
    name: Members of the household
    description: Adults and children who live in the same home as a foster carer or an applicant.
"""
NOTICE = "content/notices/fostering.yaml"
FOSTERING = """\
kind: service
slug: fostering
title: Fostering
summary: How we use information about people who foster, or ask to foster, with us.
last_updated: 2027-01-15
introduction: See our [main Privacy Notice](notice:privacy-notice).
data_subjects: [foster-carer, fostering-applicant, household-member]
information_collected:
  tiers:
    - id: assessment
      title: When you ask to foster
      data_subjects: [fostering-applicant, household-member]
      items:
        - name
        - employment history
        - name: Any criminal convictions
          criminal_offence: true
sources:
  items:
    - category: Referees you name
      data: what they know of you and your family life
    - category: Your previous employers
      data: whether you worked with children, and why you left
    - organisation: police
      data: the results of criminal records checks on everyone in your household
      criminal_offence: true
used_by:
  text: Our fostering team uses this information.
  organisations: [childrens-specialist-services]
purposes:
  intro: "We use it to:"
  items: [assess whether you can foster]
why: We must make sure that every foster carer can keep children safe.
statutory_requirement: We cannot assess you without this information.
lawful_basis:
  article_6: [art6-1-e]
  criminal_offence: [art10, dpa-sch1-para18]
  policy_document: https://www.bradfordcft.org.uk/policy/
legislation:
  intro: "The laws that set out our duties include:"
  acts: [children-act-1989]
sharing:
  recipients: [ofsted]
security: Only the fostering team can open your file.
automated_decisions: No decision about you is made by a computer alone.
transfers:
  text: We do not send this information abroad.
not_applicable:
  transfers: We do not send this information abroad.
retention:
  - data_subjects: [foster-carer]
    period: {years: 10}
    runs_from: the date your approval ends
    set_by: fostering-services-england-regulations-2011
  - title: If you are not approved
    data_subjects: [fostering-applicant]
    period: {years: 3}
    runs_from: the date we refuse your application, or you withdraw it
    set_by: fostering-services-england-regulations-2011
  - title: Notes of your first call
    period: Until we decide whether to assess you.
rights:
  text: See our [main Privacy Notice](notice:privacy-notice#your-rights).
  contacts: [data-protection-officer]
"""
BASE = "https://www.bradfordcft.org.uk/privacy-notices/"
# The notice the module builds: its tier is about applicants only, and one item also about the household.
DBS_CHECK = """\
        - name: A DBS check on you and each adult who lives with you
          criminal_offence: true
          data_subjects: [fostering-applicant, household-member]
"""
WITH_AN_ITEM_ABOUT_SOMEONE = FOSTERING.replace(
    "[fostering-applicant, household-member]\n      items", "[fostering-applicant]\n      items"
).replace("criminal_offence: true\nsources:", f"criminal_offence: true\n{DBS_CHECK}sources:")


def with_fostering(root: Path, notice: str = FOSTERING) -> Path:
    project = copy_project(root)
    for name, entries in ((LEGISLATION, FOSTERING_REGULATIONS), (SUBJECTS, FOSTERING_SUBJECTS)):
        path = project / name
        path.write_text(path.read_text("utf-8").rstrip("\n") + "\n" + entries, "utf-8")
    (project / NOTICE).write_text(notice, "utf-8")
    return project


@pytest.fixture(scope="module")
def fostering(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The project built once, with what `notices check` said of it."""
    project = with_fostering(tmp_path_factory.mktemp("fostering"), WITH_AN_ITEM_ABOUT_SOMEONE)
    built = notices(project, "build")
    assert built.code == 0, built.stderr
    return project / "site", built.stderr


def diagnostics(project: Path) -> list[str]:
    """What `notices check` prints of the project, one line each, worked out in this process (quicker)."""
    return [d.text() for d in build_in_memory(project).diagnostics.sorted()]


def rows(site: Path) -> list[dict[str, str]]:
    text = (site / "processing.csv").read_text("utf-8")
    return [row for row in csv.DictReader(io.StringIO(text)) if row["notice"] == "fostering"]


def test_the_page_says_who_the_notice_is_about_and_how_long_in_one_sentence(
        fostering: tuple[Path, str]) -> None:
    soup = BeautifulSoup((fostering[0] / "fostering" / "index.html").read_text("utf-8"), "html.parser")
    who = soup.find(id="who-this-is-about").find_next("dl")
    assert [dt.get_text() for dt in who.find_all("dt")] == [
        "Foster carers", "People who apply to foster", "Members of the household"]
    assert who.find("dd").get_text() == "People approved to foster children."
    tier = soup.find(class_="tier-subjects").get_text()
    assert tier == "About: People who apply to foster"
    sentences = [p.get_text() for p in soup.find_all(class_="retention-period")]
    assert sentences == [
        "Foster carers: we keep this for 10 years from the date your approval ends, as the Fostering Services"
        " (England) Regulations 2011 require.",
        "If you are not approved: we keep this for 3 years from the date we refuse your application, or you"
        " withdraw it, as the Fostering Services (England) Regulations 2011 require.",
    ]
    law = soup.find(class_="retention-period").find("a")
    assert law["href"] == "https://www.legislation.gov.uk/uksi/2011/581/contents"
    retention = soup.find(id="retention").parent
    assert retention.find("h3").get_text() == "Notes of your first call"  # in words: as written
    sources = [li.get_text(" ", strip=True) for li in soup.find(id="sources").parent.find_all("li")]
    assert sources == [
        "what they know of you and your family life (from Referees you name)",
        "whether you worked with children, and why you left (from Your previous employers)",
        "the results of criminal records checks on everyone in your household criminal offence data (from"
        " Police)",
    ]


def test_notice_json_embeds_each_subject_and_the_law_that_sets_a_period(
        fostering: tuple[Path, str]) -> None:
    data: dict[str, Any] = json.loads((fostering[0] / "fostering" / "notice.json").read_text("utf-8"))
    assert [s["id"] for s in data["data_subjects"]] == [
        "foster-carer", "fostering-applicant", "household-member"]
    assert data["data_subjects"][0]["name"] == "Foster carers"
    tier = data["information_collected"]["tiers"][0]
    assert [s["id"] for s in tier["data_subjects"]] == ["fostering-applicant"]
    carers = data["retention"][0]
    assert carers["period"] == {"years": 10} and carers["runs_from"] == "the date your approval ends"
    assert carers["set_by"]["citation"] == "SI 2011/581"
    assert [s["id"] for s in carers["data_subjects"]] == ["foster-carer"]
    assert data["retention"][2]["period"] == "Until we decide whether to assess you."
    referees, _, police = data["sources"]["items"]
    assert referees == {"category": "Referees you name", "data": "what they know of you and your family life",
                        "special_category": False, "criminal_offence": False}
    assert police["organisation"]["id"] == "police" and police["criminal_offence"] is True


def test_json_ld_names_the_subjects_and_flags_what_a_source_gives(
        fostering: tuple[Path, str]) -> None:
    soup = BeautifulSoup((fostering[0] / "fostering" / "index.html").read_text("utf-8"), "html.parser")
    node = json.loads(soup.find("script", type="application/ld+json").string)
    assert [s["rdfs:label"] for s in node["dpv:hasDataSubject"]] == [
        "Foster carers", "People who apply to foster", "Members of the household"]
    assert node["dpv:hasDataSubject"][0]["@type"] == "dpv:DataSubject"
    referees, _, police = node["dpv:hasDataSource"]
    assert referees["rdfs:label"] == "Referees you name" and referees["@type"] == "dpv:ThirdPartyDataSource"
    assert referees["dpv:hasPersonalData"]["@type"] == ["dpv:PersonalData"]
    assert police["dpv:hasPersonalData"]["@type"] == [
        "dpv:SensitivePersonalData", f"{BASE}lawful-bases/#article-10"]
    carers = node["dpv:hasStorageCondition"][0]
    assert carers["rdfs:label"] == "Foster carers"
    assert carers["dpv:hasApplicableLaw"]["@id"] == "https://www.legislation.gov.uk/uksi/2011/581/contents"
    assert [s["dct:identifier"] for s in carers["dpv:hasDataSubject"]] == ["foster-carer"]


def test_processing_csv_has_subjects_and_each_retention_entry_in_its_own_columns(
        fostering: tuple[Path, str]) -> None:
    (row,) = rows(fostering[0])
    # the tier names applicants; its DBS check item adds the household (and applicants, not twice)
    assert row["data_subjects"] == "People who apply to foster; Members of the household"
    # every entry is for no tier in particular, so the tier's row shows all three, each without its full stop
    assert row["retention"] == (
        "Foster carers: we keep this for 10 years from the date your approval ends, as the Fostering Services"
        " (England) Regulations 2011 require; If you are not approved: we keep this for 3 years from the date"
        " we refuse your application, or you withdraw it, as the Fostering Services (England) Regulations"
        " 2011 require; Notes of your first call: Until we decide whether to assess you")
    assert ".;" not in row["retention"]
    assert row["retention_periods"] == "Foster carers: 10 years; If you are not approved: 3 years"
    assert row["retention_set_by"] == ("Foster carers: Fostering Services (England) Regulations 2011; If you"
                                       " are not approved: Fostering Services (England) Regulations 2011")
    assert row["criminal_offence_data"] == ("Any criminal convictions; A DBS check on you and each adult who"
                                            " lives with you; the results of criminal records checks on"
                                            " everyone in your household (from Police)")
    assert "(from Referees you name)" in row["sources"]


HOUSEHOLD = {"id": "household-member", "name": "Members of the household", "description":
             "Adults and children who live in the same home as a foster carer or an applicant."}
APPLICANT = {"id": "fostering-applicant", "name": "People who apply to foster", "description":
             "People who ask to become foster carers, while we assess them."}
DBS = "A DBS check on you and each adult who lives with you"


def test_an_item_about_some_people_says_whom_after_its_name_in_the_page_and_the_data(
        fostering: tuple[Path, str]) -> None:
    page = (fostering[0] / "fostering" / "index.html").read_text("utf-8")
    soup = BeautifulSoup(page, "html.parser")
    items = [li.get_text() for li in soup.find(id="tier-assessment").find_next("ul").find_all("li")]
    assert items == ["name", "employment history", "Any criminal convictions about crimes",
                     f"{DBS} (about: people who apply to foster and members of the household) about crimes"]
    assert len(soup.find_all(class_="item-subjects")) == 1  # an item naming no one says nothing more

    data: dict[str, Any] = json.loads((fostering[0] / "fostering" / "notice.json").read_text("utf-8"))
    items = data["information_collected"]["tiers"][0]["items"]
    assert items[0] == {"name": "name", "special_category": False, "criminal_offence": False,
                        "data_subjects": []}
    assert items[3] == {"name": DBS, "special_category": False, "criminal_offence": True,
                        "data_subjects": [APPLICANT, HOUSEHOLD]}

    node = json.loads(soup.find("script", type="application/ld+json").string)
    plain, *_, dbs = node["dpv:hasPersonalData"]
    assert plain == {"@type": ["dpv:PersonalData"], "rdfs:label": "name"}
    assert dbs == {"@type": ["dpv:SensitivePersonalData", f"{BASE}lawful-bases/#article-10"],
                   "rdfs:label": DBS, "dpv:hasDataSubject": [
                       {"@type": "dpv:DataSubject", "rdfs:label": "People who apply to foster",
                        "dct:identifier": "fostering-applicant",
                        "dct:description": "People who ask to become foster carers, while we assess them."},
                       {"@type": "dpv:DataSubject", "rdfs:label": "Members of the household",
                        "dct:identifier": "household-member",
                        "dct:description": "Adults and children who live in the same home as a foster carer"
                                           " or an applicant."}]}


def test_an_item_naming_someone_unlisted_warns_and_an_unknown_one_is_an_error_at_the_item(
        tmp_path: Path) -> None:
    notice = WITH_AN_ITEM_ABOUT_SOMEONE.replace("[foster-carer, fostering-applicant, household-member]",
                                                "[foster-carer, fostering-applicant]")
    project = with_fostering(tmp_path, notice)
    warned = [line for line in diagnostics(project) if "[data-subjects]" in line and "fostering" in line]
    # line 20 is the DBS item's `data_subjects: [fostering-applicant, household-member]`, 10 spaces in
    assert [line.split(": warning: ")[0] for line in warned] == [f"{NOTICE}:20:48"]
    assert "'household-member' is named here but is not among the notice's `data_subjects`" in warned[0]

    notice = WITH_AN_ITEM_ABOUT_SOMEONE.replace("[fostering-applicant, household-member]\nsources",
                                                "[fostering-applicant, household-membr]\nsources")
    (project / NOTICE).write_text(notice, "utf-8")
    errors = [line for line in diagnostics(project) if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{NOTICE}:20:48: error: unknown data subject"), errors
    assert "'household-membr'" in errors[0] and "did you mean 'household-member'?" in errors[0]


def test_the_check_is_quiet_about_a_complete_notice(
        fostering: tuple[Path, str]) -> None:
    warned = [line for line in fostering[1].splitlines() if "fostering.yaml" in line]
    for rule in ("[data-subjects]", "[retention]", "[sources]", "[article-10-condition]"):
        assert not any(rule in line for line in warned), warned


def test_the_check_warns_of_a_notice_about_no_one_and_a_subject_it_does_not_list(tmp_path: Path) -> None:
    notice = FOSTERING.replace("data_subjects: [foster-carer, fostering-applicant, household-member]\n", "")
    project = with_fostering(tmp_path, notice)
    said = diagnostics(project)
    warned = [line for line in said if "[data-subjects]" in line and "fostering" in line]
    assert len(warned) == 1, said
    assert warned[0].startswith(f"{NOTICE}:7:1: warning: the notice does not say who it is about")
    assert "UK GDPR Article 30(1)(c)" in warned[0]

    notice = FOSTERING.replace("[foster-carer, fostering-applicant, household-member]",
                               "[fostering-applicant]")
    (project / NOTICE).write_text(notice, "utf-8")
    warned = [line for line in diagnostics(project) if "[data-subjects]" in line and "fostering" in line]
    assert [line.split(": warning: ")[0] for line in warned] == [f"{NOTICE}:12:44", f"{NOTICE}:51:21"]
    assert "'household-member' is named here but is not among the notice's `data_subjects`" in warned[0]


def test_an_unknown_subject_or_a_source_that_is_both_is_an_error_where_written(tmp_path: Path) -> None:
    notice = FOSTERING.replace("data_subjects: [foster-carer, fostering-applicant,",
                               "data_subjects: [foster-carers, fostering-applicant,")
    notice = notice.replace("    - category: Referees you name\n",
                            "    - category: Referees you name\n      organisation: police\n")
    notice = notice.replace("    period: {years: 3}\n", "    period: {years: 3, until_age: 25}\n")
    errors = [line for line in diagnostics(with_fostering(tmp_path, notice)) if ": error: " in line]
    assert errors[0].startswith(f"{NOTICE}:7:17: error:"), errors
    assert "unknown data subject 'foster-carers'" in errors[0] and "did you mean 'foster-carer'?" in errors[0]
    assert any(e.startswith(f"{NOTICE}:20:7: error:") and "either `organisation:`" in e
               for e in errors), errors
    assert any(e.startswith(f"{NOTICE}:58:13: error:") and "until_age" in e for e in errors), errors
    assert len(errors) == 3, errors  # each once: the period in numbers is not also said to be "not text"



def test_without_the_register_a_named_subject_is_an_error_saying_where_to_add_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / SUBJECTS).unlink()  # a project from before the register: the file is optional
    errors = [line for line in diagnostics(project) if ": error: " in line]
    peh = "content/notices/prevention-and-early-help.yaml"
    last = len((project / peh).read_text("utf-8").splitlines())  # the fixture names them on its last line
    assert f"{peh}:{last}:17: error: unknown data subject 'child': no entry in" \
           " content/definitions/data-subjects.yaml has this id (add it to" \
           " content/definitions/data-subjects.yaml first)" in errors, errors
    for path in (peh, "content/notices/children-social-care.yaml"):
        lines = (project / path).read_text("utf-8").splitlines(True)
        (project / path).write_text("".join(lines[:-1]), "utf-8")
    assert not [line for line in diagnostics(project) if ": error: " in line]  # naming none, it builds
