"""The one build (generator/build.py): each notice through every stage (one_notice.py), in workers or
in one process, then the pages that list every notice from each notice's summary (summary.py)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from test_parallel import add_notices, count_worker_pools

from generator import parallel
from generator.build import BuildResult, build
from generator.cli import main
from generator.content.resolve import Registers, resolve_references
from generator.content.validate import validate_content
from generator.diagnostics import Diagnostics
from generator.one_notice import HEAD, find_main
from generator.site import processing
from generator.site.summary import NoticeSummary, notice_from, outline_of

MAIN = "content/notices/main.yaml"


def build_both_ways(project: Path, monkeypatch: pytest.MonkeyPatch,
                    base_url: str | None = None) -> tuple[BuildResult, BuildResult]:
    """The build in one process, then with every notice in one of two workers."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    alone = build(project, project / "alone", base_url=base_url)
    forked = count_worker_pools(monkeypatch, "THRESHOLD")
    pooled = build(project, project / "pooled", base_url=base_url)
    assert forked, "the build did not use worker processes"
    return alone, pooled


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def messages(result: BuildResult) -> list[str]:
    return [item.text() for item in result.diagnostics.items]


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; the line it was on."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def test_notices_in_workers_make_the_very_site_and_warnings_of_one_process(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 8)  # copies of a shipped notice, warnings and all
    alone, pooled = build_both_ways(project, monkeypatch, base_url="https://example.org/privacy/")
    assert len(files(project / "alone")) > 30 and len(alone.diagnostics.warnings) > 10
    assert messages(pooled) == messages(alone)  # the same messages, in the same order
    assert files(project / "pooled") == files(project / "alone")
    assert b"https://example.org/privacy/copy-3/" in (project / "pooled/sitemap.xml").read_bytes()
    assert pooled.compliance == alone.compliance
    assert pooled.links is not None and alone.links is not None
    assert pooled.links.external == alone.links.external


def test_errors_in_notices_are_those_of_one_process_and_no_site_is_made(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 6)
    copy = project / "content/notices/copy-2.yaml"
    copy.write_text(copy.read_text("utf-8").replace("slug: copy-2", "slug: copy-1")  # two with one slug
                    .replace("last_updated:", "last_updated: not a date\nunknown:", 1), "utf-8")
    (project / "content/notices/copy-3.yaml").write_text(  # a second main notice
        (project / MAIN).read_text("utf-8").replace("slug: ", "slug: second-", 1), "utf-8")
    alone, pooled = build_both_ways(project, monkeypatch)
    assert alone.diagnostics.errors and messages(pooled) == messages(alone)
    assert any("two notices have the slug" in text for text in messages(alone))
    assert any("only one notice with `kind: main`" in text for text in messages(alone))
    assert not (project / "alone").exists() and not (project / "pooled").exists()


def test_the_main_notice_is_found_wherever_its_file_says_kind_main(project: Path) -> None:
    main_notice = project / MAIN
    text = main_notice.read_text("utf-8").replace("kind: main\n", "")
    assert len(text.encode()) > HEAD
    main_notice.write_text(text + "\nkind: main\n", "utf-8")
    expected = build(project, project / "late").diagnostics.items
    main_notice.write_text(text + '\n"kind": main\n', "utf-8")  # not spotted by find_main: read again
    unusual = build(project, project / "unusual")
    assert not unusual.diagnostics.errors and unusual.diagnostics.items == expected
    assert files(project / "late") == files(project / "unusual")
    assert (project / "unusual/privacy-notice/index.html").is_file()


def test_the_main_notice_is_found_by_its_kind_not_its_name(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("slug: a\nkind: service\n", "utf-8")
    (tmp_path / "b.yaml").write_text("# the main one\nslug: b\nkind: 'main'  # says who we are\n", "utf-8")
    (tmp_path / "main-services.yaml").write_text("slug: c\nkind: service\n", "utf-8")
    (tmp_path / "d.yaml").write_text("slug: d\nsummary: kind: main\n", "utf-8")
    assert find_main(sorted(tmp_path.iterdir())) == tmp_path / "b.yaml"
    assert find_main([tmp_path / "a.yaml", tmp_path / "d.yaml"]) is None


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_listing_page_that_reads_more_than_a_summary_fails_at_its_line_saying_what_to_add(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], workers: str
) -> None:
    """The comms officer who adds a notice's `why` to the sharing page learns, at the line, that the
    pages listing every notice see summaries, and where to add the field."""
    add_notices(project, 4)
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, workers)
    monkeypatch.setattr(parallel, "THRESHOLD", 2)
    assert main(["--root", str(project), "build"]) == 0
    before = files(project / "site")
    line = replace_in(project / "templates/sharing.html", "{{ notice.title }}</a>",
                      "{{ notice.title }}</a> ({{ notice.content.why | length }} characters)")
    capsys.readouterr()
    assert main(["--root", str(project), "build"]) == 1
    _, err = capsys.readouterr()
    errors = [text for text in err.splitlines() if ": error: " in text]
    assert errors == [
        f"templates/sharing.html:{line}:1: error: the pages that list every notice see each notice's"
        " summary (NoticeSummary); `why` is not in it (add it to NoticeSummary in generator/site/summary.py,"
        " or show it on the notice's own page)"]
    assert files(project / "site") == before
    assert main(["--root", str(project), "check"]) == 1
    assert [text for text in capsys.readouterr().err.splitlines() if ": error: " in text] == errors


def test_a_summary_comes_back_from_a_worker_with_the_parents_own_register_entries(project: Path) -> None:
    content = validate_content(project, Diagnostics(project))
    assert content is not None
    site = resolve_references(content)
    notice = site.service_notices[0]
    outline = pickle.loads(pickle.dumps(outline_of(notice)))  # as it comes back from a worker
    again = notice_from(outline, Registers.of(content))
    assert isinstance(again.content, NoticeSummary) and not again.is_main
    assert (again.slug, again.title) == (notice.slug, notice.title)
    assert again.content.summary == notice.content.summary
    assert again.recipients == notice.recipients and again.lawful_bases == notice.lawful_bases
    assert again.recipients[0].organisation is notice.recipients[0].organisation


def test_a_check_writes_nothing_and_says_what_the_build_says(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    add_notices(project, 6)
    before = sorted(path.name for path in project.iterdir())
    said = []
    for workers in ("1", "2"):
        monkeypatch.setenv(parallel.WORKERS_VARIABLE, workers)
        monkeypatch.setattr(parallel, "THRESHOLD", 2)
        code = main(["--root", str(project), "check", "--format", "json", "--compliance"])
        said.append((code, *capsys.readouterr()))
    assert said[0] == said[1] and said[0][0] == 0 and '"compliance"' in said[0][1]
    assert sorted(path.name for path in project.iterdir()) == before  # no site, no temporary folder


def test_processing_csv_in_parts_from_the_rows_kept_on_disk_is_the_whole_file(project: Path) -> None:
    content = validate_content(project, Diagnostics(project))
    assert content is not None
    site = resolve_references(content)
    spool = processing.RowSpool()
    try:
        register = processing.register_names(site)
        for notice in reversed(site.service_notices):  # in any order: the file is in the site's
            rows = processing.notice_rows(site, notice, register).encode("utf-8")
            spool.note(notice.slug, spool.write(rows))
        assert b"".join(processing.processing_csv_parts(site, spool)) == processing.processing_csv(site)
    finally:
        spool.close()
    assert processing.processing_csv(site).count(b"\r\n") > 3


def test_a_file_written_in_parts_is_linked_when_unchanged(tmp_path: Path) -> None:
    from generator.site.write import Staging

    out = tmp_path / "site"
    first = Staging(out)
    first.add("index.html", b"home")
    first.write_parts("big.csv", [b"a,b\r\n", b"1,2\r\n"])
    first.record(["big.csv"])
    first.commit()
    old = os.stat(out / "big.csv")
    second = Staging(out)
    second.add("index.html", b"home")
    second.write_parts("big.csv", [b"a,b\r\n1,", b"2\r\n"])
    second.write_parts("other.csv", [b"a,b\r\n", b"1,2\r\n", b"3,4\r\n"])
    second.record(["big.csv", "other.csv"])
    second.commit()
    assert (out / "big.csv").read_bytes() == b"a,b\r\n1,2\r\n"
    assert os.stat(out / "big.csv").st_ino == old.st_ino  # the same file: it kept its time of change
    assert (out / "other.csv").read_bytes() == b"a,b\r\n1,2\r\n3,4\r\n"
