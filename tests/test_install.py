"""Installing as the publish workflow does: a wheel, not an editable checkout, must build the site."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURE, PROJECT, copy_shipped_project


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the project's tracked files, as `pip install .` or `python -m build` makes it."""
    source = tmp_path_factory.mktemp("source")
    tracked = _run("git", "ls-files", "-z", cwd=PROJECT)
    assert tracked.returncode == 0, tracked.stderr
    for name in tracked.stdout.split("\0"):
        if name and (PROJECT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((PROJECT / name).read_bytes())
    out = tmp_path_factory.mktemp("wheel")
    made = _run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, source)
    assert made.returncode == 0, made.stderr
    (built,) = out.glob("privacy_notices-*.whl")
    return built


def test_the_wheel_holds_every_module_of_the_package(wheel: Path) -> None:
    in_source = {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "generator").rglob("*.py")}
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {name for name in archive.namelist() if name.startswith("generator/")}
    assert "generator/content/schema/__init__.py" in in_source
    assert in_source <= in_wheel, f"left out of the wheel: {sorted(in_source - in_wheel)}"


def test_the_wheel_holds_the_templates(wheel: Path) -> None:
    """Every file of templates/ (pages, components, report, stylesheet) is package data of the wheel."""
    in_source = {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "templates").rglob("*") if p.is_file()}
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {name.removeprefix("generator/") for name in archive.namelist()}
    expected = {"templates/base.html", "templates/assets/style.css", "templates/report/compliance.html"}
    assert expected <= in_source
    assert in_source <= in_wheel, f"left out of the wheel: {sorted(in_source - in_wheel)}"


def test_a_wheel_in_a_fresh_environment_builds_the_shipped_site(wheel: Path, tmp_path: Path) -> None:
    """What .github/workflows/publish.yml does: install without -e, then `notices build` in the checkout."""
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    installed = _run(environment / "bin" / "pip", "install", "--quiet", wheel)
    assert installed.returncode == 0, installed.stderr
    checkout = copy_shipped_project(tmp_path / "checkout")
    built = _run(environment / "bin" / "notices", "build", cwd=checkout)
    assert built.returncode == 0, built.stderr
    assert "Traceback" not in built.stderr
    assert (checkout / "site" / "index.html").is_file()
    assert (checkout / "site" / "notices.json").is_file()


def test_a_trust_that_keeps_only_content_builds_from_a_subfolder(wheel: Path, tmp_path: Path) -> None:
    """Installed from the wheel, with no templates/ of its own: the templates that come with the tool."""
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    assert _run(environment / "bin" / "pip", "install", "--quiet", wheel).returncode == 0
    trust = tmp_path / "trust"
    shutil.copytree(FIXTURE / "content", trust / "content")
    built = _run(environment / "bin" / "notices", "build", cwd=trust / "content" / "notices")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in trust.iterdir()) == ["content", "site"]
    style = (PROJECT / "templates" / "assets" / "style.css").read_bytes()
    assert (trust / "site" / "assets" / "style.css").read_bytes() == style
    assert (trust / "site" / "prevention-and-early-help" / "index.html").is_file()
    report = _run(environment / "bin" / "notices", "check", "--html", tmp_path / "report", cwd=trust)
    assert report.returncode == 0, report.stderr
    assert "<table" in (tmp_path / "report" / "index.html").read_text("utf-8")


def test_an_editable_install_uses_the_repository_templates(tmp_path: Path) -> None:
    """A checkout installed with -e (this test's own environment): a project without templates/ gets
    the repository's, so a change to them shows at once; a project's own templates/ wins."""
    from generator.project import templates_folder

    assert templates_folder(tmp_path) == PROJECT / "templates"
    (tmp_path / "templates").mkdir()
    assert templates_folder(tmp_path) == tmp_path / "templates"
