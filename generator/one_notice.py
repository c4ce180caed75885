"""One service notice through every stage: read, validate, resolve, check, render, scan its links.

`take_through` is the build's one per-notice step; build.py maps it over the notice files (in forked
workers when there are many, see parallel.py; in a plain loop otherwise). It is given what every
notice shares (`Shared`: the registers, the site's settings, the main notice, the compiled
templates), writes the notice's page and notice.json to the staging folder and its rows of
processing.csv to the spool, and sends back only what the site-wide work needs: its problems, its
compliance outcomes, its page's links and its outline (summary.py). The notice itself is let go.

Every page shows the main notice (the header links to it; the compliance rules read it), so it is
read first, in the parent: the file that says `kind: main` (`find_main`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from .checks.compliance import NoticeResult, check_notice
from .content.load import SourceFile
from .content.notice_files import NoticeRead, read_notice_file
from .content.reading import UnreadableFile, read_content_file, read_start
from .content.resolve import Notice, Registers, Site, resolve_notice
from .content.schema import ServiceNotice
from .diagnostics import Diagnostic
from .site import processing
from .site.pages import PageRenderer, Rendered, notice_page
from .site.render import write_out
from .site.summary import NoticeOutline, NumberedOutcomes, SentOutcomes, outline_of
from .site.write import Output
from .site.young_pages import make_young_page, merge_into

HEAD = 4096
"""How much of each file `find_main` reads first: `kind:` is near the top of every notice we know of."""
_MAIN_KIND = re.compile(rb"""^kind:[ \t]*(?:main|'main'|"main")[ \t]*(?:#.*)?\r?$""", re.MULTILINE)


@dataclass
class Sound:
    """What a notice's page and rules need, made once the registers, settings and main notice passed."""

    site: Site
    """The site with only the main notice."""
    main: Notice
    main_source: SourceFile
    registers: Registers
    env: jinja2.Environment
    templates: Path
    today: datetime.date
    staging: Output
    rows: processing.Rows
    register_names: processing.RegisterNames


@dataclass
class Shared:
    """What every notice's step is given (forked workers start with it: nothing is copied or pickled)."""

    context: dict[str, dict[str, str]]
    """Each register's ids, which a notice's references are checked against."""
    root: Path
    sound: Sound | None = None
    """None when the registers, the settings or the main notice have errors: then each notice is only
    read and checked on its own, for its errors."""
    outcomes: NumberedOutcomes = field(default_factory=NumberedOutcomes)


@dataclass
class NoticeDone:
    """What one notice file's step sends back (the notice itself stays behind)."""

    read: NoticeRead
    read_problems: list[Diagnostic]
    result: NoticeResult | None = None
    """Sent without its outcomes, which come by number (`outcomes`)."""
    outcomes: SentOutcomes | None = None
    check_problems: list[Diagnostic] = field(default_factory=list)
    rendered: Rendered | None = None
    rows: tuple[int, int] | None = None
    """Where its rows of processing.csv are in the spool."""
    outline: NoticeOutline | None = None
    notice: Notice | None = None
    """In the parent, the outline made a `Notice` with the parent's register entries."""


def take_through(path: Path, shared: Shared) -> NoticeDone:
    """One notice file through every stage: read and validate it, then (when `shared` has the main
    notice) resolve it, run the compliance rules, make its page and notice.json into the staging
    folder, read their links, and write its rows of processing.csv."""
    read, problems = read_notice_file(path, shared.context, diagnostics_root=shared.root)
    notice, read.notice = read.notice, None  # the parent never needs it
    done = NoticeDone(read, problems)
    sound = shared.sound
    if not isinstance(notice, ServiceNotice) or read.source is None or sound is None:
        return done  # errors, or a second main notice: reported by the parent
    resolved = resolve_notice(notice, sound.registers)
    site = replace(sound.site, notices=(sound.main, resolved))
    result, done.check_problems = check_notice(site, resolved, read.source, sound.main_source, sound.today,
                                               shared.root)
    done.result = NoticeResult(result.slug, result.title, result.path, {})
    done.outcomes = shared.outcomes.send(result.outcomes)  # most are the same everywhere: sent by number
    renderer = PageRenderer(site, sound.env, sound.templates, shared.root, (), scan=True)
    done.rendered = write_out(renderer.page(notice_page(resolved)), sound.staging)
    young, young_problems = make_young_page(shared.root, resolved, read.source, shared.context, renderer,
                                            sound.staging)
    done.check_problems += young_problems
    if young is not None:
        merge_into(done.rendered, young)
    done.rows = sound.rows.write(processing.notice_rows(site, resolved, sound.register_names).encode())
    done.outline = outline_of(resolved)
    return done


def find_main(paths: list[Path]) -> Path | None:
    """The notice file that says `kind: main`: its first 4 KB read first (files named like it first),
    then, when none does there, the whole of each."""
    ordered = sorted(paths, key=lambda path: "main" not in path.stem)
    for read in (lambda path: read_start(path, HEAD), read_content_file):
        for path in ordered:
            try:
                text = read(path)
            except UnreadableFile:
                continue
            if _MAIN_KIND.search(text):
                return path
    return None
