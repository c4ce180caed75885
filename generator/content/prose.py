"""Checks of the Markdown prose fields, made before rendering, where positions are known.

A link the page would drop, or HTML that will show as text, is a warning at the field
that holds it; a `notice:` link to no notice, or a `law:` link to no Act, is an error with
"did you mean". The renderer (markdown.py) drops and escapes the same things whatever this
module says, so a page is safe even if a check is missed.
"""

from __future__ import annotations

import difflib
import functools
from typing import Any

from pydantic import BaseModel

from ..diagnostics import Diagnostics, shorten
from ..site import lawlinks, markdown
from . import schema
from .load import Location, SourceFile
from .messages import child_model
from .yamlfaults import find_in_text

SAFE_LINKS_HINT = ("only https:, http:, mailto: and tel: links are kept, notice:SLUG for another"
                   " notice and [words](law:ID) for an Act: fix the address or remove the link")


NoticeLink = tuple[Location, str]
"""A `notice:` link and the field it is written in."""


def check_markdown(source: SourceFile, model: type[BaseModel], diagnostics: Diagnostics,
                   context: dict[str, dict[str, str]] | None = None) -> list[NoticeLink]:
    """Warn of links the page would drop and HTML it will show as text; return the `notice:` links.

    Whether a `notice:` link leads anywhere depends on every other notice, so it is checked once
    all are read (`check_notice_links`), and this check of one file can run in any worker. A `law:`
    link is checked here, against the legislation register's ids in `context` (when it was read).
    """
    notice_links: list[NoticeLink] = []
    fields: list[tuple[Location, str]] = []
    _collect_markdown(model, source.data, (), fields)
    acts = (context or {}).get("legislation")
    for location, text in fields:  # those with a `]` or a `<`: most prose has no link and no HTML
        found = markdown.inspect(text)
        notice_links += [(location, href) for href in found.notice_links]
        if found.law_links and acts is not None:
            _check_law_links(source, location, found.law_links, acts, diagnostics)
        if not (found.unsafe_links or found.html):
            continue  # nothing to report: no need for the position, which may be read again (load.py)
        for nth, href in _numbered(found.unsafe_links):
            where = written_at(source, location, href, nth, link=True)
            diagnostics.warning(source.path, where, f"the link to '{shorten(href)}' is not safe and will be"
                                " removed from the page", SAFE_LINKS_HINT, rule="markdown-link")
        if found.html:
            where = written_at(source, location, found.html[0].splitlines()[0])
            diagnostics.warning(source.path, where, f"HTML is not allowed in Markdown:"
                                f" {shorten(found.html[0])!r} will be shown as text",
                                "use Markdown instead, such as **bold** or [words](https://...)",
                                rule="markdown-html")
    return notice_links


def check_notice_links(
    source: SourceFile, links: list[NoticeLink], slugs: set[str] | None, diagnostics: Diagnostics
) -> None:
    """A `notice:` link to no notice is an error, with "did you mean".

    `slugs` is None when some notice could not be read, so `notice:` links are not checked.
    """
    if slugs is None:
        return
    for (location, href), nth in zip(links, _occurrences(links), strict=True):
        if _notice_link_problem(href, slugs):
            where = written_at(source, location, href, nth, link=True)
            _check_notice_link(source, where, href, slugs, diagnostics)


def _check_law_links(source: SourceFile, location: Location, ids: list[str], acts: dict[str, str],
                     diagnostics: Diagnostics) -> None:
    """A `law:` link to no entry of the legislation register is an error, with "did you mean"."""
    hrefs = [f"{lawlinks.SCHEME}{act_id}" for act_id in ids]
    for nth, href in _numbered(hrefs):
        act_id = href.removeprefix(lawlinks.SCHEME)
        if act_id in acts:
            continue
        close = difflib.get_close_matches(act_id, sorted(acts), n=1, cutoff=0.6)
        register = schema.REGISTER_FILES["legislation"]
        diagnostics.error(source.path, written_at(source, location, href, nth, link=True),
                          f"the link '{href}' leads nowhere: no entry in {register} has the id '{act_id}'",
                          f"did you mean '{lawlinks.SCHEME}{close[0]}'?" if close
                          else f"add it to {register} first, or link to one of its ids")


def written_at(source: SourceFile, location: Location, words: str, nth: int = 0, *, link: bool = False
               ) -> tuple[int, int]:
    """Where `words` are written in the text at `location` (their `nth` time there): in a text of many
    lines, the line they are on. The text's own position if they cannot be found as written."""
    start = source.position(location)
    return find_in_text(source.lines(), start, words, nth, link=link) or start


def _occurrences(items: list[NoticeLink]) -> list[int]:
    """For each item, how many times it came before: the same link twice in a text is found twice."""
    seen: dict[NoticeLink, int] = {}
    counts = []
    for item in items:
        counts.append(seen.get(item, 0))
        seen[item] = counts[-1] + 1
    return counts


def _numbered(hrefs: list[str]) -> list[tuple[int, str]]:
    return list(zip(_occurrences([((), href) for href in hrefs]), hrefs, strict=True))


def _notice_link_problem(href: str, slugs: set[str]) -> bool:
    match = markdown.NOTICE_LINK.match(href)
    return match is None or match.group(1) not in slugs


def _check_notice_link(
    source: SourceFile, where: tuple[int, int], href: str, slugs: set[str], diagnostics: Diagnostics
) -> None:
    match = markdown.NOTICE_LINK.match(href)
    if match is None:
        diagnostics.error(source.path, where, f"'{href}' is not a link to a notice",
                          "write notice:SLUG or notice:SLUG#section, with the other notice's slug")
    elif match.group(1) not in slugs:
        close = difflib.get_close_matches(match.group(1), sorted(slugs), n=1, cutoff=0.6)
        diagnostics.error(source.path, where, f"the link '{href}' leads nowhere: no notice has the slug"
                          f" '{match.group(1)}'", f"did you mean 'notice:{close[0]}'?" if close
                          else f"notice slugs are: {', '.join(sorted(slugs))}")


def _collect_markdown(model: Any, data: dict[str, Any], location: Location,
                      found: list[tuple[Location, str]]) -> None:
    """Add to `found` every Markdown string in `data` that may hold a link or HTML (a `]` or a `<`, see
    markdown.inspect): a plain recursive walk, as every notice is walked whole, that goes only into
    the fields that can hold Markdown (a generator at each level cost more than the checks)."""
    fields = _field_kinds(model)
    for key, value in data.items():
        kind = fields.get(key)
        if kind is None:
            continue
        if kind is _MARKDOWN:
            if isinstance(value, str) and ("]" in value or "<" in value):
                found.append((location + (key,), value))
        elif isinstance(value, dict):
            _collect_markdown(kind, value, location + (key,), found)
        elif isinstance(value, list):
            only = _only_markdown(kind)
            for index, item in enumerate(value):
                if not isinstance(item, dict):  # nothing else holds a field
                    continue
                if only is None:
                    _collect_markdown(kind, item, location + (key, index), found)
                elif isinstance(text := item.get(only), str) and ("]" in text or "<" in text):
                    found.append((location + (key, index, only), text))


_MARKDOWN = object()
"""In `_field_kinds`: the field holds Markdown."""


@functools.cache
def _field_kinds(model: type) -> dict[str, Any]:
    """The fields of `model` that hold Markdown (_MARKDOWN) or a model that does (that model), worked
    out once per model, as every notice is walked: the others, such as a data tier's items, are not
    looked into."""
    kinds = {}
    for key, info in getattr(model, "model_fields", {}).items():
        inner = child_model(info.annotation)
        if schema.is_markdown(info):
            kinds[key] = _MARKDOWN
        elif inner is not None and inner is not model and _field_kinds(inner):
            kinds[key] = inner
    return kinds


@functools.cache
def _only_markdown(model: type) -> str | None:
    """The field of `model` that holds Markdown, when it is the only one to look into (most items of
    lists, such as a recipient's `why`): each item is then looked at without a call of its own."""
    kinds = _field_kinds(model)
    return next(iter(kinds)) if len(kinds) == 1 and _MARKDOWN in kinds.values() else None
