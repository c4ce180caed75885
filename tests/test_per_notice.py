"""Big builds, each notice taken through every stage in a worker (generator/per_notice.py): the same
site and the same messages as the usual build, whatever the content; the usual build whenever that
way cannot be sure of it."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from test_parallel import add_notices

import generator.build as build_module
from generator import parallel, per_notice, processing
from generator.build import BuildResult, build
from generator.diagnostics import Diagnostics
from generator.outline import NeedsWholeNotice, NoticeSummary
from generator.resolve import resolve_references
from generator.validate import validate_content

MAIN = "content/notices/main.yaml"
SERVICE_TEMPLATE = "templates/service-notice.html"


def build_both_ways(
    project: Path, monkeypatch: pytest.MonkeyPatch, base_url: str | None = None
) -> tuple[BuildResult, BuildResult, list[Any]]:
    """The usual build in one process, then a build that may take notices through in two workers
    (from 4 notices up); with what `build_at_scale` returned (None: it handed over to the usual way)."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    usual = build(project, project / "usual", base_url=base_url)
    outcome = big_from_four_notices(monkeypatch)
    big = build(project, project / "big", base_url=base_url)
    return usual, big, outcome


def big_from_four_notices(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """From now on, take notices through in two workers from 4 notices up; the list gets what each
    call of `build_at_scale` returns (None: it handed over to the usual way)."""
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    monkeypatch.setattr(parallel, "LOAD_THRESHOLD", 4)
    outcome: list[Any] = []
    real = per_notice.build_at_scale

    def noting(*args: Any, **kwargs: Any) -> BuildResult | None:
        outcome.append(real(*args, **kwargs))
        return outcome[-1]

    monkeypatch.setattr(per_notice, "build_at_scale", noting)
    return outcome


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def messages(result: BuildResult) -> list[str]:
    return [item.text() for item in result.diagnostics.items]


def assert_same(usual: BuildResult, big: BuildResult, project: Path) -> None:
    assert messages(big) == messages(usual)  # the same messages, in the same order
    made, expected = files(project / "big"), files(project / "usual")
    assert list(made) == list(expected)
    assert [name for name in expected if made[name] != expected[name]] == []


def test_notices_taken_through_in_workers_make_the_very_site_and_warnings_of_one_process(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 8)  # copies of a shipped notice, warnings and all
    usual, big, outcome = build_both_ways(project, monkeypatch)
    assert outcome and outcome[0] is not None, "the build did not take the notices through in workers"
    assert len(files(project / "usual")) > 30 and usual.diagnostics.warnings
    assert_same(usual, big, project)
    assert big.compliance == usual.compliance
    assert big.links is not None and usual.links is not None
    assert big.links.external == usual.links.external


def test_a_site_published_elsewhere_is_the_same_both_ways(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 6)
    usual, big, outcome = build_both_ways(project, monkeypatch, base_url="https://example.org/privacy/")
    assert outcome[0] is not None
    assert b"https://example.org/privacy/copy-3/" in (project / "big/sitemap.xml").read_bytes()
    assert_same(usual, big, project)


def test_a_template_mistake_is_reported_as_in_one_process(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 6)
    replace_in(project / SERVICE_TEMPLATE, "{% block content %}",
               "{% block content %}{{ notice.no_such_thing }}")
    usual, big, outcome = build_both_ways(project, monkeypatch)
    assert outcome[0] is not None
    assert any("service-notice.html" in text for text in messages(usual)) and usual.diagnostics.errors
    assert messages(big) == messages(usual)
    assert not (project / "big").exists()


def test_errors_in_notices_are_those_of_one_process_and_no_site_is_made(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 6)
    copy = project / "content/notices/copy-2.yaml"
    copy.write_text(copy.read_text("utf-8").replace("slug: copy-2", "slug: copy-1")  # two with one slug
                    .replace("last_updated:", "last_updated: not a date\nunknown:", 1), "utf-8")
    other = project / "content/notices/copy-4.yaml"
    other.write_text(other.read_text("utf-8").replace("summary:", "summary: See [this](notice:nowhere).\n"
                                                      "  Also:", 1), "utf-8")
    usual, big, outcome = build_both_ways(project, monkeypatch)
    assert outcome[0] is not None
    assert usual.diagnostics.errors and messages(big) == messages(usual)
    assert any("two notices have the slug" in text for text in messages(usual))
    assert not (project / "big").exists() and not (project / "usual").exists()


def test_a_second_main_notice_is_reported_as_in_one_process(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_notices(project, 6)
    copy = project / "content/notices/copy-3.yaml"
    copy.write_text((project / MAIN).read_text("utf-8").replace("slug: ", "slug: second-", 1), "utf-8")
    usual, big, outcome = build_both_ways(project, monkeypatch)
    assert any("only one notice with `kind: main`" in text for text in messages(usual))
    assert messages(big) == messages(usual)


@pytest.mark.parametrize("change", ["kind written late", "service page lists notices",
                                    "service page lists pages", "sharing page reads more"])
def test_when_it_cannot_be_sure_it_builds_the_usual_way(
    project: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The main notice is guessed from the top of its file, and the pages that list every notice get
    outlines: a wrong guess, or a template that wants more, hands the build to the usual way."""
    add_notices(project, 6)
    why = None  # what the note says the build read; none when the user did nothing unusual
    if change == "kind written late":
        main = project / MAIN
        text = main.read_text("utf-8").replace("kind: main\n", "")
        main.write_text(text + "\nkind: main\n", "utf-8")
        assert len(text.encode()) > per_notice.HEAD
    elif change == "service page lists notices":
        replace_in(project / SERVICE_TEMPLATE, "{% block content %}",
                   "{% block content %}<p>{{ site.notices | length }} notices</p>")
        why = f"{SERVICE_TEMPLATE} or what it includes reads every notice"
    elif change == "service page lists pages":
        line = replace_in(project / SERVICE_TEMPLATE, "{% block content %}",
                          "{% block content %}<p>{{ pages | length }} pages</p>")
        why = f"{SERVICE_TEMPLATE} (line {line}) reads the list of every page on a notice's page"
    else:
        line = replace_in(project / "templates/sharing.html", "{{ notice.title }}</a>",
                          "{{ notice.title }}</a> ({{ notice.content.purposes.items | length }} purposes)")
        why = (f"templates/sharing.html (line {line}) reads `purposes` of each notice on a page that lists"
               " every notice")
    usual, big, outcome = build_both_ways(project, monkeypatch)
    assert outcome == [None if why is None else per_notice.UsualWay(why)], "it should have handed over"
    assert not usual.diagnostics.errors
    assert_same(usual, big, project)
    assert usual.notes == []
    if why is None:
        assert big.notes == []
    else:
        assert big.notes == [build_module._slower_way(why)]
        assert f"built the slower way: {why}. With 4 notices or more" in big.notes[0]


def replace_in(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in the file; the line it was on."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text.count("\n", 0, text.index(old)) + 1


def test_the_main_notice_is_found_by_its_kind_not_its_name(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("slug: a\nkind: service\n", "utf-8")
    (tmp_path / "b.yaml").write_text("# the main one\nslug: b\nkind: 'main'  # says who we are\n", "utf-8")
    (tmp_path / "main-services.yaml").write_text("slug: c\nkind: service\n", "utf-8")
    (tmp_path / "d.yaml").write_text("slug: d\nsummary: kind: main\n", "utf-8")
    paths = sorted(tmp_path.iterdir())
    assert per_notice.guess_main(paths) == tmp_path / "b.yaml"
    assert per_notice.guess_main([tmp_path / "a.yaml", tmp_path / "d.yaml"]) is None


def test_an_outline_has_what_every_notice_has_and_says_so_when_asked_for_more(project: Path) -> None:
    content = validate_content(project, Diagnostics(project))
    assert content is not None
    site = resolve_references(content)
    from generator.outline import notice_from, outline_of
    from generator.resolve import Registers

    notice = site.service_notices[0]
    outline = pickle.loads(pickle.dumps(outline_of(notice)))  # as it comes back from a worker
    again = notice_from(outline, Registers.of(content))
    assert again.slug == notice.slug and again.title == notice.title
    assert again.content.summary == notice.content.summary
    assert again.recipients == notice.recipients and again.lawful_bases == notice.lawful_bases
    assert again.recipients[0].organisation is notice.recipients[0].organisation  # the parent's own entry
    assert not again.is_main
    with pytest.raises(NeedsWholeNotice):
        again.content.purposes  # noqa: B018
    assert not hasattr(NoticeSummary, "purposes")


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
    from generator.write import Staging

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


def test_notices_build_and_check_say_why_a_big_site_took_the_slower_way(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A custom template that reads more of each notice on a page listing them all doubles a big
    build's time: the comms officer who edited it is told which line did it."""
    from generator.cli import main

    add_notices(project, 6)
    line = replace_in(project / "templates/sharing.html", "{{ notice.title }}</a>",
                      "{{ notice.title }}</a> ({{ notice.content.why | length }} characters)")
    big_from_four_notices(monkeypatch)
    assert main(["--root", str(project), "build"]) == 0
    out, _ = capsys.readouterr()
    built, note = out.splitlines()
    assert built.startswith("Built ")
    assert note.startswith(f"Note: Built the slower way: templates/sharing.html (line {line}) reads `why` of"
                           " each notice on a page that lists every notice. With 4 notices or more, ")
    assert note.endswith("(see docs/performance.md).")
    assert main(["--root", str(project), "check"]) == 0
    _, err = capsys.readouterr()
    assert err.splitlines()[-1] == note


# --- notices check on a big site -----------------------------------------------------------------

def check_both_ways(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[tuple[int, str, str], tuple[int, str, str], list[Any]]:
    """`notices check ARGS` in one process, then as a big check that takes notices through in two
    workers: each (exit code, stdout, stderr), and what `build_at_scale` returned."""
    from generator.cli import main

    def run() -> tuple[int, str, str]:
        code = main(["--root", str(project), "check", *args])
        out, err = capsys.readouterr()
        return code, out, err

    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    usual = run()
    outcome = big_from_four_notices(monkeypatch)
    return usual, run(), outcome


def test_a_big_check_reports_what_one_process_reports_and_writes_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_notices(project, 6)
    before = sorted(path.name for path in project.iterdir())
    usual, big, outcome = check_both_ways(project, monkeypatch, capsys)
    assert outcome and outcome[0] is not None, "the check did not take the notices through in workers"
    assert usual[0] == 0 and "[sources]" in usual[1] + usual[2]  # the shipped notices' warnings
    assert big == usual
    assert sorted(path.name for path in project.iterdir()) == before  # no site, no temporary folder
    usual, big, _ = check_both_ways(project, monkeypatch, capsys, "--format", "json", "--compliance")
    assert big == usual and '"compliance"' in usual[1]


def test_a_big_check_writes_the_same_staff_report_and_sees_unrecorded_changes(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_notices(project, 6)
    build(project, project / "site")
    previous = tmp_path / "published-notices.json"
    previous.write_bytes((project / "site/notices.json").read_bytes())
    replace_in(project / "content/definitions/lawful-bases.yaml", "the data subject has given consent",
               "the data subject has agreed")
    usual, big, outcome = check_both_ways(project, monkeypatch, capsys, "--previous", str(previous),
                                          "--html", str(tmp_path / "usual"))
    assert outcome[0] is not None
    assert "its change list did not" in usual[2]
    assert big == usual
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "2")
    from generator.cli import main

    assert main(["--root", str(project), "check", "--html", str(tmp_path / "big")]) == 0
    capsys.readouterr()
    monkeypatch.setenv(parallel.WORKERS_VARIABLE, "1")
    assert main(["--root", str(project), "check", "--html", str(tmp_path / "one")]) == 0
    assert (tmp_path / "big/index.html").read_bytes() == (tmp_path / "one/index.html").read_bytes()


def test_a_staff_report_template_that_reads_a_whole_notice_still_gets_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    add_notices(project, 6)
    replace_in(project / "templates/report/compliance.html", "</body>",
               "{% for n in site.service_notices %}<p>{{ n.content.purposes.items | length }}</p>{% endfor %}"
               "</body>")
    usual, big, outcome = check_both_ways(project, monkeypatch, capsys, "--html", str(tmp_path / "report"))
    assert outcome[0] is not None and big == usual and usual[0] == 0
    assert "<p>5</p>" in (tmp_path / "report/index.html").read_text("utf-8")  # a copy's purposes
