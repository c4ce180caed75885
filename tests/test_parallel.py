"""Building in parallel: a big site renders across the cores, byte for byte as in one process."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from generator import parallel
from generator.build import build
from generator.site import export

SERVICE = "content/notices/prevention-and-early-help.yaml"


def add_notices(root: Path, count: int) -> None:
    """`count` more service notices, each a copy of a shipped one under its own slug and title."""
    text = (root / SERVICE).read_text("utf-8")
    for number in range(count):
        (root / f"content/notices/copy-{number}.yaml").write_text(
            text.replace("slug: prevention-and-early-help", f"slug: copy-{number}")
            .replace("title: Prevention and Early Help", f"title: Copy {number} of Early Help"), "utf-8")



def count_worker_pools(monkeypatch: pytest.MonkeyPatch, threshold: str) -> list[int]:
    """Force two workers from the first job on; the list gets an item each time a pool starts."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, threshold, 1)
    forked: list[int] = []
    real_pool = parallel._start_pool

    def counting_pool(*args: Any, **kwargs: Any) -> Any:
        forked.append(1)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(parallel, "_start_pool", counting_pool)
    return forked

def test_jobs_run_in_other_processes_and_come_back_in_order() -> None:
    jobs = [lambda number=number: (number, os.getpid()) for number in range(40)]
    results = parallel.run_all(jobs, workers=2, threshold=1)
    assert [number for number, _ in results] == list(range(40))
    assert {pid for _, pid in results} - {os.getpid()}, "no job ran in a worker process"


def test_few_jobs_run_here() -> None:
    jobs = [os.getpid for _ in range(5)]
    assert parallel.run_all(jobs, workers=2) == [os.getpid()] * 5  # below the threshold


def test_a_template_error_in_a_worker_is_reported_like_in_one_process(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 3)
    template = project / "templates/service-notice.html"
    template.write_text(template.read_text("utf-8").replace("{% block content %}",
                                                            "{% block content %}{{ notice.no_such_value }}"))
    forked = count_worker_pools(monkeypatch, "THRESHOLD")
    errors = build(project, project / "site").diagnostics.errors
    assert forked
    assert errors and all(e.path == "templates/service-notice.html" for e in errors)
    assert len(errors) == 5  # one per service notice page: the 2 shipped and the 3 copies
    assert "no_such_value" in errors[0].message


def test_json_files_are_written_as_json_dumps_with_two_space_indent_would(built_site: Path) -> None:
    """export.to_json uses pydantic_core's writer for speed; it must write the standard library's bytes."""
    tricky = {"text": "é “quoted” \\ \" </script> \u2028 \x00 \x1f \t\n", "empty": [], "nothing": {},
              "numbers": [0, -3, 10**20], "flags": [True, False, None], "nested": [{"a": [{"b": []}]}]}
    values = [json.loads(path.read_text("utf-8")) for path in built_site.rglob("*.json")] + [tricky]
    assert len(values) > 5
    for value in values:
        assert export.to_json(value) == (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()


def test_notices_loaded_in_workers_give_the_problems_of_a_serial_run_in_the_same_order(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 8)
    notices = project / "content/notices"
    copy_1 = (notices / "copy-1.yaml").read_text("utf-8")
    (notices / "copy-1.yaml").write_text(copy_1 + "title: Twice\n", "utf-8")
    copy_3 = (notices / "copy-3.yaml").read_text("utf-8")
    (notices / "copy-3.yaml").write_text(copy_3.replace("\ntitle:", "\n\ttitle:", 1), "utf-8")
    (notices / "copy-5.yaml").write_text("slug: copy-5\nkind: service\ntitle: [unclosed\n", "utf-8")
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    serial = build(project, project / "site").diagnostics
    forked = count_worker_pools(monkeypatch, "THRESHOLD")
    in_parallel = build(project, project / "site").diagnostics
    assert forked, "the notices were not loaded in worker processes"
    messages = [(item.path, item.message) for item in serial.errors]
    last_line = len((notices / "copy-1.yaml").read_text("utf-8").splitlines())
    duplicates = [e for e in serial.errors if "duplicate key 'title'" in e.message]
    assert [(e.path, e.line, e.column) for e in duplicates] == [("content/notices/copy-1.yaml", last_line, 1)]
    assert any(path == "content/notices/copy-3.yaml" and "tab" in message for path, message in messages)
    assert any(path == "content/notices/copy-5.yaml" for path, _ in messages)
    assert in_parallel.items == serial.items  # the same problems, at the same places, in the same order


def test_workers_that_end_do_not_signal_the_event_loop_of_the_process_that_started_them() -> None:
    """The preview serves from an asyncio loop that stops on SIGTERM; its first build may start
    workers, and the SIGTERM that ends each of them must not reach the loop (it stopped the preview)."""
    import asyncio
    import signal

    async def build_while_serving() -> list[str]:
        loop = asyncio.get_running_loop()
        heard: list[str] = []
        loop.add_signal_handler(signal.SIGTERM, heard.append, "SIGTERM")
        try:
            pids = parallel.run_all([os.getpid] * 40, workers=2, threshold=1)
            assert set(pids) - {os.getpid()}, "no job ran in a worker: the test would prove nothing"
            await asyncio.sleep(0.3)  # time for a stray signal to arrive
        finally:
            loop.remove_signal_handler(signal.SIGTERM)
        return heard

    assert asyncio.run(build_while_serving()) == []
