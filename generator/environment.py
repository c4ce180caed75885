"""The Jinja2 environment the templates are rendered in: what they can call, and how it is kept.

Templates see the resolved site and these helpers: filters for dates, phone links and Markdown,
the cached components of fragments.py, JSON-LD and change history. Compiled templates are kept
between runs (`template_cache`), and run with two of Jinja2's steps made quicker: escaping each
`{{ value }}` (escape_output) and calling a macro (QuickCallContext), with the same output.
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from collections.abc import Callable, MutableMapping
from contextlib import suppress
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from markupsafe import Markup, escape

from . import history, jsonld
from .fragments import Fragments, markdown_block, markdown_inline
from .reading import TemplateLoader
from .resolve import Notice
from .summary import SummaryUndefined

try:  # MarkupSafe 3: escape() is Python around this C function, and makes a Markup of its result twice
    from markupsafe import _escape_inner as _escape_text  # type: ignore[attr-defined]
except ImportError:  # MarkupSafe 2: escape() is C already
    _escape_text = escape


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
    env.template_class = QuickEscapeTemplate
    env.context_class = QuickCallContext
    fragments = Fragments()  # see fragments.py: markup that every notice repeats, made once
    env.globals["cached"] = fragments.cached
    env.filters["cached"] = fragments.cached_entry
    env.filters.update(markdown=markdown_block, markdown_inline=markdown_inline)
    env.filters["long_date"] = long_date
    env.globals["notice_sections"] = notice_sections
    env.globals.update(json_ld=jsonld.script_content, numbered_changes=history.numbered_changes)
    env.filters["tel"] = lambda phone: "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return env


def escape_output(value: Any) -> str:
    """What markupsafe.escape gives for a `{{ value }}`, as plain text: some three hundred a page.

    Jinja2 joins what a template outputs into one text (a macro's, a block's, the page's) and makes
    that a Markup; each value's own Markup is never seen, and making it was a fifth of the page's time.
    """
    kind = type(value)
    if kind is str:
        return _escape_text(value)  # type: ignore[no-any-return]
    if kind is Markup:  # a component's or a filter's markup: safe already
        return value
    return escape(value)


class QuickEscapeTemplate(jinja2.Template):
    """A template whose `{{ value }}` escapes with escape_output (the same text, sooner)."""

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: CodeType, globals: MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The compiled template's functions share one namespace, where `escape` is markupsafe's.
        template.root_render_func.__globals__["escape"] = escape_output
        return template


_MACROS_TAKE_EVAL_CONTEXT = getattr(jinja2.runtime.Macro.__call__, "jinja_pass_arg", None) is getattr(
    getattr(jinja2.utils, "_PassArg", None), "eval_context", False)
"""Whether this Jinja2 passes a macro the eval context, as QuickCallContext does (3.1 does); if a
later one does not, every call goes the usual way."""


class QuickCallContext(jinja2.runtime.Context):
    """A template's context that calls a macro (a component, a `{% call %}` block's caller: some forty
    a page) straight away, as Context.call does after asking the macro what to pass it."""

    @jinja2.utils.internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if type(__obj) is not jinja2.runtime.Macro or not _MACROS_TAKE_EVAL_CONTEXT:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(__self.eval_ctx, *args, **kwargs)  # Macro.__call__ takes the eval context
        except StopIteration:
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception")


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
