"""Hold a change to "same site, no slower": the working tree's generator against an earlier commit.

The earlier commit (default HEAD; `--against REV`, or `--against FOLDER` for a tree as it is) is
checked out into a temporary git worktree, removed afterwards. Each side runs as a fresh
`python -m generator` with PYTHONPATH at its own tree (its generator/ and templates/), both with
this venv's libraries, over the same content: the shipped content/ and synthetic sites made by
benchmarks/scale.py. For each site: the two built sites compared file by file, byte for byte, and
the messages of `build` and `check`; then builds timed in rounds, old and new alternating (the
machine is noisy: medians and ranges, in the same minutes), with peak memory; the preview's time
from saving a notice to serving the page; `notices --help`'s start.

    .venv/bin/python benchmarks/compare.py                              # against HEAD: shipped, 1000
    .venv/bin/python benchmarks/compare.py --against HEAD~5 --notices shipped,1000,10000 --rounds 3

Exit 1 when a site or a message differs (unless --allow-differences). One last line per site:
`compare: site=1000 old=1.95s new=1.90s ratio=0.97 (0.93-1.02) peak_old=62MB peak_new=60MB identical=yes ...`
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import io
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import preview  # beside this file: run as `python benchmarks/compare.py`
from scale import PROJECT, timed_run, write_content

TIMING = re.compile(r"\b\d+(?:\.\d+)? ?m?s\b")  # "in 0.36 s": differs every run


@dataclass
class Side:
    """One generator: the code it runs (a tree holding generator/) and its copy of the site."""

    name: str
    code: Path
    work: Path
    builds: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    saves: list[float] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        """Its own code first on the path, and its own template cache (compiled templates of one
        generator must not be served to the other)."""
        cache = str(self.work / "cache")
        return {**os.environ, "PYTHONPATH": str(self.code), "NOTICES_CACHE_DIR": cache,
                "XDG_CACHE_HOME": cache}

    def run(self, *args: str, output: Path | None = None) -> tuple[float, float, int]:
        """`python -m generator ARGS` in the site's folder, as a user runs it there."""
        command = [sys.executable, "-m", "generator", *args]
        if output is None:
            return timed_run(command, self.work / "project", env=self.env())
        with output.open("wb") as file:
            return timed_run(command, self.work / "project", file, self.env())


def fail(message: str) -> NoReturn:
    """The script was used wrongly, or cannot run: exit 2, as the tool does."""
    print(f"compare: {message}", file=sys.stderr)
    sys.exit(2)


@contextlib.contextmanager
def checked_out(against: str, folder: Path) -> Iterator[tuple[Path, str]]:
    """The tree to compare with and how to name it: a folder as it is, or a commit in a temporary
    git worktree, removed on the way out whatever happens."""
    if (Path(against) / "generator").is_dir():
        yield Path(against).resolve(), f"the folder {Path(against).resolve()}"
        return
    found = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{against}^{{commit}}"], cwd=PROJECT,
                           capture_output=True, text=True)
    if found.returncode != 0:
        fail(f"{against!r} is neither a commit of {PROJECT} nor a folder holding generator/")
    commit, tree = found.stdout.strip(), folder / "old-code"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), commit], cwd=PROJECT,
                   check=True)
    try:
        yield tree, f"{against} ({commit[:7]}, in a temporary git worktree at {tree}, removed afterwards)"
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=PROJECT, capture_output=True)
        subprocess.run(["git", "worktree", "prune"], cwd=PROJECT, capture_output=True)


def imported(code: Path) -> None:
    """Make sure PYTHONPATH wins over the venv's own install: each side must run its own code."""
    side = Side("check", code, code)
    found = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"],
                           env=side.env(), cwd=tempfile.gettempdir(), capture_output=True, text=True)
    if not Path(found.stdout.strip()).resolve().is_relative_to(code.resolve()):
        fail(f"with PYTHONPATH={code}, Python imports the generator from {found.stdout.strip()!r}"
             f" {found.stderr[-500:]}")


def make_site(size: str, content: Path, sides: list[Side]) -> tuple[str, str]:
    """Each side's project: the same content, its own templates. Returns (the notice to edit, its page)."""
    if size == "shipped":
        shutil.copytree(PROJECT / "content", content / "content")
        notice, page = preview.NOTICE.as_posix(), preview.PAGE
    else:
        write_content(content, int(size))
        number = int(size) // 2
        notice, page = f"content/notices/service-{number}.yaml", f"service-{number}/"
    for side in sides:
        shutil.rmtree(side.work, ignore_errors=True)
        shutil.copytree(content / "content", side.work / "project" / "content")
        templates = side.code / "templates" if (side.code / "templates").is_dir() else PROJECT / "templates"
        shutil.copytree(templates, side.work / "project" / "templates")
    return notice, page


def messages(side: Side, output: Path) -> str:
    """What a command printed, without what differs every run: timings, the temporary folders."""
    text = output.read_text("utf-8", "replace")
    return TIMING.sub("<time>", text.replace(str(side.work), "<site>").replace(str(side.code), "<code>"))


def differing_files(old: Path, new: Path) -> list[str]:
    """Every file in either site whose name or bytes are not in the other, in order."""
    def files(folder: Path) -> set[str]:
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}

    names = sorted(files(old) | files(new))
    return [name for name in names if not ((old / name).is_file() and (new / name).is_file()
                                           and (old / name).read_bytes() == (new / name).read_bytes())]


def show_difference(name: str, old: str, new: str) -> None:
    """A short unified diff, long lines cut (a page can be one line)."""
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), f"old/{name}", f"new/{name}", n=1,
                                 lineterm="")
    for number, line in enumerate(lines):
        if number == 24:
            print("    ...")
            break
        print(f"    {line[:160]}{'...' if len(line) > 160 else ''}")


def compare_outputs(sides: list[Side]) -> bool:
    """Build and check on each side once; True if the sites and the messages are the same."""
    old, new = sides
    said = {}
    for side in sides:
        _, _, built = side.run("--root", ".", "build", "--out", "site", output=side.work / "build.txt")
        _, _, checked = side.run("--root", ".", "check", output=side.work / "check.txt")
        said[side.name] = [f"build: exit {built}\n" + messages(side, side.work / "build.txt"),
                           f"check: exit {checked}\n" + messages(side, side.work / "check.txt")]
    old_site, new_site = old.work / "project" / "site", new.work / "project" / "site"
    files = differing_files(old_site, new_site)
    count = sum(1 for p in new_site.rglob("*") if p.is_file())
    verdict = f"{len(files)} differ" if files else "identical"
    print(f"  site files: {verdict} ({count} files in the new site)")
    in_both = [name for name in files if (old_site / name).is_file() and (new_site / name).is_file()]
    for name in files[:10]:
        only = "" if name in in_both else f" (only in {'old' if (old_site / name).exists() else 'new'})"
        print(f"    differs: {name}{only}")
    if len(files) > 10:
        print(f"    and {len(files) - 10} more")
    if in_both:
        show_difference(in_both[0], (old_site / in_both[0]).read_text("utf-8", "replace"),
                        (new_site / in_both[0]).read_text("utf-8", "replace"))
    same_messages = said["old"] == said["new"]
    print(f"  messages of build and check (timings masked): {'identical' if same_messages else 'differ'}")
    for command, old_text, new_text in zip(("build", "check"), said["old"], said["new"], strict=True):
        if old_text != new_text:
            show_difference(f"{command} output", old_text, new_text)
    return not files and same_messages


def time_builds(sides: list[Side], rounds: int, warm: bool) -> None:
    """Rounds of one build each, the order swapped every round; cold into a fresh folder, or warm
    over the previous site as a rebuild does."""
    for number in range(rounds):
        for side in sides if number % 2 == 0 else sides[::-1]:
            out = side.work / "project" / ("site" if warm else "cold")
            if not warm:
                shutil.rmtree(out, ignore_errors=True)
            wall, peak, _ = side.run("--root", ".", "build", "--out", out.name)
            side.builds.append(wall)
            side.peaks.append(peak)


def time_help(sides: list[Side], rounds: int) -> None:
    for number in range(rounds):
        for side in sides if number % 2 == 0 else sides[::-1]:
            side.starts.append(side.run("--help")[0])


@contextlib.contextmanager
def serving(side: Side) -> Iterator[int | None]:
    """`notices serve` of that side on a free port (None if it cannot start), stopped on the way out."""
    port = preview.free_port()
    command = [sys.executable, "-m", "generator", "--root", ".", "serve", "--port", str(port)]
    server = subprocess.Popen(command, cwd=side.work / "project", env=side.env(), stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)
    ready = threading.Event()

    def read_output() -> None:
        for line in server.stdout or ():
            if "http://" in line:
                ready.set()
        ready.set()  # it ended without an address

    threading.Thread(target=read_output, daemon=True).start()
    try:
        ready.wait(600)
        yield port if server.poll() is None else None
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def time_saves(sides: list[Side], edits: int, notice: str, page: str) -> None:
    """From saving one notice to its page served with the change, through each side's running
    preview (both running at once), the sides taking turns."""
    with serving(sides[0]) as old_port, serving(sides[1]) as new_port:
        ports = {"old": old_port, "new": new_port}
        for number in range(edits):
            for side in sides if number % 2 == 0 else sides[::-1]:
                port = ports[side.name]
                if port is None:
                    continue
                path = side.work / "project" / notice
                text = path.read_text("utf-8")
                line = next(line + "\n" for line in text.splitlines() if line.startswith("title: "))
                with contextlib.redirect_stdout(io.StringIO()):
                    side.saves += preview.measure(path, text, 1, preview.served_at(
                        f"http://127.0.0.1:{port}/{page}"), title_line=line)


def spread(values: list[float], unit: str, scale: float = 1, digits: int = 2) -> str:
    if not values:
        return "not measured"
    low, mid, high = (f"{value * scale:.{digits}f}"
                      for value in (min(values), statistics.median(values), max(values)))
    return f"{mid} {unit} ({low}-{high})"


def report(size: str, sides: list[Side], identical: bool) -> str:
    """The table a person reads; returns the machine-readable line."""
    old, new = sides
    ratios = [n / o for o, n in zip(old.builds, new.builds, strict=True)]
    ratio = statistics.median(new.builds) / statistics.median(old.builds)
    rows = [("build", "builds", "s", 1, 2), ("peak memory", "peaks", "MB", 1, 0),
            ("preview: save to page served", "saves", "ms", 1, 0),
            ("notices --help", "starts", "ms", 1000, 0)]
    print(f"  {'':30} {'old':>22} {'new':>22}")
    for label, attribute, unit, scale, digits in rows:
        print(f"  {label:30} {spread(getattr(old, attribute), unit, scale, digits):>22}"
              f" {spread(getattr(new, attribute), unit, scale, digits):>22}")
    between = f"({min(ratios):.2f}-{max(ratios):.2f})"
    print(f"  {'new/old build time':30} {ratio:.2f} {between}, the ratios of the {len(ratios)} rounds")
    saves = {side.name: f"{statistics.median(side.saves):.0f}ms" if side.saves else "n/a" for side in sides}
    starts = {side.name: f"{statistics.median(side.starts) * 1000:.0f}ms" for side in sides}
    return (f"compare: site={size} old={statistics.median(old.builds):.2f}s"
            f" new={statistics.median(new.builds):.2f}s ratio={ratio:.2f} {between}"
            f" peak_old={max(old.peaks):.0f}MB peak_new={max(new.peaks):.0f}MB"
            f" identical={'yes' if identical else 'no'} preview_old={saves['old']} preview_new={saves['new']}"
            f" help_old={starts['old']} help_new={starts['new']}")


def compare_site(size: str, code: dict[str, Path], folder: Path,
                 args: argparse.Namespace) -> tuple[str, bool]:
    """One site: the same?, then the times. Returns the machine-readable line and whether the same."""
    sides = [Side(name, code[name], folder / name) for name in ("old", "new")]
    notice, page = make_site(size, folder / "content", sides)
    count = sum(1 for _ in (folder / "content" / "content" / "notices").glob("*.yaml"))
    print(f"\nsite {size}: {count} notices")
    identical = compare_outputs(sides)
    time_builds(sides, args.rounds, args.warm)
    time_help(sides, max(args.rounds, 3))
    time_saves(sides, args.edits, notice, page)
    if args.edits and not (sides[0].saves and sides[1].saves):
        print("  preview: a side's `notices serve` did not start; its saves are not measured")
    line = report(size, sides, identical)
    shutil.rmtree(folder)
    return line, identical


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="the commit (or a folder holding generator/) to"
                        " compare the working tree with (default: HEAD)")
    parser.add_argument("--notices", default="shipped,1000",
                        help="the sites, comma-separated: `shipped` or a number of synthetic service notices"
                             " (default: shipped,1000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed builds of each side (default: 5)")
    parser.add_argument("--warm", action="store_true",
                        help="build over the previous site, as a rebuild does (default: a fresh folder)")
    parser.add_argument("--edits", type=int, default=5, help="preview saves timed on each side (default: 5)")
    parser.add_argument("--allow-differences", action="store_true",
                        help="exit 0 even if the sites or the messages differ")
    args = parser.parse_args()
    sizes = [size.strip() for size in args.notices.split(",")]
    if args.rounds < 1 or any(size != "shipped" and not size.isdigit() for size in sizes):
        parser.error("--rounds is at least 1; --notices is `shipped` or numbers, comma-separated")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # killed: clean up as on Ctrl-C
    lines, all_identical = [], True
    with tempfile.TemporaryDirectory(prefix="notices-compare-") as temporary, \
            checked_out(args.against, Path(temporary)) as (old_code, name):
        for code in (old_code, PROJECT):
            imported(code)
        how = "warm (over the previous site)" if args.warm else "cold (into a fresh folder)"
        print(f"old: {name}\nnew: the working tree {PROJECT}\nboth run by {sys.executable} with its"
              " libraries; the content is the working tree's, the templates each side's own;"
              f" builds {how}, {args.rounds} of each side, the order swapped every round")
        code = {"old": old_code, "new": PROJECT}
        for size in sizes:
            line, identical = compare_site(size, code, Path(temporary) / "site", args)
            lines.append(line)
            all_identical &= identical
    print()
    print("\n".join(lines))
    return 0 if all_identical or args.allow_differences else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
