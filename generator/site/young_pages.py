"""The young people's version's own page, `<slug>/young-people/`, made with its notice.

A service notice's is made in the notice's step (one_notice.py), where the full notice is at hand
for the check that keeps the two in step; the main notice's in the parent (build.py), like the
main notice's rules. Both go through `make_young_page`.
"""

from __future__ import annotations

from pathlib import Path

from ..content.load import SourceFile
from ..content.resolve import Notice
from ..content.schema.young_people import YoungPeopleVersion
from ..content.young_people import FOLDER, read_young_version
from ..diagnostics import Diagnostic
from .pages import Page, PageRenderer, Rendered
from .render import write_out
from .summary import NoticeSummary
from .write import Output

TEMPLATE = "young-people.html"


def young_page(notice: Notice, version: YoungPeopleVersion) -> Page:
    """The page: `full` is the full notice (not `notice`, which would make a second notice.json)."""
    return Page(f"{notice.slug}/{FOLDER}/index.html", TEMPLATE, 2, {"full": notice, "young": version})


def make_young_page(root: Path, notice: Notice, source: SourceFile, context: dict[str, dict[str, str]],
                    renderer: PageRenderer, output: Output) -> tuple[Rendered | None, list[Diagnostic]]:
    """The notice's young people's page written to `output` (None when it has no version, or errors),
    and the version's problems (the page's own are in the Rendered)."""
    assert not isinstance(notice.content, NoticeSummary), "made with the whole notice"
    version, problems = read_young_version(root, notice.content, source, context)
    if version is None:
        return None, problems
    return write_out(renderer.page(young_page(notice, version)), output), problems


def merge_into(made: Rendered, young: Rendered) -> None:
    """The young people's page joins its notice's: written, checked and cached with it."""
    made.written += young.written
    made.problems += young.problems
    made.scans.update(young.scans)
