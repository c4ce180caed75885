"""Markdown for the prose fields: safe by construction, with links between notices.

Raw HTML is escaped, images are off (an image would load from another site), and only
https, http, mailto and tel links are kept. Editors link to another notice with
`notice:SLUG` or `notice:SLUG#section`, which becomes a relative link, so the site works
at any base URL; and to an Act with `[words](law:ID)`, written out before rendering (lawlinks.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from . import lawlinks

SAFE_SCHEMES = ("https:", "http:", "mailto:", "tel:")
NOTICE_LINK = re.compile(r"^notice:([a-z0-9]+(?:-[a-z0-9]+)*)(#[A-Za-z0-9_-]+)?$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_LINK_TARGETS = re.compile(r"\]\(\s*<?([^)\s>]*)|<([A-Za-z][A-Za-z0-9+.-]*:[^>\s]*)>"
                           r"|^\s*\[[^\]]+\]:\s*<?([^\s>]+)")
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")
_PLAIN_LINE = r"[^\W\d_][\w ,.;:'’‘“”\"()?!/%£€–—+=@#-]*(?<! )"
"""A line of words and everyday punctuation that starts with a letter and ends with no space: no
Markdown construct starts at a letter, and none of these characters starts one inside a line, but
`_` (a word character to `\\w`, and emphasis to Markdown), which `_is_plain` rules out first."""
_PLAIN_TEXT = re.compile(rf"\n*{_PLAIN_LINE}(?:\n+{_PLAIN_LINE})*\n*")
_BLANK_LINES = re.compile(r"\n\n+")
_PLAIN_NOTICE_LINK = re.compile(r"\[([^\W\d_][\w ,.;:'’‘“”\"()?!/%£€–—+=@#-]*(?<! ))\]"
                                r"\(notice:([a-z0-9]+(?:-[a-z0-9]+)*)(#[A-Za-z0-9_-]+)?\)")
"""`[words](notice:SLUG#section)`, its words a plain line (see _PLAIN_LINE), as editors link to another
notice: prose that is plain but for such links is made without the parser (see `_linked_plain`)."""


def is_safe_link(url: str) -> bool:
    """Relative links, fragments, notice: links and the safe schemes; nothing else."""
    url = _IGNORED_BY_BROWSERS.sub("", url)  # browsers drop these, so "java\tscript:" is javascript:
    scheme = _SCHEME.match(url)
    if scheme is None:
        return True
    if url.lower().startswith(SAFE_SCHEMES):
        return True
    return bool(NOTICE_LINK.match(url))


def link_targets(text: str) -> list[str]:
    """The link targets written in a Markdown string (for checks before rendering)."""
    return [a or b or c for a, b, c in _LINK_TARGETS.findall(text)]


def _validate_link(url: str) -> bool:
    return is_safe_link(url)


def _link_open(self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    match = NOTICE_LINK.match(href)
    if match:
        token.attrSet("href", f"{env.get('root', '')}{match.group(1)}/{match.group(2) or ''}")
    return self.renderToken(tokens, idx, options, env)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """One parser for the whole build: building it is the slow part."""
    md = _configured(html=False)
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("link_open", _link_open)
    return md


def _configured(html: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": html, "linkify": False, "typographer": False})
    md.disable(["image", "heading", "lheading"] + ([] if html else ["html_block", "html_inline"]))
    md.normalizeLink = _keep_notice_links(md.normalizeLink)  # type: ignore[method-assign]
    return md


@lru_cache(maxsize=1)
def _link_finder() -> MarkdownIt:
    """The page's parser, except that it keeps every link so the checks can see what it drops."""
    md = _configured(html=False)
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


@lru_cache(maxsize=1)
def _html_finder() -> MarkdownIt:
    return _configured(html=True)


@dataclass
class MarkdownProblems:
    """What the page will not show as written: links it drops, HTML it prints as text."""

    unsafe_links: list[str] = field(default_factory=list)
    notice_links: list[str] = field(default_factory=list)
    """Every `notice:...` link, so the validator can check that the notice exists."""
    law_links: list[str] = field(default_factory=list)
    """The id of every `[words](law:ID)` link (lawlinks.py), so the validator can check the entry exists."""
    html: list[str] = field(default_factory=list)


def inspect(text: str) -> MarkdownProblems:
    """Find, before rendering, the links and HTML the renderer would drop or escape."""
    found = MarkdownProblems()
    if "]" not in text and "<" not in text:
        return found  # a link needs `](`, `]:` or `<...>`, and HTML starts with `<`: most prose has neither
    if lawlinks.SCHEME in text:  # law links become https links on the page: the rest is checked as they are
        found.law_links = lawlinks.law_link_ids(text)
        text = lawlinks.without_law_links(text)
    linked = _linked_plain(text)
    if linked is not None:  # plain words and links to notices: nothing to drop or escape
        found.notice_links = [f"notice:{slug}{section}" for _, slug, section in zip(*linked[1:], strict=True)]
        return found
    for token in _inline_tokens(_link_finder(), text):
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if href.lower().startswith("notice:"):
                found.notice_links.append(href)
            elif not is_safe_link(href):
                found.unsafe_links.append(href)
    if "<" in text:  # HTML starts with `<`: without one, no need to read the text again
        found.html = [t.content.strip() for t in _inline_tokens(_html_finder(), text)
                      if t.type in ("html_inline", "html_block") and t.content.strip()]
    return found


def _inline_tokens(md: MarkdownIt, text: str) -> list[Token]:
    tokens: list[Token] = []
    for token in md.parse(text):
        tokens.append(token)
        tokens.extend(token.children or [])
    return tokens


def _keep_notice_links(normalize: Any) -> Any:
    def normalize_link(url: str) -> str:
        return url if NOTICE_LINK.match(url) else str(normalize(url))

    return normalize_link


@lru_cache(maxsize=32_768)
def render_block(text: str, root: str = "") -> str:
    """Paragraphs and lists; `root` is the relative path from the page to the site root.

    Kept for the next call: the pages that list every notice repeat the notices' own text, and
    the preview renders the same text again after every save.
    """
    if _is_plain(text):  # most prose: paragraphs of plain words, the same HTML sooner
        paragraphs = _BLANK_LINES.split(text.strip("\n"))
        return "".join([f"<p>{paragraph}</p>\n" for paragraph in paragraphs]).replace('"', "&quot;")
    linked = _linked_html(text, root)
    if linked is not None:  # plain words and links to notices: the same HTML sooner too
        return "".join([f"<p>{paragraph}</p>\n" for paragraph in _BLANK_LINES.split(linked.strip("\n"))])
    return parser().render(text, {"root": root})


@lru_cache(maxsize=32_768)
def render_inline(text: str, root: str = "") -> str:
    """One line of Markdown, without a surrounding paragraph."""
    if "\n" not in text:
        if _is_plain(text):  # plain words: the same HTML sooner
            return text.replace('"', "&quot;")
        linked = _linked_html(text, root)
        if linked is not None:
            return linked
    return parser().renderInline(text, {"root": root})


def _is_plain(text: str) -> bool:
    """Whether the text is paragraphs of plain lines (see _PLAIN_LINE): Markdown would only wrap each
    paragraph in <p> and write `"` as `&quot;`. tests/test_markdown.py compares the two ways."""
    return "_" not in text and _PLAIN_TEXT.fullmatch(text) is not None


def _linked_plain(text: str) -> tuple[list[str], list[str], list[str], list[str]] | None:
    """Text that is plain (see _is_plain) but for `[words](notice:...)` links, split in four: the
    text around the links, and each link's words, slug and section (or ""); else None. Markdown
    would make each such link `<a href>` its words, and the rest as it makes plain text."""
    if "](notice:" not in text:
        return None
    parts = _PLAIN_NOTICE_LINK.split(text)
    around, words, slugs, sections = parts[0::4], parts[1::4], parts[2::4], parts[3::4]
    shown = "".join([piece for pair in zip(around, [*words, ""], strict=True) for piece in pair])
    if not _is_plain(shown):
        return None
    return around, words, slugs, [section or "" for section in sections]


def _linked_html(text: str, root: str) -> str | None:
    """The HTML of `_linked_plain` text, without its paragraphs; else None."""
    linked = _linked_plain(text)
    if linked is None:
        return None
    around, words, slugs, sections = linked
    html = [around[0].replace('"', "&quot;")]
    for shown, slug, section, after in zip(words, slugs, sections, around[1:], strict=True):
        href = escapeHtml(f"{root}{slug}/{section}")  # as _link_open makes it, and the renderer writes it
        html += (f'<a href="{href}">', shown.replace('"', "&quot;"), "</a>", after.replace('"', "&quot;"))
    return "".join(html)
