"""Every page in a real browser: axe-core's WCAG 2.2 A/AA rules, privacy, and a 320 px screen.

Skipped where Chromium is absent; failing instead when CI=true (see browser_support).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS, require_browser, serve_folder, site_pages
from conftest import copy_project, notices
from test_bases import with_purpose_bases


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built for a site at a domain root, as the test server serves it
    (404.html links from the base path, so it must be served where it says it is)."""
    root = copy_project(tmp_path_factory.mktemp("browser"))
    early_help = root / "content/notices/prevention-and-early-help.yaml"  # fill the policy document's tables
    early_help.write_text(early_help.read_text("utf-8").replace("art9-2-j]\n", "art9-2-j]\n  schedule_1:"
                          " [dpa-sch1-para18]\n  criminal_offence: [art10, dpa-sch1-para10]\n", 1), "utf-8")
    with_purpose_bases(root)  # one notice with the purpose -> basis and transfers tables
    result = notices(root, "build", "--base-url", "https://notices.example.org/")
    assert result.code == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def served(built_site: Path) -> Iterator[str]:
    with serve_folder(built_site) as address:
        yield address


@pytest.fixture(scope="module")
def visits(browser: Any, served: str, built_site: Path) -> dict[str, dict[str, Any]]:
    """Open every page once at 320 px and once at 1280 px; record what a test needs to know."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    results: dict[str, dict[str, Any]] = {}
    requests: list[str] = []
    csp_errors: list[str] = []
    for width in (320, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=True)
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("console", lambda message: csp_errors.append(message.text)
                if "Content Security Policy" in message.text else None)
        for path in site_pages(built_site):
            requests.clear()
            page.goto(served + path, wait_until="load")
            visit = results.setdefault(path, {})
            visit[f"scroll_{width}"] = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            visit.setdefault("requests", []).extend(requests)
            # axe skips what a closed <details> hides: open them all, so every word is checked
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
            # axe at both widths: a phone's layout has its own problems (target size, reflow)
            report = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            visit.setdefault("violations", []).extend(
                f"{width} px: {v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']]}"
                for v in report.response["violations"])
        cookies = results.setdefault("__cookies__", {"cookies": [], "csp": csp_errors})
        cookies["cookies"] += context.cookies()
        context.close()
    return results


def test_the_site_has_pages_to_visit(built_site: Path) -> None:
    assert len(site_pages(built_site)) >= 8
    assert "appropriate-policy-document/" in site_pages(built_site)
    assert "prevention-and-early-help/young-people/" in site_pages(built_site)  # a young people's version


def test_the_not_found_page_is_styled_at_any_depth(browser: Any, served: str) -> None:
    """A host shows 404.html for any missing address, however deep: its links must still work."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + "404.html")
    styled = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    home = page.evaluate("new URL(document.querySelector('main a').href).pathname")
    context.close()
    assert styled == "rgb(31, 61, 92)"
    assert home == "/"


def test_every_page_passes_axe_wcag_a_and_aa(visits: dict[str, dict[str, Any]]) -> None:
    failures = {path: visit["violations"] for path, visit in visits.items()
                if not path.startswith("__") and visit["violations"]}
    assert not failures, failures
    assert len([p for p in visits if not p.startswith("__")]) >= 8


def test_no_page_requests_another_host(visits: dict[str, dict[str, Any]], served: str) -> None:
    elsewhere = {path: [url for url in visit["requests"] if not url.startswith(served)]
                 for path, visit in visits.items() if not path.startswith("__")}
    assert not any(elsewhere.values()), elsewhere
    assert all(visit["requests"] for path, visit in visits.items() if not path.startswith("__"))


def test_no_cookie_is_set_and_nothing_breaks_the_content_security_policy(
        visits: dict[str, dict[str, Any]]) -> None:
    assert visits["__cookies__"]["cookies"] == []
    assert visits["__cookies__"]["csp"] == []


def test_nothing_scrolls_sideways_at_320_px(visits: dict[str, dict[str, Any]]) -> None:
    wide = {path: visit["scroll_320"] for path, visit in visits.items()
            if not path.startswith("__") and visit["scroll_320"][0] > visit["scroll_320"][1]}
    assert not wide, wide


def test_pages_read_the_same_without_javascript(browser: Any, served: str, built_site: Path) -> None:
    """Nothing is hidden behind script: the text with JavaScript off is the text with it on."""
    texts = []
    for enabled in (True, False):
        context = browser.new_context(java_script_enabled=enabled)
        page = context.new_page()
        page.goto(served + "prevention-and-early-help/")
        texts.append(page.inner_text("main"))
        context.close()
    assert texts[0] == texts[1]
    assert "Who are we likely to share this information with?" in texts[1]


@pytest.mark.parametrize("zoom", [2, 4])
@pytest.mark.parametrize("path", ["childrens-social-care/", "sharing/"])
def test_text_stays_readable_at_200_and_400_percent_zoom(
        browser: Any, served: str, path: str, zoom: int) -> None:
    """Browser zoom on a 1280 x 800 window: the page lays out in 1280/zoom CSS pixels (320 at 400 %),
    drawn `zoom` times larger. Emulated exactly so: a smaller viewport at a higher device scale."""
    context = browser.new_context(viewport={"width": 1280 // zoom, "height": 800 // zoom},
                                  device_scale_factor=zoom)
    page = context.new_page()
    page.goto(served + path)
    overflow = page.evaluate("""() => [...document.querySelectorAll('main :is(p, li, th, td, h2)')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.textContent.slice(0, 40))""")
    scrolls = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    context.close()
    assert overflow == [] and not scrolls


def test_the_focus_indicator_is_visible(browser: Any, served: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + "privacy-notice/")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
        return [e.textContent.trim(), s.backgroundColor, s.boxShadow]; }""")
    context.close()
    assert focused[0] == "Skip to main content"
    assert focused[1] == "rgb(255, 210, 63)"  # the yellow focus colour of style.css
    assert focused[2] != "none"


def test_print_hides_navigation_and_prints_link_addresses(browser: Any, served: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + "childrens-social-care/")
    page.emulate_media(media="print")
    nav_display = page.evaluate("getComputedStyle(document.querySelector('.site-nav')).display")
    after = page.evaluate("""getComputedStyle(document.querySelector('main a[href^="https"]'), '::after')
        .content""")
    context.close()
    assert nav_display == "none"
    assert "https://" in after or "attr(href)" in after


def test_the_skip_link_moves_focus_to_the_content_without_painting_it(browser: Any, served: str) -> None:
    """Tab, Enter: focus lands on <main>, which must not turn yellow like a focused link."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + "childrens-social-care/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    focused = page.evaluate("""() => [document.activeElement.id,
        getComputedStyle(document.activeElement).backgroundColor]""")
    page.keyboard.press("Tab")  # the next stop is the first link inside the content
    inside = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    context.close()
    assert focused == ["main-content", "rgba(0, 0, 0, 0)"]
    assert inside


def test_focus_stays_visible_with_forced_colours(browser: Any, served: str) -> None:
    """Windows High Contrast drops backgrounds and shadows: the focused link needs an outline."""
    context = browser.new_context(forced_colors="active")
    page = context.new_page()
    page.goto(served + "privacy-notice/")
    page.keyboard.press("Tab")
    outline = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, parseFloat(s.outlineWidth)]; }""")
    context.close()
    assert outline[0] == "solid" and outline[1] >= 2


def test_print_keeps_table_rows_whole_and_does_not_repeat_addresses(browser: Any, served: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    page.goto(served + "sharing/")
    rows = page.evaluate("""[...document.querySelectorAll('main tr')]
        .map(row => getComputedStyle(row).breakInside)""")
    page.goto(served + "privacy-notice/")
    email = page.evaluate("""getComputedStyle(document.querySelector('main .summary-list a[href^="mailto:"]'),
        '::after').content""")
    printed_address = page.evaluate("getComputedStyle(document.querySelector('.print-only')).display")
    context.close()
    assert rows and set(rows) == {"avoid"}
    assert email == "none"  # the link text is already the address
    assert printed_address == "block"  # a printed page says where to find it online


PHONE = {"width": 360, "height": 740}
"""A small phone's screen in CSS pixels (issue 19 measured so): a page's height is counted in screens."""
SCREENS_BEFORE = {"prevention-and-early-help/": 16.8, "childrens-social-care/": 13.0}
"""The service notices' heights at 360 px before the "At a glance" layer (commit 60b3e86), with every
section and all the law's words shown: a page with its disclosures closed must be at most half."""
NOTICES = ["privacy-notice/", "prevention-and-early-help/", "childrens-social-care/"]


@pytest.fixture(scope="module")
def phone_heights(browser: Any, served: str) -> dict[str, dict[str, float]]:
    """Each notice (and the lawful bases page) on a 360 px phone, in screens: its height with every
    disclosure closed, as it opens; where its "At a glance" ends; its height with all open."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    heights = {}
    for path in [*NOTICES, "lawful-bases/"]:
        page.goto(served + path)
        closed, glance = page.evaluate("""() => { const g = document.querySelector('.at-a-glance');
            return [document.documentElement.scrollHeight,
                    g ? g.getBoundingClientRect().bottom + scrollY : 0]; }""")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        opened = page.evaluate("document.documentElement.scrollHeight")
        heights[path] = {"closed": closed / PHONE["height"], "glance_ends": glance / PHONE["height"],
                         "open": opened / PHONE["height"]}
    context.close()
    print("\npage heights at 360 px, in 740 px screens:")
    for path, figures in heights.items():
        print(f"  {path:28} closed {figures['closed']:5.1f}  open {figures['open']:5.1f}"
              f"  'At a glance' ends at {figures['glance_ends']:.2f}")
    return heights


def test_at_a_glance_ends_within_the_first_two_phone_screens(
        phone_heights: dict[str, dict[str, float]]) -> None:
    for path in NOTICES:
        assert 0 < phone_heights[path]["glance_ends"] <= 2, (path, phone_heights[path])


def test_a_service_notice_with_its_disclosures_closed_is_half_as_long_as_before(
        phone_heights: dict[str, dict[str, float]]) -> None:
    for path, before in SCREENS_BEFORE.items():
        figures = phone_heights[path]
        assert figures["closed"] <= before / 2, (path, figures)
        assert figures["open"] >= before * 0.9, (path, figures)  # the words are all still there


def test_print_shows_what_the_reader_left_closed(browser: Any, served: str) -> None:
    """Closed <details> print open (::details-content, no script): every section and the law's words."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "prevention-and-early-help/")
    seen = """() => [...document.querySelectorAll('main .section-body, main blockquote.statute')]
        .map(e => e.checkVisibility())"""
    on_screen = page.evaluate(seen)
    page.emulate_media(media="print")
    printed = page.evaluate(seen)
    summary = page.evaluate("getComputedStyle(document.querySelector('.section-details > summary')).display")
    context.close()
    assert on_screen and not any(on_screen)  # closed on a screen
    assert len(printed) == len(on_screen) and all(printed)
    assert summary == "none"  # "Read this section" means nothing on paper
