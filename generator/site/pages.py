"""Stage 5, render, one page at a time: what each page of the site is, and how one is made.

render.py decides which pages to make, where (in this process or in workers) and in what order;
this module makes one. A template mistake (a missing value, a syntax error) becomes a diagnostic
naming the template and line, never a blank on the page.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from ..content.reading import UnreadableFile
from ..content.resolve import Notice, Site
from ..diagnostics import Diagnostic, Diagnostics
from . import export, history, policy_document, processing
from .linkscan import scan_page
from .summary import NotInSummary

if TYPE_CHECKING:
    from .linkscan import PageScan


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


HOME_PAGE = Page("index.html", "index.html", 0, {})
SITE_PAGES = (
    Page("lawful-bases/index.html", "lawful-bases.html", 1, {}),
    Page("sharing/index.html", "sharing.html", 1, {}),
    Page("accessibility/index.html", "accessibility.html", 1, {}),
    Page("404.html", "404.html", 0, {}),
)
"""The pages every site has after its notices' (whose folders must not take their names)."""
POLICY_DOCUMENT_PAGE = Page(f"{policy_document.ADDRESS}index.html", "appropriate-policy-document.html", 1, {})
"""The appropriate policy document, on a site whose site.yaml has `policy_document:`."""


def plan_pages(site: Site) -> list[Page]:
    """Every page of the site, in a fixed order."""
    extra = [POLICY_DOCUMENT_PAGE] if site.config.policy_document is not None else []
    return [HOME_PAGE, *[notice_page(notice) for notice in site.notices], *extra, *SITE_PAGES]


def notice_page(notice: Notice) -> Page:
    """A notice's own page."""
    template = "main-notice.html" if notice.is_main else "service-notice.html"
    return Page(f"{notice.slug}/index.html", template, 1, {"notice": notice})


@dataclass
class Rendered:
    """What one rendering job made: files, problems, and (when asked) each page's links and ids."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    scans: dict[str, PageScan] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    """Each notice's content hash, for notices.json."""
    parts: dict[str, Iterable[bytes]] = field(default_factory=dict)
    """Files too big to hold whole, each as its parts (only with an `output` to write them to)."""
    written: list[str] = field(default_factory=list)
    """With an `output`, the files the job wrote there itself (not kept in `files`)."""


class PageRenderer:
    """Renders one page (or the sitemap, feed or register) at a time: a job for a worker."""

    def __init__(self, site: Site, env: jinja2.Environment, templates: Path, root: Path,
                 pages: Sequence[Page], *, scan: bool = False,
                 rows: processing.Rows | None = None) -> None:
        self.site, self.env, self.templates, self.root, self.pages = site, env, templates, root, pages
        self.scan = scan
        self.rows = rows
        """processing.csv's rows of each service notice, made with its page (one_notice.py)."""

    def compile(self, also: tuple[str, ...] = ()) -> None:
        """Compile every template the site uses, and `also` these (errors are reported when the page
        renders)."""
        for name in {page.template for page in self.pages} | {"sitemap.xml", "feed.xml", *also}:
            try:
                self.env.get_template(name)
            except Exception:  # reported, with its position, by _render
                pass

    def page(self, page: Page) -> Rendered:
        made = Rendered()
        diagnostics = Diagnostics(self.root)
        root = self.site.base_path if page.path == "404.html" else "../" * page.depth
        html = _render(self.env, page.template, diagnostics, self.templates, site=self.site, page=page,
                       root=root, pages=self.pages, **page.values)
        if html is not None:
            made.files[page.path] = html.encode("utf-8")
            if self.scan:
                made.scans[page.path] = scan_page(page.path, html)
        notice = page.values.get("notice")
        if notice is not None:
            data, made.hashes[notice.slug] = export.notice_data(self.site, notice)
            made.files[f"{notice.slug}/{export.NOTICE_FILE}"] = data
        made.problems = diagnostics.items
        return made

    def sitemap(self) -> Rendered:
        diagnostics = Diagnostics(self.root)
        sitemap = _render(self.env, "sitemap.xml", diagnostics, self.templates, site=self.site,
                          pages=[p for p in self.pages if p.path != "404.html"])
        files = {} if sitemap is None else {"sitemap.xml": sitemap.encode("utf-8")}
        return Rendered(files, diagnostics.items)

    def feed(self) -> Rendered:
        """The Atom feed of every notice's changes (see docs/data.md)."""
        diagnostics = Diagnostics(self.root)
        feed = _render(self.env, "feed.xml", diagnostics, self.templates, site=self.site,
                       entries=history.feed_entries(self.site), updated=history.feed_updated(self.site))
        files = {} if feed is None else {export.FEED_FILE: feed.encode("utf-8")}
        return Rendered(files, diagnostics.items)

    def register(self) -> Rendered:
        """processing.csv, the register of processing, in parts (70 MB at 10,000 notices) from each
        notice's rows, made with its page."""
        assert self.rows is not None, "each notice's rows are made with its page"
        return Rendered(parts={export.REGISTER_FILE: processing.processing_csv_parts(self.site, self.rows)})


def _render(
    env: jinja2.Environment, name: str, diagnostics: Diagnostics, templates: Path, **values: Any
) -> str | None:
    try:
        return env.get_template(name).render(**values)
    except NotInSummary as exc:  # a page that lists every notice read more than a summary has
        path, line = _template_frame(exc, templates, name)
        diagnostics.error(path, (line, 1), *exc.explained())
    except jinja2.TemplateSyntaxError as exc:
        path = Path(exc.filename) if exc.filename else templates / (exc.name or name)
        diagnostics.error(path, (exc.lineno or 1, 1), f"template syntax error: {exc.message}")
    except UnreadableFile as exc:
        diagnostics.error(exc.path, (1, 1), exc.reason, exc.hint)
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
