"""The benchmarks still run and end with the line the docs quote (they use the generator's
internals, so a change there could break them unnoticed: they are not run otherwise)."""

from __future__ import annotations

import re
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
