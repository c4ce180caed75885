"""Where the project is: its root folder, found from where the command is run, and its templates.

A project is a folder holding `content/site.yaml`; any command run in it or in a folder below it
finds it, as git finds `.git`. Its own `templates/` folder, when it has one, is used; otherwise the
templates that come with the tool (in the wheel, or beside the package in a checkout).
"""

from __future__ import annotations

from pathlib import Path

MARKER = Path("content") / "site.yaml"
PACKAGE = Path(__file__).resolve().parent


class NotAProject(Exception):
    """The command was run outside any project; the message says what a project is and how to start."""


def find_root(start: Path) -> Path:
    """The nearest folder from `start` up that holds content/site.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            return folder
    content = next((f / "content" for f in (start, *start.parents) if (f / "content").is_dir()), None)
    found = (f"{content} has no site.yaml" if content is not None
             else "no folder from here up holds content/site.yaml")
    raise NotAProject(not_a_project_message(f"{start} is not inside a privacy-notices project ({found})"))


def not_a_project_message(what: str) -> str:
    """What a project is, and how to start one: said once, in plain words, after `what` went wrong."""
    return (f"{what}.\n"
            "A project is a folder holding content/: site.yaml (the controller and the site),"
            " definitions/ (the registers) and notices/ (one YAML file per notice).\n"
            "Run notices in that folder or any folder below it, or name it with --root PATH. To start a"
            " project, copy the content/ folder of the privacy-notices repository and follow"
            " docs/adding-a-notice.md there.")


def templates_folder(root: Path) -> Path:
    """The project's own templates/ when it has one; otherwise the templates the tool comes with."""
    own = root / "templates"
    return own if own.is_dir() else bundled_templates()


def bundled_templates() -> Path:
    """In an installed wheel, generator/templates (see setup.py); in a checkout or an editable
    install, the repository's templates/ beside the package."""
    installed = PACKAGE / "templates"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"
