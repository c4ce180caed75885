"""The JSON Schema files editors use: generated from the models, shipped, and never out of date."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURE, PROJECT, notices

from generator.content.jsonschema import CONTENT_SCHEMAS, schema_files

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
CONTENT_FILES = sorted((FIXTURE / "content").rglob("*.yaml"))


def test_shipped_schemas_match_the_models() -> None:
    """If this fails, run `notices schema` and commit schemas/."""
    shipped = {p.name: p.read_text("utf-8") for p in (PROJECT / "schemas").glob("*.schema.json")}
    assert shipped == schema_files()


def test_the_schema_command_writes_them(tmp_path: Path) -> None:
    run = notices(tmp_path, "schema", "--out", str(tmp_path / "out"))
    assert run.code == 0, run.stderr
    written = {p.name: p.read_text("utf-8") for p in (tmp_path / "out").iterdir()}
    assert written == schema_files()
    assert set(written) == {f"{name}.schema.json" for name in CONTENT_SCHEMAS}


@pytest.mark.parametrize("path", CONTENT_FILES, ids=[p.name for p in CONTENT_FILES])
def test_every_content_file_points_at_its_schema(path: Path) -> None:
    first = path.read_text("utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    assert match, f"{path} should start with '# yaml-language-server: $schema=...'"
    in_a_project = PROJECT / path.relative_to(FIXTURE)  # where the line is read: a project's content/
    target = (in_a_project.parent / match.group(1)).resolve()
    assert target.parent == (PROJECT / "schemas").resolve() and target.is_file()
    expected = {"notices": "notice", "young-people": "young-people"}.get(path.parent.name, path.stem)
    assert target.name == f"{expected}.schema.json"


def _as_editor_sees(value: Any) -> Any:
    """YAML 1.2, as the editor reads it: dates are strings."""
    if isinstance(value, dict):
        return {key: _as_editor_sees(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_editor_sees(item) for item in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def _validator(name: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((PROJECT / "schemas" / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=[p.name for p in CONTENT_FILES])
def test_the_content_passes_its_schema(path: Path) -> None:
    """So an editor opening a correct file sees no false alarms (shorthand lists included)."""
    name = SCHEMA_LINE.match(path.read_text("utf-8").splitlines()[0]).group(1)  # type: ignore[union-attr]
    validator = _validator(Path(name).name.removesuffix(".schema.json"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(
        _as_editor_sees(yaml.safe_load(path.read_text("utf-8"))))]
    assert errors == []


def test_the_notice_schema_catches_what_the_checker_catches() -> None:
    validator = _validator("notice")
    main = _as_editor_sees(yaml.safe_load((FIXTURE / "content/notices/main.yaml").read_text("utf-8")))
    service = _as_editor_sees(
        yaml.safe_load((FIXTURE / "content/notices/children-social-care.yaml").read_text("utf-8")))
    assert validator.is_valid(main) and validator.is_valid(service)
    assert not validator.is_valid({**service, "kind": "main"})  # the oneOf on `kind`
    assert not validator.is_valid({**main, "kind": "other"})
    typo = {**service, "sharing": {**service["sharing"], "recipeints": service["sharing"]["recipients"]}}
    assert not validator.is_valid(typo)
    assert not validator.is_valid({**service, "slug": "Not A Slug"})
    assert not validator.is_valid({**service, "security": "   "})
    assert not validator.is_valid({**service, "why": None})


def test_the_site_schema_refuses_bad_contact_details() -> None:
    validator = _validator("site")
    site = _as_editor_sees(yaml.safe_load((FIXTURE / "content/site.yaml").read_text("utf-8")))
    dpo = site["contacts"][0]
    for change in ({"email": "dpo at example"}, {"email": None}, {"url": "javascript:alert(1)"},
                   {"phone": "call us"}):
        broken = {**site, "contacts": [{**dpo, **change}, *site["contacts"][1:]]}
        assert not validator.is_valid(broken), change
