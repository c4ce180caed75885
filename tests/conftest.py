"""Shared fixtures: a private copy of the project for each test, and a way to build it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    """The outcome of one `notices` command."""

    code: int
    stdout: str
    stderr: str


def copy_project(target: Path) -> Path:
    """Copy content/ and templates/ (all a build reads) to `target`."""
    for folder in ("content", "templates"):
        shutil.copytree(PROJECT / folder, target / folder)
    return target


def notices(root: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """Run the real command line in a fresh interpreter, as an editor would."""
    done = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *args],
        capture_output=True, text=True, cwd=root, env=env, timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of the shipped project that a test may edit freely."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped content built once, for tests that only read the pages."""
    root = copy_project(tmp_path_factory.mktemp("shipped"))
    result = notices(root, "build")
    assert result.code == 0, result.stderr
    return root / "site"
