"""Hostile input, by category: odd files, unclean text, forged messages, slugs that are the site's own.

Each case is one an attack round found or one of its kind: a notice that is a named pipe or a link
to /dev/zero (a build that never ends), a title holding "\\x1c" (a feed readers reject), a file name
holding `\\n::error file=README.md::` (a forged CI annotation), a notice called `sharing` (a
traceback). Each asserts what the editor sees: one line at the file, the right exit code, no
traceback, and the site built before left as it was.
"""

from __future__ import annotations

import json
import os
import re
import xml.dom.minidom
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Run, notices

from generator.content.reading import MAX_CONTENT_BYTES, UnreadableFile, read_content_file
from generator.diagnostics import Diagnostic
from generator.preview.server import Preview
from generator.site.render import reserved_slugs

SERVICE = "content/notices/children-social-care.yaml"


def _edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _line_of(project: Path, name: str, text: str) -> int:
    lines = (project / name).read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


def _assert_reported(run: Run, expected: str, code: int = 1) -> None:
    """One error line that starts with `expected`, the exit code, and no traceback."""
    assert run.code == code, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert any(line.startswith(expected) for line in run.stderr.splitlines()), run.stderr


# --- File kinds: only regular files are read -----------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link_to(target: str) -> Callable[[Path], None]:
    return lambda path: os.symlink(target, path)


FILE_KINDS: dict[str, tuple[Callable[[Path], object], str]] = {
    "a named pipe": (_fifo, "it is a named pipe (FIFO), not a regular file"),
    "a link to /dev/zero": (_link_to("/dev/zero"), "it is a device (a symbolic link to '/dev/zero')"),
    "a dangling link": (_link_to("gone.yaml"), "it is a symbolic link to 'gone.yaml', which does not exist"),
    "a link to itself": (_link_to("loop.yaml"),
                         "it is a symbolic link to 'loop.yaml' that leads back to itself"),
    "a folder": (lambda path: path.mkdir(), "it is a folder, not a regular file"),
    "too large": (lambda path: path.write_bytes(b"# padding\n" * (MAX_CONTENT_BYTES // 10 + 1)),
                  "the file is too large to read (10.0 MB; the most is 10.0 MB)"),
}


@pytest.mark.parametrize("kind", list(FILE_KINDS))
def test_a_notice_that_is_not_a_regular_file_is_an_error_naming_it(project: Path, kind: str) -> None:
    make, reason = FILE_KINDS[kind]
    make(project / "content" / "notices" / "loop.yaml")
    run = notices(project, "check")
    prefix = "" if "large" in reason else "cannot read the file: "
    _assert_reported(run, f"content/notices/loop.yaml:1:1: error: {prefix}{reason}")


def test_site_yaml_linked_to_dev_urandom_fails_the_build_and_keeps_the_site(project: Path) -> None:
    assert notices(project, "build").code == 0
    before = {path: path.read_bytes() for path in (project / "site").rglob("*") if path.is_file()}
    (project / "content" / "site.yaml").unlink()
    os.symlink("/dev/urandom", project / "content" / "site.yaml")
    run = notices(project, "build")
    _assert_reported(run, "content/site.yaml:1:1: error: cannot read the file: it is a device (a symbolic"
                     " link to '/dev/urandom'), not a regular file (a content or template file must be a"
                     " plain text file: replace it with one, or remove it)")
    assert {path: path.read_bytes() for path in (project / "site").rglob("*") if path.is_file()} == before


def test_a_link_to_a_file_inside_the_project_is_followed(project: Path) -> None:
    moved = project / "content" / "shared-site.yaml.txt"
    (project / "content" / "site.yaml").rename(moved)
    os.symlink(moved.name, project / "content" / "site.yaml")
    assert notices(project, "build").code == 0


@pytest.mark.parametrize("template", ["base.html", "assets/style.css"])
def test_a_template_or_stylesheet_that_is_a_named_pipe_is_an_error_not_a_hang(
    project: Path, template: str
) -> None:
    (project / "templates" / template).unlink()
    os.mkfifo(project / "templates" / template)
    run = notices(project, "build")
    _assert_reported(run, f"templates/{template}:1:1: error: cannot read the file: it is a named pipe (FIFO)")
    assert not (project / "site").exists()


def test_a_missing_stylesheet_is_an_error_saying_what_to_restore(project: Path) -> None:
    (project / "templates" / "assets" / "style.css").unlink()
    run = notices(project, "build")
    _assert_reported(run, "templates/assets/style.css:1:1: error: cannot read the file: No such file or"
                     " directory (the site needs its assets/style.css: restore templates/assets/style.css")


def _sparse(path: Path) -> str:
    with open(path, "wb") as file:
        file.truncate(200 * 1024 * 1024)  # its size says 200 MB; nothing is written
    return str(path)


PREVIOUS = {
    "/dev/zero": (lambda tmp: "/dev/zero", "it is a device, not a regular file"),
    "a named pipe": (lambda tmp: (os.mkfifo(tmp / "pipe"), str(tmp / "pipe"))[1],
                     "it is a named pipe (FIFO), not a regular file"),
    "200 MB": (lambda tmp: _sparse(tmp / "huge.json"), "the file is too large to read (200.0 MB;"),
    "a link loop": (lambda tmp: (os.symlink("loop", tmp / "loop"), str(tmp / "loop"))[1],
                    "it is a symbolic link to 'loop' that leads back to itself (a loop)"),
}


@pytest.mark.parametrize("case", list(PREVIOUS))
def test_check_previous_that_is_not_a_notices_json_file_is_a_usage_error(
    project: Path, tmp_path: Path, case: str
) -> None:
    make, reason = PREVIOUS[case]
    previous = make(tmp_path)
    run = notices(project, "check", "--previous", previous)
    _assert_reported(run, f"notices: error: cannot read the previous notices.json {previous}: {reason}",
                     code=2)


def test_the_reader_reads_at_most_its_limit(tmp_path: Path) -> None:
    path = tmp_path / "notice.yaml"
    path.write_bytes(b"x" * 101)
    assert read_content_file(path, 101) == b"x" * 101
    with pytest.raises(UnreadableFile, match="too large"):
        read_content_file(path, 100)


# --- Text: control characters are errors; every XML file is well-formed -----------------------


def test_a_control_character_written_as_an_escape_is_an_error_at_its_line(project: Path) -> None:
    _edit(project, SERVICE, "title: Children’s Social Care", 'title: "Children’s\\x1c Social Care"')
    line = _line_of(project, SERVICE, "title:")
    run = notices(project, "build")
    _assert_reported(run, f"{SERVICE}:{line}:8: error: 'title' must not contain U+001C, which is a control"
                     " character: it is invisible, and the feed cannot hold it (remove the character U+001C:"
                     " inside double quotes it is written `\\x1c`")
    assert not (project / "site").exists()


def test_prose_may_have_lines_but_not_a_bell(project: Path) -> None:
    text = (project / SERVICE).read_text("utf-8")
    written = 'why: "We use it.\\n\\nTo \\a help."\n'  # a bell, written as a YAML escape
    text = re.sub(r"^why: \|\n(?:  .*\n|\n)+", lambda _: written, text, flags=re.M)
    (project / SERVICE).write_text(text, "utf-8")
    line = _line_of(project, SERVICE, "why:")
    run = notices(project, "check")
    _assert_reported(run, f"{SERVICE}:{line}:6: error: 'why' must not contain U+0007, which is a control"
                     " character (on line 3 of the text)")


def test_a_title_on_two_lines_is_an_error(project: Path) -> None:
    _edit(project, SERVICE, "title: Children’s Social Care", 'title: "Children’s\\nSocial Care"')
    run = notices(project, "check")
    line = _line_of(project, SERVICE, "title:")
    _assert_reported(run, f"{SERVICE}:{line}:8: error: 'title' must be one line,"
                     " without a line break (write it on one line; for a long value, `>-` joins the lines")


def test_a_title_written_as_a_folded_block_is_one_line(project: Path) -> None:
    """`title: >` ends the value with a line break: that is how YAML writes one long line, not two."""
    _edit(project, SERVICE, "title: Children’s Social Care", "title: >\n  Children’s\n  Social Care")
    run = notices(project, "build")
    assert run.code == 0, run.stderr
    page = (project / "site" / "childrens-social-care" / "index.html").read_text("utf-8")
    assert "<h1>Children’s Social Care</h1>" in page


ODD = "Tom & Jerry <b>]]> “quoted” 😀 \u200f\u00a0 café 'single' %s {{ x }}"


def test_every_xml_file_is_well_formed_with_odd_characters_in_the_content(project: Path) -> None:
    _edit(project, SERVICE, "title: Children’s Social Care", f'title: "{ODD}"')
    text = (project / SERVICE).read_text("utf-8")
    summary = re.search(r"changes:\n  - summary: (.*)\n", text)
    assert summary, "the notice lists a change, so the feed has an entry for it"
    _edit(project, SERVICE, summary.group(0), summary.group(0).replace(summary.group(1), f'"{ODD}"'))
    run = notices(project, "build")
    assert run.code == 0, run.stderr
    xml_files = sorted((project / "site").rglob("*.xml"))
    assert {path.name for path in xml_files} >= {"feed.xml", "sitemap.xml"}
    for path in xml_files:
        xml.dom.minidom.parse(str(path))  # raises on a file that is not well-formed
    feed = xml.dom.minidom.parse(str(project / "site" / "feed.xml"))
    titles = [node.firstChild.data for node in feed.getElementsByTagName("title") if node.firstChild]
    assert any(ODD in title for title in titles)


# --- Message injection: every problem is one line, in every format ------------------------------

FORGED = "\n::error file=README.md::forged"


@pytest.fixture
def forged_project(project: Path) -> Path:
    """A notice whose file name and one of whose keys hold a newline and a workflow command."""
    text = (project / SERVICE).read_text("utf-8")
    key = "bad" + FORGED.replace("\n", "\\n") + ", 100%: key"  # the YAML escape, in double quotes
    text += f'"{key}": 1\n'
    (project / "content" / "notices" / f"copy{FORGED}.yaml").write_text(text, "utf-8")
    return project


@pytest.mark.parametrize("output_format", ["text", "github", "json"])
def test_a_newline_in_a_file_name_or_key_cannot_forge_a_message(
    forged_project: Path, output_format: str
) -> None:
    run = notices(forged_project, "check", "--format", output_format)
    assert run.code == 1 and "Traceback" not in run.stderr
    if output_format == "json":
        problems = json.loads(run.stdout)["diagnostics"]  # the documented shape: {diagnostics, compliance}
        assert len(problems) == 2  # the slug the copy shares, the unknown key
        for problem in problems:
            assert not any("\n" in str(value) for value in problem.values()), problem
        assert any(problem["path"] == "content/notices/copy\\n::error file=README.md::forged.yaml"
                   for problem in problems)
        return
    lines = run.stderr.splitlines()
    forged = [line for line in lines if "README.md" in line]
    assert len(forged) == 2
    if output_format == "text":
        for line in forged:
            assert re.match(r"content/notices/copy\\n::error file=README\.md::forged\.yaml:\d+:\d+: error: ",
                            line)
        assert any("unknown key 'bad\\n::error file=README.md::forged, 100%: key'" in line for line in forged)
    else:
        for line in lines:
            assert not line.startswith("::error file=README.md"), line
            assert re.match(r"::(error|warning) file=[^,:\n]+,line=\d+,col=\d+::", line), line
        shown = "content/notices/copy\\n%3A%3Aerror file=README.md%3A%3Aforged.yaml"
        assert any(line.startswith(f"::error file={shown},line=") for line in forged)
        assert any("100%25%3A key" not in line and "100%25: key" in line for line in forged)


def test_github_annotation_escapes_properties_and_data() -> None:
    problem = Diagnostic("a,b:c%.yaml", 3, 4, "50% done\r\nnext", hint="x")
    assert problem.github() == "::error file=a%2Cb%3Ac%25.yaml,line=3,col=4::50%25 done\\r\\nnext (x)"
    assert problem.text() == "a,b:c%.yaml:3:4: error: 50% done\\r\\nnext (x)"


# --- Reserved slugs: a notice cannot take the address of a page the site makes ----------------


def test_the_reserved_slugs_are_the_folders_a_site_has_besides_its_notices(built_site: Path) -> None:
    folders = {path.name for path in built_site.iterdir() if path.is_dir()}
    slugs = {notice["slug"] for notice in json.loads((built_site / "notices.json").read_text())["notices"]}
    assert reserved_slugs() == sorted(folders - slugs)
    assert {"lawful-bases", "sharing", "accessibility", "schema", "assets"} <= set(reserved_slugs())


@pytest.mark.parametrize("slug", ["sharing", "lawful-bases", "schema", "assets", "accessibility",
                                  "appropriate-policy-document"])
def test_a_slug_that_is_a_page_of_the_site_is_an_error_at_the_slug(project: Path, slug: str) -> None:
    _edit(project, SERVICE, "slug: childrens-social-care", f"slug: {slug}")
    run = notices(project, "build")
    line = _line_of(project, SERVICE, "slug:")
    _assert_reported(run, f"{SERVICE}:{line}:7: error: the slug '{slug}' is the"
                     " address of a page the site makes itself (choose another, such as"
                     f" '{slug}-notice'; these slugs are taken: accessibility, appropriate-policy-document,"
                     " assets, lawful-bases, schema, sharing)")


def test_the_preview_names_a_reserved_slug_too(project: Path) -> None:
    _edit(project, SERVICE, "slug: childrens-social-care", "slug: sharing")
    snapshot = Preview(project, "/", "").rebuild()
    assert [(error.path, error.message) for error in snapshot.errors] == [
        (SERVICE, "the slug 'sharing' is the address of a page the site makes itself")]


# --- Broken links are reported where the content wrote them --------------------------------------


def test_a_broken_link_in_prose_is_reported_at_its_content_line(project: Path) -> None:
    links = ("[a](notice:privacy-notice#no-such-section) [b](/no/such/page/) [c](../go\\_ne/)"
             " [d](../gone_(x)/)")
    _edit(project, SERVICE, "why: |\n", f"why: |\n  See {links}.\n")
    line = _line_of(project, SERVICE, "See [a]")
    written = (project / SERVICE).read_text("utf-8").splitlines()[line - 1]
    run = notices(project, "check")
    assert run.code == 1 and "fix the link in the template" not in run.stderr
    for address in ("notice:privacy-notice#no-such-section", "/no/such/page/", "../go\\_ne/", "../gone_(x)/"):
        column = written.index(f"({address})") + 2
        _assert_reported(run, f"{SERVICE}:{line}:{column}: error: broken link '{address}' on"
                         " childrens-social-care/index.html: ")
