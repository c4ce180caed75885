"""Markdown is safe by construction: no content file can put a script or an event handler on a page."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURE, notices

from generator.site.markdown import (
    _inline_tokens,
    _is_plain,
    _link_finder,
    _linked_plain,
    inspect,
    is_safe_link,
    link_targets,
    parser,
    render_block,
    render_inline,
)

CSC = "content/notices/children-social-care.yaml"


@pytest.mark.parametrize("url", [
    "https://ico.org.uk/", "http://example.org", "mailto:dpo@example.org", "tel:+443031231113",
    "#sharing", "../lawful-bases/", "notice:privacy-notice", "notice:privacy-notice#your-rights",
])
def test_safe_links(url: str) -> None:
    assert is_safe_link(url)


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "vbscript:msgbox", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
])
def test_unsafe_links(url: str) -> None:
    assert not is_safe_link(url)


def test_raw_html_is_shown_as_text() -> None:
    html = render_block('<script>alert(1)</script>\n\nHello <img src=x onerror="alert(1)"> there')
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert "<script>alert(1)</script>" in soup.get_text()


@pytest.mark.parametrize("text", [
    "[click](javascript:alert(1))", "<javascript:alert(1)>", "[click][x]\n\n[x]: javascript:alert(1)",
    "[click](JAVASCRIPT:alert(1) 'title')", "![img](javascript:alert(1))",
])
def test_unsafe_links_are_dropped_and_reported(text: str) -> None:
    soup = BeautifulSoup(render_block(text), "html.parser")
    assert all(is_safe_link(a.get("href", "")) for a in soup.find_all("a"))
    assert soup.find("a") is None
    assert [link.lower() for link in inspect(text).unsafe_links] == ["javascript:alert(1)"]


def test_notice_links_become_relative_and_are_reported_for_checking() -> None:
    html = render_inline("see [the main notice](notice:privacy-notice#your-rights)", root="../")
    assert '<a href="../privacy-notice/#your-rights">the main notice</a>' in html
    assert inspect("[a](notice:privacy-notice) [b](https://x.org)").notice_links == ["notice:privacy-notice"]


def test_inspect_finds_html_but_not_code() -> None:
    found = inspect("a <b>bold</b> word and `<i>code</i>`")
    assert found.html == ["<b>", "</b>"]


def test_link_targets_in_a_yaml_line() -> None:
    found = link_targets("  - see [x](https://a.org) and <mailto:a@b.org>")
    assert found == ["https://a.org", "mailto:a@b.org"]
    assert link_targets("[x]: javascript:alert(1)") == ["javascript:alert(1)"]


HOSTILE = {
    "introduction": "<script>alert('intro')</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(2))"
                    " <a href=\"javascript:alert(3)\" onclick=\"alert(4)\">x</a>\n\n<svg onload=alert(5)>",
    "security": "<iframe src=https://evil.example></iframe> <div onmouseover='alert(6)'>hover</div>\n\n"
                + "A very long paragraph. " * 4500,
}


def test_hostile_but_valid_content_builds_without_any_live_script(project: Path) -> None:
    path = project / CSC
    text = path.read_text("utf-8")
    text = text.replace("introduction: |\n", "introduction: |\n" + "".join(
        f"  {line}\n" for line in HOSTILE["introduction"].splitlines()) + "\n", 1)
    text = text.replace("security: |\n", f"security: |\n  {HOSTILE['security'].splitlines()[0]}\n\n"
                        f"  {HOSTILE['security'].splitlines()[-1]}\n\n", 1)
    text = text.replace("title: Children’s Social Care", "title: \"<script>alert('title')</script>\"")
    path.write_text(text, "utf-8")
    assert len(HOSTILE["security"]) > 100_000

    run = notices(project, "build")
    assert run.code == 0, run.stderr
    assert "is not safe and will be removed" in run.stderr
    assert "HTML is not allowed in Markdown" in run.stderr
    pages = sorted((project / "site").rglob("*.html"))
    assert pages
    for page in pages:
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        scripts = [s for s in soup.find_all("script") if s.get("type") != "application/ld+json"]
        assert scripts == [], page
        for tag in soup.find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (page, tag.name, tag.attrs)
            for attribute in ("href", "src", "action", "formaction"):
                assert is_safe_link(str(tag.get(attribute, ""))), (page, tag)
        for icon in soup.select("svg.young-icon"):  # the template's own pictures (young-icons.html)
            icon.decompose()
        assert soup.find(["iframe", "svg", "img", "object", "embed"]) is None, page
    notice = BeautifulSoup((project / "site" / "childrens-social-care" / "index.html").read_text("utf-8"),
                           "html.parser")
    shown = notice.get_text()
    assert "<script>alert('intro')</script>" in shown and "<script>alert('title')</script>" in shown
    assert "A very long paragraph. " * 4000 in shown


# Plain prose skips the Markdown parser (see markdown._is_plain): the page must not be able to tell.
PIECES = [*"abcXYZé019 ,.;:'’‘“”\"()?!/%£€–—+=@#-_*`\\&<>[]~|{}$^\t\r\x00²\u00a0\u2028\u3000\u0301",
          "\n", "\n", "\n\n", " \n", "  ", "    ", "1. ", "2) ", "- ", "* ", "+ ", "> ", "# ", "***",
          "---", "===", "```", "~~~", "[a](b)", "[x]: https://a.org", "<b>", "&amp;", "&copy", "e.g.", "word"]
WORDY = [*"abcdef ,.'\"()?-", "\n", "\n\n", " \n", "word", "Word", "été", "2026", "£25"]


def content_prose() -> list[str]:
    """Every Markdown text of the fixture notices (the strings of the notice files)."""

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for item in value.values() for s in strings(item)]
        if isinstance(value, list):
            return [s for item in value for s in strings(item)]
        return []

    found = []
    for path in sorted((FIXTURE / "content" / "notices").glob("*.yaml")):
        found += strings(yaml.safe_load(path.read_text("utf-8")))
    return found


def test_plain_prose_gets_exactly_the_html_the_markdown_parser_gives() -> None:
    rng = random.Random(20260521)
    texts = content_prose()
    for pieces in (PIECES, WORDY) * 4_000:
        texts.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, 24))))
    plain = 0
    for text in texts:
        for root in ("", "../"):
            assert render_block.__wrapped__(text, root) == parser().render(text, {"root": root}), repr(text)
            assert render_inline.__wrapped__(text, root) == parser().renderInline(text, {"root": root}), \
                repr(text)
        plain += _is_plain(text)
    assert plain > 500, "too few plain texts: the comparison would prove little"


# Plain prose with links to notices skips the parser too (see markdown._linked_plain): the page, and the
# checks made before it is rendered, must not be able to tell.
NOTICE_LINKS = [
    "[main privacy notice](notice:privacy-notice#your-rights)", "[a](notice:x)", "[Ab](notice:ab).",
    '[a "q" b](notice:y)', "[a (b)](notice:a-b#S_1)", "[Été ’x’](notice:é)", "x[a](notice:y)z",
    "![a](notice:y)", "[a](notice:y)(b)",
]
ODD_LINKS = [
    "[x ](notice:y)", "[1a](notice:y)", "[a_b](notice:y)", "[a](notice:Y)", "[a](notice:y#)",
    "[a](notice:y \"t\")", "[[a](notice:y)](notice:z)", "\\[a](notice:y)", "[a](<notice:y>)",
    "[a*b](notice:y)", "[a]\n(notice:y)", "[a\nb](notice:y)", "[a](notice:y)  \n", "[a](https://x.org)",
    "[a]: notice:y", "[a](javascript:x)", "<b>",
]


def test_prose_with_links_to_notices_gets_exactly_what_the_parser_gives() -> None:
    rng = random.Random(20261121)
    words = ["word ", "Word", " ", ".", ",", "\n", "\n\n", '"', "!", "(", ")", "#", "x"]
    texts = [text for text in content_prose() if "notice:" in text]
    odd = NOTICE_LINKS + ODD_LINKS
    for pieces in (words + NOTICE_LINKS, words + odd, PIECES + odd) * 2_000:
        texts.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))))
    linked = 0
    for text in texts:
        for root in ("", "../"):
            assert render_block.__wrapped__(text, root) == parser().render(text, {"root": root}), repr(text)
            assert render_inline.__wrapped__(text, root) == parser().renderInline(text, {"root": root}), \
                repr(text)
        tokens = _inline_tokens(_link_finder(), text)
        hrefs = [str(token.attrGet("href")) for token in tokens if token.type == "link_open"]
        assert inspect(text).notice_links == [href for href in hrefs if href.lower().startswith("notice:")]
        linked += _linked_plain(text) is not None
    assert linked > 500, "too few texts took the quick way: the comparison would prove little"
