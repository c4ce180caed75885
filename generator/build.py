"""The build: each notice through every stage, then the site-wide work; and where it goes.

`build_site` maps `one_notice.take_through` over the notice files (in forked workers when there are
many, in a plain loop otherwise: the same function either way), then checks the notices together,
makes the pages that list every notice from each one's summary (summary.py) and checks the links.
`notices build` keeps what it made (`build`), `notices check` writes none of it (`check`), and the
preview keeps it in memory with a cache in front (`build_in_memory`, preview/cache.py).
"""

from __future__ import annotations

import datetime
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from . import parallel
from .checks.compliance import REQUIREMENTS, ComplianceReport, NoticeResult, check_notice
from .checks.policy_document import check_policy_document
from .checks.register_status import acts_not_read, unconfirmed_entries
from .content import schema
from .content.load import SourceFile
from .content.notice_files import NoticeRead, check_together, notice_paths, read_notice_file
from .content.resolve import Registers, Site, in_site_order, resolve_notice, site_of
from .content.validate import SharedContent, valid_content, validate_shared
from .content.young_people import orphan_versions, young_slugs
from .diagnostics import Diagnostic, Diagnostics
from .one_notice import NoticeDone, Shared, Sound, find_main, take_through
from .preview.cache import MADE_WHEN_ASKED, LazyFiles, PreviewCache
from .project import templates_folder
from .site import processing
from .site.environment import create_environment
from .site.export import INDEX_FILE
from .site.linkreport import check_site_links
from .site.links import LinkReport
from .site.pages import PageRenderer, plan_pages
from .site.render import render_listings
from .site.site_folder import WrittenFiles
from .site.summary import notice_from
from .site.write import InMemory, Output, Staging
from .site.young_pages import make_young_page

if TYPE_CHECKING:
    import jinja2

    from .site.linkscan import PageScan


@dataclass
class BuildResult:
    """What one run produced: the files (when it got that far) and every problem found."""

    diagnostics: Diagnostics
    site: Site | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)
    """In memory; after `build`, read from the site folder it wrote."""
    seconds: float = 0.0
    links: LinkReport | None = None
    compliance: ComplianceReport | None = None
    notes: list[str] = field(default_factory=list)
    """Worth telling, though nothing is wrong (say, why a big build took longer)."""

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


def build_in_memory(
    root: Path, *, base_url: str | None = None, templates_env: jinja2.Environment | None = None,
    cache: PreviewCache | None = None,
) -> BuildResult:
    """The build, kept in memory (the preview, `notices init`, the tests). The preview passes its
    compiled templates and its cache, and gets the biggest listing files made when first read."""
    started = time.perf_counter()
    result = build_site(root, InMemory(), base_url=base_url, out=root / "site", cache=cache,
                        env=templates_env)
    result.seconds = time.perf_counter() - started
    return result


def build(root: Path, out: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Build and, only when nothing is wrong, replace the site in `out`.

    Each file is written to a staging folder beside `out` as soon as it is made (so a big site is
    never held in memory whole); the link check runs on what the pages link to, and only then is
    the staging folder swapped in, or removed when anything is wrong.
    """

    started = time.perf_counter()
    staging = Staging(out)
    try:
        result = build_site(root, staging, base_url=base_url, out=out)
        if result.diagnostics.has_errors(strict):
            staging.abort()
        else:
            staging.commit()
            result.files = WrittenFiles(staging.out, staging.names)
    except BaseException:
        staging.abort()
        raise
    result.seconds = time.perf_counter() - started
    return result


def check(root: Path) -> BuildResult:
    """Everything `notices check` reports: the build, with a staging area that writes nothing but
    notices.json (for `--previous`), in a temporary folder removed at the end."""

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="notices-check-") as folder:
        staging = Staging(Path(folder) / "site", only={INDEX_FILE})
        try:
            result = build_site(root, staging, base_url=None, out=root / "site")
            index = staging.folder / INDEX_FILE
            if index.is_file():
                result.files = {INDEX_FILE: index.read_bytes()}
        finally:
            staging.abort()
    result.seconds = time.perf_counter() - started
    return result


def build_site(
    root: Path, output: Output, *, base_url: str | None, out: Path, cache: PreviewCache | None = None,
    env: jinja2.Environment | None = None,
) -> BuildResult:
    """The build: each notice through `take_through` (in workers when there are many), then the
    site-wide work: the checks across notices, the pages that list every notice, the link check.
    Everything made goes to `output`; whether it is kept is the caller's choice."""
    diagnostics = Diagnostics(root)
    content = cache.validate_shared(root, diagnostics) if cache else validate_shared(root, diagnostics)
    if content is None:
        return BuildResult(diagnostics)
    paths = notice_paths(root / "content" / "notices", diagnostics)
    fit = content.site is not None and not diagnostics.errors  # else each notice is only read, for its errors
    run = _Run(root, content, output, base_url, out, cache, env, None if isinstance(output, Staging) else 1)
    main_path = find_main(paths) if fit else None
    rows: processing.Rows = processing.RowSpool() if cache is None else processing.RowsInMemory()
    try:  # Python's collector is left as it is: changing it saved nothing here
        shared, main_read, done = _take_all(run, paths, main_path, rows)
        unspotted = _unspotted_main(done) if fit and shared.sound is None and main_path is None else None
        if unspotted is not None:  # `kind: main` written so that find_main missed it: read them again
            main_path = unspotted
            shared, main_read, done = _take_all(run, paths, main_path, rows)
        reads = [main_read if path == main_path else (done[path].read, done[path].read_problems)
                 for path in paths]
        return _finish(run, shared, paths, reads, done, diagnostics)
    finally:
        rows.close()


@dataclass(frozen=True)
class _Run:
    """What one build was asked to do."""

    root: Path
    content: SharedContent
    output: Output
    base_url: str | None
    out: Path
    cache: PreviewCache | None
    env: jinja2.Environment | None
    workers: int | None
    """1 for an output in memory: a forked worker's files would stay in the worker."""


ReadNotice = tuple[NoticeRead, list[Diagnostic]]


def _start(run: _Run, main_path: Path | None, rows: processing.Rows) -> tuple[Shared, ReadNotice | None]:
    """What every notice's step is given: with the main notice (when it is sound), the site with it
    alone and the compiled templates, made before any worker starts."""
    shared = Shared(run.content.context, run.root)
    if run.cache is not None:
        run.cache.begin(run.root, main_path, run.base_url, run.env)
    if main_path is None:
        return shared, None
    main_read = read_notice_file(main_path, run.content.context, diagnostics_root=run.root)
    main, source = main_read[0].notice, main_read[0].source
    if not isinstance(main, schema.MainNotice) or source is None:
        return shared, main_read
    valid = valid_content(run.content, [main])
    if run.base_url is not None:
        valid.site = valid.site.model_copy(update={"base_url": run.base_url})
    registers = Registers.of(valid)
    resolved = resolve_notice(main, registers)
    site = replace(site_of(valid, registers, [resolved]), young_people=young_slugs(run.root))
    templates = templates_folder(run.root)
    env = run.env or create_environment(templates)
    # Once, before the workers fork, so that none compiles them again:
    PageRenderer(site, env, templates, run.root, plan_pages(site)).compile(
        also=("service-notice.html", "young-people.html"))
    shared.sound = Sound(site, resolved, source, registers, env, templates, datetime.date.today(), run.output,
                         rows, processing.register_names(site))
    return shared, main_read


def _take_all(run: _Run, paths: list[Path], main_path: Path | None,
              rows: processing.Rows) -> tuple[Shared, ReadNotice | None, dict[Path, NoticeDone]]:
    """Every notice but the main one through `take_through`, in workers when there are many, or
    through the preview's cache."""
    shared, main_read = _start(run, main_path, rows)
    others = [path for path in paths if path != main_path]
    receive = partial(_received, shared)
    if run.cache is not None:
        run.cache.forget_the_rest(others)
        assert isinstance(run.output, InMemory)
        return shared, main_read, {path: run.cache.take_through(path, shared, receive, run.output.files)
                                   for path in others}
    jobs = [partial(take_through, path, shared) for path in others]
    done = dict(zip(others, map(receive, parallel.each(jobs, workers=run.workers)), strict=True))
    return shared, main_read, done


def _received(shared: Shared, notice: NoticeDone) -> NoticeDone:
    """What came back of a notice, made whole: its summary as a `Notice` with this process's register
    entries (10,000 of these are kept), its rows noted, its outcomes in the order its worker sent them."""
    if notice.outline is not None and shared.sound is not None:
        notice.notice = notice_from(notice.outline, shared.sound.registers)
        notice.outline = None
        if notice.rows is not None:
            shared.sound.rows.note(notice.notice.slug, notice.rows)
    if notice.result is not None and notice.outcomes is not None:
        sent = notice.result
        outcomes = shared.outcomes.receive(notice.outcomes)
        notice.result = NoticeResult(sent.slug, sent.title, sent.path, outcomes)
        notice.outcomes = None
    return notice


def _unspotted_main(done: dict[Path, NoticeDone]) -> Path | None:
    return next((path for path, notice in done.items()
                 if notice.read.passed and notice.read.model is schema.MainNotice), None)


def _finish(run: _Run, shared: Shared, paths: list[Path], reads: list[ReadNotice | None],
            done: dict[Path, NoticeDone], diagnostics: Diagnostics) -> BuildResult:
    """The checks across notices, then (with no errors) the site-wide work."""
    for read in reads:  # each file's problems in the order of the files
        assert read is not None
        diagnostics.items += read[1]
    sources = dict(run.content.sources)
    check_together(run.root / "content" / "notices", paths, [read[0] for read in reads if read], sources,
                   diagnostics)
    orphan_versions(run.root, {read[0].slug for read in reads if read and isinstance(read[0].slug, str)},
                    diagnostics)
    if diagnostics.errors or shared.sound is None:
        return BuildResult(diagnostics)
    return _site_wide(run, shared.sound, list(done.values()), sources, diagnostics)


def _site_wide(run: _Run, sound: Sound, done: list[NoticeDone], sources: dict[str, SourceFile],
               diagnostics: Diagnostics) -> BuildResult:
    """The compliance report, the pages that list every notice (from each notice's summary), and the
    link check."""
    site = replace(sound.site, notices=in_site_order(
        [sound.main, *[notice.notice for notice in done if notice.notice is not None]]))
    result = BuildResult(diagnostics, site=site, compliance=_compliance(sound, site, done, diagnostics))
    result.notes += check_policy_document(site, sources["site"], sound.today, diagnostics)
    made = {f"{notice.read.slug}/index.html": notice.rendered for notice in done if notice.rendered}
    scans: dict[str, PageScan] = {}
    renderer = PageRenderer(site, sound.env, sound.templates, run.root, (), scan=True)
    young, problems = make_young_page(run.root, sound.main, sound.main_source, run.content.context, renderer,
                                      run.output)
    diagnostics.items += problems
    if young is not None:  # the main notice's is made here, like its rules (a service notice's with it)
        made[f"{sound.main.slug}/young-people/index.html"] = young
        diagnostics.items += young.problems
        scans.update(young.scans)
    defer = run.cache.deferrable() if run.cache is not None else None
    later = render_listings(site, sound.templates, diagnostics, sound.env, scans=scans, output=run.output,
                            made=made, rows=sound.rows, workers=run.workers, defer=defer)
    if run.cache is not None:
        run.cache.ids.update({name: scans.get(name, ([], set()))[1] for name in MADE_WHEN_ASKED
                              if name not in (defer or {})})
    if not diagnostics.errors:  # with a page missing, every link to it would be noise
        result.links = check_site_links(
            frozenset(run.output.names), site.config.base_url, scans, diagnostics, site_folder=run.out,
            content_files={label: source.path for label, source in sources.items()},
            templates=templates_folder(run.root), memo=run.cache.links if run.cache is not None else None)
    if isinstance(run.output, InMemory):
        result.files = LazyFiles(run.output.files, later)
    return result


def _compliance(
    sound: Sound, site: Site, done: list[NoticeDone], diagnostics: Diagnostics
) -> ComplianceReport:
    """Each notice's outcomes in the site's order; the main notice's rules (which read every notice's
    summary) run here."""
    by_slug = {notice.read.slug: notice for notice in done}
    results = []
    for notice in site.notices:
        if notice.is_main:
            source = sound.main_source
            checked, problems = check_notice(site, notice, source, source, sound.today, diagnostics.root)
        else:
            made = by_slug[notice.slug]
            assert made.result is not None
            checked, problems = made.result, made.check_problems
        results.append(checked)
        diagnostics.items += problems
    return ComplianceReport(sound.today, REQUIREMENTS, tuple(results), unconfirmed_entries(site),
                            acts_not_read(site))
