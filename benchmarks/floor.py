"""The least work a notice's page can take with this design, on this machine. A benchmark, not a test.

`scale.py` measures what a build takes; this measures what it could take at best, to tell how
much is left to win. Over the same synthetic notices as scale.py, in one process, best of several
runs, it times only what no build of these pages can skip:

- reading the YAML: draining libyaml's events (the C parser PyYAML uses), building nothing;
- the page: templates/service-notice.html rendered from a notice already read and resolved;
- notice.json: written from data already made (pydantic_core, as the build writes it);
- the disk: a folder and two files of a page's size made on the disk the site goes to.

Everything else a build does per notice (checking the content, the compliance rules, the link
scan, the outline and rows, what goes between processes) counts as zero here. The last line is
the least wall time of a build of N notices: a fresh interpreter's start and imports, then those
four steps shared perfectly across the cores (the pages that list every notice not counted):

    python benchmarks/floor.py --notices 1000

    floor: N notices, X ms/notice of unavoidable work, at least Y s on C cores with the start (...)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scale import PROJECT, write_content  # beside this file: run as `python benchmarks/floor.py`


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=1000,
                        help="service notices the last line is for (default 1000)")
    parser.add_argument("--runs", type=int, default=7, help="runs to take the best of (default 7)")
    parser.add_argument("--sample", type=int, default=300,
                        help="notices timed in each run (default 300: a stable figure, yet in the caches)")
    parser.add_argument("--disk", type=Path, default=PROJECT,
                        help="a folder on the disk the site is written to (default: the project's)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="notices-floor-") as folder:
        root = Path(folder)
        write_content(root, args.sample)
        disk = Path(tempfile.mkdtemp(prefix=".notices-floor-", dir=args.disk))
        try:
            per_notice = {name: _best(step, args.runs) / args.sample
                          for name, step in _steps(root, disk).items()}
        finally:
            shutil.rmtree(disk, ignore_errors=True)
    for name, seconds in per_notice.items():
        print(f"{name:34s} {seconds * 1000:.3f} ms per notice")
    total = sum(per_notice.values())
    cores = len(os.sched_getaffinity(0))
    start = min(_start() for _ in range(args.runs))
    print(f"start: a fresh Python importing what a build imports: {start:.2f} s")
    print(f"floor: {args.notices} notices, {total * 1000:.2f} ms/notice of unavoidable work, at least"
          f" {start + total * args.notices / cores:.2f} s on {cores} cores with the start"
          " (before the pages that list every notice)")


def _steps(root: Path, disk: Path) -> dict[str, Callable[[], None]]:
    """Each step as a function that does it for every sampled notice, with what it needs made first."""
    import pydantic_core
    from yaml._yaml import CParser

    from generator.content.notice_files import notice_paths, read_notice_file
    from generator.content.resolve import Registers, resolve_notice, site_of
    from generator.content.validate import valid_content, validate_shared
    from generator.diagnostics import Diagnostics
    from generator.site import export
    from generator.site.environment import create_environment
    from generator.site.pages import notice_page

    diagnostics = Diagnostics(root)
    shared = validate_shared(root, diagnostics)
    assert shared is not None and not diagnostics.errors, diagnostics.items
    reads = [read_notice_file(path, shared.context, diagnostics_root=root)[0]
             for path in notice_paths(root / "content" / "notices", diagnostics)]
    notices = [read.notice for read in reads]
    content = valid_content(shared, notices)  # type: ignore[arg-type]
    registers = Registers.of(content)
    resolved = [resolve_notice(notice, registers) for notice in notices]  # type: ignore[arg-type]
    site = site_of(content, registers, resolved)
    services = [notice for notice in resolved if not notice.is_main]
    texts = [read.source.path.read_text("utf-8") for read, notice in zip(reads, resolved, strict=True)
             if read.source is not None and not notice.is_main]
    template = create_environment(root / "templates").get_template("service-notice.html")
    pages = [template.render(site=site, page=notice_page(notice), root="../", pages=(),
                             notice=notice).encode("utf-8") for notice in services]
    data = [export.export_notice(site, notice)[0] for notice in services]
    page_size = max(len(page) for page in pages)

    def read_yaml() -> None:
        for text in texts:
            parser = CParser(text)
            while parser.get_event() is not None:
                pass

    def render_pages() -> None:
        for notice in services:
            template.render(site=site, page=notice_page(notice), root="../", pages=(),
                            notice=notice).encode("utf-8")

    def dump_json() -> None:
        for value in data:
            pydantic_core.to_json(value, indent=2)

    def make_files() -> None:
        shutil.rmtree(disk, ignore_errors=True)
        os.mkdir(disk)
        body = b"x" * page_size
        for i in range(len(services)):
            os.mkdir(f"{disk}/{i}")
            for name in ("index.html", "notice.json"):
                descriptor = os.open(f"{disk}/{i}/{name}", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                os.write(descriptor, body)
                os.close(descriptor)

    steps = {"read the YAML (libyaml events only)": read_yaml, "render the page template": render_pages,
             "write notice.json's text": dump_json, "make its folder and two files": make_files}
    for step in steps.values():
        step()  # warm: compiled templates, caches, the disk's first allocation
    return steps


def _start() -> float:
    """Wall seconds of a fresh interpreter that imports the modules a big build runs."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import generator.cli, generator.build"],
                   check=True, cwd=PROJECT)
    return time.perf_counter() - started


def _best(step: Callable[[], None], runs: int) -> float:
    """Best seconds of `runs` runs of `step`."""
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - started)
    return best


if __name__ == "__main__":
    main()
