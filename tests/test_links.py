"""The link check: a broken internal link or #fragment fails the build, naming where it was written."""

from __future__ import annotations

import hashlib
import html as html_module
import pickle
import random
import re
from pathlib import Path

import pytest
from conftest import notices

from generator.site.links import check_links
from generator.site.linkscan import compact, scan_file, scan_page
from generator.site.linktarget import normalise_base_url, resolve_link

BASE = "https://notices.example.org/privacy/"


def page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><body>{body}</body></html>".encode()


def broken_hrefs(files: dict[str, bytes], base_url: str = BASE) -> list[tuple[str, str]]:
    return [(b.link.page, b.link.href) for b in check_links(files, base_url).broken]


# --- the checker on small hand-made sites ------------------------------------------------------


def test_a_folder_link_resolves_to_its_index_page_and_a_missing_one_does_not() -> None:
    files = {
        "index.html": page('<a href="sharing/">ok</a> <a href="sharing">ok too</a>'
                           '<a href="sharng/">typo</a>'),
        "sharing/index.html": page('<a href="../">home</a> <a href="../index.html">home</a>'),
    }
    assert broken_hrefs(files) == [("index.html", "sharng/")]


def test_a_fragment_must_name_an_element_id_on_the_target_page() -> None:
    files = {
        "index.html": page('<h2 id="here">x</h2><a href="#here">ok</a> <a href="#gone">bad</a>'
                           '<a href="a/#there">ok</a> <a href="a/#here">bad: id is on another page</a>'),
        "a/index.html": page('<p id="there">x</p>'),
    }
    assert broken_hrefs(files) == [("index.html", "#gone"), ("index.html", "a/#here")]


def test_the_broken_link_is_reported_at_its_line_and_column_in_the_page() -> None:
    files = {"index.html": b'<!DOCTYPE html>\n<p>\n  <a class="x"\n     href="nope/">x</a>'}
    (broken,) = check_links(files, BASE).broken
    assert (broken.link.line, broken.link.column) == (4, 6)


def test_positions_stay_right_far_down_a_page_and_with_several_links_on_a_line() -> None:
    lines = ['<!DOCTYPE html>', '<a href="#a">x</a> <a id="a" href="#a">y</a>']
    lines += [f'<p id="p{n}"><a href="#p{n}">ok</a></p>' for n in range(300)]
    lines += ['<p>Two on one line: <a href="#p1">ok</a>, then <A class="x" HREF=\'#nope\'>bad</A></p>']
    (broken,) = check_links({"index.html": "\n".join(lines).encode()}, BASE).broken
    assert (broken.link.line, broken.link.column) == (len(lines), lines[-1].index("HREF") + 1)


@pytest.mark.parametrize("seed", range(3))
def test_every_broken_link_is_placed_right_however_the_lines_fall(seed: int) -> None:
    """Links several to a line, lines of one link, blank lines between, a very long line (a page that
    lists every notice puts thousands of links on one): each at its own line and column."""
    pick = random.Random(seed)
    text, links = "<!DOCTYPE html>", 0
    for _ in range(200):
        text += pick.choice(["\n", "\n\n\n", " ", "", "<p>some words</p>\n  "])
        for _ in range(pick.choice([1, 1, 3, 40])):
            text += f'<a href="gone-{links}/">x</a>'
            links += 1
    expected = []
    for found in re.finditer(r'href="gone-', text):  # worked out here on its own, the plain way
        start = found.start()
        expected.append((text.count("\n", 0, start) + 1, start - text.rfind("\n", 0, start)))
    broken = check_links({"index.html": text.encode()}, BASE).broken
    assert [b.link.href for b in broken] == [f"gone-{n}/" for n in range(links)]
    assert [(b.link.line, b.link.column) for b in broken] == expected


def test_links_are_read_however_the_tag_is_written() -> None:
    body = """<a href="gone-1/">x</a> <a class='c' href='gone-2/' title="t">x</a> <a href=gone-3/>x</a>
<A HREF="gone-4/">x</A> <img src="gone-5.png" alt="a > b"> <img alt='b' src=gone-6.png />
<a href="gone-7/" id="here">x</a> <a href = "gone-8/">x</a> <link href="gone-9.css"/>
<a href="gone-&#49;0/">x</a> <a href="#here">ok</a> <a name="named">x</a> <a href="#named">ok</a>
<p name="not-an-id">x</p> <a href="#not-an-id">broken</a>
<!-- <a href="commented-out/"> --> <script>var a = '<a href="in-a-script/">';</script>
<a title='a "quoted" href="inside-a-value/"' data-href="not-a-link/">x</a>"""
    hrefs = broken_hrefs({"index.html": page(body)})
    assert hrefs == [("index.html", href) for href in [
        "gone-1/", "gone-2/", "gone-3/", "gone-4/", "gone-5.png", "gone-6.png", "gone-7/", "gone-8/",
        "gone-9.css", "gone-10/", "#not-an-id"]]


@pytest.mark.parametrize("seed", range(5))
def test_the_quick_reading_of_a_page_agrees_with_reading_each_start_tag_in_turn(seed: int) -> None:
    """The scan reads the usual tag in one step; on odd markup it must find what a plain reading does."""
    pieces = ['<a href="x">', "<a href='y' id=z>", "<A HREF=Q class=k>", '<a name="n">', '<p name="m">',
              '<img alt="a>b" src="t">', '<!-- <a href="c"> -->', "<!--", "-->", '<script src="j">',
              "</script>", "<style>", '<a href = "6">', '<a href="7"/>', '<a title="<a href=9>">',
              '<a"b c" href=10>', "<a href==12>", '<a href="&amp;13">', '<a \u0131d="15">',
              '<a x="y"href="27">', "<a href>", '<a href="20"\n   id="21">',
              "\n", " ", "text", '"', "'", ">", "<", "="]
    rng = random.Random(seed)
    for _ in range(400):
        html = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        links, ids = scan_page("p.html", html)
        assert ([(link.line, link.column, link.href) for link in links], ids) == plain_reading(html), html


def plain_reading(html: str) -> tuple[list[tuple[int, int, str]], set[str]]:
    """Links and ids the slow, plain way: each start tag that may link, then each of its attributes."""
    attributes = r"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
    tags = re.compile(rf"<!--.*?-->|<(script|style)\b{attributes}>.*?</\1\s*>"
                      rf"|<([A-Za-z][^\s/>]*)(?=[^>]*?\s(?:id|name|href|src)\s*=){attributes}>",
                      re.DOTALL | re.IGNORECASE)
    attribute = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
    links, ids = [], set()
    for tag in tags.finditer(html):
        name, group = (tag.group(1), 2) if tag.group(1) else (tag.group(3), 4)
        for found in attribute.finditer(tag.group(group) or ""):
            value = next((v for v in found.group(2, 3, 4) if v is not None), None)
            kind = found.group(1).lower()
            if value is None or kind not in ("id", "name", "href", "src"):
                continue
            value = html_module.unescape(value)
            if kind == "id" or (kind == "name" and name.lower() == "a"):
                ids.add(value)
            elif kind in ("href", "src"):
                offset = tag.start(group) + found.start()
                links.append((html.count("\n", 0, offset) + 1, offset - html.rfind("\n", 0, offset), value))
    return links, ids


def test_each_page_is_judged_from_its_own_folder_and_its_own_ids() -> None:
    """The checker works an address out once for the pages it means the same on, and no further."""
    files = {
        "index.html": page('<a href="a/data.json">ok</a> <a href="b/data.json">gone</a>'),
        "a/index.html": page('<a href="data.json">ok</a> <a href="../b/">ok</a> <h2 id="a">x</h2>'
                             '<a href="#a">ok</a> <a href="#b">bad</a> <a href="../a/#a">ok</a>'),
        "b/index.html": page('<a href="data.json">gone</a> <a href="../b/">ok</a> <h2 id="b">x</h2>'
                             '<a href="#a">bad</a> <a href="#b">ok</a> <a href="../a/#a">ok</a>'),
        "b/c/index.html": page('<a href="../b/">gone: b/b/</a> <a href="../../b/">ok</a>'
                               '<a href="#a">bad</a>'),
        "a/data.json": b"{}",
    }
    assert broken_hrefs(files) == [
        ("a/index.html", "#b"), ("b/c/index.html", "../b/"), ("b/c/index.html", "#a"),
        ("b/index.html", "data.json"), ("b/index.html", "#a"), ("index.html", "b/data.json")]


def test_scans_pass_between_processes_unchanged() -> None:
    files = {"index.html": page('<a href="#a">x</a>\n<h2 id="a">x</h2> <a href="nope/">x</a>')}
    scans = {name: compact(pickle.loads(pickle.dumps(scan_file(name, body)))) for name, body in files.items()}
    assert [(b.link.line, b.link.column, b.link.href) for b in check_links(list(files), BASE, scans).broken] \
        == [(2, 22, "nope/")]


def test_links_that_climb_above_the_base_path_are_broken() -> None:
    files = {"a/index.html": page('<a href="../../elsewhere/">x</a> <a href="/elsewhere/">x</a>'
                                  '<a href="/privacy/">ok</a>')}
    files["index.html"] = page("")
    assert broken_hrefs(files) == [("a/index.html", "../../elsewhere/"), ("a/index.html", "/elsewhere/")]


def test_root_relative_links_work_only_under_the_base_path() -> None:
    files = {"index.html": page('<a href="/privacy/a/">ok</a>'), "a/index.html": page("")}
    assert broken_hrefs(files) == []
    assert broken_hrefs(files, "https://example.org/") == [("index.html", "/privacy/a/")]


def test_absolute_links_to_the_base_url_are_checked_like_internal_ones() -> None:
    files = {"index.html": page(f'<link rel="canonical" href="{BASE}"><a href="{BASE}nope/">x</a>'
                                f'<a href="https://notices.example.org/other-site/">another site</a>')}
    assert broken_hrefs(files) == [("index.html", f"{BASE}nope/")]


def test_external_links_are_listed_with_their_pages_and_mail_links_are_not() -> None:
    files = {"index.html": page('<a href="https://ico.org.uk/">ICO</a> <a href="mailto:a@b.org">mail</a>'),
             "a/index.html": page('<a href="https://ico.org.uk/">ICO</a> <a href="tel:+441">call</a>')}
    report = check_links(files, BASE)
    assert report.external == {"https://ico.org.uk/": ["a/index.html", "index.html"]}
    assert report.broken == []


def test_a_relative_link_on_the_404_page_is_broken_because_it_is_served_at_any_depth() -> None:
    files = {"404.html": page('<a href="#top">ok</a> <a href="sharing/">relative</a>'
                              '<a href="/privacy/sharing/">ok</a>'),
             "sharing/index.html": page("")}
    assert broken_hrefs(files) == [("404.html", "sharing/")]


def test_sitemap_addresses_must_be_pages_of_the_site() -> None:
    files = {"index.html": page(""),
             "sitemap.xml": f"<urlset><url><loc>{BASE}</loc></url><url><loc>{BASE}gone/</loc></url></urlset>"
             .encode()}
    assert broken_hrefs(files) == [("sitemap.xml", f"{BASE}gone/")]


def test_resolve_link_treats_a_fragment_only_link_as_the_same_page() -> None:
    target = resolve_link("404.html", "#main-content", BASE)
    assert target is not None and (target.path, target.fragment) == ("404.html", "main-content")
    assert resolve_link("a/index.html", "https://www.gov.uk/", BASE) is None


@pytest.mark.parametrize(("given", "expected"), [
    ("https://example.org/privacy", "https://example.org/privacy/"),
    ("https://Example.ORG", "https://example.org/"),
    ("http://localhost:8000/x/", "http://localhost:8000/x/"),
])
def test_base_url_gains_its_trailing_slash(given: str, expected: str) -> None:
    assert normalise_base_url(given) == expected


@pytest.mark.parametrize("bad", ["ftp://example.org/", "example.org/privacy/", "https://", "/privacy/",
                                 "https://example.org/a b/", "https://example.org/?x=1"])
def test_a_base_url_that_is_not_a_web_address_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        normalise_base_url(bad)


# --- the real command line on a copy of the project --------------------------------------------


def site_digest(site: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once in `path`; return the line it was on."""
    text = path.read_text("utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), "utf-8")
    return line


@pytest.fixture
def built(project: Path) -> tuple[Path, str]:
    """The project built once, and a digest of its site to prove a failed build leaves it alone."""
    first = notices(project, "build")
    assert first.code == 0, first.stderr
    return project, site_digest(project / "site")


@pytest.mark.parametrize(("old", "new", "reason"), [
    ("(notice:privacy-notice#your-rights)", "(notice:privacy-notice#nope)",
     "privacy-notice/index.html has no element with id 'nope'"),
    ("(#sharing)", "(#no-such-section)", "this page has no element with id 'no-such-section'"),
    ("(notice:privacy-notice)", "(../nowhere/)", "there is no page or file 'nowhere/'"),
])
def test_a_broken_markdown_link_fails_the_build_at_the_content_line(
    built: tuple[Path, str], old: str, new: str, reason: str
) -> None:
    project, before = built
    notice = project / "content" / "notices" / "children-social-care.yaml"
    line = edit(notice, old, new)
    result = notices(project, "build")
    assert result.code == 1
    written = new.strip("()")
    expected = (f"content/notices/children-social-care.yaml:{line}:",
                f": error: broken link '{written}' on childrens-social-care/index.html: {reason}")
    errors = [ln for ln in result.stderr.splitlines() if ": error: " in ln]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith(expected[0]) and expected[1] in errors[0], result.stderr
    assert "Build failed: the site was not changed." in result.stderr
    assert site_digest(project / "site") == before


def test_a_broken_href_in_a_template_fails_the_build_once_naming_the_template_and_pages(
    built: tuple[Path, str],
) -> None:
    project, before = built
    line = edit(project / "templates" / "base.html", '{{ root }}sharing/"', '{{ root }}sharng/"')
    result = notices(project, "build")
    assert result.code == 1
    errors = [ln for ln in result.stderr.splitlines() if ": error: " in ln]
    assert len(errors) == 1, result.stderr  # written once, in the layout, so reported once
    assert errors[0].startswith(f"templates/base.html:{line}:"), errors[0]
    assert "broken link '{{ root }}sharng/' on 404.html, accessibility/index.html" in errors[0]
    assert "there is no page or file 'sharng/'" in errors[0]
    assert site_digest(project / "site") == before


def test_a_broken_link_the_checker_cannot_trace_is_reported_at_each_built_page(
    built: tuple[Path, str],
) -> None:
    project, before = built
    edit(project / "templates" / "base.html", "/#contact-us", "/#contact-uss")
    result = notices(project, "build")
    assert result.code == 1
    errors = [ln for ln in result.stderr.splitlines() if ": error: " in ln]
    sharing = [ln for ln in errors if ln.startswith("site/sharing/index.html:")]
    assert len(sharing) == 1, result.stderr
    assert "broken link '../privacy-notice/#contact-uss': privacy-notice/index.html has no element" \
        " with id 'contact-uss' (did you mean '#contact-us'?" in sharing[0]
    line, column = (int(n) for n in sharing[0].split(":")[1:3])
    old_page = (project / "site" / "sharing" / "index.html").read_text("utf-8").splitlines()
    assert old_page[line - 1][column - 1:].startswith('href="../privacy-notice/#contact-us"')
    assert len(errors) == 11  # every page has the footer (9 pages, and 2 young people's versions)
    assert site_digest(project / "site") == before


def test_check_fails_on_a_broken_link_too(project: Path) -> None:
    edit(project / "content" / "notices" / "main.yaml", "(#contact-us)", "(#contact-them)")
    result = notices(project, "check")
    assert result.code == 1
    assert "broken link '#contact-them' on privacy-notice/index.html" in result.stderr


def test_check_links_lists_external_links_with_the_pages_that_use_them(project: Path) -> None:
    result = notices(project, "check", "--links")
    assert result.code == 0, result.stderr
    listed = dict(line.split("\t") for line in result.stdout.splitlines() if "\t" in line)
    # Written in content/site.yaml (the ICO contact) and shown on the main notice:
    assert "privacy-notice/index.html" in listed["https://ico.org.uk/make-a-complaint/"].split()
    # Written in templates/accessibility.html:
    assert listed["https://www.w3.org/TR/WCAG22/"] == "accessibility/index.html"
    assert not any(url.startswith(("mailto:", "tel:", "../")) for url in listed)
    assert all(url.startswith("https://") for url in listed)
    assert list(listed) == sorted(listed)
