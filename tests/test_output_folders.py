"""`notices build --out DIR` never deletes or overwrites a file the tool did not write.

Each case is one a user ran into: a web root, the project's own folders, a folder that holds the
project. Every file in and around the project is compared byte for byte before and after.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT, Run, copy_project

from generator.site.write import MANIFEST


def _notices(cwd: Path, *args: str) -> Run:
    done = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, env={"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin"})
    return Run(done.returncode, done.stdout, done.stderr)


def _every_file(folder: Path) -> dict[str, bytes]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def _user_files(folder: Path, files: dict[str, bytes]) -> None:
    for name, body in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(body)


WEB_ROOT = {"index.html": b"<h1>my home page</h1>", "thesis.docx": b"PK\x03\x04 four years of work",
            "notes/todo.txt": b"finish chapter 3", "photo.jpg": b"\xff\xd8\xff\xe0 JFIF"}


@pytest.mark.parametrize("out", ["../www", "templates", "docs/manual", "content", "content/notices", ".",
                                 "..", "tests"])
def test_a_folder_of_someone_elses_is_refused_and_nothing_is_lost(tmp_path: Path, out: str) -> None:
    project = copy_project(tmp_path / "project")
    _user_files(tmp_path / "www", WEB_ROOT)
    _user_files(project / "docs" / "manual", {"index.html": b"<h1>Manual</h1>", "chapter1.md": b"# One"})
    _user_files(project / "tests", {"test_mine.py": b"def test(): pass\n"})
    before = _every_file(tmp_path)
    result = _notices(project, "build", "--out", out)
    assert result.code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "refusing" in result.stderr and "choose" in result.stderr.lower()
    assert _every_file(tmp_path) == before
    assert not [p for p in tmp_path.rglob(".*") if p.name.startswith((".www.", ".site.", ".templates."))]


def test_a_web_root_holding_the_project_is_refused(tmp_path: Path) -> None:
    """Run from above, with the project inside the folder given as --out: the project is kept whole."""
    _user_files(tmp_path / "www", {"index.html": b"<h1>welcome</h1>", "budget.xlsx": b"PK budget"})
    copy_project(tmp_path / "www" / "privacy-project")
    before = _every_file(tmp_path)
    result = _notices(tmp_path, "--root", "www/privacy-project", "build", "--out", "www")
    assert result.code == 2, result.stdout + result.stderr
    assert "www" in result.stderr and "Traceback" not in result.stderr
    assert _every_file(tmp_path) == before


def test_a_site_this_tool_built_is_replaced_but_a_file_added_to_it_is_not_deleted(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert _notices(project, "build").code == 0
    site = project / "site"
    assert (site / MANIFEST).is_file()
    assert _notices(project, "build").code == 0  # its own site: rebuilt in place

    (site / "CNAME").write_bytes(b"privacy.example.org\n")  # a file of the user's, put in the site
    before = _every_file(tmp_path)
    result = _notices(project, "build")
    assert result.code == 2
    assert "CNAME" in result.stderr and "did not write" in result.stderr
    assert _every_file(tmp_path) == before

    (site / "CNAME").unlink()
    assert _notices(project, "build").code == 0


def test_a_site_from_before_the_manifest_is_refused_with_what_to_do(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert _notices(project, "build").code == 0
    (project / "site" / MANIFEST).unlink()
    before = _every_file(tmp_path)
    result = _notices(project, "build")
    assert result.code == 2
    assert "not a site built by this tool" in result.stderr and "remove it yourself" in result.stderr
    assert _every_file(tmp_path) == before


@pytest.mark.parametrize("prepare", ["missing", "empty"])
def test_a_new_or_empty_folder_is_built_into(tmp_path: Path, prepare: str) -> None:
    project = copy_project(tmp_path / "project")
    if prepare == "empty":
        (tmp_path / "public").mkdir()
    result = _notices(project, "build", "--out", "../public")
    assert result.code == 0, result.stderr
    listed = (tmp_path / "public" / MANIFEST).read_text("utf-8")
    written = [name for name in _every_file(tmp_path / "public") if name != MANIFEST]
    assert written and all(f'"{name}"' in listed for name in written)
