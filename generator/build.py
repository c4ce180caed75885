"""The build: each notice through every stage, then the site-wide work; and where it goes.

`build_site` maps `one_notice.take_through` over the notice files (in forked workers when there are
many, in a plain loop otherwise: the same function either way), then checks the notices together,
makes the pages that list every notice from each one's summary (summary.py) and checks the links.
`notices build` keeps what it made (`build`), `notices check` writes none of it (`check`). The
preview still builds in memory stage by stage, with what did not change kept (`run_pipeline`,
`BuildMemo`).
"""

from __future__ import annotations

import datetime
import gc
import tempfile
import time
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import parallel, processing, schema
from .check import REQUIREMENTS, ComplianceReport, NoticeResult, check_notice, check_site
from .diagnostics import Diagnostic, Diagnostics
from .environment import create_environment
from .export import INDEX_FILE
from .linkreport import report_broken_links
from .links import LinkReport, check_links
from .load import SourceFile
from .notice_files import NoticeRead, check_together, notice_paths, read_notice_file
from .one_notice import NoticeDone, Shared, Sound, find_main, take_through
from .pages import PageRenderer, plan_pages
from .project import templates_folder
from .render import render_listings, render_site
from .resolve import Registers, Site, in_site_order, resolve_notice, resolve_references, site_of
from .summary import notice_from
from .validate import (
    SharedContent,
    ValidationCache,
    ValidContent,
    valid_content,
    validate_content,
    validate_shared,
)
from .write import Staging

if TYPE_CHECKING:
    import jinja2

    from .links import LinkReport
    from .linkscan import PageScan


@dataclass
class BuildMemo:
    """What the preview keeps from one build for the next, so that a save rebuilds what it changed.

    Each stage keeps its own part, with what it was made from; whatever a save changes is made
    again, so the result is the same as a full build's (tests/test_incremental.py).
    """

    validation: ValidationCache = field(default_factory=ValidationCache)
    site: Site | None = None
    compliance: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, Any] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)


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


def run_pipeline(
    root: Path, *, render: bool = True, base_url: str | None = None, out: Path | None = None,
    templates_env: jinja2.Environment | None = None, memo: BuildMemo | None = None,
) -> BuildResult:
    """The site in memory, stage by stage (the preview, `notices init`); stops before rendering when
    the content has errors.

    `templates_env` and `memo` let the preview keep compiled templates, and what did not change,
    from one build to the next.
    """
    started = time.perf_counter()
    diagnostics = Diagnostics(root)
    result = BuildResult(diagnostics)
    with _fewer_collections():
        content = validate_content(root, diagnostics, memo.validation if memo else None)
        if content is not None:
            if base_url is not None:
                content.site = content.site.model_copy(update={"base_url": base_url})
            result.site = resolve_references(content, memo.site if memo else None)
            result.compliance = check_site(result.site, content, diagnostics,
                                           memo=memo.compliance if memo else None)
            if render:
                _render_in_memory(result, root, content, out, templates_env, memo)
            if memo is not None:
                memo.site = result.site
    result.seconds = time.perf_counter() - started
    return result


def _render_in_memory(result: BuildResult, root: Path, content: ValidContent, out: Path | None,
                      templates_env: jinja2.Environment | None, memo: BuildMemo | None) -> None:
    assert result.site is not None
    scans: dict[str, PageScan] = {}
    result.files = render_site(result.site, templates_folder(root), result.diagnostics, templates_env,
                               scans=scans, memo=memo.pages if memo else None)
    if not result.diagnostics.errors:  # with a page missing, every link to it would be noise
        check_site_links(result, result.files, root, content.sources, out or root / "site", scans,
                         memo.links if memo else None)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """A build makes millions of small objects and frees few; Python's cycle collector, run after
    every 700 by default, would take a sixth of the time, so it runs less often until the end."""
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


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


class WrittenFiles(Mapping[str, bytes]):
    """The files a build wrote, read from the site folder when asked for (not kept in memory)."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self.folder = folder
        self.names = {name: None for name in sorted(names)}

    def __getitem__(self, name: str) -> bytes:
        if name not in self.names:
            raise KeyError(name)
        return (self.folder / name).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


def check_site_links(
    result: BuildResult, names: Collection[str], root: Path, sources: dict[str, Any], site_folder: Path,
    scans: dict[str, PageScan], memo: dict[str, Any] | None = None,
) -> None:
    """Every internal link and #fragment must resolve, checked after render and before write."""

    assert result.site is not None
    base_url = result.site.config.base_url
    result.links = check_links(names, base_url, scans, memo)
    report_broken_links(result.links, result.diagnostics, base_url=base_url, site_folder=site_folder,
                        content_files={label: source.path for label, source in sources.items()},
                        templates=templates_folder(root))



def build_site(root: Path, staging: Staging, *, base_url: str | None, out: Path) -> BuildResult:
    """The build: each notice through `take_through` (in workers when there are many), then the
    site-wide work: the checks across notices, the pages that list every notice, the link check.
    Everything made goes to `staging`; whether it is kept is the caller's choice."""
    diagnostics = Diagnostics(root)
    content = validate_shared(root, diagnostics)
    if content is None:
        return BuildResult(diagnostics)
    paths = notice_paths(root / "content" / "notices", diagnostics)
    fit = content.site is not None and not diagnostics.errors  # else each notice is only read, for its errors
    main_path = find_main(paths) if fit else None
    rows = processing.RowSpool()  # Python's collector is left as it is: changing it saved nothing here
    try:
        shared, main_read = _start(root, content, main_path, staging, base_url, rows)
        done = _take_all(shared, paths, main_path)
        unspotted = _unspotted_main(done) if fit and shared.sound is None and main_path is None else None
        if unspotted is not None:  # `kind: main` written so that find_main missed it: read them again
            main_path = unspotted
            shared, main_read = _start(root, content, main_path, staging, base_url, rows)
            done = _take_all(shared, paths, main_path)
        reads = [main_read if path == main_path else (done[path].read, done[path].read_problems)
                 for path in paths]
        return _finish(shared, paths, reads, done, content, diagnostics, out)
    finally:
        rows.close()


ReadNotice = tuple[NoticeRead, list[Diagnostic]]


def _start(root: Path, content: SharedContent, main_path: Path | None, staging: Staging, base_url: str | None,
           rows: processing.RowSpool) -> tuple[Shared, ReadNotice | None]:
    """What every notice's step is given: with the main notice (when it is sound), the site with it
    alone and the compiled templates, made before any worker starts."""
    shared = Shared(content.context, root)
    if main_path is None:
        return shared, None
    main_read = read_notice_file(main_path, content.context, diagnostics_root=root)
    main, source = main_read[0].notice, main_read[0].source
    if not isinstance(main, schema.MainNotice) or source is None:
        return shared, main_read
    valid = valid_content(content, [main])
    if base_url is not None:
        valid.site = valid.site.model_copy(update={"base_url": base_url})
    registers = Registers.of(valid)
    resolved = resolve_notice(main, registers)
    site = site_of(valid, registers, [resolved])
    templates = templates_folder(root)
    env = create_environment(templates)
    PageRenderer(site, env, templates, root, plan_pages(site)).compile(
        also=("service-notice.html",))  # once, before the workers fork, so that none compiles them again
    shared.sound = Sound(site, resolved, source, registers, env, templates, datetime.date.today(), staging,
                         rows, processing.register_names(site))
    return shared, main_read


def _take_all(shared: Shared, paths: list[Path], main_path: Path | None) -> dict[Path, NoticeDone]:
    """Every notice but the main one through `take_through`, in workers when there are many."""
    others = [path for path in paths if path != main_path]
    jobs = [partial(take_through, path, shared) for path in others]
    done: dict[Path, NoticeDone] = {}
    for path, notice in zip(others, parallel.each(jobs), strict=True):
        if notice.outline is not None and shared.sound is not None:  # 10,000 of these are kept
            notice.notice = notice_from(notice.outline, shared.sound.registers)
            notice.outline = None
            if notice.rows is not None:
                shared.sound.rows.note(notice.notice.slug, notice.rows)
        if notice.result is not None and notice.outcomes is not None:  # in the order each worker sent them
            sent = notice.result
            outcomes = shared.outcomes.receive(notice.outcomes)
            notice.result = NoticeResult(sent.slug, sent.title, sent.path, outcomes)
            notice.outcomes = None
        done[path] = notice
    return done


def _unspotted_main(done: dict[Path, NoticeDone]) -> Path | None:
    return next((path for path, notice in done.items()
                 if notice.read.passed and notice.read.model is schema.MainNotice), None)


def _finish(shared: Shared, paths: list[Path], reads: list[ReadNotice | None], done: dict[Path, NoticeDone],
            content: SharedContent, diagnostics: Diagnostics, out: Path) -> BuildResult:
    """The checks across notices, then (with no errors) the site-wide work."""
    for read in reads:  # each file's problems in the order of the files
        assert read is not None
        diagnostics.items += read[1]
    sources = dict(content.sources)
    check_together(shared.root / "content" / "notices", paths, [read[0] for read in reads if read], sources,
                   diagnostics)
    if diagnostics.errors or shared.sound is None:
        return BuildResult(diagnostics)
    return _site_wide(shared.sound, list(done.values()), sources, diagnostics, out)


def _site_wide(sound: Sound, done: list[NoticeDone], sources: dict[str, SourceFile], diagnostics: Diagnostics,
               out: Path) -> BuildResult:
    """The compliance report, the pages that list every notice (from each notice's summary), and the
    link check."""
    site = replace(sound.site, notices=in_site_order(
        [sound.main, *[notice.notice for notice in done if notice.notice is not None]]))
    result = BuildResult(diagnostics, site=site, compliance=_compliance(sound, site, done, diagnostics))
    made = {f"{notice.read.slug}/index.html": notice.rendered for notice in done if notice.rendered}
    scans: dict[str, PageScan] = {}
    render_listings(site, sound.templates, diagnostics, sound.env, scans=scans, output=sound.staging,
                    made=made, rows=sound.rows)
    if not diagnostics.errors:  # with a page missing, every link to it would be noise
        check_site_links(result, frozenset(sound.staging.names), diagnostics.root, sources, out, scans)
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
    return ComplianceReport(sound.today, REQUIREMENTS, tuple(results))
