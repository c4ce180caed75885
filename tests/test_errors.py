"""Every mistake an editor can make gets one clear message at its file:line:col, and the site survives.

Each case edits a private copy of the fixture content, runs `notices build` as an editor
would, and checks: the exit code; a message at the exact place (worked out here from the
edited text, not copied from the program's output); no traceback; and that the site built
before the mistake is still there, byte for byte, with no temporary folder left behind.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import FIXTURE, copy_project, notices

Edit = tuple[str, str | None, str | bytes]
"""(file, text to replace or None for the whole file, replacement)."""


@dataclass(frozen=True)
class Expect:
    """A message expected at the place `at` marks in `file` (after the edit): `^` marks the
    column when it is not the start of `at`."""

    file: str
    at: str
    message: str
    severity: str = "error"
    hint: str = ""


@dataclass(frozen=True)
class Case:
    name: str
    edits: list[Edit]
    expect: list[Expect]
    code: int = 1
    args: tuple[str, ...] = ()
    also: Callable[[str], None] | None = field(default=None, compare=False)


MAIN = "content/notices/main.yaml"
CSC = "content/notices/children-social-care.yaml"
PEH = "content/notices/prevention-and-early-help.yaml"
SITE = "content/site.yaml"
ORGS = "content/definitions/organisations.yaml"
ACTS = "content/definitions/legislation.yaml"
BASES = "content/definitions/lawful-bases.yaml"

BILLION_LAUGHS = "kind: service\n" + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
BILLION_LAUGHS += "".join(
    f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join([f"*{chr(96 + i)}"] * 9) + "]\n" for i in range(1, 9)
)


def one(name: str, file: str, old: str | None, new: str | bytes, at: str, message: str, **kw: object) -> Case:
    """A case with one edit and one expected message in the same file."""
    hint = str(kw.pop("hint", ""))
    severity = str(kw.pop("severity", "error"))
    return Case(name, [(file, old, new)], [Expect(file, at, message, severity, hint)], **kw)  # type: ignore[arg-type]


CASES = [
    one("yaml-syntax", SITE, "title: Privacy notices", "title: Privacy: notices",
        "title: Privacy^: notices", "this is not valid YAML: mapping values are not allowed",
        hint="put text that contains ': ' in quotes"),
    one("tab-indent", MAIN, "    heading: Who we are", "  \theading: Who we are",
        "  ^\theading: Who we are", "a tab is used for indentation", hint="replace the tab with spaces"),
    one("not-utf8", ACTS, "title: Children Act 1989", "title: Children Act 1989 caf\xe9".encode("latin-1"),
        "title: Children Act 1989 caf^", "the file is not UTF-8 text", hint="save it with UTF-8"),
    one("empty-file", ORGS, None, "# nothing here yet\n", "# nothing", "the file is empty"),
    one("not-a-mapping", MAIN, None, "- just\n- a list\n", "- just",
        "the file must be a mapping of `key: value` lines at its top level"),
    one("duplicate-key", MAIN, "version: \"1\"", "version: \"1\"\ntitle: Again",
        "title: Again", "duplicate key 'title' (first written at line", hint="merge them into one key"),
    one("unknown-key-typo", CSC, "  recipients:", "  recipeints:", "  ^recipeints:",
        "unknown key 'recipeints'", hint="did you mean 'recipients'?"),
    one("missing-top-level-key", MAIN, "summary: Who we are", "# summary: Who we are", "kind: main",
        "missing required key 'summary'", hint="add a `summary:` line"),
    one("missing-nested-key", CSC, "  recipients:", "  shared_with:", "sharing:",
        "missing required key 'recipients' in 'sharing'"),
    one("missing-key-in-list-item", MAIN, "    heading: Who we are\n", "", "  - ^id: who-we-are",
        "missing required key 'heading' in 'sections'"),
    one("kind-only-notice", "content/notices/draft.yaml", None, "kind: service\n", "kind: service",
        "missing 15 required keys: 'slug', 'title', 'summary'"),
    one("wrong-type-number", ACTS, "    year: 1989\n    type: act\n    citation: 1989 c. 41",
        "    year: nineteen\n    type: act\n    citation: 1989 c. 41", "    year: ^nineteen",
        "'year' must be a whole number, not 'nineteen'"),
    one("wrong-type-date-as-text", MAIN, "title: Privacy notice", "title: 2026-11-21", "title: ^2026-11-21",
        "'title' must be text, not 2026-11-21", hint="put it in quotes"),
    one("impossible-date", MAIN, "last_updated: 2026-11-21", "last_updated: 2026-13-45",
        "last_updated: ^2026-13-45", "'2026-13-45' is not a real date", hint="YYYY-MM-DD"),
    one("literal-typo", ACTS, "    year: 1989\n    type: act", "    year: 1989\n    type: acts",
        "    type: ^acts", "'type' must be 'act', 'statutory-instrument' or 'regulation', not 'acts'",
        hint="did you mean 'act'?"),
    one("duplicate-register-id", ORGS, "  - id: prevention-and-early-help",
        "  - id: childrens-specialist-services", "  - id: ^childrens-specialist-services\n    name: Prev",
        "duplicate id 'childrens-specialist-services' (first used at line 14)"),
    one("duplicate-slug", PEH, "slug: prevention-and-early-help", "slug: childrens-social-care",
        "slug: ^childrens-social-care", "two notices have the slug 'childrens-social-care'",
        hint="the other is content/notices/children-social-care.yaml:"),
    one("unknown-reference", CSC, "organisations: [childrens-specialist-services,",
        "organisations: [childrens-specialist-service,", "[^childrens-specialist-service,",
        "unknown organisation 'childrens-specialist-service': no entry in"
        " content/definitions/organisations.yaml has this id",
        hint="did you mean 'childrens-specialist-services'?"),
    Case("register-entry-deleted", [(ORGS, "  - id: incommunities\n    name: Incommunities Limited\n"
                                     "    short_name: Incommunities\n    group: false\n"
                                     "    website: https://www.incommunities.co.uk/\n"
                                     "    description: Bradford's largest housing association, which took"
                                     " over the Council's homes in 2003.\n", "")],
         [Expect(PEH, "organisation: ^incommunities", "unknown organisation 'incommunities'"),
          Expect(PEH, "    - ^incommunities", "unknown organisation 'incommunities'")]),
    one("wrong-kind-of-basis", CSC, "article_6: [art6-1-a,", "article_6: [art9-2-a,", "[^art9-2-a,",
        "'art9-2-a' is an Article 9 condition, but this list takes an Article 6 lawful basis"),
    one("empty-email", SITE, "    email: dpo@bradfordcft.org.uk", "    email:", "    ^email:",
        "'email' is empty", hint="write the value after the colon"),
    Case("empty-values-deep-in-a-notice", [
        (PEH, "  intro: \"Where appropriate, we share information with:\"", "  intro:"),
        (PEH, "      text: monitor progress made\n", "      text:\n")],
         [Expect(PEH, "monitor-progress\n      ^text:\n", "'text' is empty",
                 hint="write the value after the colon"),
          Expect(PEH, "sharing:\n  ^intro:\n", "'intro' is empty", hint="write the value after the colon")]),
    one("malformed-email", SITE, "email: dpo@bradfordcft.org.uk", "email: dpo at bradfordcft.org.uk",
        "email: ^dpo at", "'dpo at bradfordcft.org.uk' is not an email address"),
    one("mailto-in-email", SITE, "email: dpo@bradfordcft.org.uk", "email: mailto:dpo@bradfordcft.org.uk",
        "email: ^mailto:", "is not an email address", hint="without 'mailto:'"),
    one("malformed-phone", SITE, "phone: 0303 123 1113", "phone: ring the ICO", "phone: ^ring",
        "'ring the ICO' is not a phone number"),
    one("javascript-url", ORGS, "website: https://www.incommunities.co.uk/", "website: javascript:alert(1)",
        "website: ^javascript:", "'javascript:alert(1)' is not allowed here: a web address must start"
        " with https://"),
    one("url-without-scheme", ORGS, "website: https://www.incommunities.co.uk/",
        "website: www.incommunities.co.uk", "website: ^www.incommunities",
        "'www.incommunities.co.uk' is not a web address", hint="starting with https://"),
    one("unsafe-slug", MAIN, "slug: privacy-notice", "slug: ../../outside", "slug: ^../../outside",
        "the slug '../../outside' must be lowercase words and digits joined by hyphens",
        hint="for example 'outside'"),
    one("billion-laughs", "content/notices/bomb.yaml", None, BILLION_LAUGHS, "f: &f [*e",
        "the file expands to too many values"),
    one("kind-typo", CSC, "kind: service", "kind: Service", "kind: ^Service",
        "'kind' must be 'service' or 'main', not 'Service'", hint="did you mean 'service'?"),
    one("kind-a-list", MAIN, "kind: main", "kind: [main]", "kind: ^[main]",
        "'kind' must be 'service' or 'main', not a list", hint="did you mean 'main'?"),
    one("service-notice-marked-main", CSC, "kind: service", "kind: main", "kind: ^main",
        "this notice says `kind: main`, but it is written like a `kind: service` notice",
        hint="did you mean `kind: service`?"),
    Case("two-main-notices", [("content/notices/other-main.yaml", None, (FIXTURE / MAIN).read_text("utf-8")
                               .replace("slug: privacy-notice", "slug: other"))],
         [Expect(MAIN, "kind: ^main", "there can be only one notice with `kind: main`, but"
                 " content/notices/other-main.yaml has it too"),
          Expect("content/notices/other-main.yaml", "kind: ^main", "there can be only one notice with"
                 " `kind: main`, but content/notices/main.yaml has it too")]),
    one("verified-without-note", BASES, "    source: https://www.legislation.gov.uk/eur/2016/679/article/6\n"
        "    verified: true\n\n  - id: art6-1-b", "    source: https://www.legislation.gov.uk/eur/2016/679/"
        "article/6\n    verified: false\n\n  - id: art6-1-b", "  - ^id: art6-1-a",
        "an entry with `verified: false` needs a `verification_note`"),
    one("public-authority-without-note", BASES, "    verified: true\n\n  - id: art6-1-b",
        "    verified: true\n    public_authority_tasks: false\n\n  - id: art6-1-b", "  - ^id: art6-1-a",
        "an entry with `public_authority_tasks: false` needs a `public_authority_note`"),
    one("contact-without-details", SITE, "    phone: 0303 123 1113\n    url: https://ico.org.uk/make-a-complaint/",
        "", "  - ^id: ico", "a contact needs at least one of email, phone, address or url"),
    one("notice-link-to-no-notice", PEH, "(notice:privacy-notice), which", "(notice:privacy-notices), which",
        "(^notice:privacy-notices), which", "the link 'notice:privacy-notices' leads nowhere",
        hint="did you mean 'notice:privacy-notice'?"),
    one("multiple-documents", MAIN, "version: \"1\"", "version: \"1\"\n---\nmore: text", "^---",
        "this is not valid YAML: expected a single document", hint="remove the `---` line"),
    one("control-character", MAIN, "title: Privacy notice", "title: Privacy\x00notice", "title: Privacy^",
        "the file contains an invisible control character (U+0000)"),
    one("service-key-in-main-notice", MAIN, "version: \"1\"", "version: \"1\"\nsharing: oops",
        "sharing: oops",
        "unknown key 'sharing'", hint="'sharing' belongs in a notice with `kind: service`"),
    one("unsafe-markdown-link", CSC, "  Our core data protection obligations",
        "  [Click](javascript:alert(1)) Our core data protection obligations",
        "[Click](^javascript:alert(1))",
        "the link to 'javascript:alert(1)' is not safe and will be removed from the page",
        severity="warning", code=1, args=("--strict",)),
]


def _apply(root: Path, file: str, old: str | None, new: str | bytes) -> None:
    path = root / file
    if old is None:
        path.write_bytes(new if isinstance(new, bytes) else new.encode("utf-8"))
        return
    data = path.read_bytes()
    assert data.count(old.encode("utf-8")) == 1, f"{old!r} should occur once in {file}"
    replacement = new if isinstance(new, bytes) else new.encode("utf-8")
    path.write_bytes(data.replace(old.encode("utf-8"), replacement))


def _position(root: Path, expect: Expect) -> tuple[int, int]:
    """Line and column of the `^` (or the start) of `expect.at` in the edited file, by hand."""
    text = (root / expect.file).read_bytes().decode("utf-8", errors="replace")
    anchor = expect.at.replace("^", "")
    assert text.count(anchor) == 1, f"{anchor!r} should occur once in {expect.file}"
    offset = text.index(anchor) + (expect.at.index("^") if "^" in expect.at else 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _snapshot(folder: Path) -> dict[str, bytes]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in files}


@pytest.fixture(scope="module")
def prebuilt(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The fixture project with its site built once; each case starts from a copy of it."""
    root = copy_project(tmp_path_factory.mktemp("prebuilt"))
    built = notices(root, "build")
    assert built.code == 0, built.stderr
    return root, _snapshot(root / "site")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_content(case: Case, prebuilt: tuple[Path, dict[str, bytes]], tmp_path: Path) -> None:
    source, site_before = prebuilt
    root = tmp_path / "project"
    shutil.copytree(source, root)
    for file, old, new in case.edits:
        _apply(root, file, old, new)

    started = time.perf_counter()
    run = notices(root, "build", *case.args)
    seconds = time.perf_counter() - started

    assert run.code == case.code, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    lines = run.stderr.splitlines()
    for expect in case.expect:
        line, column = _position(root, expect)
        prefix = f"{expect.file}:{line}:{column}: {expect.severity}: "
        matching = [text for text in lines if text.startswith(prefix) and expect.message in text]
        assert matching, f"expected {prefix}{expect.message}\n--- got:\n{run.stderr}"
        assert expect.hint in matching[0]
    assert re.search(r"^\d+ errors?, \d+ warnings?$", run.stderr, re.MULTILINE), run.stderr
    assert "the site was not changed" in run.stderr
    assert _snapshot(root / "site") == site_before
    assert not [p.name for p in root.iterdir() if p.name.startswith(".site")]
    assert seconds < 20


def test_case_table_is_large_enough() -> None:
    assert len(CASES) >= 25
    assert len({c.name for c in CASES}) == len(CASES)


def test_problems_are_reported_together_and_sorted(project: Path) -> None:
    """Several mistakes in several files: all reported in one run, by file then line, then a count."""
    _apply(project, SITE, "phone: 0303 123 1113", "phone: ring")
    _apply(project, MAIN, "title: Privacy notice", "titel: Privacy notice")
    _apply(project, CSC, "kind: service", "kind: serviec")
    _apply(project, ACTS, "    year: 1989", "    year: later")
    run = notices(project, "check")
    assert run.code == 1
    problems = [line for line in run.stderr.splitlines() if ": error: " in line]
    files = [line.split(":")[0] for line in problems]
    assert set(files) == {SITE, MAIN, CSC, ACTS}
    keys = [(p.split(":")[0], int(p.split(":")[1]), int(p.split(":")[2])) for p in problems]
    assert keys == sorted(keys)
    assert run.stderr.strip().splitlines()[-1] == f"{len(problems)} errors, 0 warnings"


def test_template_error_names_the_template_and_line(project: Path) -> None:
    """StrictUndefined: a value the template names but nobody provides is an error, never a blank."""
    template = project / "templates" / "index.html"
    lines = template.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "<h1>" in line)
    lines.insert(at + 1, "<p>{{ site.no_such_value }}</p>\n")
    template.write_text("".join(lines), "utf-8")
    run = notices(project, "build")
    assert run.code == 1
    expected = f"templates/index.html:{at + 2}:1: error: the template uses a value that does not exist"
    assert expected in run.stderr
    assert "no_such_value" in run.stderr
    assert not (project / "site").exists()


def test_usage_errors_exit_2(project: Path) -> None:
    assert notices(project, "build", "--no-such-option").code == 2
    assert notices(project, "check", "--format", "xml").code == 2
    refused = notices(project, "build", "--out", str(project))
    assert refused.code == 2 and "refusing to replace" in refused.stderr
    assert (project / "content" / "site.yaml").exists()


def test_warnings_do_not_fail_without_strict(project: Path) -> None:
    _apply(project, CSC, "  Our core data protection obligations",
           "  <b onmouseover=alert(1)>Hi</b> Our core data protection obligations")
    run = notices(project, "check", "--format", "json")
    assert run.code == 0, run.stderr
    assert "HTML is not allowed in Markdown" in run.stdout
    assert notices(project, "check", "--strict").code == 1


def test_github_and_json_formats(project: Path) -> None:
    _apply(project, SITE, "phone: 0303 123 1113", "phone: ring")
    line, column = _position(project, Expect(SITE, "phone: ^ring", ""))
    github = notices(project, "check", env={**_env(), "GITHUB_ACTIONS": "true"})
    assert github.code == 1
    assert f"::error file={SITE},line={line},col={column}::'ring' is not a phone number" in github.stderr
    as_json = notices(project, "check", "--format", "json")
    import json

    problems = json.loads(as_json.stdout)["diagnostics"]
    assert [(p["path"], p["line"], p["column"], p["severity"]) for p in problems if
            "phone" in p["message"]] == [(SITE, line, column, "error")]


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}


def test_the_fixture_content_has_no_errors() -> None:
    """The table above edits the fixture content: it must start clean."""
    from generator.build import build_in_memory

    result = build_in_memory(FIXTURE)
    assert not result.diagnostics.errors, [d.text() for d in result.diagnostics.errors]
