"""The young people's version of a notice and the reading-age check (generator/checks/reading_age.py,
generator/content/young_people.py): what an editor and a reader see."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import copy_project

from generator.build import build_in_memory, check
from generator.checks.reading_age import Reading, check_reading_age, measure, plain, reading_table
from generator.checks.report import render_report
from generator.preview.cache import PreviewCache

YOUNG = "content/young-people/prevention-and-early-help.yaml"
NOTICE = "content/notices/prevention-and-early-help.yaml"


def _edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _built(root: Path) -> tuple[str, bool]:
    """The build's messages as printed, and whether `--strict` would fail."""
    result = build_in_memory(root)
    return "\n".join(d.text() for d in result.diagnostics.items), result.diagnostics.has_errors(strict=True)


def _line_of(root: Path, name: str, words: str) -> int:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if words in line)


def test_the_formulas_give_the_figures_worked_out_by_hand() -> None:
    # 5 words, 1 sentence, 8 syllables (in-for-ma-tion is 4): grade 0.39*5 + 11.8*8/5 - 15.59 = 5.24;
    # ease 206.835 - 1.015*5 - 84.6*1.6 = 66.4; reading age = grade + 5.
    figures = measure("We keep your information safe.")
    assert (figures.words, figures.sentences, figures.syllables) == (5, 1, 8)
    assert (figures.grade, figures.ease, figures.age) == (5.2, 66.4, 10.2)


def test_markdown_is_measured_as_read_a_list_item_is_a_sentence_and_a_wrapped_line_is_not() -> None:
    text = plain("We use it to:\n\n- help you\n- keep you safe\n\nA long\nparagraph. [A link](https://x.org).")
    assert text == "We use it to: help you. keep you safe. A long paragraph. A link."
    assert measure(text).sentences == 5


def test_each_notice_has_a_young_peoples_page_linked_from_the_notice_the_home_page_and_the_data(
        built_site: Path) -> None:
    young = built_site / "prevention-and-early-help/young-people/index.html"
    page = BeautifulSoup(young.read_text(), "html.parser")
    assert page.h1.get_text() == "Your information and Early Help"
    assert [h2.get_text(strip=True) for h2 in page.select("main h2")][:2] == ["What we keep about you",
                                                                              "Why we keep it"]
    for svg in page.select("main svg"):  # decorative, with the heading's words beside each
        assert svg["aria-hidden"] == "true" and svg.find_parent("h2").get_text(strip=True)
    assert page.select_one(".young-full-link a")["href"] == "../"
    full = BeautifulSoup((built_site / "prevention-and-early-help/index.html").read_text(), "html.parser")
    assert full.select_one(".young-people-link a")["href"] == "young-people/"
    no_version = BeautifulSoup((built_site / "childrens-social-care/index.html").read_text(), "html.parser")
    assert no_version.select_one(".young-people-link") is None
    home = (built_site / "index.html").read_text()
    assert 'href="privacy-notice/young-people/"' in home and "childrens-social-care/young-people/" not in home
    sitemap = (built_site / "sitemap.xml").read_text()
    assert sitemap.count("/young-people/</loc>") == 2
    index = {n["slug"]: n for n in json.loads((built_site / "notices.json").read_text())["notices"]}
    assert index["privacy-notice"]["young_people_url"].endswith("/privacy-notice/young-people/")
    assert "young_people_url" not in index["childrens-social-care"]


def test_a_purpose_the_young_version_does_not_cover_or_names_wrongly_is_a_warning(
        tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _edit(root, NOTICE, "    - id: improve-policies\n", "    - id: share-stories\n      text: share stories\n"
          "    - id: improve-policies\n")
    _edit(root, YOUNG, "research-and-planning,\n", "research-and-plan,\n")
    stderr, strict_fails = _built(root)
    sections = _line_of(root, YOUNG, "sections:")
    assert (f"{YOUNG}:{sections}:1: warning: the full notice's purpose 'share-stories' ({NOTICE}:"
            in stderr), stderr
    assert "is not in the young people's version [young-people]" in stderr
    line = _line_of(root, YOUNG, "research-and-plan,")
    assert re.search(rf"{YOUNG}:{line}:\d+: warning: unknown purpose 'research-and-plan': the full notice"
                     r" does not list it \[young-people\] \(did you mean 'research-and-planning'\?\)",
                     stderr)
    assert "error" not in stderr and strict_fails  # the site still builds; CI's --strict does not pass


def test_left_out_with_a_reason_is_covered_and_a_purpose_without_an_id_is_a_warning(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    _edit(root, YOUNG, "research-and-planning,\n               improve-policies]", "research-and-planning]")
    _edit(root, YOUNG, "contacts: [data-protection-officer]\n", "contacts: [data-protection-officer]\n"
          "left_out:\n  purposes:\n    improve-policies: It is about our own rules, not about you.\n")
    _edit(root, NOTICE, "      text: monitor progress made\n", "      text: monitor progress made\n"
          "    - a purpose with no id\n")
    stderr, _ = _built(root)
    assert "improve-policies" not in stderr
    line = _line_of(root, NOTICE, "a purpose with no id")
    assert (f"{NOTICE}:{line}:7: warning: the purpose 'a purpose with no id' has no id, so the young people's"
            " version cannot say it explains it [young-people]") in stderr


def test_a_version_for_no_notice_is_a_warning_naming_the_slug(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / YOUNG).rename(root / "content/young-people/prevention-and-early-hlep.yaml")
    result = build_in_memory(root)
    messages = "\n".join(d.text() for d in result.diagnostics.items)
    assert ("content/young-people/prevention-and-early-hlep.yaml:1:1: warning: no notice has the slug"
            " 'prevention-and-early-hlep'") in messages
    assert "name the file prevention-and-early-help.yaml" in messages
    assert not any("young-people" in name and "prevention" in name for name in result.files)


def _reading(root: Path) -> tuple[list[Reading], str, str]:
    """What `notices check` adds: the figures, the warnings as printed, the table."""
    result = check(root)
    assert result.site is not None and result.compliance is not None
    notices_ = [(root / n.path, n.slug, n.title) for n in result.compliance.notices]
    before = len(result.diagnostics.items)
    readings = check_reading_age(root, result.site.config, notices_, result.diagnostics)
    warned = "\n".join(d.text() for d in result.diagnostics.items[before:])
    return readings, warned, reading_table(readings)


def test_reading_age_is_reported_per_notice_and_warned_above_the_target_in_site_yaml(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    readings, warned, table = _reading(root)
    assert re.search(r"prevention-and-early-help/young-people +[\d.]+ +[\d.-]+ +[\d.]+ +9 +ok", table), table
    assert "content/young-people/" not in warned  # the fixture versions meet reading age 9
    assert "content/notices/prevention-and-early-help.yaml" in warned  # the full notice does not meet 12
    with (root / "content/site.yaml").open("a", encoding="utf-8") as site:
        site.write("reading_age:\n  young_people: 5\n")
    readings, warned, _ = _reading(root)
    found = re.findall(r"^(content/young-people/[a-z-]+\.yaml):\d+:\d+: warning: .*the section '([a-z-]+)'"
                       r" has a reading age of [\d.]+ .*above the target of 5.*\[reading-age\]", warned,
                       re.MULTILINE)
    assert ("content/young-people/privacy-notice.yaml", "who-we-are") in found, warned
    result = check(root)
    assert result.site is not None and result.compliance is not None
    html = render_report(result.compliance, result.site, [], root / "templates", readings)
    report = BeautifulSoup(html, "html.parser")
    assert any(h.get_text() == "Reading age" for h in report.find_all("h2"))
    assert report.find("caption", string="Sections of prevention-and-early-help/young-people")
    hardest = [len(ol.find_all("li")) for ol in report.find_all("ol")]
    assert hardest.count(3) >= len(readings)  # the three hardest sentences of each notice and version


def test_the_preview_remakes_the_young_peoples_page_when_its_file_is_saved(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    memo = PreviewCache()
    page = "prevention-and-early-help/young-people/index.html"
    before = build_in_memory(root, cache=memo)
    assert b"Your information and Early Help" in before.files[page]
    _edit(root, YOUNG, "title: Your information and Early Help", "title: Early Help and you")
    after = build_in_memory(root, cache=memo)
    assert b"Early Help and you" in after.files[page]
    assert b"Your information and Early Help" not in after.files[page]
