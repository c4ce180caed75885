"""Big builds: each service notice taken through every stage in the worker that reads it.

With many notices (parallel.LOAD_THRESHOLD), `notices build` no longer holds every notice in one
process. A forked worker reads a notice, checks it, resolves it, runs the compliance rules on it,
makes its page and notice.json, writes them to the staging folder and reads their links; it sends
back its problems, its outline (outline.py) and its rows of processing.csv, and lets the notice go.
The parent then makes the pages that list every notice from the outlines. At 10,000 notices the
parent holds outlines of a few KB each instead of notices of 60 KB, and starts workers once, not
three times.

Every page shows the main notice (the header links to it; the compliance rules read it), so it is
read first, here: the file that says `kind: main` near its top (`guess_main`). When that guess is
wrong, or a page reads more than an outline has (a custom template may), `build_at_scale` returns
None and build.py builds the usual way. What is built never depends on this module, only how fast:
tests/test_per_notice.py builds both ways and compares.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

import jinja2

from . import parallel, processing
from .build import BuildResult, check_site_links
from .check import REQUIREMENTS, ComplianceReport, NoticeResult, check_notice
from .diagnostics import Diagnostic, Diagnostics
from .environment import create_environment
from .incremental import WatchedSite
from .linkscan import compact
from .load import SourceFile
from .notice_files import NoticeRead, check_together, notice_paths, read_notice_file
from .outline import NeedsWholeNotice, NoticeOutline, NumberedOutcomes, SentOutcomes, notice_from, outline_of
from .pages import PageRenderer, Rendered, plan_pages
from .project import templates_folder
from .reading import UnreadableFile, read_start
from .render import make_notice_page, render_site
from .resolve import Notice, Registers, Site, in_site_order, resolve_notice, site_of
from .schema import MainNotice, ServiceNotice
from .validate import SharedContent, valid_content, validate_shared
from .write import Staging

if TYPE_CHECKING:
    from .linkscan import PageScan

HEAD = 4096
"""How much of each file `guess_main` reads: `kind:` is near the top of every notice we know of."""
_MAIN_KIND = re.compile(rb"""^kind:[ \t]*(?:main|'main'|"main")[ \t]*(?:#.*)?\r?$""", re.MULTILINE)


@dataclass
class _Shared:
    """What every worker starts with (forked: nothing here is copied or pickled)."""

    site: Site
    """The site with only the main notice."""
    main: Notice
    main_source: SourceFile
    registers: Registers
    context: dict[str, dict[str, str]]
    env: jinja2.Environment
    templates: Path
    root: Path
    today: datetime.date
    staging: Staging
    register_names: processing.RegisterNames


@dataclass
class NoticeDone:
    """What a worker sends back of one notice file (the notice itself stays behind), and what the
    parent keeps of it. Sent in forms quick to unpickle (see outline.py), and made whole in the parent."""

    read: NoticeRead
    read_problems: list[Diagnostic]
    result: NoticeResult | None = None
    """Sent without its outcomes, which come by number (`outcomes`)."""
    outcomes: SentOutcomes | None = None
    check_problems: list[Diagnostic] = field(default_factory=list)
    rendered: Rendered | None = None
    rows: tuple[int, int] | None = None
    """Where the worker wrote its rows of processing.csv (in the parent's RowSpool)."""
    outline: NoticeOutline | None = None
    notice: Notice | None = None
    """In the parent, the outline made a `Notice` with the parent's register entries."""
    needs_whole_site: str | None = None
    """What read more than this worker has (a template, a rule): the build is made the usual way."""


@dataclass(frozen=True)
class UsualWay:
    """Why a big build had to be made the usual way after all (a custom template, say): worth telling,
    as it takes about twice as long."""

    why: str


def build_at_scale(
    root: Path, staging: Staging, base_url: str | None, out: Path
) -> BuildResult | UsualWay | None:
    """Build into `staging` with each service notice taken through in a worker; None when this way
    does not apply (too few notices, no workers, no main notice found), UsualWay when it was wrong
    (see above)."""
    folder = root / "content" / "notices"
    paths = notice_paths(folder, Diagnostics(root))  # none: the usual way says so
    if not parallel.would_fork(len(paths), threshold=parallel.LOAD_THRESHOLD):
        return None  # before anything is read: a small site is built the usual way at no extra cost
    diagnostics = Diagnostics(root)
    shared = validate_shared(root, diagnostics)
    if shared is None or shared.site is None or diagnostics.errors:
        return None
    main_path = guess_main(paths)
    if main_path is None:
        return None
    main = read_notice_file(main_path, shared.context, diagnostics_root=root)
    if not isinstance(main[0].notice, MainNotice) or main[0].source is None:
        return None
    state = _start(shared, main[0].notice, main[0].source, root, staging, base_url)
    others = [path for path in paths if path != main_path]
    rows = processing.RowSpool()
    try:
        done = _take_all_through(state, others, rows)
        reads = [main if path == main_path else (done[path].read, done[path].read_problems) for path in paths]
        for _, problems in reads:  # each file's problems in the order of the files, as in one process
            diagnostics.items += problems
        sources = dict(shared.sources)
        check_together(folder, paths, [read for read, _ in reads], sources, diagnostics)
        if diagnostics.errors:  # as in one process: the notices' errors, and nothing after them
            return BuildResult(diagnostics)
        # No errors: so exactly one main notice, the one guessed, and every other is a service notice.
        needs = next((notice.needs_whole_site for notice in done.values() if notice.needs_whole_site), None)
        if needs is not None:
            return UsualWay(needs)
        return _finish(state, list(done.values()), rows, sources, diagnostics, out)
    except NeedsWholeNotice as exc:
        return UsualWay(str(exc))
    finally:
        rows.close()


def guess_main(paths: list[Path]) -> Path | None:
    """The notice file that says `kind: main` near its top; files named like it are looked at first."""
    for path in sorted(paths, key=lambda path: "main" not in path.stem):
        try:
            head = read_start(path, HEAD)
        except UnreadableFile:
            continue
        if _MAIN_KIND.search(head):
            return path
    return None


def _start(shared: SharedContent, main: MainNotice, main_source: SourceFile, root: Path, staging: Staging,
           base_url: str | None) -> _Shared:
    """Everything the workers need, made before they start: the main notice, the compiled templates."""
    content = valid_content(shared, [main])
    if base_url is not None:
        content.site = content.site.model_copy(update={"base_url": base_url})
    registers = Registers.of(content)
    resolved = resolve_notice(main, registers)
    site = site_of(content, registers, [resolved])
    templates = templates_folder(root)
    env = create_environment(templates)
    PageRenderer(site, env, templates, root, plan_pages(site)).compile(also=("service-notice.html",))
    return _Shared(site, resolved, main_source, registers, shared.context, env, templates, root,
                   datetime.date.today(), staging, processing.register_names(site))


def _take_all_through(state: _Shared, paths: list[Path], rows: processing.RowSpool) -> dict[Path, NoticeDone]:
    """Every notice but the main one, through `_take_through` in the workers; their rows into `rows`."""
    outcomes = NumberedOutcomes()  # before the workers fork: each numbers its own
    jobs = [partial(_take_through, path, state, rows, outcomes) for path in paths]
    done: dict[Path, NoticeDone] = {}
    for path, notice in zip(paths, parallel.each(jobs, threshold=parallel.LOAD_THRESHOLD), strict=True):
        if notice.outline is not None:  # kept small: 10,000 of these are held until the end
            notice.notice = notice_from(notice.outline, state.registers)
            notice.outline = None
            if notice.rows is not None:
                rows.note(notice.notice.slug, notice.rows)
        if notice.result is not None and notice.outcomes is not None:  # in the order each worker sent them
            sent = notice.result
            notice.result = NoticeResult(sent.slug, sent.title, sent.path, outcomes.receive(notice.outcomes))
            notice.outcomes = None
        done[path] = notice
    return done


def _take_through(path: Path, state: _Shared, rows: processing.RowSpool,
                  outcomes: NumberedOutcomes) -> NoticeDone:
    """One notice file through every stage, in a worker: read, check, resolve, comply, render, write
    (its rows of processing.csv into `rows`)."""
    read, problems = read_notice_file(path, state.context, diagnostics_root=state.root)
    notice, read.notice = read.notice, None  # the parent never needs it
    done = NoticeDone(read, problems)
    if not isinstance(notice, ServiceNotice) or read.source is None:
        return done  # errors, or a second main notice: reported by the parent
    resolved = resolve_notice(notice, state.registers)
    site = replace(state.site, notices=(state.main, resolved))
    watched = WatchedSite(site)  # the rules of a service notice read no other notice: noted if one does
    try:
        result, done.check_problems = check_notice(cast(Site, watched), resolved, read.source,
                                                   state.main_source, state.today, state.root)
        rendered = make_notice_page(site, resolved, state.env, state.templates, state.root, state.staging)
    except NeedsWholeNotice as exc:
        done.needs_whole_site = str(exc)
        return done
    done.result = NoticeResult(result.slug, result.title, result.path, {})
    done.outcomes = outcomes.send(result.outcomes)  # most are the same for every notice: sent by number
    rendered.scans = {name: compact(scan) for name, scan in rendered.scans.items()}
    done.rendered = rendered
    if rendered.read_other_notices:
        done.needs_whole_site = "templates/service-notice.html or what it includes reads every notice"
    elif watched.read_other_notices:
        done.needs_whole_site = "a compliance rule of a service notice reads the other notices"
    done.rows = rows.write(processing.notice_rows(site, resolved, state.register_names).encode("utf-8"))
    done.outline = outline_of(resolved)
    return done


def _finish(state: _Shared, done: list[NoticeDone], rows: processing.RowSpool, sources: dict[str, SourceFile],
            diagnostics: Diagnostics, out: Path) -> BuildResult:
    """The compliance report, the pages that list every notice, and the link check, from the outlines."""
    outlines = [notice.notice for notice in done if notice.notice is not None]
    site = replace(state.site, notices=in_site_order([state.main, *outlines]))
    by_slug = {notice.read.slug: notice for notice in done}
    results = []
    for notice in site.notices:  # in the site's order, as in one process
        if notice.is_main:
            checked, problems = check_notice(site, notice, state.main_source, state.main_source, state.today,
                                             state.root)
        else:
            made = by_slug[notice.slug]
            assert made.result is not None
            checked, problems = made.result, made.check_problems
        results.append(checked)
        diagnostics.items += problems
    made_elsewhere = {f"{notice.read.slug}/index.html": notice.rendered for notice in done if notice.rendered}
    scans: dict[str, PageScan] = {}
    render_site(site, state.templates, diagnostics, state.env, scans=scans, output=state.staging,
                made_elsewhere=made_elsewhere, rows=rows)
    result = BuildResult(diagnostics, site=site, compliance=ComplianceReport(state.today, REQUIREMENTS,
                                                                              tuple(results)))
    if not diagnostics.errors:
        check_site_links(result, frozenset(state.staging.names), state.root, sources, out, scans)
    return result
