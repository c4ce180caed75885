"""Citing the legislation register from a sentence (`[words](law:ID)`), and law that no longer applies.

Expected titles, addresses and positions are read from the fixture's YAML here or written out by
hand (the register: content/definitions/legislation.yaml of tests/fixtures), not copied from output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import notices

from generator.build import build_in_memory
from generator.content.schema import Act
from generator.preview.cache import PreviewCache
from generator.site import markdown
from generator.site.lawlinks import with_law_links

PEH = "content/notices/prevention-and-early-help.yaml"
CSC = "content/notices/children-social-care.yaml"
REGISTER = "content/definitions/legislation.yaml"
BASE = "http://127.0.0.1:8000/"
CHILDREN_ACT = "https://www.legislation.gov.uk/ukpga/1989/41/contents"
CARE_ACT = "https://www.legislation.gov.uk/ukpga/2014/23/contents"
ACT_1944 = "https://www.legislation.gov.uk/ukpga/Geo6/7-8/31/contents"
OUTRO = "  outro: |\n"


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path}"
    file.write_text(text.replace(old, new), "utf-8")
    later = file.stat().st_mtime_ns + 10_000_000  # a later save, even on a coarse clock
    os.utime(file, ns=(later, later))


def where(root: Path, path: str, written: str) -> tuple[int, int]:
    text = (root / path).read_text("utf-8")
    offset = text.index(written)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def paragraph_citing(page: bytes, words: str) -> BeautifulSoup:
    soup = BeautifulSoup(page, "html.parser")
    return next(p for p in soup.find_all("p") if words in p.get_text())


def test_a_law_link_shows_the_registers_title_or_its_own_words_and_links_to_legislation_gov_uk(
        project: Path) -> None:
    edit(project, PEH, OUTRO, OUTRO + "    Records are kept as [](law:children-act-1989) and [the 1944 Act]"
         "(law:education-act-1944)\n    require.\n\n")
    result = build_in_memory(project)
    assert not result.diagnostics.errors, [d.text() for d in result.diagnostics.errors]
    cited = paragraph_citing(result.files["prevention-and-early-help/index.html"], "Records are kept")
    assert [(a.get_text(), a["href"]) for a in cited.find_all("a")] == [
        ("Children Act 1989", CHILDREN_ACT), ("the 1944 Act", ACT_1944)]
    # Never shown as current law: what became of it follows the link.
    assert " ".join(cited.get_text().split()) == (
        "Records are kept as Children Act 1989 and the 1944 Act (no longer in force: repealed in 1996,"
        " replaced by the Education Act 1996) require.")
    # The notice's data carries what its text cites (the 1996 Act, which replaced the 1944 one, it lists).
    data = json.loads(result.files["prevention-and-early-help/notice.json"])
    assert [act["id"] for act in data["cited_legislation"]] == ["children-act-1989", "education-act-1944"]
    assert data["cited_legislation"][1]["status"] == "repealed"
    # Citing the repealed Act from prose is warned of, at the text that cites it (`outro: |`).
    line = where(project, PEH, OUTRO)[0]
    warned = [d for d in result.diagnostics.warnings if d.rule == "law-in-force" and d.path.endswith(PEH)]
    assert [(d.line, "links to 'Education Act 1944'" in d.message) for d in warned if d.line == line] == [
        (line, True)]


def test_a_law_link_to_no_entry_is_an_error_where_it_is_written_with_did_you_mean(project: Path) -> None:
    edit(project, PEH, OUTRO, OUTRO + "    As [the Act](law:childrens-act-1989) says, and"
         " [](law:nothing-like-it).\n    Also [titled](law:children-act-1989 \"a title\").\n")
    run = notices(project, "check")
    assert run.code == 1
    line, column = where(project, PEH, "law:childrens-act-1989")
    assert (f"{PEH}:{line}:{column}: error: the link 'law:childrens-act-1989' leads nowhere: no entry in"
            f" {REGISTER} has the id 'childrens-act-1989' (did you mean 'law:children-act-1989'?)"
            ) in run.stderr.splitlines()
    line, column = where(project, PEH, "law:nothing-like-it")
    assert f"{PEH}:{line}:{column}: error: the link 'law:nothing-like-it' leads nowhere" in run.stderr
    assert "Traceback" not in run.stderr
    # A law link written another way than [words](law:ID) is one the page drops: said so, with the form.
    line, column = where(project, PEH, "law:children-act-1989 \"a title\"")
    assert (f"{PEH}:{line}:{column}: warning: the link to 'law:children-act-1989' is not safe and will be"
            " removed from the page") in run.stderr
    assert "[words](law:ID) for an Act" in run.stderr


def test_a_register_edit_reaches_the_page_and_the_hash_of_a_notice_that_cites_it_only_in_prose(
        project: Path) -> None:
    # The Care Act 2014 is not in the notice's `legislation: acts:`: only its text cites it.
    edit(project, PEH, OUTRO, OUTRO + "    We also work under [](law:care-act-2014).\n")
    memo = PreviewCache()
    before = build_in_memory(project, base_url=BASE, cache=memo)
    page = "prevention-and-early-help/index.html"
    assert [a.get_text() for a in paragraph_citing(before.files[page], "We also work").find_all("a")] == [
        "Care Act 2014"]
    edit(project, REGISTER, "title: Care Act 2014", "title: Care Act 2014 (as amended)")
    after = build_in_memory(project, base_url=BASE, cache=memo)
    cited = paragraph_citing(after.files[page], "We also work").find_all("a")
    assert [(a.get_text(), a["href"]) for a in cited] == [("Care Act 2014 (as amended)", CARE_ACT)]
    full = build_in_memory(project, base_url=BASE)
    assert after.files[page] == full.files[page]
    hashes = [{n["slug"]: n["content_hash"] for n in json.loads(build.files["notices.json"])["notices"]}
              for build in (before, after)]
    assert hashes[0]["prevention-and-early-help"] != hashes[1]["prevention-and-early-help"]
    assert hashes[0]["privacy-notice"] == hashes[1]["privacy-notice"]  # cites no Act: the same content


def test_a_law_no_longer_in_force_is_never_listed_as_law_the_notice_works_under(built_site: Path) -> None:
    soup = BeautifulSoup((built_site / "prevention-and-early-help/index.html").read_bytes(), "html.parser")
    heading = soup.find("h3", string="The laws we work under")
    current, ended = heading.find_next("ul"), heading.find_next("ul").find_next("ul")
    assert "Education Act 1944" not in current.get_text()
    assert "Education Act 1996" in current.get_text()
    assert ended.find_previous("p").get_text() == "This notice also names laws that no longer apply:"
    assert [" ".join(li.get_text().split()) for li in ended.find_all("li")] == [
        "Education Act 1944: repealed in 1996, replaced by the Education Act 1996",
        "Local Safeguarding Children Boards Regulations 2006: replaced by safeguarding partner arrangements"
        " under sections 16E to 16K of the Children Act 2004"]
    assert "legislation.gov.uk/ukpga/1996/56/schedule/39" not in str(soup)  # where staff read it: not here
    data = json.loads((built_site / "prevention-and-early-help/notice.json").read_text("utf-8"))
    act = next(a for a in data["legislation"]["acts"] if a["id"] == "education-act-1944")
    assert (act["status"], act["status_date"], act["replaced_by"]) == ("repealed", "1996-11-01",
                                                                        "education-act-1996")
    assert "status_source" not in act  # for staff: `notices check` shows it
    linked = json.loads(soup.find("script", type="application/ld+json").string)["dpv:hasApplicableLaw"]
    force = {law["@id"]: law["schema:legislationLegalForce"]["@id"] for law in linked}
    assert force[ACT_1944] == "schema:NotInForce" and force[CHILDREN_ACT] == "schema:InForce"
    assert next(law for law in linked if law["@id"] == ACT_1944)["dct:isReplacedBy"] == {
        "@id": "https://www.legislation.gov.uk/ukpga/1996/56/contents"}


def test_a_status_that_does_not_add_up_is_an_error_at_the_entry(project: Path) -> None:
    edit(project, REGISTER, "    replaced_by: education-act-1996\n", "    replaced_by: education-act-1969\n")
    edit(project, REGISTER, "    status_source: https://www.legislation.gov.uk/ukpga/2004/31/section/16E\n",
         "")
    edit(project, REGISTER, "    citation: 2014 c. 23\n", "    citation: 2014 c. 23\n    status: replaced\n"
         "    status_source: https://www.legislation.gov.uk/ukpga/2014/23/contents\n")
    result = build_in_memory(project)
    errors = {(d.line, d.message, d.hint) for d in result.diagnostics.errors if d.path.endswith(REGISTER)}
    line = where(project, REGISTER, "replaced_by: education-act-1969")[0]
    assert any(e[0] == line and "unknown Act or regulation 'education-act-1969'" in e[1]
               and e[2] == "did you mean 'education-act-1996'?" for e in errors), errors
    assert any("needs `replaced_by`" in e[1] for e in errors), errors
    assert any("needs `status_source`" in e[1] for e in errors), errors  # the replaced 2006 Regulations


def test_a_title_is_shown_as_written_whatever_markdown_it_holds() -> None:
    """A register title with Markdown's punctuation in it is shown as it is, not as emphasis or a link."""
    act = Act(id="odd", title="The *Odd* [Title] Act_2020 & <Co>", year=2020, type="act",
              citation="2020 c. 1", url="https://www.legislation.gov.uk/ukpga/2020/1/contents")
    html = markdown.render_inline(with_law_links("See [](law:odd).", {"odd": act}))
    link = BeautifulSoup(html, "html.parser").a
    assert (link.get_text(), link["href"]) == ("The *Odd* [Title] Act_2020 & <Co>", act.url)
