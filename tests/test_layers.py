"""Notices a parent reads on a phone (issue 19): "At a glance" from the notice's own content, the
full sections and the law's words behind native disclosures, and words for families, not staff.

The page heights on a 360 px phone are measured in tests/test_browser.py (one Chromium session).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import copy_project, notices

from generator.site.glance import first_few, full_stop, lower_first, some_of

ATOM = "{http://www.w3.org/2005/Atom}"
CSC = "content/notices/children-social-care.yaml"


def page(site: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((site / slug / "index.html").read_text("utf-8"), "html.parser")


def glance(soup: BeautifulSoup) -> dict[str, str]:
    """The "At a glance" rows as a reader sees them: label -> text."""
    box = soup.find("section", class_="at-a-glance")
    assert isinstance(box, Tag)
    return {row.dt.get_text(strip=True): re.sub(r"\s+", " ", row.dd.get_text()).strip()
            for row in box.find_all("div", class_="glance-row")}


@pytest.fixture(scope="module")
def edited_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with an editorial correction on Children's Social Care and four more service
    notices (six in all: more than the main notice's "At a glance" names one by one)."""
    root = copy_project(tmp_path_factory.mktemp("layers"))
    notice = root / CSC
    text = notice.read_text("utf-8")
    correction = ("  - summary: Fixed a broken link to the ICO.\n    date: 2026-11-25\n    editorial: true\n"
                  "  - summary: We now say how long we keep records.\n    date: 2026-11-24\n")
    notice.write_text(text.replace("changes:\n", "changes:\n" + correction, 1), "utf-8")
    for number in range(1, 5):
        copy = text.replace("slug: childrens-social-care", f"slug: service-{number}", 1)
        copy = copy.replace("title: Children’s Social Care", f"title: Service {number}", 1)
        if number == 1:  # its one change is editorial
            copy = copy.replace("    date: 2026-11-21\n", "    date: 2026-11-21\n    editorial: true\n", 1)
        (root / f"content/notices/service-{number}.yaml").write_text(copy, "utf-8")
    result = notices(root, "build")
    assert result.code == 0, result.stderr
    return root / "site"


def test_a_service_notice_opens_with_its_content_at_a_glance(built_site: Path) -> None:
    soup = page(built_site, "prevention-and-early-help")
    rows = glance(soup)
    assert list(rows) == ["What we collect", "Why we use it", "Who we share it with", "How long we keep it",
                          "Your rights", "Questions or worries"]
    # 10 items in the notice's two tiers: the first five fit, then a count; items and sources marked
    # special category or criminal offence make the second sentence.
    assert rows["What we collect"] == (
        "Name, address, contact details, date of birth, gender and 5 other kinds of information. Some of it"
        " is sensitive or about crimes: the law protects this information more.")
    assert rows["Why we use it"] == ("To help families to access relevant support and advice services and"
                                     " groups, and for 4 other reasons.")
    assert rows["Who we share it with"] == ("When needed, with other Children's Services teams in the Trust"
                                            " and 14 others.")
    assert rows["How long we keep it"] == (
        "Universal Services: Your information is retained securely for six years following service use."
        " Early Help Services: Your information is retained securely for the date of birth of the pupil"
        " + 25 years.")
    assert rows["Your rights"] == ("You have the right to see your information, to correct it, to have it"
                                   " deleted and more: see all your rights.")
    assert rows["Questions or worries"] == (
        "Contact our Data Protection Officer: dpo@bradfordcft.org.uk. You can also complain to the"
        " Information Commissioner’s Office (ICO).")
    box = soup.find("section", class_="at-a-glance")
    assert box.find("a", string="all your rights")["href"] == "../privacy-notice/#your-rights"
    assert box.find("a", href="mailto:dpo@bradfordcft.org.uk")
    # before the contents list, after the title
    parts = soup.main.find_all(["h1", "section", "nav"], recursive=False)
    order = [e.get("class", [e.name])[0] for e in parts]
    assert order[:3] == ["h1", "at-a-glance", "contents-list"]


def test_a_notice_without_retention_says_so_at_a_glance(built_site: Path) -> None:
    rows = glance(page(built_site, "childrens-social-care"))
    assert rows["How long we keep it"] == ("This notice does not say yet: you can ask our Data Protection"
                                           " Officer.")
    assert rows["What we collect"].startswith("Personal information (such as name, date of birth and address)"
                                              " and 6 other kinds of information. Some of it is sensitive")


def test_the_main_notice_at_a_glance_points_to_each_service(built_site: Path, edited_site: Path) -> None:
    soup = page(built_site, "privacy-notice")
    rows = glance(soup)
    assert list(rows) == ["Who we are", "What we collect and why", "Your rights", "Questions or worries"]
    assert rows["Who we are"].startswith("Bradford Children and Families Trust. We decide why and how")
    links = soup.find("section", class_="at-a-glance").find_all("a")
    assert {a["href"]: a.get_text() for a in links if not a["href"].startswith(("mailto:", "#"))} == {
        "../childrens-social-care/": "Children’s Social Care",
        "../prevention-and-early-help/": "Prevention and Early Help"}
    assert rows["Your rights"].endswith("see all your rights.")
    # six services are too many to name: one link to the list at the end of the notice
    rows = glance(page(edited_site, "privacy-notice"))
    assert rows["What we collect and why"].endswith("how long it keeps it: our 6 service notices.")


def test_every_section_body_and_the_law_s_words_are_closed_disclosures(built_site: Path) -> None:
    soup = page(built_site, "prevention-and-early-help")
    sections = soup.find_all("section", class_="notice-section")
    assert len(sections) == 13
    for section in sections:
        assert section.h2.find_parent("details") is None  # the question is always shown
        assert not section.details.has_attr("open")
    quotes = soup.select("blockquote.statute")
    assert len(quotes) == 13  # Article 6(1)(a)-(d) and Article 9(2)(a)-(h), (j): once each
    for quote in quotes:
        details = quote.find_parent("details", class_="statute-details")
        assert details is not None and not details.has_attr("open")
        assert details.summary.get_text().startswith("What Article ")
    summaries = [q.find_parent("details").summary.get_text() for q in quotes]
    assert len(set(summaries)) == len(summaries)  # each disclosure has its own name
    lawful_bases = BeautifulSoup((built_site / "lawful-bases/index.html").read_text("utf-8"), "html.parser")
    assert all(q.find_parent("details", class_="statute-details") for q in lawful_bases.select("blockquote"))


def test_tags_are_explained_where_they_appear(built_site: Path) -> None:
    soup = page(built_site, "childrens-social-care")
    body = soup.find(id="information-we-collect")
    marks = [t.get_text() for t in body.select("ul.list-bullet li .tag")]
    assert marks == ["sensitive", "sensitive", "about crimes"]
    key = body.find(class_="tag-key").get_text(" ", strip=True)
    assert "sensitive means information the law protects more" in key
    assert "about crimes means information about crimes or offences" in key
    assert "special category</span>" not in str(soup) and "criminal offence data</span>" not in str(soup)


def test_a_section_with_nothing_named_tells_the_reader_what_to_do(built_site: Path) -> None:
    body = page(built_site, "childrens-social-care").find(id="sources")
    assert body.get_text(" ", strip=True) == ("To find out where we got information about you, ask our Data"
                                              " Protection Officer (see What are your rights? ).")
    assert body.a["href"] == "#rights"


def test_the_data_files_are_offered_in_plain_words(built_site: Path) -> None:
    body = page(built_site, "prevention-and-early-help").find(id="changes")
    text = body.get_text(" ", strip=True)
    assert "For computers" not in text and "(Atom)" not in text
    assert body.find("a", href="notice.json").get_text() == "Download this notice as data for other programs"
    assert body.find("a", href="../feed.xml").get_text() == "our list of changes"


def test_an_editorial_change_stays_in_the_data_and_off_the_page(edited_site: Path) -> None:
    body = page(edited_site, "childrens-social-care").find(id="changes")
    listed = [li.get_text(" ", strip=True) for li in body.select(".changes-list li")]
    assert listed == ["24 November 2026 : We now say how long we keep records.",
                      "21 November 2026 : First published on this site, from the Trust’s published notice,"
                      " with the broken links, missing contact details and typing errors corrected."]
    assert [li["id"] for li in body.select(".changes-list li")] == ["change-2", "change-1"]  # numbers kept
    assert "We also correct small mistakes, such as typing errors" in body.get_text()
    assert "Fixed a broken link" not in body.get_text()
    data = json.loads((edited_site / "childrens-social-care/notice.json").read_text("utf-8"))
    correction = {"summary": "Fixed a broken link to the ICO.", "date": "2026-11-25", "editorial": True}
    assert correction in data["changes"]
    feed = ET.parse(edited_site / "feed.xml").getroot()
    entry = next(e for e in feed.iter(f"{ATOM}entry")
                 if e.find(f"{ATOM}summary").text == "Fixed a broken link to the ICO.")
    assert entry.find(f"{ATOM}id").text.endswith("/childrens-social-care/#change-3")
    assert entry.find(f"{ATOM}link").get("href").endswith("/childrens-social-care/#changes")  # on the page


def test_a_notice_whose_changes_are_all_editorial_says_only_that(edited_site: Path) -> None:
    body = page(edited_site, "service-1").find(id="changes")
    assert not body.select(".changes-list")
    assert "No changes have been recorded" not in body.get_text()
    assert "We also correct small mistakes" in body.get_text()


def test_lists_are_cut_to_what_a_phone_line_holds() -> None:
    assert first_few(["a" * 70, "b"]) == (["a" * 70], 1)  # the first name always shows
    assert first_few(["name", "address"]) == (["name", "address"], 0)
    assert some_of(["a", "b", "c"], " and 1 other", " and {n} others") == "a, b and c"
    assert some_of(["x" * 40, "y" * 30], " and 1 other", " and {n} others") == "x" * 40 + " and 1 other"
    assert some_of(["x" * 40, "y" * 30, "z"], " and 1 other", " and {n} others") == "x" * 40 + " and 2 others"
    assert lower_first("Ethnicity") == "ethnicity"
    assert lower_first("Special Educational Needs") == "Special Educational Needs"
    assert lower_first("SEND") == "SEND"
    assert full_stop("six years") == "six years." and full_stop("25 years.") == "25 years."
