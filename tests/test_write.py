"""Nothing lost: a failed or interrupted write leaves the last good site byte for byte, and no litter."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.site import site_swap, write
from generator.site.site_folder import STAGING_MARKER
from generator.site.write import UnsafeOutput, write_site
from generator.world import WorldError

OLD = {"index.html": b"<h1>old</h1>", "a/index.html": b"old a", "assets/style.css": b"body{}"}
NEW = {"index.html": b"<h1>new</h1>", "b/index.html": b"new b"}


OURS = (write.MANIFEST, STAGING_MARKER)
"""Files that mark a folder as this tool's, tested on their own."""


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The site's files, less the manifest that marks it as one this tool wrote (tested on its own)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in OURS)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


def _litter(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site."))


def test_replaces_the_whole_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(OLD, out)
    write_site(NEW, out)
    assert _snapshot(out) == NEW  # a page that is gone from the content is gone from the site
    assert oct(out.stat().st_mode & 0o777) == "0o755"
    assert _litter(tmp_path) == []


def test_a_big_old_site_is_removed_whole_by_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removed on both cores once the new one is in: every folder, file and link of it, none left."""
    from generator import parallel

    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "LOAD_THRESHOLD", 4)
    removers = tmp_path / "removers"  # a worker's memory is its own: each notes its process id here
    removers.mkdir()
    remove = site_swap._remove_names

    def noting(folder: Path, names: list[str]) -> None:
        (removers / str(os.getpid())).touch()
        remove(folder, names)

    monkeypatch.setattr(site_swap, "_remove_names", noting)
    out = tmp_path / "site"
    old = {**OLD, **{f"notice-{n}/index.html": b"old" for n in range(20)}}
    write_site(old, out)
    (out / "notice-3" / "index.html").unlink()  # a file of the site's that became a link: not followed
    (out / "notice-3" / "index.html").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "kept").write_bytes(b"not the site's")
    write_site(NEW, out)
    assert _snapshot(out) == NEW
    assert _litter(tmp_path) == []
    assert (tmp_path / "elsewhere" / "kept").read_bytes() == b"not the site's"
    removed_by = {int(path.name) for path in removers.iterdir()}
    assert removed_by and os.getpid() not in removed_by, "the old site was not removed by workers"


def test_a_failure_mid_write_keeps_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    write_site(OLD, out)
    real = os.write
    calls = []

    def failing(descriptor: int, data: bytes) -> int:  # the disk fills up at the second file
        calls.append(descriptor)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(descriptor, data)

    monkeypatch.setattr(write.os, "write", failing)
    with pytest.raises(WorldError, match=r"^cannot write .*: the disk is full \(No space left on device\);"):
        write_site(NEW, out)
    assert _snapshot(out) == OLD
    assert _litter(tmp_path) == []


def test_ctrl_c_between_the_renames_still_finishes_the_swap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one moment with no site at all: a SIGINT there is held until the new site is in place."""
    out = tmp_path / "site"
    write_site(OLD, out)
    real_rename = os.rename

    def rename_then_interrupt(source: str | Path, target: str | Path) -> None:
        real_rename(source, target)
        if Path(target).name.startswith(".site.old-"):
            os.kill(os.getpid(), signal.SIGINT)  # Python runs the handler at the next instruction

    monkeypatch.setattr(write.os, "rename", rename_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_site(NEW, out)
    assert _snapshot(out) == NEW
    assert _litter(tmp_path) == []


def test_refuses_folders_that_are_not_a_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "minutes.docx").write_bytes(b"keep me")
    (tmp_path / "file.txt").write_text("x")
    for out, reason in [(project, "holds the project"), (tmp_path, "folder you are working in"),
                        (tmp_path / "notes", "not a site built by this tool"),
                        (tmp_path / "file.txt", "is a file"),
                        (Path("/"), "choose a folder of its own")]:
        with pytest.raises(UnsafeOutput, match=reason):
            write_site(NEW, out)
    assert (tmp_path / "notes" / "minutes.docx").read_bytes() == b"keep me"
    assert (project / "content").is_dir()


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "public").mkdir()
    write_site(NEW, tmp_path / "public")
    assert _snapshot(tmp_path / "public") == NEW


def test_no_file_lands_outside_the_output_folder(tmp_path: Path) -> None:
    with pytest.raises(UnsafeOutput, match="outside the output folder"):
        write_site({"../escaped.html": b"x"}, tmp_path / "site")
    assert not (tmp_path / "escaped.html").exists()
    assert not (tmp_path / "site").exists() and _litter(tmp_path) == []


def test_a_site_left_aside_by_a_killed_build_is_put_back(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(OLD, out)
    os.rename(out, tmp_path / ".site.old-abc123")  # what `kill -9` between the two renames leaves
    write.check_output_folder(out)
    write_site(NEW, out)
    assert _snapshot(out) == NEW
    assert _litter(tmp_path) == []


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from generator.site.write import Staging, write_site

    real = Staging.write
    count = 0

    def slow(self, name, data):  # a slow disk, so the signal comes mid-write
        global count
        count += 1
        if count == 20:
            print("writing", flush=True)
        time.sleep(0.002)
        return real(self, name, data)

    Staging.write = slow
    files = {f"page-{i}/index.html": b"new" * 1000 for i in range(3000)}
    files["index.html"] = b"new"
    try:
        write_site(files, Path(sys.argv[1]))
    except KeyboardInterrupt:
        sys.exit(130)
    print("finished", flush=True)
""")


def test_a_real_sigint_mid_write_keeps_the_old_site(tmp_path: Path) -> None:
    """Ctrl-C as a person presses it: a real signal to a real process while it writes."""
    out = tmp_path / "site"
    write_site(OLD, out)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(out)], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parent.parent)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGINT)
    assert child.wait(timeout=60) == 130
    assert _snapshot(out) == OLD
    assert _litter(tmp_path) == []


def test_a_staged_site_appears_only_on_commit_and_abort_leaves_the_old_one(tmp_path: Path) -> None:
    """The build writes pages as it makes them; nothing shows in the site until it commits."""
    out = tmp_path / "site"
    write_site(OLD, out)
    staging = write.Staging(out)
    staging.add("index.html", b"<h1>half-built</h1>")
    staging.add("deep/er/page/index.html", b"x")
    assert _snapshot(out) == OLD  # mid-build, the old site is served untouched
    staging.abort()  # e.g. the link check failed after every page was written
    assert _snapshot(out) == OLD
    assert _litter(tmp_path) == []

    staging = write.Staging(out)
    for name, body in NEW.items():
        staging.add(name, body)
    staging.commit()
    assert _snapshot(out) == NEW
    assert oct((out / "b").stat().st_mode & 0o777) == "0o755"
    assert _litter(tmp_path) == []


def test_a_check_that_keeps_only_notices_json_writes_no_page(tmp_path: Path) -> None:
    """`notices check` builds a big site without writing it: the pages count, but only what it
    keeps reaches the disk."""
    staging = write.Staging(tmp_path / "site", only={"notices.json"})
    staging.add("index.html", b"<h1>home</h1>")
    staging.write("a/index.html", b"page")
    staging.record(["a/index.html"])
    staging.write_parts("processing.csv", iter([b"a,b\r\n"]))
    staging.add("notices.json", b"{}")
    assert staging.names == ["index.html", "a/index.html", "notices.json"]
    assert _snapshot(staging.folder) == {"notices.json": b"{}"}
    staging.abort()
    assert list(tmp_path.iterdir()) == []


def test_a_staged_file_outside_the_site_is_refused(tmp_path: Path) -> None:
    staging = write.Staging(tmp_path / "site")
    with pytest.raises(UnsafeOutput):
        staging.add("../escaped.html", b"x")
    staging.abort()
    assert not (tmp_path / "escaped.html").exists()
    assert _litter(tmp_path) == []


def test_a_file_that_did_not_change_keeps_its_time_and_is_not_written_again(tmp_path: Path) -> None:
    """A deploy that copies only changed files (by time or size) copies only what the build changed."""
    out = tmp_path / "site"
    write_site(OLD, out)
    old_times = {name: (out / name).stat().st_mtime_ns for name in OLD}
    os.utime(out / "assets/style.css", ns=(1, 1))  # an old file, so that a rewrite would show
    changed = {**OLD, "index.html": b"<h1>newer</h1>", "a/index.html": b"old A"}  # same size, other bytes
    write_site(changed, out)
    assert _snapshot(out) == changed
    assert (out / "assets/style.css").stat().st_mtime_ns == 1  # the very file, linked, not rewritten
    assert (out / "index.html").stat().st_mtime_ns >= old_times["index.html"]
    assert (out / "a/index.html").read_bytes() == b"old A"
    assert oct((out / "assets/style.css").stat().st_mode & 0o777) == "0o644"
    assert _litter(tmp_path) == []


def test_an_unchanged_file_shared_with_the_old_site_survives_a_failed_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(OLD, out)
    staging = write.Staging(out)
    staging.add("assets/style.css", OLD["assets/style.css"])  # linked to the old site's file
    staging.add("index.html", b"half")
    staging.abort()
    assert _snapshot(out) == OLD


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o027])
def test_a_published_site_is_readable_by_the_web_server_whatever_the_umask(
    tmp_path: Path, umask: int
) -> None:
    previous = os.umask(umask)
    try:
        out = tmp_path / "site"
        staging = write.Staging(out)
        staging.add("index.html", b"home")
        staging.add("a/b/index.html", b"deep")
        staging.write_parts("a/register.csv", [b"x,y\r\n", b"1,2\r\n"])
        staging.record(["a/register.csv"])
        staging.commit()
    finally:
        os.umask(previous)
    modes = {path.relative_to(out).as_posix(): oct(path.stat().st_mode & 0o777) for path in out.rglob("*")}
    assert modes == {write.MANIFEST: "0o644", "index.html": "0o644", "a": "0o755", "a/b": "0o755",
                     "a/b/index.html": "0o644", "a/register.csv": "0o644"}
    assert oct(out.stat().st_mode & 0o777) == "0o755"
