"""The pipeline, start to finish: load and validate, resolve, check, render, write.

`notices build`, `notices check` and the preview server all call `run_pipeline`, so the
three can never disagree about what the content means.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostics
from .resolve import Site, resolve_references
from .validate import validate_content

if TYPE_CHECKING:
    import jinja2

    from .check import ComplianceReport
    from .links import LinkReport


@dataclass
class BuildResult:
    """What one run produced: the files (when it got that far) and every problem found."""

    diagnostics: Diagnostics
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0
    links: LinkReport | None = None
    compliance: ComplianceReport | None = None

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


def run_pipeline(
    root: Path, *, render: bool = True, base_url: str | None = None, out: Path | None = None,
    templates_env: jinja2.Environment | None = None,
) -> BuildResult:
    """Everything but writing; stops before rendering when the content has errors.

    `templates_env` lets the preview keep compiled templates from one build to the next.
    """
    started = time.perf_counter()
    diagnostics = Diagnostics(root)
    result = BuildResult(diagnostics)
    content = validate_content(root, diagnostics)
    if content is not None:
        if base_url is not None:
            content.site = content.site.model_copy(update={"base_url": base_url})
        result.site = resolve_references(content)
        from .check import check_site

        result.compliance = check_site(result.site, content, diagnostics)
        if render:
            from .render import render_site

            result.files = render_site(result.site, root / "templates", diagnostics, templates_env)
            if not diagnostics.errors:  # with a page missing, every link to it would be noise
                _check_links(result, root, content.sources, out or root / "site")
    result.seconds = time.perf_counter() - started
    return result


def build(root: Path, out: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Build and, only when nothing is wrong, replace the site in `out`."""
    started = time.perf_counter()
    result = run_pipeline(root, base_url=base_url, out=out)
    if not result.diagnostics.has_errors(strict):
        from .write import write_site

        write_site(result.files, out)
    result.seconds = time.perf_counter() - started
    return result


def _check_links(result: BuildResult, root: Path, sources: dict[str, Any], site_folder: Path) -> None:
    """Every internal link and #fragment must resolve, checked after render and before write."""
    from .links import check_links, report_broken_links

    assert result.site is not None
    base_url = result.site.config.base_url
    result.links = check_links(result.files, base_url)
    report_broken_links(result.links, result.diagnostics, base_url=base_url, site_folder=site_folder,
                        content_files={label: source.path for label, source in sources.items()},
                        templates=root / "templates")
