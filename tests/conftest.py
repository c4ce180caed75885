"""Shared fixtures: a private copy of the project for each test, and a way to build it.

The tests build the content in tests/fixtures/content/ (a copy of the Trust's notices as first
shipped), never the live content/: an editor adds, removes or edits a notice there without touching
the tests. Only tests/test_shipped_content.py (and the wheel install) read content/ itself.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURE = PROJECT / "tests" / "fixtures"
"""A project folder whose content/ the tests own; build_in_memory(FIXTURE) reads it as is
(rendering needs templates/: use `copy_project`, which adds the project's own)."""


@dataclass
class Run:
    """The outcome of one `notices` command."""

    code: int
    stdout: str
    stderr: str


def copy_project(target: Path, content: Path = FIXTURE / "content") -> Path:
    """Copy the fixture content and the project's templates/ (all a build reads) to `target`."""
    shutil.copytree(content, target / "content")
    shutil.copytree(PROJECT / "templates", target / "templates")
    return target


def copy_shipped_project(target: Path) -> Path:
    """Copy the live content/, whatever notices it holds, with templates/: for tests of it alone."""
    return copy_project(target, PROJECT / "content")


def notices(root: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run the real command line in a fresh interpreter, as an editor would."""
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True, text=True, cwd=root, env=env, timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of the fixture project that a test may edit freely."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture content built once, for tests that only read the pages."""
    root = copy_project(tmp_path_factory.mktemp("shipped"))
    result = notices(root, "build")
    assert result.code == 0, result.stderr
    return root / "site"
