"""How the build scales: from the shipped 3 notices to 10,000. A benchmark, not a test.

Writes a synthetic content tree in the real format (N service notices of realistic size,
registers of 300 organisations and 80 Acts) into a temporary folder, then measures, each
as the median of several runs:

- the full `notices build` as a fresh process: wall seconds, ms per notice, peak memory (the
  largest resident set of any one of its processes, the main one or a worker, as `os.wait4` and
  `/usr/bin/time` report it);
- the one-notice rebuild of the preview: edit one notice, rebuild as `notices serve` does.

    python benchmarks/scale.py --notices 1000
    python benchmarks/scale.py --shipped          # the shipped content, as is

The last line is `scale: N notices, full X s (Y ms/notice), peak Z MB, one-notice rebuild W ms`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

WORDS = ("support families children information service record assessment plan school health housing"
         " safeguarding review meeting care placement contact team worker referral the of and to we your"
         " with for this when our may share keep use about who need help home parent carer young person"
         " court police nurse doctor education benefit address name birth date reason outcome").split()
ARTICLE_6 = ["art6-1-a", "art6-1-c", "art6-1-e"]
ARTICLE_9 = ["art9-2-a", "art9-2-b"]  # verified wording; 9(2)(b) needs a Schedule 1 Part 1 condition
SCHEDULE_1 = ["dpa-sch1-para1", "dpa-sch1-para2"]


def sentence(seed: int, length: int = 14) -> str:
    """Words picked by a generator seeded with `seed`: the same every run, different in every notice."""
    pick = random.Random(seed * 1_000_003 + length)
    return " ".join(pick.choice(WORDS) for _ in range(length)).capitalize() + "."


def paragraph(seed: int, sentences: int = 4) -> str:
    return " ".join(sentence(seed + i) for i in range(sentences))


def write_content(root: Path, count: int) -> None:
    """A content tree like the shipped one, with `count` service notices."""
    shutil.copytree(PROJECT / "templates", root / "templates")
    content = root / "content"
    (content / "definitions").mkdir(parents=True)
    (content / "notices").mkdir()
    shutil.copy(PROJECT / "content" / "site.yaml", content / "site.yaml")
    shutil.copy(PROJECT / "content" / "definitions" / "lawful-bases.yaml", content / "definitions")
    shutil.copy(PROJECT / "content" / "notices" / "main.yaml", content / "notices")
    organisations = ["organisations:"]
    shipped_orgs = (PROJECT / "content" / "definitions" / "organisations.yaml").read_text("utf-8")
    organisations = [shipped_orgs.rstrip()]
    for i in range(300):
        organisations += [f"  - id: synthetic-organisation-{i}", f"    name: Synthetic Organisation {i}",
                          f"    website: https://organisation-{i}.example.org/"]
    (content / "definitions" / "organisations.yaml").write_text("\n".join(organisations) + "\n", "utf-8")
    legislation = ["legislation:"]
    for i in range(80):
        legislation += [f"  - id: synthetic-act-{i}", f"    title: Synthetic Act {1900 + i}",
                        f"    year: {1900 + i}",
                        "    type: act", f"    citation: {1900 + i} c. {i + 1}",
                        f"    url: https://www.legislation.gov.uk/ukpga/{1900 + i}/{i + 1}/contents"]
    (content / "definitions" / "legislation.yaml").write_text("\n".join(legislation) + "\n", "utf-8")
    for n in range(count):
        (content / "notices" / f"service-{n}.yaml").write_text(notice_yaml(n), "utf-8")


def notice_yaml(n: int) -> str:
    tiers = []
    for t in range(3):
        items = "\n".join(f"        - {sentence(n + t + i, 5)[:-1]}" for i in range(10 + (n + t) % 11))
        items += (f"\n        - name: Health {sentence(n + t, 4)[:-1].lower()}"
                  "\n          special_category: true")
        tiers.append(f"    - id: tier-{t}\n      title: Tier {t} of service {n}\n      items:\n{items}")
    recipients = "\n".join(f"    - organisation: synthetic-organisation-{(n * 15 + r) % 300}\n"
                           f"      why: {sentence(n + r, 8)}" for r in range(15))
    sources = "\n".join(f"    - organisation: synthetic-organisation-{(n * 5 + s + 150) % 300}\n"
                        f"      data: {sentence(n + s, 6)[:-1]}" for s in range(5))
    acts = "\n".join(f"    - synthetic-act-{(n * 10 + a) % 80}" for a in range(10))
    retention = "\n".join(f"  - title: Tier {t}\n    tier: tier-{t}\n    period: {sentence(n + t, 9)}"
                          for t in range(3))
    return f"""kind: service
slug: service-{n}
title: Service {n}
summary: {sentence(n, 12)}
last_updated: 2026-11-21
introduction: |
  {paragraph(n)}
information_collected:
  intro: {sentence(n, 8)}
  tiers:
{chr(10).join(tiers)}
sources:
  intro: {sentence(n + 1, 8)}
  items:
{sources}
used_by:
  text: |
    {paragraph(n + 2, 2)}
  organisations: [synthetic-organisation-{n % 300}]
purposes:
  intro: "We use this information to:"
  items:
{chr(10).join(f"    - {sentence(n + p, 7)[:-1]}" for p in range(6))}
why: |
  {paragraph(n + 3)}
lawful_basis:
  intro: {sentence(n + 4, 8)}
  article_6: [{", ".join(ARTICLE_6)}]
  article_9: [{", ".join(ARTICLE_9)}]
  schedule_1: [{", ".join(SCHEDULE_1)}]
  policy_document: https://policies.example.net/appropriate-policy-document
legislation:
  intro: "We work under these laws:"
  acts:
{acts}
sharing:
  intro: {sentence(n + 5, 8)}
  recipients:
{recipients}
security: |
  {paragraph(n + 6)}
automated_decisions: |
  {paragraph(n + 7, 2)}
transfers:
  text: {sentence(n + 8, 8)}
  safeguards: {sentence(n + 9, 8)}
retention:
{retention}
rights:
  text: |
    {paragraph(n + 10, 2)} Your rights, and how to complain, are in our
    [main privacy notice](notice:privacy-notice#your-rights).
  contacts: [data-protection-officer]
statutory_requirement: |
  {paragraph(n + 11, 2)}
"""


def timed_run(command: list[str], cwd: Path, output: IO[bytes] | None = None,
              env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """`command` as a fresh process: (wall seconds, peak memory in MB of its largest process, exit code).

    Its stdout and stderr go to `output` (a file, not a pipe: thousands of warnings must not block),
    or nowhere. Peak memory is `os.wait4`'s: the largest resident set of the process or any of its
    children (the build's workers)."""
    started = time.perf_counter()
    sink = output or subprocess.DEVNULL
    process = subprocess.Popen(command, stdout=sink, stderr=sink, cwd=cwd, env=env)
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:  # Ctrl-C: stop it as a user would, and wait for it to clean up
        process.send_signal(signal.SIGINT)
        process.wait()
        raise
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    return time.perf_counter() - started, usage.ru_maxrss / 1024, process.returncode


def full_build(root: Path, out: Path) -> tuple[float, float]:
    """One `notices build` as a fresh process: (wall seconds, peak memory in MB of its largest process)."""
    with tempfile.TemporaryFile() as errors:
        command = [sys.executable, "-m", "generator", "--root", str(root), "build", "--out", str(out)]
        wall, peak, code = timed_run(command, PROJECT, errors)
        if code != 0:
            errors.seek(0)
            sys.exit(f"build failed: {errors.read().decode()[-2000:]}")
    return wall, peak


def one_notice_rebuild(root: Path, runs: int) -> float:
    """Median ms to rebuild after editing one notice, on the preview's rebuild path."""
    from generator.preview.server import Preview

    preview = Preview(root, "https://example.org/", "")
    preview.rebuild()
    notice = next(p for p in sorted((root / "content" / "notices").glob("*.yaml")) if p.name != "main.yaml")
    original = notice.read_text("utf-8")
    times = []
    for i in range(runs):
        notice.write_text(original.replace("\ntitle: ", f"\ntitle: Edited {i} ", 1), "utf-8")
        started = time.perf_counter()
        snapshot = preview.rebuild([notice.relative_to(root).as_posix()])
        times.append((time.perf_counter() - started) * 1000)
        assert not snapshot.errors, snapshot.errors[:3]
    notice.write_text(original, "utf-8")
    return statistics.median(times)


BASELINE = """
import sys, pathlib, yaml, jinja2, markdown_it
from markupsafe import Markup
root, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
md = markdown_it.MarkdownIt("commonmark")
page = jinja2.Environment(autoescape=True).from_string(
    "<!doctype html><title>{{ n.title }}</title><main>{% for key, value in n.items() %}"
    "<section><h2>{{ key }}</h2>{{ show(value) }}</section>{% endfor %}</main>")
def show(value):
    if isinstance(value, str):
        return Markup(md.render(value))
    if isinstance(value, dict):
        return Markup("<dl>" + "".join(f"<dt>{k}</dt><dd>{show(v)}</dd>" for k, v in value.items()) + "</dl>")
    if isinstance(value, list):
        return Markup("<ul>" + "".join(f"<li>{show(v)}</li>" for v in value) + "</ul>")
    return str(value)
for path in sorted((root / "content" / "notices").glob("*.yaml")):
    notice = yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)
    folder = out / path.stem
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(page.render(n=notice, show=show), "utf-8")
"""
"""The floor to compare with: the same notice files through a bare single-process PyYAML +
markdown-it-py + Jinja2 loop, every field shown (prose as Markdown), nothing checked or linked."""


def baseline_build(root: Path, out: Path) -> float:
    """Wall seconds of the BASELINE loop as a fresh process."""
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", BASELINE, str(root), str(out)], check=True)
    return time.perf_counter() - started


def profile(root: Path) -> None:
    """cProfile of build_in_memory in one process (workers would hide their time), sorted two ways."""
    import cProfile
    import pstats

    from generator.build import build_in_memory

    os.environ["NOTICES_WORKERS"] = "1"
    profiler = cProfile.Profile()
    profiler.runcall(build_in_memory, root)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=100, help="how many service notices (default 100)")
    parser.add_argument("--shipped", action="store_true", help="measure the shipped content instead")
    parser.add_argument("--runs", type=int, default=5, help="full builds to take the median of (default 5)")
    parser.add_argument("--baseline", action="store_true",
                        help="also time a bare PyYAML + markdown-it-py + Jinja2 loop over the same notices")
    parser.add_argument("--profile", action="store_true",
                        help="instead, profile one build in this process and print where the time goes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="notices-scale-") as folder:
        root = Path(folder)
        if args.shipped:
            for name in ("content", "templates"):
                shutil.copytree(PROJECT / name, root / name)
            count = sum(1 for p in (root / "content" / "notices").glob("*.yaml"))
        else:
            write_content(root, args.notices)
            count = args.notices + 1
        if args.profile:
            profile(root)
            return
        runs = [full_build(root, root / "site") for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        peak = max(r[1] for r in runs)
        print(f"full build: {', '.join(f'{r[0]:.2f}' for r in runs)} s; peak {peak:.0f} MB")
        if args.baseline:
            bare = statistics.median(baseline_build(root, root / "bare") for _ in range(args.runs))
            print(f"bare PyYAML + markdown-it-py + Jinja2 loop, one process: {bare:.2f} s")
        rebuild = one_notice_rebuild(root, runs=9)
        print(f"scale: {count} notices, full {wall:.2f} s ({wall * 1000 / count:.1f} ms/notice),"
              f" peak {peak:.0f} MB, one-notice rebuild {rebuild:.0f} ms")


if __name__ == "__main__":
    main()
