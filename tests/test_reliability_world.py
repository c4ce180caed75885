"""When the world fails (folders, the disk, other builds, signals, caches), `notices` says so in one line.

Each case is one an attack round found ending in a traceback, a lost file or a folder left behind.
Every test checks what the user sees (the exact line, the exit code, no traceback) and that
nothing was lost: the previous site and the user's files byte for byte, no temporary folder left.
Read-only folders are made so for real: as root, the command runs without the capabilities that
let root write anywhere (setpriv); a mount point and a full disk are a real tmpfs where root may
mount one.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PROJECT, Run, copy_project
from test_parallel import add_notices

from generator import cli
from generator.site.site_folder import STAGING_MARKER, STAGING_MARKER_TEXT
from generator.site.write import MANIFEST
from generator.world import Terminated, sigterm_as_interrupt

ROOT = os.geteuid() == 0
SETPRIV = shutil.which("setpriv")
AS_A_USER = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"] if ROOT else []
"""A prefix that makes the command obey file permissions, as any user's would."""
needs_permissions = pytest.mark.skipif(ROOT and not SETPRIV,
                                       reason="root ignores permissions without setpriv")


def _notices(cwd: Path, *args: str, cache: str = "", user: bool = False, preexec: object = None,
             timeout: float = 60) -> Run:
    env = {"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin", "NOTICES_CACHE_DIR": cache,
           "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([*(AS_A_USER if user else []), sys.executable, "-m", "generator", *args],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout,
                          preexec_fn=preexec)  # type: ignore[arg-type]
    return Run(done.returncode, done.stdout, done.stderr)


def _every_file(folder: Path) -> dict[str, bytes]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def _leftovers(folder: Path) -> list[str]:
    """Temporary folders and lock files of a build anywhere under `folder`."""
    return sorted(p.name for p in folder.rglob(".*") if ".new-" in p.name or ".old-" in p.name
                  or p.name.endswith(".lock"))


def _failed_with(run: Run, line: str) -> None:
    """Exit 2 with exactly this one line on stderr, and nothing on stdout."""
    assert (run.code, run.stderr, run.stdout) == (2, f"notices: error: {line}\n", ""), run.stderr


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project with its site built once (no cache), for each test to copy."""
    root = copy_project(tmp_path_factory.mktemp("shipped") / "project")
    run = _notices(root, "build")
    assert run.code == 0, run.stderr
    return root


@pytest.fixture
def project(shipped: Path, tmp_path: Path) -> Path:
    """A copy of the project and its built site."""
    shutil.copytree(shipped, tmp_path / "project", symlinks=True)
    return tmp_path / "project"


@pytest.fixture
def read_only() -> Iterator[list[Path]]:
    """Folders a test makes read-only, made writable again afterwards so they can be removed."""
    folders: list[Path] = []
    yield folders
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o755)


# Output folders and permissions


@pytest.mark.parametrize("case, line", [
    ("no stylesheet", "templates/assets/style.css:1:1: error: cannot read the file: No such file or"
                      " directory"),
    ("stylesheet a folder", "templates/assets/style.css:1:1: error: cannot read the file: it is a folder,"
                            " not a regular file"),
])
def test_a_missing_or_odd_stylesheet_is_an_error_at_its_path(project: Path, case: str, line: str) -> None:
    style = project / "templates" / "assets" / "style.css"
    style.unlink()
    if case == "stylesheet a folder":
        style.mkdir()
    before = _every_file(project)
    for command in ("build", "check"):
        run = _notices(project, command)
        assert run.code == 1 and line in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert _every_file(project) == before and _leftovers(project) == []


def test_a_project_without_templates_builds_with_the_tools_own(project: Path) -> None:
    shutil.rmtree(project / "templates")
    run = _notices(project, "build")
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert (project / "site" / "assets" / "style.css").read_bytes() == (
        PROJECT / "templates" / "assets" / "style.css").read_bytes()


@needs_permissions
def test_a_read_only_output_parent_is_one_line(project: Path, read_only: list[Path]) -> None:
    shutil.move(project / "site", project / "public" / "site")
    before = _every_file(project)
    (project / "public").chmod(0o555)
    read_only.append(project / "public")
    run = _notices(project, "build", "--out", "public/site", user=True)
    _failed_with(run, "cannot write in public: permission denied (Permission denied); make it writable for"
                      " you, or choose another folder")
    assert _every_file(project) == before and _leftovers(project) == []


@needs_permissions
def test_a_read_only_site_is_one_line_and_kept(project: Path, read_only: list[Path]) -> None:
    before = _every_file(project)
    (project / "site").chmod(0o555)
    read_only.append(project / "site")
    run = _notices(project, "build", user=True)
    _failed_with(run, "cannot replace site: it is read-only for you; make it writable (chmod -R u+w site) or"
                      " choose another folder with --out")
    assert _every_file(project) == before and _leftovers(project) == []


@needs_permissions
def test_a_read_only_folder_inside_the_old_site_is_removed_with_it(project: Path,
                                                                   read_only: list[Path]) -> None:
    (project / "site" / "assets").chmod(0o555)
    read_only.append(project / "site")
    run = _notices(project, "build", "--base-url", "https://example.org/other/", user=True)
    assert run.code == 0, run.stderr
    assert _leftovers(project) == []


def _tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not ROOT or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                                  capture_output=True).returncode:
        pytest.skip("needs root allowed to mount a tmpfs")


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    mounted: list[Path] = []
    yield mounted
    for folder in reversed(mounted):
        subprocess.run(["umount", str(folder)], check=False)


def test_an_output_folder_that_is_a_mount_point_is_one_line(project: Path, mounts: list[Path]) -> None:
    _tmpfs(project / "mounted", "1m")
    mounts.append(project / "mounted")
    before = _every_file(project)
    _failed_with(_notices(project, "build", "--out", "mounted"),
                 "cannot replace mounted with the new site: it is a mount point or in use, so it cannot be"
                 " swapped for the new site (Device or resource busy); build into a folder inside it, or"
                 " choose another folder")
    assert _every_file(project) == before and _leftovers(project) == []
    assert os.path.ismount(project / "mounted")


# The disk


DISK_FULL = ("cannot write {out}: the disk is full (No space left on device); free some space and build"
             " again")


def test_a_disk_that_fills_up_mid_write_is_one_line(project: Path, mounts: list[Path]) -> None:
    disk = project / "disk"
    _tmpfs(disk, "2m")
    mounts.append(disk)
    shutil.copytree(project / "site", disk / "site")
    with open(disk / "filler", "wb", buffering=0) as filler:  # leave room for some of the new site, not all
        try:
            while True:
                filler.write(b"x" * 4096)
        except OSError:
            pass
    os.truncate(disk / "filler", (disk / "filler").stat().st_size - 64 * 1024)
    before = _every_file(project)
    # another address makes every page new, so none is linked to the old site's copy
    run = _notices(project, "build", "--out", "disk/site", "--base-url", "https://example.org/other/")
    _failed_with(run, DISK_FULL.format(out="disk/site"))
    assert _every_file(project) == before and _leftovers(project) == []


def test_a_full_disk_in_process_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Where no tmpfs can be mounted: the same failure, made by os.write."""
    monkeypatch.chdir(project)
    monkeypatch.setenv("NOTICES_CACHE_DIR", "")
    before = _every_file(project)
    real = os.write

    def full(descriptor: int, data: bytes) -> int:
        if len(data) > 2000:
            raise OSError(28, "No space left on device")
        return real(descriptor, data)

    monkeypatch.setattr(os, "write", full)
    code = cli.main(["build", "--base-url", "https://example.org/other/"])
    monkeypatch.setattr(os, "write", real)
    captured = capsys.readouterr()
    assert (code, captured.err) == (2, "notices: error: " + DISK_FULL.format(out="site") + "\n")
    assert _every_file(project) == before and _leftovers(project) == []


def test_a_file_size_limit_is_one_line(project: Path) -> None:
    """`ulimit -f`: a write past it fails with EFBIG (Python ignores the SIGXFSZ that would kill it)."""

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    before = _every_file(project)
    run = _notices(project, "build", "--base-url", "https://example.org/other/", preexec=limited)
    _failed_with(run, "cannot write site: a file is bigger than this system lets this process write (File"
                      " too large); raise the file size limit (ulimit -f) or choose another folder, and build"
                      " again")
    assert _every_file(project) == before and _leftovers(project) == []


# Concurrency and signals


def test_eight_builds_at_once_all_succeed_or_say_another_is_running(project: Path) -> None:
    shutil.rmtree(project / "site")
    env = {"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin", "NOTICES_CACHE_DIR": ""}
    busy = "notices: error: another build into site is running; wait for it to finish, then build again\n"
    for _ in range(3):
        shutil.rmtree(project / "site", ignore_errors=True)
        builds = [subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=project, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for _ in range(8)]
        outcomes = [(build.wait(timeout=60), *build.communicate()) for build in builds]
        assert all(code == 0 or (code, err) == (2, busy) for code, _, err in outcomes), outcomes
        assert any(code == 0 for code, _, _ in outcomes)
        assert not any("Traceback" in err for _, _, err in outcomes)
        assert (project / "site" / MANIFEST).is_file() and _leftovers(project) == []


SLOW_BUILD = """
import sys, time
from pathlib import Path
from generator import build, cli, parallel
parallel.THRESHOLD = 1  # each notice in a worker, as in a big build
real = build.take_through
def slow(*args):
    Path(sys.argv[1]).touch()
    time.sleep(0.5)
    return real(*args)
build.take_through = slow
sys.exit(cli.main(sys.argv[2:]))
"""


@pytest.mark.parametrize("signum, code, said", [(signal.SIGINT, 130, "Stopped.\n"),
                                                (signal.SIGTERM, 143, "Stopped (terminated).\n")])
def test_ctrl_c_or_sigterm_to_the_group_mid_build(project: Path, tmp_path: Path, signum: int, code: int,
                                                  said: str) -> None:
    """Ctrl-C reaches every process of the terminal's group; `timeout` and a cancelled CI job send SIGTERM."""
    before = _every_file(project)
    started = tmp_path / "a worker started"
    env = {"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin", "NOTICES_CACHE_DIR": "",
           "NOTICES_WORKERS": "2"}
    build = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(started), "build", "--base-url",
                              "https://example.org/other/"], cwd=project, env=env, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert started.exists()
    os.killpg(build.pid, signum)
    out, err = build.communicate(timeout=30)
    assert (build.returncode, err, out) == (code, said, "")
    assert _every_file(project) == before and _leftovers(project) == []


def test_a_signal_to_the_group_at_any_moment_of_a_big_build_ends_it(project: Path) -> None:
    """Whenever it comes (workers starting, working, sending back), SIGTERM to the group ends the build
    at once: a worker killed by it while the parent still fed it jobs used to leave the parent waiting
    on multiprocessing's queue for ever (2 builds in 12 hung)."""
    add_notices(project, 220)  # enough for workers
    env = {"PYTHONPATH": str(PROJECT), "PATH": "/usr/bin:/bin", "NOTICES_CACHE_DIR": "",
           "NOTICES_WORKERS": "2"}
    for round, delay in enumerate(0.15 + 0.07 * step for step in range(10)):
        build = subprocess.Popen([sys.executable, "-m", "generator", "build", "--out", f"out-{round}"],
                                 cwd=project, env=env, start_new_session=True, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        os.killpg(build.pid, signal.SIGTERM)
        try:
            _, err = build.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(build.pid, signal.SIGKILL)
            build.communicate()
            pytest.fail(f"the build hung after SIGTERM {delay:.2f} s in")
        # -15: the signal came before Python had set up its handler (a slow start on a busy machine)
        assert build.returncode in (0, 143, -signal.SIGTERM) and "Traceback" not in err, err


def test_a_later_build_removes_the_folders_a_killed_build_left_and_only_those(project: Path) -> None:
    """A build killed outright (SIGKILL, a power cut) leaves its staging folder; the next one removes it,
    and never a folder of someone else's that happens to have such a name."""
    staging = project / ".site.new-killed"
    shutil.copytree(project / "site", staging)
    (staging / MANIFEST).unlink()
    (staging / STAGING_MARKER).write_text(STAGING_MARKER_TEXT)
    retired = project / ".site.old-killed"
    shutil.copytree(project / "site", retired)
    theirs = project / ".site.new-mine"
    (theirs / "notes").mkdir(parents=True)
    (theirs / "notes" / "todo.txt").write_bytes(b"my notes")
    also_theirs = project / ".site.old-mine"
    shutil.copytree(project / "site", also_theirs)
    (also_theirs / "thesis.docx").write_bytes(b"four years")
    run = _notices(project, "build")
    assert run.code == 0, run.stderr
    assert not staging.exists() and not retired.exists()
    assert _every_file(theirs) == {"notes/todo.txt": b"my notes"}
    assert (also_theirs / "thesis.docx").read_bytes() == b"four years"


# Caches


def _unusable_cache(cache: Path, how: str, read_only: list[Path]) -> None:
    if how == "a file where the folder should be":
        shutil.rmtree(cache)
        cache.write_bytes(b"not a folder")
        return
    for path in cache.iterdir():
        if how == "folders where its files should be":
            path.unlink()
            path.mkdir()
        elif how == "garbled files":
            path.write_bytes(b"j2\x00garbage")
    if how in ("read-only, left by root", "unreadable"):
        cache.chmod(0o555 if how.startswith("read-only") else 0o000)
        read_only.append(cache)


@pytest.mark.parametrize("how", ["a file where the folder should be", "folders where its files should be",
                                 "garbled files", "read-only, left by root", "unreadable"])
def test_a_cache_that_cannot_be_used_never_changes_the_build(project: Path, tmp_path: Path, how: str,
                                                             read_only: list[Path]) -> None:
    if how in ("read-only, left by root", "unreadable") and ROOT and not SETPRIV:
        pytest.skip("root ignores permissions without setpriv")
    expected = _every_file(project / "site")
    cache = tmp_path / "cache"
    assert _notices(project, "build", "--out", str(tmp_path / "first"), cache=str(cache)).code == 0
    assert any(cache.iterdir())
    _unusable_cache(cache, how, read_only)
    run = _notices(project, "build", cache=str(cache), user=True)
    assert run.code == 0 and "Traceback" not in run.stderr, run.stderr
    assert _every_file(project / "site") == expected
    warned = [line for line in run.stderr.splitlines() if "cache" in line]
    assert len(warned) <= 1
    if how in ("a file where the folder should be", "read-only, left by root", "unreadable"):
        assert warned == [f"notices: warning: cannot use the template cache in {cache} ("
                          f"{'File exists' if how.startswith('a file') else 'Permission denied'}); building"
                          " without it (set NOTICES_CACHE_DIR to another folder, or to nothing for none)"]


# Files beside the site: schemas and the staff report


def test_schema_never_writes_through_a_link_or_over_a_file_not_its_own(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"someone's file")
    schemas = project / "schemas"
    schemas.mkdir()
    (schemas / "site.schema.json").symlink_to(outside)
    _failed_with(_notices(project, "schema"),
                 f"refusing to write schemas/site.schema.json: it is a symbolic link (to {outside}), and"
                 " writing would change that file; move it away, or choose another folder with --out")
    assert outside.read_bytes() == b"someone's file" and sorted(os.listdir(schemas)) == ["site.schema.json"]
    (schemas / "site.schema.json").unlink()
    (schemas / "notice.schema.json").write_bytes(b'{"title": "my own schema"}')
    _failed_with(_notices(project, "schema"),
                 "refusing to overwrite schemas/notice.schema.json: it is not a schema this tool wrote (its"
                 " title is not 'Privacy notice'); move it away, or choose another folder with --out")
    assert os.listdir(schemas) == ["notice.schema.json"]
    (schemas / "notice.schema.json").unlink()
    assert _notices(project, "schema").code == 0
    shipped = {p.name: p.read_bytes() for p in (PROJECT / "schemas").glob("*.json")}
    assert {p.name: p.read_bytes() for p in schemas.iterdir()} == shipped
    assert _notices(project, "schema").stdout == "Schemas in schemas/: 0 written, 7 already up to date\n"


def test_the_staff_report_never_writes_through_a_link(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"<p>someone's page</p>")
    (project / "report").mkdir()
    (project / "report" / "index.html").symlink_to(outside)
    run = _notices(project, "check", "--html", "report")
    assert run.code == 2 and "Traceback" not in run.stderr
    assert run.stderr.splitlines()[-1] == ("notices: error: refusing to write report/index.html: it is a"
                                           " symbolic link (choose a folder of its own, not the published"
                                           " site)")
    assert outside.read_bytes() == b"<p>someone's page</p>"
    (project / "report" / "index.html").unlink()
    assert _notices(project, "check", "--html", "report").code == 0
    assert "notices compliance report" in (project / "report" / "index.html").read_text()


def test_a_sigterm_where_python_ignores_errors_still_ends_the_command_quietly(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A SIGTERM can land in a __del__ or an import-system callback, where Python prints "Exception
    ignored ... Traceback" and goes on (1 build in 10 of the signal test above, on a busy machine): the
    command says nothing of it and still ends as terminated."""

    class DroppedAtOnce:
        def __del__(self) -> None:
            signal.raise_signal(signal.SIGTERM)  # the handler runs here, inside __del__

    went_on = False
    with pytest.raises(Terminated):
        with sigterm_as_interrupt():
            DroppedAtOnce()
            went_on = True
    assert went_on  # Python ignored it there, as it does
    assert "Traceback" not in capsys.readouterr().err
