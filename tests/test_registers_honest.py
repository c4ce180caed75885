"""The lawful-bases register, honestly shown: what is unconfirmed is said to staff and never published;
the page separates the grounds our notices rely on from the rest, and says which a public authority
cannot use for its tasks; the check says what it cannot judge."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import notices

BASES = Path("content/definitions/lawful-bases.yaml")
USED_NOTE = "Only the start of point d was read, in a mirror kept by example-mirror-one.invalid"
UNUSED_NOTE = "Point i was pieced together from the EU text at example-mirror-two.invalid"
READ_FROM = "a copy at example-mirror-three.invalid"
CANNOT_JUDGE_SAMPLE = "controller arrangements: who is controller of which records"


def _with_notes(project: Path) -> None:
    """Give 9(2)(d) (which Prevention and Early Help relies on) and 9(2)(i) (which no notice uses)
    notes and a third-party source that no public page may show."""
    path = project / BASES
    text = path.read_text("utf-8")
    for entry, note in (("art9-2-d", USED_NOTE), ("art9-2-i", UNUSED_NOTE)):
        start = text.index(f"  - id: {entry}\n")
        end = text.index("\n  - id: ", start + 1)
        fields = f"    verification_note: {note}.\n    read_on: 2026-12-02\n    read_from: {READ_FROM}\n"
        block = re.sub(r"    verification_note: >-\n(      .*\n)+", fields, text[start:end])
        assert note in block and "verified: false" in block, entry
        text = text[:start] + block + text[end:]
    path.write_text(text, "utf-8")


def test_unconfirmed_wording_is_told_to_staff_and_never_published(project: Path) -> None:
    _with_notes(project)
    built = notices(project, "build")
    assert built.code == 0, built.stderr
    published = [path for path in (project / "site").rglob("*") if path.is_file()]
    assert any(path.name == "notice.json" for path in published)  # the entries' data files are searched too
    for path in published:
        content = path.read_text("utf-8", errors="replace")
        for secret in (USED_NOTE, UNUSED_NOTE, "example-mirror-three.invalid", "Wording to be confirmed"):
            assert secret not in content, (path, secret)

    check = notices(project, "check", "--html", "reports")
    assert check.code == 0, check.stderr
    for note in (USED_NOTE, UNUSED_NOTE):  # an entry no notice uses is reported as well
        assert note in check.stdout
    assert "read on 2026-12-02: a copy at example-mirror-three.invalid" in check.stdout
    assert CANNOT_JUDGE_SAMPLE in check.stdout
    unread = next(line for line in check.stdout.splitlines() if "have no read date" in line)
    assert "children-act-1989" in unread  # the fixture's legislation register records no read dates
    report = BeautifulSoup((project / "reports/index.html").read_text("utf-8"), "html.parser")
    table = report.find(id="unconfirmed-wording").find_next("table")
    rows = {row.th.get_text(" ", strip=True): row.get_text(" ", strip=True)
            for row in table.tbody.find_all("tr")}
    used = rows["Article 9(2)(d) art9-2-d"]
    assert USED_NOTE in used and "2 December 2026" in used and "example-mirror-three.invalid" in used
    assert UNUSED_NOTE in rows["Article 9(2)(i) art9-2-i"]
    assert "Article 6(1)(a) art6-1-a" not in rows  # verified entries are not listed
    limits = report.find(id="cannot-judge").find_next("ul").get_text(" ")
    assert CANNOT_JUDGE_SAMPLE in limits

    data = json.loads(notices(project, "check", "--format", "json", "--compliance").stdout)["compliance"]
    listed = {entry["id"]: entry for entry in data["unconfirmed_register_entries"]}
    assert listed["art9-2-i"]["note"] == UNUSED_NOTE + "." and listed["art9-2-i"]["read_on"] == "2026-12-02"
    assert "art6-1-a" not in listed
    assert "children-act-1989" in data["legislation_without_read_date"]
    assert any(CANNOT_JUDGE_SAMPLE in item for item in data["cannot_judge"])


def _page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "lawful-bases/index.html").read_text("utf-8"), "html.parser")


def _part(page: BeautifulSoup, heading_id: str) -> BeautifulSoup:
    return page.find(id=heading_id).find_parent("section")


def test_the_page_separates_the_grounds_our_notices_rely_on_from_the_rest(built_site: Path) -> None:
    page = _page(built_site)
    relied_on, other = _part(page, "relied-on"), _part(page, "other-grounds")
    assert other.h2.get_text(strip=True) == "Other grounds in the law, which our notices do not use"
    relied_ids = {article.h4["id"] for article in relied_on.find_all("article")}
    other_ids = {article.h4["id"] for article in other.find_all("article")}
    # The fixture's notices name 6(1)(a)-(d) and some Article 9 points; nothing names 6(1)(e) or (f).
    assert {"art6-1-a", "art6-1-d", "art9-2-a"} <= relied_ids
    assert {"art6-1-e", "art6-1-ea", "art6-1-f", "art10", "dpa-sch1-para18"} <= other_ids
    assert not relied_ids & other_ids
    for article in relied_on.find_all("article"):
        links = [a["href"] for a in article.find_all("a") if a["href"].endswith("#lawful-basis")]
        assert links, article.h4["id"]  # each ground relied on names its notices
    consent = page.find(id="art6-1-a").find_parent("article")
    assert {a["href"] for a in consent.find_all("a")} >= {"../childrens-social-care/#lawful-basis",
                                                          "../prevention-and-early-help/#lawful-basis"}
    for article in other.find_all("article"):
        assert "Relied on by" not in article.get_text()
        assert not article.find("a", href=re.compile("#lawful-basis"))
    assert page.find(id="article-10") is not None  # the published address of the Article 10 heading stays


def test_the_page_says_where_a_public_authority_cannot_use_a_ground(built_site: Path) -> None:
    page = _page(built_site)
    for basis in ("art6-1-ea", "art6-1-f"):
        box = page.find(id=basis).find_parent("article").find(class_="public-authority")
        said = " ".join(box.get_text(" ").split())
        assert "A public authority, such as a council, cannot use this ground" in said, basis
        assert ("Points (ea) and (f) of the first subparagraph shall not apply to processing carried out by"
                " public authorities in the performance of their tasks") in said
    for basis in ("art6-1-e", "art6-1-a", "art9-2-a"):
        assert page.find(id=basis).find_parent("article").find(class_="public-authority") is None, basis
