"""Stage 5, render: the resolved site to HTML and XML, in memory.

Templates see only the resolved `Site`; they never read YAML. A template mistake (a
missing value, a syntax error) becomes a diagnostic naming the template and line, never a
blank on the page. Rendering returns every output file as bytes, keyed by its path in
the site, in a fixed order, so the writer and the tests see exactly what will be served.
"""

from __future__ import annotations

import datetime
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from . import export, history, jsonld, markdown, processing
from .diagnostics import Diagnostics
from .resolve import Notice, Site

ASSETS = ("assets/style.css",)


@dataclass(frozen=True)
class Page:
    """One page to render: where it goes, which template, and what it shows."""

    path: str
    template: str
    depth: int
    values: dict[str, Any]

    @property
    def url_path(self) -> str:
        """The page's address relative to the site root ('' for the home page)."""
        return self.path.removesuffix("index.html")


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
    )
    env.filters["long_date"] = long_date
    env.globals["notice_sections"] = notice_sections
    env.globals.update(json_ld=jsonld.script_content, numbered_changes=history.numbered_changes)
    env.filters["tel"] = lambda phone: "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    return env


def long_date(value: datetime.date) -> str:
    """'21 November 2026': the form GOV.UK uses, the same in every locale."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    return f"{value.day} {months[value.month - 1]} {value.year}"


def plan_pages(site: Site) -> list[Page]:
    """Every page of the site, in a fixed order."""
    pages = [Page("index.html", "index.html", 0, {})]
    pages += [
        Page(f"{notice.slug}/index.html",
             "main-notice.html" if notice.is_main else "service-notice.html", 1, {"notice": notice})
        for notice in site.notices
    ]
    pages += [
        Page("lawful-bases/index.html", "lawful-bases.html", 1, {}),
        Page("sharing/index.html", "sharing.html", 1, {}),
        Page("accessibility/index.html", "accessibility.html", 1, {}),
        Page("404.html", "404.html", 0, {}),
    ]
    return pages


def render_site(
    site: Site, templates: Path, diagnostics: Diagnostics, env: jinja2.Environment | None = None
) -> dict[str, bytes]:
    """Render every page, the sitemap and the assets; template errors become diagnostics.

    The preview passes its own `env` (with auto_reload) to reuse compiled templates between builds.
    """
    env = env or create_environment(templates)
    pages = plan_pages(site)
    files: dict[str, bytes] = {}
    for page in pages:
        root = site.base_path if page.path == "404.html" else "../" * page.depth
        html = _render(env, page.template, diagnostics, templates, site=site, page=page, root=root,
                       md=_markdown_filters(root), pages=pages, **page.values)
        if html is not None:
            files[page.path] = html.encode("utf-8")
    sitemap = _render(env, "sitemap.xml", diagnostics, templates, site=site,
                      pages=[p for p in pages if p.path != "404.html"])
    if sitemap is not None:
        files["sitemap.xml"] = sitemap.encode("utf-8")
    files.update(_data_files(site, env, diagnostics, templates))
    for asset in ASSETS:
        files[asset] = (templates / asset).read_bytes()
    return files


def _data_files(
    site: Site, env: jinja2.Environment, diagnostics: Diagnostics, templates: Path
) -> dict[str, bytes]:
    """The notices as data (see docs/data.md): JSON with its schemas, the Atom feed, the CSV register."""
    files = export.data_files(site)
    files[export.REGISTER_FILE] = processing.processing_csv(site)
    feed = _render(env, "feed.xml", diagnostics, templates, site=site, entries=history.feed_entries(site),
                   updated=history.feed_updated(site))
    if feed is not None:
        files[export.FEED_FILE] = feed.encode("utf-8")
    return files


def _markdown_filters(root: str) -> dict[str, Callable[[str | None], Markup]]:
    def block(text: str | None) -> Markup:
        return Markup(markdown.render_block(text or "", root))

    def inline(text: str | None) -> Markup:
        return Markup(markdown.render_inline(text or "", root))

    return {"block": block, "inline": inline}


def _render(
    env: jinja2.Environment, name: str, diagnostics: Diagnostics, templates: Path, **values: Any
) -> str | None:
    try:
        return env.get_template(name).render(**values)
    except jinja2.TemplateSyntaxError as exc:
        path = Path(exc.filename) if exc.filename else templates / (exc.name or name)
        diagnostics.error(path, (exc.lineno or 1, 1), f"template syntax error: {exc.message}")
    except jinja2.TemplateNotFound as exc:
        diagnostics.error(templates / name, (1, 1), f"template not found: {exc.name}")
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc, templates, name)
        diagnostics.error(path, (line, 1), f"the template uses a value that does not exist: {exc.message}",
                          "check the name in the template, or add the value to the content")
    except Exception as exc:  # a template's own bug: still report where, never a traceback
        path, line = _template_frame(exc, templates, name)
        diagnostics.error(path, (line, 1), f"the template failed: {type(exc).__name__}: {exc}")
    return None


def _template_frame(exc: BaseException, templates: Path, name: str) -> tuple[Path, int]:
    """The innermost template file and line in the traceback (Jinja2 rewrites it to point there)."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        candidate = Path(frame.filename)
        if candidate.suffix in (".html", ".xml") and templates in candidate.parents:
            return candidate, frame.lineno or 1
    return templates / name, 1


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
