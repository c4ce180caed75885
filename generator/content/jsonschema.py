"""JSON Schema files for editors, generated from the same models the validator uses.

VS Code's YAML extension (and other editors that speak the YAML language server) reads
the `# yaml-language-server: $schema=...` line at the top of each content file and then
completes keys, shows each field's description and underlines mistakes as you type.
Because the files are generated from `generator/schema.py`, they cannot disagree with
`notices check`; a test fails if the shipped copies in schemas/ fall behind.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, TypeAdapter

from ..site.site_folder import UnsafeOutput, read_exactly, replace_file
from ..world import plain_errors, shown
from . import schema
from .schema.young_people import YoungPeopleVersion

SCHEMA_FOLDER = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

_Notice = Annotated[schema.ServiceNotice | schema.MainNotice, Field(discriminator="kind")]

CONTENT_SCHEMAS: dict[str, tuple[Any, str, str]] = {
    "site": (schema.SiteFile, "Site settings",
             "content/site.yaml: the controller, base URL, language and shared contacts."),
    "notice": (_Notice, "Privacy notice",
               "A notice in content/notices/: `kind: service` for a service, `kind: main` for the main one."),
    "lawful-bases": (schema.LawfulBasesFile, "Lawful-bases register",
                     "content/definitions/lawful-bases.yaml: each provision of law, once."),
    "legislation": (schema.LegislationFile, "Legislation register",
                    "content/definitions/legislation.yaml: each Act or regulation, once."),
    "organisations": (schema.OrganisationsFile, "Organisations register",
                      "content/definitions/organisations.yaml: each body named by the notices, once."),
    "data-subjects": (schema.DataSubjectsFile, "Data subjects register",
                      "content/definitions/data-subjects.yaml: each category of people the notices are"
                      " about, once."),
    "young-people": (YoungPeopleVersion, "Young people's version",
                     "content/young-people/<slug>.yaml: the notice <slug> for the children it is about."),
}
"""File stem -> (model, title, description) for each schemas/<stem>.schema.json."""


def content_schema(name: str) -> dict[str, Any]:
    """The JSON Schema for one kind of content file, as a dict."""
    model, title, description = CONTENT_SCHEMAS[name]
    if isinstance(model, type) and issubclass(model, BaseModel):
        generated = model.model_json_schema(mode="validation")
    else:
        generated = TypeAdapter(model).json_schema(mode="validation")
    return {"$schema": DIALECT, **_without_nulls(generated),
            "title": title, "description": description}


def _without_nulls(node: Any) -> Any:
    """Optional means "may be left out", not "may be left blank": `email:` alone is an error.

    Pydantic writes an optional field as `anyOf: [X, null]`; the editor should flag a blank
    value exactly as `notices check` does, so the null branch and its `default: null` go.
    """
    if isinstance(node, list):
        return [_without_nulls(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _without_nulls(value) for key, value in node.items()}
    options = node.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        rest = [option for option in options if option != {"type": "null"}]
        del node["anyOf"]
        if node.get("default", 0) is None:
            del node["default"]
        if len(rest) == 1:
            node = {**rest[0], **node}
        else:
            node["anyOf"] = rest
    return node


def schema_files() -> dict[str, str]:
    """File name -> text of every schema file, exactly as shipped in schemas/."""
    return {
        f"{name}.schema.json": json.dumps(content_schema(name), indent=2, ensure_ascii=False) + "\n"
        for name in CONTENT_SCHEMAS
    }


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema file into `folder`; returns the files whose text changed.

    Only files this tool wrote are replaced, and never through a link: each is checked first (so a
    refusal writes nothing), then replaced whole by a file written beside it.
    """
    with plain_errors(f"cannot write the schemas into {shown(folder)}", again="run notices schema again"):
        folder.mkdir(parents=True, exist_ok=True)
        titles = {f"{name}.schema.json": title for name, (_, title, _) in CONTENT_SCHEMAS.items()}
        current = {filename: _ours(folder / filename, titles[filename]) for filename in titles}
        changed = []
        for filename, text in schema_files().items():
            if current[filename] != text:
                replace_file(folder / filename, text.encode("utf-8"))
                changed.append(folder / filename)
    return changed


def _ours(target: Path, title: str) -> str | None:
    """The text of `target` when it is a schema this tool wrote (of that title), None when there is
    none; refused (UnsafeOutput) when it is a link, not a file, or somebody else's."""
    again = "move it away, or choose another folder with --out"
    try:
        descriptor = os.open(target, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError:
        if target.is_symlink():
            raise UnsafeOutput(f"refusing to write {shown(target)}: it is a symbolic link (to"
                               f" {os.readlink(target)}), and writing would change that file;"
                               f" {again}") from None
        raise
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise UnsafeOutput(f"refusing to write {shown(target)}: it is not a regular file; {again}")
        text = read_exactly(descriptor, SCHEMA_LIMIT + 1).decode("utf-8", "replace")
    finally:
        os.close(descriptor)
    try:
        written = json.loads(text)
    except ValueError:
        written = None
    if not isinstance(written, dict) or written.get("$schema") != DIALECT or written.get("title") != title:
        raise UnsafeOutput(f"refusing to overwrite {shown(target)}: it is not a schema this tool wrote"
                           f" (its title is not {title!r}); {again}")
    return text


SCHEMA_LIMIT = 4 * 1024 * 1024
"""A schema of ours is some 20 KB; a file bigger than this is not one."""
