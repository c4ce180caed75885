"""The Jinja2 environment the templates are rendered in: what they can call, and how it is kept.

Templates see the resolved site and these helpers: filters for dates, phone links and Markdown,
the cached components of fragments.py, JSON-LD and change history. Compiled templates are kept
between runs (`template_cache`).
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

import jinja2

from ..content.reading import TemplateLoader
from ..content.schema import PRINCIPLES
from . import answers, bases_page, glance, history, jsonld, policy_document
from .fragments import Fragments, law_status, markdown_block, markdown_inline
from .retention import how_long, retention_text
from .summary import SummaryUndefined


def create_environment(templates: Path) -> jinja2.Environment:
    """One Jinja2 environment for the build; templates are compiled once and cached."""
    env = jinja2.Environment(
        loader=TemplateLoader(str(templates)),
        autoescape=jinja2.select_autoescape(("html", "xml")),
        undefined=SummaryUndefined,
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
    env.globals.update(transfer_words=answers.transfer_words, art_22c=answers.ART_22C_WORDS)
    env.filters["law_status"] = law_status
    env.globals.update(json_ld=jsonld.script_content, numbered_changes=history.numbered_changes)
    env.globals["lawful_bases_parts"] = bases_page.lawful_bases_parts
    env.globals.update(conditions_used=policy_document.conditions_used, principles=PRINCIPLES,
                       notices_covered=policy_document.notices_covered,
                       policy_document_href=policy_document.policy_document_href)
    env.globals["glance"] = glance.rows_for
    env.filters["lower_first"] = glance.lower_first
    env.globals["retention_text"] = retention_text
    env.filters["how_long"] = how_long
    env.filters["tel"] = lambda phone: "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return env


CACHE_VARIABLE = "NOTICES_CACHE_DIR"
"""Where compiled templates are kept between runs; set it empty to keep none."""


def template_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, by each template's path and text (a changed template is
    compiled again): compiling them is a fifth of the time of building a small site.

    In $XDG_CACHE_HOME (or ~/.cache)/privacy-notices/templates, or NOTICES_CACHE_DIR. A folder that
    cannot be made, read or written (read-only, left owned by root by `sudo notices build`) is skipped
    with one line of warning: the site's bytes never depend on the cache.
    """
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None and not chosen.strip():
        return None
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(chosen) if chosen else Path(home) / "privacy-notices" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")  # can we write here at all?
        os.close(descriptor)
        os.unlink(probe)
    except OSError as exc:
        _warn_once(f"notices: warning: cannot use the template cache in {folder} ({exc.strerror or exc});"
                   f" building without it (set {CACHE_VARIABLE} to another folder, or to nothing for none)")
        return None
    return ForgivingCache(folder)


_warned: set[str] = set()


def _warn_once(line: str) -> None:
    """One line, once a process: the environment is made again for each build of the preview."""
    if line not in _warned:
        _warned.add(line)
        print(line, file=sys.stderr)


class ForgivingCache(jinja2.BytecodeCache):
    """A cache in one folder, as jinja2.FileSystemBytecodeCache keeps it, that never stops a build: a
    file that cannot be read is compiled again, one that cannot be written is not kept. (Jinja2's own
    raises on either, and a template then failed with "PermissionError" under its name.)"""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"__jinja2_{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self._file(bucket), "rb") as file:
                bucket.load_bytecode(file)
        except (OSError, ValueError, EOFError, TypeError):  # missing, unreadable, a folder, or garbled
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        temporary = None
        try:
            descriptor, temporary = tempfile.mkstemp(dir=self.folder, prefix=".compiling-")
            with os.fdopen(descriptor, "wb") as file:
                bucket.write_bytecode(file)
            os.replace(temporary, self._file(bucket))  # whole or not at all: another build may read it
        except OSError:
            if temporary is not None:
                with suppress(OSError):
                    os.unlink(temporary)


def long_date(value: datetime.date) -> str:
    """'21 November 2026': the form GOV.UK uses, the same in every locale."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    return f"{value.day} {months[value.month - 1]} {value.year}"
