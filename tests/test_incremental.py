"""The preview's rebuild after a save: it remakes only what the save changed, and the result is
exactly what a full build of the same content makes, whatever kind of file was saved."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from generator.build import BuildResult, build_in_memory
from generator.preview import cache as incremental
from generator.preview.cache import PreviewCache

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
    full = build_in_memory(root, base_url=BASE)
    assert sorted(incremental.files) == sorted(full.files)
    different = [name for name in full.files if incremental.files[name] != full.files[name]]
    assert different == [], f"the rebuild differs from a full build in {different}"
    assert incremental.diagnostics.sorted() == full.diagnostics.sorted()


def test_each_kind_of_save_rebuilds_exactly_what_a_full_build_makes(project: Path) -> None:
    memo = PreviewCache()
    before = build_in_memory(project, base_url=BASE, cache=memo)
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
        after = build_in_memory(project, base_url=BASE, cache=memo)
        assert after.files != before.files, f"saving {what} changed nothing: the test would prove nothing"
        if shown:
            assert any(shown.encode() in body for body in after.files.values()), what
        else:
            assert "copy-notice/index.html" not in after.files
        assert_same_as_full_build(project, after)
        before = after


def test_a_notice_edit_keeps_the_other_notices_pages_as_they_were(project: Path) -> None:
    memo = PreviewCache()
    first = build_in_memory(project, base_url=BASE, cache=memo)
    edit(project, SERVICE, "title: Prevention and Early Help", "title: Early Help")
    second = build_in_memory(project, base_url=BASE, cache=memo)
    # The very bytes from before: the page was not rendered, checked or re-read again.
    assert second.files[UNTOUCHED_PAGE] is first.files[UNTOUCHED_PAGE]
    assert second.files["prevention-and-early-help/index.html"] is not first.files[
        "prevention-and-early-help/index.html"]
    assert b"Early Help" in second.files["index.html"]  # the pages that list every notice are remade
    assert_same_as_full_build(project, second)


def test_an_error_then_its_fix_gives_the_same_problems_as_a_full_build(project: Path) -> None:
    memo = PreviewCache()
    build_in_memory(project, base_url=BASE, cache=memo)
    edit(project, SERVICE, "organisation: health-services", "organisation: helth-services")
    broken = build_in_memory(project, base_url=BASE, cache=memo)
    assert any("helth-services" in d.message for d in broken.diagnostics.errors)
    assert broken.diagnostics.sorted() == build_in_memory(project, base_url=BASE).diagnostics.sorted()
    edit(project, SERVICE, "organisation: helth-services", "organisation: health-services")
    fixed = build_in_memory(project, base_url=BASE, cache=memo)
    assert not fixed.diagnostics.errors
    assert_same_as_full_build(project, fixed)


def test_a_notice_page_sees_the_main_notice_and_itself_and_follows_the_main_notice(project: Path) -> None:
    """A service notice's page is made with that notice alone and the main one (docs/templates.md):
    it changes when the main notice does, and not when another service notice does."""
    memo = PreviewCache()
    edit(project, "templates/service-notice.html", "{% block content %}",
         "{% block content %}<p>{% for other in site.notices %}{{ other.title }}; {% endfor %}</p>")
    build_in_memory(project, base_url=BASE, cache=memo)
    edit(project, "content/notices/children-social-care.yaml", "title: Children’s Social Care",
         "title: Social Care for Children")
    edit(project, "content/notices/main.yaml", "title: Privacy notice", "title: Our privacy notice")
    after = build_in_memory(project, base_url=BASE, cache=memo)
    assert b"<p>Our privacy notice; Prevention and Early Help; </p>" in after.files[
        "prevention-and-early-help/index.html"]
    assert_same_as_full_build(project, after)


def test_a_renamed_notice_file_is_read_under_its_new_name(project: Path) -> None:
    memo = PreviewCache()
    build_in_memory(project, base_url=BASE, cache=memo)
    shutil.move(project / SERVICE, project / "content/notices/early-help.yaml")
    after = build_in_memory(project, base_url=BASE, cache=memo)
    assert_same_as_full_build(project, after)


def test_the_pages_that_list_every_notice_in_full_are_made_when_asked_for(project: Path) -> None:
    """After a notice edit the preview leaves the sharing page, the lawful bases page and
    processing.csv until the browser asks; what it then makes is what a full build makes."""
    memo = PreviewCache()
    build_in_memory(project, base_url=BASE, cache=memo)
    edit(project, SERVICE, "title: Prevention and Early Help", "title: Early Help First")
    after = build_in_memory(project, base_url=BASE, cache=memo)
    assert isinstance(after.files, incremental.LazyFiles)
    waiting = [name for name in incremental.MADE_WHEN_ASKED if not after.files.ready(name)]
    assert waiting == list(incremental.MADE_WHEN_ASKED)
    assert b"Early Help First" in after.files["sharing/index.html"]  # made now, with the edit
    assert after.files.ready("sharing/index.html")
    assert_same_as_full_build(project, after)


def test_a_link_to_a_lawful_basis_is_still_checked_while_its_page_waits(project: Path) -> None:
    memo = PreviewCache()
    build_in_memory(project, base_url=BASE, cache=memo)
    edit(project, SERVICE, "title: Prevention and Early Help", "title: Early Help First")
    edit(project, "templates/service-notice.html", "{% block content %}",
         '{% block content %}<a href="{{ root }}lawful-bases/#no-such-basis">x</a>')
    broken = build_in_memory(project, base_url=BASE, cache=memo)  # a template change: every page made
    assert any("no-such-basis" in d.message for d in broken.diagnostics.errors)
    edit(project, "templates/service-notice.html", '<a href="{{ root }}lawful-bases/#no-such-basis">x</a>',
         '<a href="{{ root }}lawful-bases/#art6-1-e">x</a>')
    build_in_memory(project, base_url=BASE, cache=memo)
    edit(project, SERVICE, "title: Early Help First", "title: Early Help Second")
    after = build_in_memory(project, base_url=BASE, cache=memo)  # a notice edit: the page waits, its ids stay
    assert isinstance(after.files, incremental.LazyFiles) and not after.files.ready("lawful-bases/index.html")
    assert not after.diagnostics.errors
    assert_same_as_full_build(project, after)


def test_a_component_edit_reaches_the_components_that_use_it_in_the_preview(project: Path) -> None:
    """A save to components/macros.html changes a notice's "Changes" section too, which
    components/history.html makes with the `section` macro it imports from macros.html."""
    from generator.site.environment import create_environment

    env = create_environment(project / "templates")
    env.auto_reload = True  # as the preview keeps it (serve.py)
    memo = PreviewCache()
    build_in_memory(project, base_url=BASE, templates_env=env, cache=memo)
    edit(project, "templates/components/macros.html", '<section class="notice-section"',
         '<section class="notice-section edited"')
    after = build_in_memory(project, base_url=BASE, templates_env=env, cache=memo)
    page = after.files["prevention-and-early-help/index.html"]
    assert b'id="changes"' in page
    assert b'<section class="notice-section"' not in page, "a section kept the markup from before the save"
    assert_same_as_full_build(project, after)


def test_saves_to_several_different_notices_of_real_size_rebuild_what_notices_build_writes(
    tmp_path: Path,
) -> None:
    """Forty different notices of real size (benchmarks/scale.py): after each save to one of them (its
    title, its lawful bases, a recipient, a new notice, a deleted one) the preview's files are, byte
    for byte, those `notices build` writes, the problems too; and unchanged pages are kept."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from scale import write_content

    from generator.build import build

    root = tmp_path / "project"
    write_content(root, 40)
    cache = PreviewCache()
    first = build_in_memory(root, base_url=BASE, cache=cache)
    notices = "content/notices/"
    saves: list[Callable[[], None]] = [
        lambda: edit(root, notices + "service-3.yaml", "title: Service 3\n", "title: Service three\n"),
        lambda: edit(root, notices + "service-7.yaml", "article_6: [art6-1-a, art6-1-c, art6-1-e]",
                     "article_6: [art6-1-e]"),
        lambda: edit(root, notices + "service-12.yaml", "  recipients:\n    - organisation: synthetic-",
                     "  recipients:\n    - organisation: synthetic-organisation-0\n"
                     "    - organisation: synthetic-"),
        lambda: add_copy(root / notices / "service-20.yaml", root / notices / "copy.yaml"),
        lambda: (root / notices / "service-30.yaml").unlink(),
    ]
    for number, save in enumerate(saves):
        save()
        after = build_in_memory(root, base_url=BASE, cache=cache)
        site = tmp_path / f"site-{number}"
        full = build(root, site, base_url=BASE)
        assert not full.diagnostics.errors and after.diagnostics.items == full.diagnostics.items
        written = {path.relative_to(site).as_posix(): path.read_bytes()
                   for path in sorted(site.rglob("*")) if path.is_file()}
        written.pop(".notices-manifest.json")
        assert sorted(after.files) == sorted(written)
        assert [name for name in written if after.files[name] != written[name]] == []
    assert after.files["service-5/index.html"] is first.files["service-5/index.html"]  # kept, not made again


def add_copy(original: Path, copy: Path) -> None:
    text = original.read_text("utf-8")
    copy.write_text(text.replace(f"slug: {original.stem}", "slug: a-copy").replace("title: ", "title: A "),
                    "utf-8")
