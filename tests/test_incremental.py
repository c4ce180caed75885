"""The preview's rebuild after a save: it remakes only what the save changed, and the result is
exactly what a full build of the same content makes, whatever kind of file was saved."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from generator import incremental
from generator.build import BuildMemo, BuildResult, run_pipeline

BASE = "http://127.0.0.1:8000/"  # the preview builds for the address it serves at
SERVICE = "content/notices/prevention-and-early-help.yaml"
UNTOUCHED_PAGE = "childrens-social-care/index.html"


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    later = path.stat().st_mtime_ns + 10_000_000  # a save later than the last, even on a coarse clock
    os.utime(path, ns=(later, later))


def assert_same_as_full_build(root: Path, incremental: BuildResult) -> None:
    full = run_pipeline(root, base_url=BASE)
    assert sorted(incremental.files) == sorted(full.files)
    different = [name for name in full.files if incremental.files[name] != full.files[name]]
    assert different == [], f"the rebuild differs from a full build in {different}"
    assert incremental.diagnostics.sorted() == full.diagnostics.sorted()


def test_each_kind_of_save_rebuilds_exactly_what_a_full_build_makes(project: Path) -> None:
    memo = BuildMemo()
    before = run_pipeline(project, base_url=BASE, memo=memo)
    assert before.files and not before.diagnostics.errors
    edits: list[tuple[str, Callable[[], object], str | None]] = [
        ("a notice", lambda: edit(project, SERVICE, "title: Prevention and Early Help",
                                  "title: Early Help and Prevention"), "Early Help and Prevention"),
        ("a register entry", lambda: edit(project, "content/definitions/organisations.yaml",
                                          "name: Health services", "name: NHS health services"),
         "NHS health services"),
        ("a template", lambda: edit(project, "templates/service-notice.html", "{% block content %}",
                                    "{% block content %}<p>Printed on recycled electrons.</p>"),
         "recycled electrons"),
        ("site.yaml", lambda: edit(project, "content/site.yaml", "title: Privacy notices",
                                   "title: Our privacy notices"), "Our privacy notices"),
        ("a new notice", lambda: (project / "content/notices/copy.yaml").write_text(
            (project / SERVICE).read_text("utf-8")
            .replace("slug: prevention-and-early-help", "slug: copy-notice")
            .replace("title: Early Help and Prevention", "title: A copied notice"), "utf-8"),
         "A copied notice"),
        ("a deleted notice", lambda: (project / "content/notices/copy.yaml").unlink(), None),
    ]
    for what, make_edit, shown in edits:
        make_edit()
        after = run_pipeline(project, base_url=BASE, memo=memo)
        assert after.files != before.files, f"saving {what} changed nothing: the test would prove nothing"
        if shown:
            assert any(shown.encode() in body for body in after.files.values()), what
        else:
            assert "copy-notice/index.html" not in after.files
        assert_same_as_full_build(project, after)
        before = after


def test_a_notice_edit_keeps_the_other_notices_pages_as_they_were(project: Path) -> None:
    memo = BuildMemo()
    first = run_pipeline(project, base_url=BASE, memo=memo)
    edit(project, SERVICE, "title: Prevention and Early Help", "title: Early Help")
    second = run_pipeline(project, base_url=BASE, memo=memo)
    # The very bytes from before: the page was not rendered, checked or re-read again.
    assert second.files[UNTOUCHED_PAGE] is first.files[UNTOUCHED_PAGE]
    assert second.files["prevention-and-early-help/index.html"] is not first.files[
        "prevention-and-early-help/index.html"]
    assert b"Early Help" in second.files["index.html"]  # the pages that list every notice are remade
    assert_same_as_full_build(project, second)


def test_an_error_then_its_fix_gives_the_same_problems_as_a_full_build(project: Path) -> None:
    memo = BuildMemo()
    run_pipeline(project, base_url=BASE, memo=memo)
    edit(project, SERVICE, "organisation: health-services", "organisation: helth-services")
    broken = run_pipeline(project, base_url=BASE, memo=memo)
    assert any("helth-services" in d.message for d in broken.diagnostics.errors)
    assert broken.diagnostics.sorted() == run_pipeline(project, base_url=BASE).diagnostics.sorted()
    edit(project, SERVICE, "organisation: helth-services", "organisation: health-services")
    fixed = run_pipeline(project, base_url=BASE, memo=memo)
    assert not fixed.diagnostics.errors
    assert_same_as_full_build(project, fixed)


def test_a_template_that_lists_every_notice_on_a_notice_page_is_followed(project: Path) -> None:
    """A notice page that shows other notices' titles must change when one of them does."""
    memo = BuildMemo()
    edit(project, "templates/service-notice.html", "{% block content %}",
         "{% block content %}<p>{% for other in site.notices %}{{ other.title }} {% endfor %}</p>")
    run_pipeline(project, base_url=BASE, memo=memo)
    edit(project, "content/notices/children-social-care.yaml", "title: Children’s Social Care",
         "title: Social Care for Children")
    after = run_pipeline(project, base_url=BASE, memo=memo)
    assert b"Social Care for Children" in after.files["prevention-and-early-help/index.html"]
    assert_same_as_full_build(project, after)


def test_a_renamed_notice_file_is_read_under_its_new_name(project: Path) -> None:
    memo = BuildMemo()
    run_pipeline(project, base_url=BASE, memo=memo)
    shutil.move(project / SERVICE, project / "content/notices/early-help.yaml")
    after = run_pipeline(project, base_url=BASE, memo=memo)
    assert_same_as_full_build(project, after)


def test_the_pages_that_list_every_notice_in_full_are_made_when_asked_for(project: Path) -> None:
    """After a notice edit the preview leaves the sharing page, the lawful bases page and
    processing.csv until the browser asks; what it then makes is what a full build makes."""
    memo = BuildMemo()
    run_pipeline(project, base_url=BASE, memo=memo)
    edit(project, SERVICE, "title: Prevention and Early Help", "title: Early Help First")
    after = run_pipeline(project, base_url=BASE, memo=memo)
    assert isinstance(after.files, incremental.LazyFiles)
    waiting = [name for name in incremental.MADE_WHEN_ASKED if not after.files.ready(name)]
    assert waiting == list(incremental.MADE_WHEN_ASKED)
    assert b"Early Help First" in after.files["sharing/index.html"]  # made now, with the edit
    assert after.files.ready("sharing/index.html")
    assert_same_as_full_build(project, after)


def test_a_link_to_a_lawful_basis_is_still_checked_while_its_page_waits(project: Path) -> None:
    memo = BuildMemo()
    run_pipeline(project, base_url=BASE, memo=memo)
    edit(project, SERVICE, "title: Prevention and Early Help", "title: Early Help First")
    edit(project, "templates/service-notice.html", "{% block content %}",
         '{% block content %}<a href="{{ root }}lawful-bases/#no-such-basis">x</a>')
    broken = run_pipeline(project, base_url=BASE, memo=memo)  # a template change: every page made
    assert any("no-such-basis" in d.message for d in broken.diagnostics.errors)
    edit(project, "templates/service-notice.html", '<a href="{{ root }}lawful-bases/#no-such-basis">x</a>',
         '<a href="{{ root }}lawful-bases/#art6-1-e">x</a>')
    run_pipeline(project, base_url=BASE, memo=memo)
    edit(project, SERVICE, "title: Early Help First", "title: Early Help Second")
    after = run_pipeline(project, base_url=BASE, memo=memo)  # a notice edit: the page waits, its ids stay
    assert isinstance(after.files, incremental.LazyFiles) and not after.files.ready("lawful-bases/index.html")
    assert not after.diagnostics.errors
    assert_same_as_full_build(project, after)


def test_a_component_edit_reaches_the_components_that_use_it_in_the_preview(project: Path) -> None:
    """A save to components/macros.html changes a notice's "Changes" section too, which
    components/history.html makes with the `section` macro it imports from macros.html."""
    from generator.environment import create_environment

    env = create_environment(project / "templates")
    env.auto_reload = True  # as the preview keeps it (serve.py)
    memo = BuildMemo()
    run_pipeline(project, base_url=BASE, templates_env=env, memo=memo)
    edit(project, "templates/components/macros.html", '<section class="notice-section"',
         '<section class="notice-section edited"')
    after = run_pipeline(project, base_url=BASE, templates_env=env, memo=memo)
    page = after.files["prevention-and-early-help/index.html"]
    assert b'id="changes"' in page
    assert b'<section class="notice-section"' not in page, "a section kept the markup from before the save"
    assert_same_as_full_build(project, after)
