"""The command line as people use it: from any folder of a project, forgiving of slips, clear outside one."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import Run, notices

from generator.cli import main
from generator.content.schema import ServiceNotice

COMMANDS = ("build", "check", "new", "schema", "serve")


def notices_here(folder: Path, *args: str) -> Run:
    """`notices ARGS` typed in `folder`, with no --root: the project is found from there."""
    done = subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True,
                          cwd=folder, timeout=120)
    return Run(done.returncode, done.stdout, done.stderr)


def test_a_command_run_in_a_subfolder_finds_the_project(project: Path) -> None:
    run = notices_here(project / "content" / "notices", "build")
    assert run.code == 0, run.stderr
    assert (project / "site" / "index.html").is_file()
    assert not (project / "content" / "notices" / "site").exists()


def test_outside_any_project_it_says_what_a_project_is(tmp_path: Path) -> None:
    for args in (("build",), ("check",), ("new", "fostering", "--title", "Fostering")):
        run = notices_here(tmp_path, *args)
        assert run.code == 2, run
        assert f"notices: error: {tmp_path} is not inside a privacy-notices project" in run.stderr
        assert "docs/adding-a-notice.md" in run.stderr and "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []
    assert notices_here(tmp_path, "schema", "--out", "schemas").code == 0  # needs no content
    named = notices_here(tmp_path, "--root", str(tmp_path), "build")
    assert named.code == 2 and "it has no content/ folder" in named.stderr


def test_root_overrides_where_the_command_is_run(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = notices_here(elsewhere, "--root", str(project), "build")
    assert run.code == 0, run.stderr
    assert (project / "site" / "index.html").is_file()


def _usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 2
    return capsys.readouterr().err


def test_a_misspelt_command_or_option_gets_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    err = _usage_error(capsys, "bild")
    assert "notices: error: 'bild' is not a notices command (did you mean 'build'?)" in err
    err = _usage_error(capsys, "check", "--stirct")
    assert err.startswith("usage: notices check ")
    assert "notices check: error: unrecognized arguments: --stirct (did you mean '--strict'?)" in err
    err = _usage_error(capsys, "serve", "--prot", "8001")
    assert err.startswith("usage: notices serve ") and "(did you mean '--port'?)" in err


def test_each_command_help_says_what_it_does(capsys: pytest.CaptureFixture[str]) -> None:
    for command in COMMANDS:
        with pytest.raises(SystemExit) as stopped:
            main([command, "--help"])
        assert stopped.value.code == 0
        text = capsys.readouterr().out
        description = text.split(f"notices {command}: ", 1)[1].split("\n\n")[0]
        assert len(description.split()) >= 15, (command, description)


@pytest.mark.parametrize(("args", "said"), [
    (("check", "--links", "--format", "json"), "--links prints one link a line and cannot go into"),
    (("check", "--compliance"), "--compliance adds the compliance table to --format json"),
    (("check", "--compliance", "--format", "github"), "--compliance adds the compliance table"),
])
def test_options_that_do_not_combine_are_refused(capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                                                 said: str) -> None:
    err = _usage_error(capsys, *args)
    assert err.startswith("usage: notices check ") and said in err


def test_json_has_one_shape_with_and_without_the_table(project: Path) -> None:
    plain = json.loads(notices(project, "check", "--format", "json").stdout)
    table = json.loads(notices(project, "check", "--format", "json", "--compliance").stdout)
    assert list(plain) == list(table) == ["diagnostics", "compliance"]
    assert plain["compliance"] is None and table["compliance"]["notices"]
    assert plain["diagnostics"] == table["diagnostics"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_readme_way_to_look_at_the_built_site_works(project: Path) -> None:
    """README: `python3 -m http.server -d site`. Links end in '/', which a server answers with index.html."""
    assert "python3 -m http.server -d site" in (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    assert notices(project, "build").code == 0
    port = _free_port()
    command = [sys.executable, "-m", "http.server", "-d", "site", "--bind", "127.0.0.1", str(port)]
    server = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    try:
        def fetch(path: str) -> str:
            deadline = time.monotonic() + 10
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
                        return str(response.read().decode("utf-8"))
                except urllib.error.URLError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        index = fetch("/")
        assert 'href="prevention-and-early-help/"' in index
        page = fetch("/prevention-and-early-help/")
        assert "<h1" in page and 'href="../assets/style.css"' in page
        assert "body" in fetch("/assets/style.css")
        # The favicon: from this site (the Content-Security-Policy allows only that), so no 404 for it.
        icon = BeautifulSoup(page, "html.parser").find("link", rel="icon")
        assert icon is not None and icon["href"] == "../assets/favicon.svg"
        assert fetch("/assets/favicon.svg").startswith("<svg")
    finally:
        server.terminate()
        log = server.communicate(timeout=10)[1]
    assert " 404 " not in log, log


def test_a_new_notice_builds_at_once_and_says_what_is_left(project: Path) -> None:
    made = notices(project, "new", "fostering", "--title", "Fostering")
    assert made.code == 0, made.stderr
    assert made.stdout.startswith("Wrote content/notices/fostering.yaml: fill in each 'TO DO'")
    for rule in ("[sources]", "[retention]", "[statutory-requirement]", "[transfers]"):
        assert re.search(rf"^content/notices/fostering.yaml:\d+:1: warning: .*{re.escape(rule)}", made.stdout,
                         re.M), rule
    text = (project / "content/notices/fostering.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/notice.schema.json\n")
    check = json.loads(notices(project, "check", "--format", "json").stdout)["diagnostics"]
    assert [d for d in check if d["path"].endswith("fostering.yaml") and d["severity"] == "error"] == []
    built = notices(project, "build")
    assert built.code == 0, built.stderr
    page = (project / "site/fostering/index.html").read_text("utf-8")
    assert "Fostering" in page and "TO DO" in page


def test_a_to_do_left_in_a_notice_is_a_warning_at_its_line_and_strict_will_not_publish_it(
    project: Path,
) -> None:
    assert notices(project, "new", "fostering", "--title", "Fostering").code == 0
    path = project / "content/notices/fostering.yaml"
    lines = path.read_text("utf-8").splitlines()
    summary = next(number for number, line in enumerate(lines, 1) if line.startswith("summary:"))
    checked = notices(project, "check")
    assert (f"content/notices/fostering.yaml:{summary}:10: warning: 'summary' still says 'TO DO': the notice"
            " is not finished [to-do]") in checked.stderr
    assert notices(project, "build", "--strict").code == 1
    finished = path.read_text("utf-8").replace("TO DO: ", "").replace("TO DO", "Written")
    path.write_text(finished, "utf-8")
    assert "[to-do]" not in notices(project, "check").stderr


def test_a_new_notice_has_every_section_of_a_service_notice(project: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(project), "new", "adoption", "--title", 'Adoption "and" more']) == 0
    text = (project / "content/notices/adoption.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert data["title"] == 'Adoption "and" more' and data["slug"] == "adoption"
    for name in ServiceNotice.model_fields:
        match = re.search(rf"^(# )?{name}:", text, re.M)
        assert match, f"no {name} section"
        comment = text[:match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        assert comment.startswith("# ") and len(comment) > 20 or name in {"kind", "slug", "last_updated",
                                                                           "version"}, name
    registers = yaml.safe_load((project / "content/definitions/lawful-bases.yaml").read_text("utf-8"))
    known = {entry["id"] for entry in registers["lawful_bases"]}
    assert data["purposes"]["items"][0]["article_6"][0] in known


@pytest.mark.parametrize(("slug", "said"), [
    ("prevention-and-early-help", "content/notices/prevention-and-early-help.yaml exists already"),
    ("privacy-notice", "content/notices/main.yaml already has the slug 'privacy-notice'"),
    ("Fostering Care", "'Fostering Care' cannot be a notice's address: use lower-case letters and digits,"
                       " words joined by hyphens (e.g. fostering-care)"),
    ("sharing", "'sharing' is the address of a page the site makes itself (sharing/)"),
    ("assets", "'assets' is the address of a page the site makes itself"),
])
def test_a_new_notice_is_refused_where_it_cannot_go(project: Path, slug: str, said: str) -> None:
    before = sorted((project / "content/notices").iterdir())
    before_text = [p.read_bytes() for p in before]
    run = notices(project, "new", slug, "--title", "Anything")
    assert run.code == 2 and f"notices: error: {said}" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert sorted((project / "content/notices").iterdir()) == before
    assert [p.read_bytes() for p in before] == before_text


def test_every_page_names_its_favicon_and_the_home_page_title_says_whose_site_it_is(built_site: Path) -> None:
    titles = {}
    for page in sorted(built_site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        icon = soup.find("link", rel="icon")
        assert icon is not None, page
        href = str(icon["href"])
        if page.name == "404.html":  # shown at any address: its links start with the base URL's path
            assert href == "/privacy-notices/assets/favicon.svg"
        else:
            assert (page.parent / href).resolve() == (built_site / "assets/favicon.svg").resolve(), page
        assert soup.title is not None
        titles[page.relative_to(built_site).as_posix()] = soup.title.get_text()
    assert titles["index.html"] == "Privacy notices – Bradford Children and Families Trust"
    assert titles["sharing/index.html"] == "Who we share information with – Privacy notices"
