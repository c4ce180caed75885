"""Stage 5, render: the resolved site to HTML and XML, written out as each file is made.

Templates see only the resolved `Site`; they never read YAML. Each notice's own page is made with
the notice (one_notice.py); this module makes the rest, from every notice's summary: which files,
where (here, or in forked workers) and in what order. Each page is made by pages.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .. import parallel
from ..content.reading import UnreadableFile, read_content_file
from ..content.resolve import Site
from ..diagnostics import Diagnostics
from . import export, processing
from .linkscan import compact, scan_file
from .pages import (
    HOME_PAGE,
    POLICY_DOCUMENT_PAGE,
    SITE_PAGES,
    Page,
    PageRenderer,
    Rendered,
    plan_pages,
)

if TYPE_CHECKING:
    from .linkscan import PageScan
    from .write import Output

ASSETS = ("assets/style.css", "assets/favicon.svg")


def render_listings(
    site: Site, templates: Path, diagnostics: Diagnostics, env: jinja2.Environment, *,
    scans: dict[str, PageScan], output: Output, made: Mapping[str, Rendered], rows: processing.Rows,
    workers: int | None = None, defer: Mapping[str, set[str]] | None = None,
) -> dict[str, Callable[[], bytes]]:
    """The build's part after every notice's own: the pages that list every notice, the main notice's
    page, the sitemap, the feed, the data files and the assets, each written to `output` in whichever
    worker makes it; `made` has the notices' pages (written already), `rows` their processing.csv rows.
    Template errors become diagnostics; each file's links go into `scans`, for the link check.

    The preview may `defer` some files (each with the ids it had when last made, for the links to
    it): they are returned, to be made when asked for."""
    assets = read_assets(templates, diagnostics)
    pages = plan_pages(site)
    renderer = PageRenderer(site, env, templates, diagnostics.root, pages, scan=True, rows=rows)
    jobs = _jobs(renderer, pages, made)
    later: dict[str, Callable[[], bytes]] = {name: partial(_made_when_asked, jobs.pop(name), name)
                                             for name in defer or {}}
    order = sorted(jobs, key=_job_order)
    writing = [partial(_write_job, jobs[name], output) for name in order]
    # Few jobs, but each as big as the site: on a big site, worth spreading over the cores from two.
    big = len(site.notices) >= parallel.THRESHOLD
    written = parallel.each(writing, workers=workers if big else 1, threshold=2)
    kept = _kept(order, written, output, dict(made))
    for name, ids in (defer or {}).items():
        output.record([name])
        kept[name] = Rendered(scans={name: ([], ids)} if name.endswith((".html", ".xml")) else {})
    _finish_data(site, pages, kept, diagnostics, assets, output, scans)
    return later


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


def _made_when_asked(job: Callable[[], Rendered], name: str) -> bytes:
    """A file the preview made only when asked for (see preview_cache.MADE_WHEN_ASKED)."""
    made = job()
    if name in made.files:
        return made.files[name]
    if name in made.parts:
        return b"".join(made.parts[name])
    problems = "\n".join(problem.text() for problem in made.problems)
    return f"This page could not be made:\n{problems}\n".encode()


def _write_job(job: Callable[[], Rendered], output: Output) -> Rendered:
    return write_out(job(), output)


def write_out(made: Rendered, output: Output) -> Rendered:
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


def _kept(order: list[str], results: Iterator[Rendered], output: Output,
          done: dict[str, Rendered]) -> dict[str, Rendered]:
    """Record each job's files as it comes; keep only problems, link scans and content hashes.
    `done` has the pages made before."""
    kept: dict[str, Rendered] = dict(done)
    for made in done.values():
        output.record(made.written)
    for name, made in zip(order, results, strict=True):
        output.record(made.written)
        kept[name] = Rendered(problems=made.problems, scans=made.scans, hashes=made.hashes)
    return kept


def _finish_data(site: Site, pages: list[Page], kept: dict[str, Rendered], diagnostics: Diagnostics,
                 assets: dict[str, bytes], output: Output, scans: dict[str, PageScan]) -> None:
    """Every job's problems and links in the site's order, then notices.json and the assets."""
    hashes: dict[str, str] = {}
    for name in [page.path for page in pages] + ["sitemap.xml", export.REGISTER_FILE, export.FEED_FILE]:
        if name in kept:  # in the site's order, so the problems are too
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
    paths = [page.path for page in (HOME_PAGE, POLICY_DOCUMENT_PAGE, *SITE_PAGES)]
    paths += [*ASSETS, "sitemap.xml", export.FEED_FILE]
    paths += [export.REGISTER_FILE, export.INDEX_FILE, export.NOTICE_SCHEMA, export.INDEX_SCHEMA]
    return sorted({path.split("/")[0] for path in paths if "/" in path})


def _job_order(name: str) -> int:
    """Big jobs first: the pages that list every notice, then the rest in site order."""
    return 0 if name in ("sharing/index.html", "lawful-bases/index.html", export.REGISTER_FILE) else 1


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


