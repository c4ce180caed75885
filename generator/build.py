"""The pipeline, start to finish: load and validate, resolve, check, render, write.

`notices build`, `notices check` and the preview server all call `run_pipeline`, so the
three can never disagree about what the content means.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostics
from .project import templates_folder
from .resolve import Site, resolve_references
from .validate import ValidationCache, validate_content

if TYPE_CHECKING:
    import jinja2

    from .check import ComplianceReport
    from .links import LinkReport
    from .linkscan import PageScan
    from .per_notice import UsualWay
    from .write import Staging


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
    """Everything but writing; stops before rendering when the content has errors.

    `templates_env` and `memo` let the preview keep compiled templates, and what did not change,
    from one build to the next.
    """
    with _fewer_collections():
        return _run_pipeline(root, render=render, base_url=base_url, out=out, templates_env=templates_env,
                             memo=memo, staging=None)


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


def _run_pipeline(
    root: Path, *, render: bool, base_url: str | None, out: Path | None,
    templates_env: jinja2.Environment | None, memo: BuildMemo | None, staging: Staging | None,
) -> BuildResult:
    started = time.perf_counter()
    diagnostics = Diagnostics(root)
    result = BuildResult(diagnostics)
    content = validate_content(root, diagnostics, memo.validation if memo else None)
    if content is not None:
        if base_url is not None:
            content.site = content.site.model_copy(update={"base_url": base_url})
        result.site = resolve_references(content, memo.site if memo else None)
        from .check import check_site

        result.compliance = check_site(result.site, content, diagnostics,
                                       memo=memo.compliance if memo else None)
        if render:
            from .render import render_site

            scans: dict[str, PageScan] = {}
            result.files = render_site(result.site, templates_folder(root), diagnostics, templates_env,
                                       scans=scans, memo=memo.pages if memo else None,
                                       output=staging)
            if not diagnostics.errors:  # with a page missing, every link to it would be noise
                names = frozenset(staging.names) if staging else result.files
                check_site_links(result, names, root, content.sources, out or root / "site", scans,
                             memo.links if memo else None)
        if memo is not None:
            memo.site = result.site
    result.seconds = time.perf_counter() - started
    return result


def build(root: Path, out: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Build and, only when nothing is wrong, replace the site in `out`.

    Each file is written to a staging folder beside `out` as soon as it is made (so a big site is
    never held in memory whole); the link check runs on what the pages link to, and only then is
    the staging folder swapped in, or removed when anything is wrong.
    """
    from .per_notice import build_at_scale
    from .write import Staging

    started = time.perf_counter()
    staging = Staging(out)
    try:
        with _fewer_collections():
            at_scale = build_at_scale(root, staging, base_url, out)
            if isinstance(at_scale, BuildResult):
                result = at_scale
            else:  # a small site, or one per_notice.py cannot take: the usual way
                if any(os.scandir(staging.folder)):  # it had begun: start again from nothing
                    staging.abort()
                    staging = Staging(out)
                result = _run_pipeline(root, render=True, base_url=base_url, out=out, templates_env=None,
                                       memo=None, staging=staging)
                _note_slower_way(result, at_scale)
        if result.diagnostics.has_errors(strict):
            staging.abort()
            result.files = {}
        else:
            staging.commit()
            result.files = WrittenFiles(staging.out, staging.names)
    except BaseException:
        staging.abort()
        raise
    result.seconds = time.perf_counter() - started
    return result


def check(root: Path) -> BuildResult:
    """Everything `notices check` reports: a whole build, with its site kept nowhere.

    A big site is built as `build` builds it (per_notice.py), but its pages are not written: held
    in memory, the pages of 10,000 notices took 1.6 GB, and writing them took a third of the time.
    Only notices.json is kept, for `--previous`. A smaller site is built in memory by `run_pipeline`.
    """
    from .export import INDEX_FILE
    from .per_notice import build_at_scale
    from .write import Staging

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="notices-check-") as folder:
        staging = Staging(Path(folder) / "site", only={INDEX_FILE})
        try:
            with _fewer_collections():
                at_scale = build_at_scale(root, staging, None, root / "site")
            index = staging.folder / INDEX_FILE
            if isinstance(at_scale, BuildResult) and index.is_file():
                at_scale.files = {INDEX_FILE: index.read_bytes()}
        finally:
            staging.abort()
    if not isinstance(at_scale, BuildResult):
        result = run_pipeline(root, render=True)
        _note_slower_way(result, at_scale)
        return result
    result = at_scale
    result.seconds = time.perf_counter() - started
    return result


def _note_slower_way(result: BuildResult, at_scale: UsualWay | None) -> None:
    """Tell why a big site was built the usual way (a custom template, likely), when it built."""
    if at_scale is not None and not result.diagnostics.errors:
        result.notes.append(_slower_way(at_scale.why))


def _slower_way(why: str) -> str:
    from .parallel import LOAD_THRESHOLD

    return (f"built the slower way: {why}. With {LOAD_THRESHOLD} notices or more, each notice's page is made"
            " knowing only that notice and the main one, and the pages that list every notice from an"
            " outline of each; this site needed more, so it was built again with every notice whole,"
            " which takes about twice as long (see docs/performance.md)")


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
    from .linkreport import report_broken_links
    from .links import check_links

    assert result.site is not None
    base_url = result.site.config.base_url
    result.links = check_links(names, base_url, scans, memo)
    report_broken_links(result.links, result.diagnostics, base_url=base_url, site_folder=site_folder,
                        content_files={label: source.path for label, source in sources.items()},
                        templates=templates_folder(root))
