"""The pipeline, start to finish: load and validate, resolve, check, render, write.

`notices build`, `notices check` and the preview server all call `run_pipeline`, so the
three can never disagree about what the content means.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostics
from .resolve import Site, resolve_references
from .validate import validate_content


@dataclass
class BuildResult:
    """What one run produced: the files (when it got that far) and every problem found."""

    diagnostics: Diagnostics
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def pages(self) -> int:
        return sum(1 for name in self.files if name.endswith(".html"))


def run_pipeline(root: Path, *, render: bool = True, base_url: str | None = None) -> BuildResult:
    """Everything but writing; stops before rendering when the content has errors."""
    started = time.perf_counter()
    diagnostics = Diagnostics(root)
    result = BuildResult(diagnostics)
    content = validate_content(root, diagnostics)
    if content is not None:
        if base_url is not None:
            content.site = content.site.model_copy(update={"base_url": base_url})
        result.site = resolve_references(content)
        if render:
            from .render import render_site

            result.files = render_site(result.site, root / "templates", diagnostics)
    result.seconds = time.perf_counter() - started
    return result


def build(root: Path, out: Path, *, base_url: str | None = None, strict: bool = False) -> BuildResult:
    """Build and, only when nothing is wrong, replace the site in `out`."""
    result = run_pipeline(root, base_url=base_url)
    if not result.diagnostics.has_errors(strict):
        from .write import write_site

        write_site(result.files, out)
    return result
