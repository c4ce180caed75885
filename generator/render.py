"""Stage 5, render: the resolved site to HTML and XML, in memory.

Templates see only the resolved `Site`; they never read YAML. A template mistake (a
missing value, a syntax error) becomes a diagnostic naming the template and line, never a
blank on the page. Rendering returns every output file as bytes, keyed by its path in
the site, in a fixed order, so the writer and the tests see exactly what will be served.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from . import export, history, incremental, parallel, processing
from .diagnostics import Diagnostic, Diagnostics
from .environment import create_environment
from .resolve import Site

if TYPE_CHECKING:
    from .linkscan import PageScan
    from .write import Staging

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


@dataclass
class Rendered:
    """What one rendering job made: files, problems, and (when asked) each page's links and ids."""

    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    scans: dict[str, PageScan] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    """Each notice's content hash, for notices.json."""
    written: list[str] = field(default_factory=list)
    """With an `output`, the files the job wrote there itself (not kept in `files`)."""
    read_other_notices: bool = False
    """Whether the page read the list of notices (so it changes when any notice does)."""


def render_site(
    site: Site, templates: Path, diagnostics: Diagnostics, env: jinja2.Environment | None = None, *,
    scans: dict[str, PageScan] | None = None, workers: int | None = None, memo: dict[str, Any] | None = None,
    output: Staging | None = None,
) -> Mapping[str, bytes]:
    """Render every page, the sitemap, the data files and the assets; template errors become diagnostics.

    Pages render in parallel when there are many (see generator/parallel.py), with the same bytes
    as in one process. When `scans` is given, each page's links and ids are read as it is made,
    for the link check. The preview passes its own `env` (with auto_reload) to reuse compiled
    templates between builds, and its `memo`, where each service notice's page is kept with what
    it was made from (see incremental.py).

    With an `output` (the staging folder), each job writes its own files there as it makes them, in
    whichever worker it runs, and hands back only their names, its problems and its links: a big
    site never sits in memory whole, nor passes from process to process; `scans` then gets every
    HTML and XML file's links, for the link check.
    """
    env = env or create_environment(templates)
    pages = plan_pages(site)
    renderer = PageRenderer(site, env, templates, diagnostics.root, pages, scan=scans is not None,
                            watch=memo is not None)
    renderer.compile()  # once, before any worker starts, so that none compiles them again
    done = incremental.reusable_pages(site, templates, pages, memo) if memo is not None else {}
    jobs: dict[str, Callable[[], Rendered]] = {page.path: partial(renderer.page, page) for page in pages
                                               if page.path not in done}
    jobs["sitemap.xml"] = renderer.sitemap
    jobs[export.FEED_FILE] = renderer.feed
    jobs[export.REGISTER_FILE] = renderer.register
    deferred = incremental.deferrable(memo) if memo is not None else {}
    later = {name: partial(_made_when_asked, jobs.pop(name), name) for name in deferred}
    # The cross-notice pages grow with the site: handed out first, so no worker is left with them at the end.
    order = sorted(jobs, key=_job_order)
    if output is not None:
        assert memo is None, "the preview keeps its pages in memory"
        writing = [partial(_write_out, jobs[name], output, scans is not None) for name in order]
        written = parallel.each(writing, workers=workers)
        return _stream(site, pages, order, written, diagnostics, templates, output, scans)
    results = parallel.each([jobs[name] for name in order], workers=workers)
    done.update(zip(order, results, strict=True))
    if memo is not None:
        incremental.remember_pages(memo, pages, done)
        incremental.remember_ids(memo, {name: done[name].scans.get(name, ([], set()))[1]
                                        for name in incremental.MADE_WHEN_ASKED if name in done})
    made = Rendered()
    for name in [page.path for page in pages] + ["sitemap.xml", export.REGISTER_FILE, export.FEED_FILE]:
        if name in later:
            if name.endswith((".html", ".xml")):  # its ids, for the links to it; see incremental.deferrable
                made.scans[name] = ([], deferred[name])
            continue
        made.files.update(done[name].files)
        made.problems += done[name].problems
        made.scans.update(done[name].scans)
        made.hashes.update(done[name].hashes)
    diagnostics.items += made.problems
    if scans is not None:
        scans.update(made.scans)
    files = _in_site_order(site, pages, made, templates)
    return incremental.LazyFiles(files, later) if memo is not None else files


def _made_when_asked(job: Callable[[], Rendered], name: str) -> bytes:
    """A file the preview made only when asked for (see incremental.MADE_WHEN_ASKED)."""
    made = job()
    if name in made.files:
        return made.files[name]
    problems = "\n".join(problem.text() for problem in made.problems)
    return f"This page could not be made:\n{problems}\n".encode()


def _write_out(job: Callable[[], Rendered], output: Staging, scan: bool) -> Rendered:
    """Run `job`, write its files to `output` in this (worker) process, and keep only what the
    parent needs: the names, the problems, each HTML or XML file's links (when `scan`), the hashes."""
    from .linkscan import scan_file

    made = job()
    for path, body in made.files.items():
        output.write(path, body)
        if scan and path not in made.scans:
            found = scan_file(path, body)
            if found is not None:
                made.scans[path] = found
    made.written, made.files = list(made.files), {}
    return made


def _stream(
    site: Site, pages: list[Page], order: list[str], results: Iterator[Rendered], diagnostics: Diagnostics,
    templates: Path, output: Staging, scans: dict[str, PageScan] | None,
) -> dict[str, bytes]:
    """Record each job's files as it comes; keep only problems, link scans and content hashes."""
    from .linkscan import compact

    kept: dict[str, Rendered] = {}
    for name, made in zip(order, results, strict=True):
        output.record(made.written)
        made.scans = {path: compact(scan) for path, scan in made.scans.items()}
        kept[name] = Rendered(problems=made.problems, scans=made.scans, hashes=made.hashes)
    hashes: dict[str, str] = {}
    for name in [page.path for page in pages] + ["sitemap.xml", export.REGISTER_FILE, export.FEED_FILE]:
        if name in kept:  # in the order of the in-memory build, so the problems are too
            diagnostics.items += kept[name].problems
            if scans is not None:
                scans.update(kept[name].scans)
            hashes.update(kept[name].hashes)
    for path, body in export.index_files(site, hashes).items():
        output.add(path, body)
    for asset in ASSETS:
        output.add(asset, (templates / asset).read_bytes())
    return {}


def _job_order(name: str) -> int:
    """Big jobs first: the pages that list every notice, then the rest in site order."""
    return 0 if name in ("sharing/index.html", "lawful-bases/index.html", export.REGISTER_FILE) else 1


def _in_site_order(site: Site, pages: list[Page], made: Rendered, templates: Path) -> dict[str, bytes]:
    """The files in one fixed order: pages, sitemap, data files, feed, assets."""
    files = {page.path: made.files[page.path] for page in pages if page.path in made.files}
    if "sitemap.xml" in made.files:
        files["sitemap.xml"] = made.files["sitemap.xml"]
    notice_files = {n.slug: made.files[f"{n.slug}/{export.NOTICE_FILE}"] for n in site.notices}
    files.update(export.data_files(site, notice_files, made.hashes))
    if export.REGISTER_FILE in made.files:  # the preview may make it later
        files[export.REGISTER_FILE] = made.files[export.REGISTER_FILE]
    if export.FEED_FILE in made.files:
        files[export.FEED_FILE] = made.files[export.FEED_FILE]
    for asset in ASSETS:
        files[asset] = (templates / asset).read_bytes()
    return files


class PageRenderer:
    """Renders one page (or the sitemap, feed or register) at a time: a job for a worker."""

    def __init__(self, site: Site, env: jinja2.Environment, templates: Path, root: Path, pages: list[Page],
                 *, scan: bool = False, watch: bool = False) -> None:
        self.site, self.env, self.templates, self.root, self.pages = site, env, templates, root, pages
        self.scan = scan
        self.watch = watch
        """Note whether each page reads other notices, so the preview knows which it may keep."""

    def compile(self) -> None:
        """Compile every template the site uses (errors are reported when the page renders)."""
        for name in {page.template for page in self.pages} | {"sitemap.xml", "feed.xml"}:
            try:
                self.env.get_template(name)
            except Exception:  # reported, with its position, by _render
                pass

    def page(self, page: Page) -> Rendered:
        made = Rendered()
        diagnostics = Diagnostics(self.root)
        root = self.site.base_path if page.path == "404.html" else "../" * page.depth
        site = incremental.WatchedSite(self.site) if self.watch else self.site
        html = _render(self.env, page.template, diagnostics, self.templates, site=site, page=page,
                       root=root, pages=self.pages, **page.values)
        made.read_other_notices = isinstance(site, incremental.WatchedSite) and site.read_other_notices
        if html is not None:
            made.files[page.path] = html.encode("utf-8")
            if self.scan:
                from .linkscan import scan_page

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
        """processing.csv, the register of processing."""
        return Rendered({export.REGISTER_FILE: processing.processing_csv(self.site)})


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
