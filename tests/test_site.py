"""The site built from the fixture content: the pages, and one source of truth behind them."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURE, notices

from generator.build import build_in_memory
from generator.site import environment


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text("utf-8"), "html.parser")


def text(site: Path, path: str) -> str:
    return re.sub(r"\s+", " ", soup(site, path).get_text(" "))


def register(name: str) -> list[dict]:
    data = yaml.safe_load((FIXTURE / "content" / "definitions" / f"{name}.yaml").read_text("utf-8"))
    return data[name.replace("-", "_")]


def test_every_page_the_brief_lists_is_written(built_site: Path) -> None:
    for path in ["index.html", "privacy-notice/index.html", "childrens-social-care/index.html",
                 "prevention-and-early-help/index.html", "lawful-bases/index.html", "sharing/index.html",
                 "accessibility/index.html", "404.html", "sitemap.xml", "assets/style.css"]:
        assert (built_site / path).is_file(), path


def test_home_page_lists_every_notice_with_its_summary(built_site: Path) -> None:
    home = soup(built_site, "index.html")
    links = {a["href"]: a.get_text(strip=True) for a in home.main.find_all("a")}
    for path in sorted((FIXTURE / "content" / "notices").glob("*.yaml")):
        notice = yaml.safe_load(path.read_text("utf-8"))
        assert links.get(f"{notice['slug']}/") == notice["title"]
        assert notice["summary"] in home.main.get_text(" ")


def test_service_notices_have_the_same_sections_in_the_same_order(built_site: Path) -> None:
    def headings(slug: str) -> list[str]:
        return [h2.get_text(strip=True) for h2 in soup(built_site, f"{slug}/index.html").main.find_all("h2")]

    care, early_help = headings("childrens-social-care"), headings("prevention-and-early-help")
    assert care == early_help
    assert len(care) >= 12
    contents = [a.get_text(strip=True) for a in soup(built_site, "childrens-social-care/index.html")
                .select(".contents-list a")]
    assert contents == care[2:]  # the first h2s are "At a glance" and "Contents"


def test_lawful_bases_page_has_the_current_article_6_wording(built_site: Path) -> None:
    """The DUAA 2025 reworded 6(1)(e) and inserted 6(1)(ea), in force from 5 February 2026."""
    page = text(built_site, "lawful-bases/index.html")
    assert ("processing is necessary for the performance of a task of the controller carried out in the"
            " public interest or a task carried out in the exercise of official authority vested in the"
            " controller") in page
    assert "processing is necessary for the purposes of a recognised legitimate interest" in page
    assert "Article 6(1)(ea)" in page


def test_lawful_bases_page_links_each_basis_to_the_notices_relying_on_it(built_site: Path) -> None:
    page = soup(built_site, "lawful-bases/index.html")
    consent = page.find(id="art6-1-a").find_parent("article")
    targets = {a["href"] for a in consent.find_all("a")}
    assert {"../childrens-social-care/#lawful-basis", "../prevention-and-early-help/#lawful-basis"} <= targets
    public_task = page.find(id="art6-1-e").find_parent("article")  # seeds gap 6, kept as published
    assert public_task.find_parent("section", attrs={"aria-labelledby": "article-6-other"}) is not None
    assert "Relied on by" not in public_task.get_text()
    for entry in register("lawful-bases"):
        assert page.find(id=entry["id"]) is not None, entry["id"]


def test_sharing_page_is_a_table_of_organisations_by_notice(built_site: Path) -> None:
    page = soup(built_site, "sharing/index.html")
    table = page.find("table")
    assert table.caption.get_text(strip=True)
    assert all(th.get("scope") in ("col", "row") for th in table.find_all("th"))
    rows = {row.th.get_text(strip=True): {a["href"] for a in row.find_all("a") if "#sharing" in a["href"]}
            for row in table.tbody.find_all("tr")}
    both = {"../childrens-social-care/#sharing", "../prevention-and-early-help/#sharing"}
    assert rows["Bradford Council"] == both
    assert rows["Ofsted"] == {"../prevention-and-early-help/#sharing"}


def test_changing_a_register_entry_changes_every_page_that_uses_it(project: Path) -> None:
    lawful_bases = project / "content" / "definitions" / "lawful-bases.yaml"
    lawful_bases.write_text(lawful_bases.read_text("utf-8").replace(
        "the data subject has given consent", "the data subject has given CONSENT-EDITED", 1), "utf-8")
    legislation = project / "content" / "definitions" / "legislation.yaml"
    legislation.write_text(legislation.read_text("utf-8").replace(
        "title: Children Act 1989", "title: Children Act 1989 (edited)", 1), "utf-8")
    organisations = project / "content" / "definitions" / "organisations.yaml"
    organisations.write_text(organisations.read_text("utf-8").replace(
        "short_name: Bradford Council", "short_name: Bradford Council (edited)", 1), "utf-8")
    result = notices(project, "build")
    assert result.code == 0, result.stderr
    site = project / "site"
    for page in ["childrens-social-care/index.html", "prevention-and-early-help/index.html",
                 "lawful-bases/index.html"]:
        assert "the data subject has given CONSENT-EDITED" in text(site, page), page
    for page in ["childrens-social-care/index.html", "prevention-and-early-help/index.html"]:
        assert "Children Act 1989 (edited)" in text(site, page), page
        assert "Bradford Council (edited)" in text(site, page), page
    assert "Bradford Council (edited)" in text(site, "sharing/index.html")


def test_markdown_prose_cannot_carry_raw_html(project: Path) -> None:
    notice = project / "content" / "notices" / "prevention-and-early-help.yaml"
    notice.write_text(notice.read_text("utf-8").replace(
        "why: |\n", "why: |\n  <b onclick=\"alert(1)\">bold</b> <script>alert(2)</script>\n", 1), "utf-8")
    assert notices(project, "build").code == 0
    page = soup(project / "site", "prevention-and-early-help/index.html")
    scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
    assert scripts == [] and page.find("b") is None
    assert '<b onclick="alert(1)">bold</b>' in page.get_text()  # shown as text, harmless


def test_building_twice_gives_identical_bytes(project: Path, tmp_path: Path) -> None:
    def digest(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert notices(project, "build", "--out", str(tmp_path / "one")).code == 0
    assert notices(project, "build", "--out", str(tmp_path / "two")).code == 0
    assert digest(tmp_path / "one") == digest(tmp_path / "two")
    assert len(digest(tmp_path / "one")) >= 10


def test_sitemap_lists_every_page_at_the_base_url(built_site: Path) -> None:
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    base = yaml.safe_load((FIXTURE / "content" / "site.yaml").read_text("utf-8"))["base_url"]
    assert all(loc.startswith(base) for loc in locations)
    assert f"{base}childrens-social-care/" in locations and f"{base}" in locations
    assert not any("404" in loc for loc in locations)


def test_what_the_compliance_fields_say_is_shown_to_readers(project: Path) -> None:
    """A gap filled for the compliance check must be filled on the page too, not only in the data."""
    notice = project / "content" / "notices" / "children-social-care.yaml"
    transfers = "transfers:\n  text: For liaison with courts or when a child is placed abroad.\n"
    safeguards = "  safeguards: We send only what the court abroad needs, by secure email.\n"
    added = ("statutory_requirement: The law says we must collect some of this information.\n"
             "not_applicable:\n"
             "  sources: All of this information comes from you and the people who refer you.\n")
    edited = notice.read_text("utf-8").replace(transfers, transfers + safeguards, 1) + added
    notice.write_text(edited, "utf-8")
    result = notices(project, "build")
    assert result.code == 0, result.stderr
    page = text(project / "site", "childrens-social-care/index.html")
    assert "We send only what the court abroad needs, by secure email." in page
    assert ("Do you have to give us this information? The law says we must collect some of this information."
            in page)
    assert "All of this information comes from you and the people who refer you." in page
    assert "does not name any other source" not in page


def test_templates_compiled_on_an_earlier_run_are_compiled_again_once_edited(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates are kept between runs (environment.template_cache); an edit is never hidden."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(environment.CACHE_VARIABLE, str(cache))
    first = build_in_memory(project)
    assert b"Printed on recycled paper" not in first.files["index.html"]
    assert any(cache.iterdir()), "nothing was kept"
    template = project / "templates/index.html"
    template.write_text(template.read_text("utf-8").replace(
        "<h1>Privacy notices</h1>", "<h1>Privacy notices</h1><p>Printed on recycled paper</p>"), "utf-8")
    second = build_in_memory(project)
    assert b"Printed on recycled paper" in second.files["index.html"]
    assert second.files["sharing/index.html"] == first.files["sharing/index.html"]


def test_no_compiled_templates_are_kept_when_asked(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(environment.CACHE_VARIABLE, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert build_in_memory(project).files
    assert not (tmp_path / "xdg").exists()
