"""The benchmarks still run and end with the line the docs quote (they use the generator's
internals, so a change there could break them unnoticed: they are not run otherwise)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _output(*args: str) -> str:
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=120,
                          cwd=BENCHMARKS.parent)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_scale_builds_the_synthetic_notices_and_reports_each_figure() -> None:
    line = _output(str(BENCHMARKS / "scale.py"), "--notices", "3", "--runs", "1").strip().splitlines()[-1]
    found = re.fullmatch(r"scale: 4 notices, full ([\d.]+) s \(([\d.]+) ms/notice\), peak (\d+) MB,"
                         r" one-notice rebuild (\d+) ms", line)
    assert found, line
    full, per_notice, peak, _ = (float(value) for value in found.groups())
    assert full > 0 and peak > 10
    assert abs(per_notice - full * 1000 / 4) <= 0.005 * 1000 / 4 + 0.05  # `full` is rounded to 0.01 s


def test_floor_adds_up_its_steps_and_the_start() -> None:
    output = _output(str(BENCHMARKS / "floor.py"), "--notices", "1000", "--sample", "5", "--runs", "1")
    lines = output.strip().splitlines()
    steps = [float(m.group(1)) for line in lines if (m := re.search(r" ([\d.]+) ms per notice$", line))]
    assert len(steps) == 4 and all(step > 0 for step in steps)
    start = float(re.search(r"imports: ([\d.]+) s", output).group(1))  # type: ignore[union-attr]
    found = re.fullmatch(r"floor: 1000 notices, ([\d.]+) ms/notice of unavoidable work, at least ([\d.]+) s"
                         r" on (\d+) cores with the start \(before the pages that list every notice\)",
                         lines[-1])
    assert found, lines[-1]
    per_notice, least, cores = float(found.group(1)), float(found.group(2)), int(found.group(3))
    assert abs(per_notice - sum(steps)) < 0.02  # rounding of each figure
    notices, seconds_per_notice = 1000, per_notice / 1000
    assert abs(least - (start + seconds_per_notice * notices / cores)) < 0.02


def _compare(against: str, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(BENCHMARKS / "compare.py"), "--against", against, "--rounds", "1",
               *options]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=BENCHMARKS.parent)


def _unchanged_since_head() -> bool:
    """Whether the generator and templates are HEAD's, so HEAD builds exactly what the working tree does."""
    status = subprocess.run(["git", "status", "--porcelain", "--", "generator", "templates"],
                            capture_output=True, text=True, cwd=BENCHMARKS.parent)
    return status.returncode == 0 and not status.stdout.strip()


def test_compare_finds_the_same_sites_and_messages_and_times_both_sides() -> None:
    # Against HEAD (checked out into a temporary git worktree) when the working tree's code is HEAD's;
    # while it is being changed, against the working tree itself: either way the two sides are the same.
    against = "HEAD" if _unchanged_since_head() else str(BENCHMARKS.parent)
    done = _compare(against, "--notices", "shipped,5", "--edits", "1")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    lines = done.stdout.strip().splitlines()
    for line, site in zip(lines[-2:], ("shipped", "5"), strict=True):
        found = re.fullmatch(rf"compare: site={site} old=([\d.]+)s new=([\d.]+)s ratio=([\d.]+)"
                             r" \(([\d.]+)-([\d.]+)\) peak_old=(\d+)MB peak_new=(\d+)MB identical=yes"
                             r" preview_old=(\d+)ms preview_new=(\d+)ms help_old=(\d+)ms help_new=(\d+)ms",
                             line)
        assert found, line
        old, new, ratio, low, high = (float(value) for value in found.groups()[:5])
        assert abs(ratio - new / old) < 0.06 and low == high == ratio  # one round: one ratio
        assert all(int(value) > 0 for value in found.groups()[5:])
    assert done.stdout.count("site files: identical") == 2
    checked_out = re.search(r"in a temporary git worktree at (\S+),", done.stdout)
    if against == "HEAD":
        assert checked_out, done.stdout[:500]
        worktrees = subprocess.run(["git", "worktree", "list"], capture_output=True, text=True,
                                   cwd=BENCHMARKS.parent).stdout
        assert not Path(checked_out.group(1)).exists() and checked_out.group(1) not in worktrees


def test_compare_shows_a_site_that_differs_and_fails(tmp_path: Path) -> None:
    changed = tmp_path / "changed"
    for name in ("generator", "templates"):
        shutil.copytree(BENCHMARKS.parent / name, changed / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    page = changed / "templates" / "404.html"
    page.write_text(page.read_text("utf-8").replace("</h1>", "!</h1>", 1), "utf-8")
    done = _compare(str(changed), "--notices", "shipped", "--edits", "0")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr
    assert "site files: 1 differ" in done.stdout and "differs: 404.html\n" in done.stdout
    assert "--- old/404.html" in done.stdout and re.search(r"^    -.*!</h1>", done.stdout, re.MULTILINE)
    assert "messages of build and check (timings masked): identical" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("compare: site=shipped ")
    assert " identical=no " in done.stdout.strip().splitlines()[-1]
