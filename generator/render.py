"""Stage 5, render: the resolved site to HTML and XML.

Templates see only the resolved `Site`; they never read YAML. Rendering returns every
output file as bytes, keyed by its path in the site, in a fixed order, so the writer and
the tests see exactly what will be served; or, for a build, writes each file to the
staging folder as it is made. Each page is made by pages.py; this module decides which,
where (here, or in forked workers) and in what order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from . import export, incremental, parallel
from .diagnostics import Diagnostics
from .environment import create_environment
from .linkscan import compact, scan_file
from .pages import HOME_PAGE, SITE_PAGES, Page, PageRenderer, Rendered, plan_pages
from .reading import UnreadableFile, read_content_file
from .resolve import Site

if TYPE_CHECKING:
    from .linkscan import PageScan
    from .write import Staging

ASSETS = ("assets/style.css", "assets/favicon.svg")


def render_site(
    site: Site, templates: Path, diagnostics: Diagnostics, env: jinja2.Environment | None = None, *,
    scans: dict[str, PageScan] | None = None, workers: int | None = None, memo: dict[str, Any] | None = None,
) -> Mapping[str, bytes]:
    """Every page, the sitemap, the data files and the assets, in memory (the preview, the tests);
    template errors become diagnostics.

    Pages render in parallel when there are many (see generator/parallel.py), with the same bytes
    as in one process. When `scans` is given, each page's links and ids are read as it is made,
    for the link check. The preview passes its own `env` (with auto_reload) to reuse compiled
    templates between builds, and its `memo`, where each service notice's page is kept with what
    it was made from (see incremental.py).
    """
    env = env or create_environment(templates)
    assets = read_assets(templates, diagnostics)
    pages = plan_pages(site)
    renderer = PageRenderer(site, env, templates, diagnostics.root, pages, scan=scans is not None,
                            watch=memo is not None)
    done = incremental.reusable_pages(site, templates, pages, memo, env) if memo is not None else {}
    renderer.compile()  # once, before any worker starts, so that none compiles them again
    jobs = _jobs(renderer, pages, done)
    deferred = incremental.deferrable(memo) if memo is not None else {}
    later = {name: partial(_made_when_asked, jobs.pop(name), name) for name in deferred}
    order = sorted(jobs, key=_job_order)
    done.update(zip(order, parallel.each([jobs[name] for name in order], workers=workers), strict=True))
    if memo is not None:
        incremental.remember_pages(memo, pages, done)
        incremental.remember_ids(memo, {name: done[name].scans.get(name, ([], set()))[1]
                                        for name in incremental.MADE_WHEN_ASKED if name in done})
    made = _gathered(pages, done, later, deferred)
    diagnostics.items += made.problems
    if scans is not None:
        scans.update(made.scans)
    files = _in_site_order(site, pages, made, assets)
    return incremental.LazyFiles(files, later) if memo is not None else files


def render_listings(
    site: Site, templates: Path, diagnostics: Diagnostics, env: jinja2.Environment, *,
    scans: dict[str, PageScan], output: Staging, made: Mapping[str, Rendered], rows: Mapping[str, bytes],
) -> None:
    """The build's part after every notice's own: the pages that list every notice, the main notice's
    page, the sitemap, the feed, the data files and the assets, each written to `output` in whichever
    worker makes it; `made` has the notices' pages (written already), `rows` their processing.csv rows.
    Template errors become diagnostics; each file's links go into `scans`, for the link check."""
    assets = read_assets(templates, diagnostics)
    pages = plan_pages(site)
    renderer = PageRenderer(site, env, templates, diagnostics.root, pages, scan=True, rows=rows)
    jobs = _jobs(renderer, pages, made)
    order = sorted(jobs, key=_job_order)
    writing = [partial(_write_job, jobs[name], output) for name in order]
    # Few jobs, but each as big as the site: worth spreading over the cores from two.
    written = parallel.each(writing, threshold=2)
    _stream(site, pages, order, written, diagnostics, assets, output, scans, dict(made))


def _jobs(
    renderer: PageRenderer, pages: list[Page], done: Mapping[str, Rendered]
) -> dict[str, Callable[[], Rendered]]:
    """Each file still to make (the pages not in `done`, the sitemap, the feed, the register)."""
    jobs: dict[str, Callable[[], Rendered]] = {page.path: partial(renderer.page, page) for page in pages
                                               if page.path not in done}
    jobs["sitemap.xml"] = renderer.sitemap
    jobs[export.FEED_FILE] = renderer.feed
    jobs[export.REGISTER_FILE] = renderer.register
    return jobs


def _gathered(pages: list[Page], done: dict[str, Rendered], later: Mapping[str, Any],
              deferred: dict[str, set[str]]) -> Rendered:
    """Every job's files, problems, scans and hashes in one, in the site's order."""
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
    return made


def _made_when_asked(job: Callable[[], Rendered], name: str) -> bytes:
    """A file the preview made only when asked for (see incremental.MADE_WHEN_ASKED)."""
    made = job()
    if name in made.files:
        return made.files[name]
    problems = "\n".join(problem.text() for problem in made.problems)
    return f"This page could not be made:\n{problems}\n".encode()


def _write_job(job: Callable[[], Rendered], output: Staging) -> Rendered:
    return write_out(job(), output)


def write_out(made: Rendered, output: Staging) -> Rendered:
    """Write what a job made to `output` in this (worker) process, and keep only what the parent needs:
    the names, the problems, each HTML or XML file's links (compact), the hashes."""
    for path, body in made.files.items():
        output.write(path, body)
        if path not in made.scans:
            found = scan_file(path, body)
            if found is not None:
                made.scans[path] = found
    for path, parts in made.parts.items():  # not HTML or XML: no links to read
        output.write_parts(path, parts)
    made.written, made.files, made.parts = [*made.files, *made.parts], {}, {}
    made.scans = {name: compact(scan) for name, scan in made.scans.items()}
    return made


def _stream(
    site: Site, pages: list[Page], order: list[str], results: Iterator[Rendered], diagnostics: Diagnostics,
    assets: dict[str, bytes], output: Staging, scans: dict[str, PageScan], done: dict[str, Rendered],
) -> None:
    """Record each job's files as it comes; keep only problems, link scans and content hashes.
    `done` has the pages made before."""
    kept: dict[str, Rendered] = dict(done)
    for made in done.values():
        output.record(made.written)
    for name, made in zip(order, results, strict=True):
        output.record(made.written)
        kept[name] = Rendered(problems=made.problems, scans=made.scans, hashes=made.hashes)
    hashes: dict[str, str] = {}
    for name in [page.path for page in pages] + ["sitemap.xml", export.REGISTER_FILE, export.FEED_FILE]:
        if name in kept:  # in the order of the in-memory build, so the problems are too
            diagnostics.items += kept[name].problems
            scans.update(kept[name].scans)
            hashes.update(kept[name].hashes)
    for path, body in export.index_files(site, hashes).items():
        output.add(path, body)
    for asset, body in assets.items():
        output.add(asset, body)


def reserved_slugs() -> list[str]:
    """The folders every site has besides its notices' (lawful-bases, assets, ...): no notice's slug may
    be one, or its page would overwrite theirs."""
    paths = [page.path for page in (HOME_PAGE, *SITE_PAGES)] + [*ASSETS, "sitemap.xml", export.FEED_FILE]
    paths += [export.REGISTER_FILE, export.INDEX_FILE, export.NOTICE_SCHEMA, export.INDEX_SCHEMA]
    return sorted({path.split("/")[0] for path in paths if "/" in path})


def _job_order(name: str) -> int:
    """Big jobs first: the pages that list every notice, then the rest in site order."""
    return 0 if name in ("sharing/index.html", "lawful-bases/index.html", export.REGISTER_FILE) else 1


def _in_site_order(
    site: Site, pages: list[Page], made: Rendered, assets: dict[str, bytes]
) -> dict[str, bytes]:
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
    files.update(assets)
    return files


def read_assets(templates: Path, diagnostics: Diagnostics) -> dict[str, bytes]:
    """The files copied into the site as they are (the stylesheet); one missing or odd is an error."""
    assets = {}
    for asset in ASSETS:
        try:
            assets[asset] = read_content_file(templates / asset)
        except UnreadableFile as exc:
            diagnostics.error(exc.path, (1, 1), exc.reason, exc.hint or f"the site needs its {asset}: restore"
                              f" templates/{asset} (from git, or a copy of the project)")
    return assets


