"""The Jinja2 environment the templates are rendered in: what they can call, and how it is kept.

Templates see the resolved site and these helpers: filters for dates, phone links and Markdown,
the cached components of fragments.py, JSON-LD and change history. Compiled templates are kept
between runs (`template_cache`).
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import jinja2

from . import history, jsonld
from .fragments import Fragments, markdown_block, markdown_inline
from .resolve import Notice


def create_environment(templates: Path) -> jinja2.Environment:
    """One Jinja2 environment for the build; templates are compiled once and cached."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        extensions=["jinja2.ext.do"],
        bytecode_cache=template_cache(),
    )
    fragments = Fragments()  # see fragments.py: markup that every notice repeats, made once
    env.globals["cached"] = fragments.cached
    env.filters["cached"] = fragments.cached_entry
    env.filters.update(markdown=markdown_block, markdown_inline=markdown_inline)
    env.filters["long_date"] = long_date
    env.globals["notice_sections"] = notice_sections
    env.globals.update(json_ld=jsonld.script_content, numbered_changes=history.numbered_changes)
    env.filters["tel"] = lambda phone: "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return env


CACHE_VARIABLE = "NOTICES_CACHE_DIR"
"""Where compiled templates are kept between runs; set it empty to keep none."""


def template_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, by each template's path and text (a changed template is
    compiled again): compiling them is a fifth of the time of building a small site.

    In $XDG_CACHE_HOME (or ~/.cache)/privacy-notices/templates, or NOTICES_CACHE_DIR; nothing is
    kept when the folder cannot be made. The site's bytes do not depend on it.
    """
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None and not chosen.strip():
        return None
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(chosen) if chosen else Path(home) / "privacy-notices" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def long_date(value: datetime.date) -> str:
    """'21 November 2026': the form GOV.UK uses, the same in every locale."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    return f"{value.day} {months[value.month - 1]} {value.year}"


def notice_sections(notice: Notice) -> list[tuple[str, str]]:
    """(id, heading) of each section of a service notice, in the fixed order of every notice."""
    return [
        ("information-we-collect", "What information do we collect?"),
        ("sources", "Where do we get this information from?"),
        ("who-uses-it", "Who uses this information?"),
        ("purposes", "What do we use it for?"),
        ("why", "Why do we use this information?"),
        ("lawful-basis", "What authority does the Trust have to collect and use this information?"),
        ("sharing", "Who are we likely to share this information with?"),
        ("security", "How do we keep this information secure?"),
        ("automated-decisions", "When computers make any decisions about you"),
        ("transfers", "When your data gets sent to other countries"),
        ("retention", "How long do we keep this information?"),
        ("rights", "What are your rights?"),
    ]
