"""The building blocks of the content models: field types, validators and references.

Each type carries the description and the JSON Schema hints the editors' schema files
show, and the same validator the build runs, so the two cannot disagree.
"""
from __future__ import annotations

import difflib
import re
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
)
from pydantic.fields import FieldInfo

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{8,16}[0-9]$")
_URL = re.compile(r'^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:[0-9]+)?([/?#][^\s<>"]*)?$')

REGISTER_FILES = {
    "lawful_bases": "content/definitions/lawful-bases.yaml",
    "legislation": "content/definitions/legislation.yaml",
    "organisations": "content/definitions/organisations.yaml",
    "data_subjects": "content/definitions/data-subjects.yaml",
    "contacts": "content/site.yaml",
}
_KIND_NOUNS = {
    "article-6": "an Article 6 lawful basis",
    "article-9": "an Article 9 condition",
    "article-10": "an Article 10 (criminal offence) basis",
    "schedule-1": "a DPA 2018 Schedule 1 condition",
}
_REGISTER_NOUNS = {
    "lawful_bases": "lawful basis",
    "legislation": "Act or regulation",
    "organisations": "organisation",
    "data_subjects": "data subject",
    "contacts": "contact",
}


# Messages starting "must" get the field's name put in front by checked_files.report_model_error;
# text after " | " becomes the hint.


_NOT_TEXT = r"\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_NOT_IN_PROSE = re.compile(f"[{_NOT_TEXT}]")
"""Control characters but tab and newline, and what is not a character at all (a lone surrogate, U+FFFE):
invisible on the page, and what no XML file (the feed, the sitemap) may hold. YAML refuses them in the
file, but not written as escapes in quotes ("\\x1c")."""
_NOT_IN_LINE = re.compile(f"[\t\n{_NOT_TEXT}]")
"""The same, and tab and newline: a title, a name or an address is one line."""


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty | write the text after the colon, or delete the line")
    value = value.removesuffix("\n")  # `title: >` ends its one line with a line break: not a second line
    if _NOT_IN_LINE.search(value):
        _refuse_characters(value, _NOT_IN_LINE)
    return value


def markdown_text(value: str) -> str:
    """The same checks as plain text, but a Markdown text may have many lines (and tabs); a separate
    function so Markdown fields can be found."""
    if not value.strip():
        raise ValueError("must not be empty | write the text after the colon, or delete the line")
    if _NOT_IN_PROSE.search(value):
        _refuse_characters(value, _NOT_IN_PROSE)
    return value


def _refuse_characters(value: str, refused: re.Pattern[str]) -> None:
    """The first character `refused` finds, as a message saying which it is and how to remove it."""
    found = refused.search(value)
    if found is None:
        return
    char, code = found.group(), ord(found.group())
    written = char.encode("unicode_escape").decode("ascii")
    if char == "\n":
        raise ValueError("must be one line, without a line break | write it on one line; for a long value,"
                         " `>-` joins the lines it is written on")
    if char == "\t":
        raise ValueError("must not contain a tab | replace the tab with a space")
    lines = value.count("\n", 0, found.start())
    where = f" (on line {lines + 1} of the text)" if lines else ""
    kind = "a control character" if code < 0xA0 else "not a character"
    raise ValueError(f"must not contain U+{code:04X}, which is {kind}{where}: it is invisible, and the feed"
                     f" cannot hold it | remove the character U+{code:04X}: inside double quotes it is"
                     f" written `{written}`; it may also have come in with copied text")


def _one_clean_line(value: str, what: str) -> None:
    """An address or a number: not blank, one line, no control character."""
    if not value.strip():
        raise ValueError(f"must not be empty | write {what}, or delete the line")
    if _NOT_IN_LINE.search(value):
        _refuse_characters(value, _NOT_IN_LINE)


def _email(value: str) -> str:
    _one_clean_line(value, "the email address")
    if value.lower().startswith("mailto:"):
        raise ValueError(f"'{value}' is not an email address | write just the address, without 'mailto:'")
    if not _EMAIL.match(value):
        raise ValueError(f"'{value}' is not an email address | it should look like name@example.org.uk")
    return value


def _phone(value: str) -> str:
    _one_clean_line(value, "the phone number")
    if not _PHONE.match(value):
        raise ValueError(f"'{value}' is not a phone number"
                         " | write digits and spaces only, like 0303 123 1113 or +44 303 123 1113")
    return value


def _url(value: str) -> str:
    _one_clean_line(value, "the web address")
    scheme = re.match(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):", value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        raise ValueError(f"'{value}' is not allowed here: a web address must start with https://"
                         f" | '{scheme.group(1)}:' addresses are refused; use the page's https:// address")
    if not scheme:
        raise ValueError(f"'{value}' is not a web address | write it in full, starting with https://")
    if not _URL.match(value):
        raise ValueError(f"'{value}' is not a valid web address"
                         " | it should look like https://www.example.org.uk/page (no spaces)")
    return value


_NOT_BLANK = {"pattern": r"\S"}
Text = Annotated[str, AfterValidator(_text), Field(description="Plain text.", json_schema_extra=_NOT_BLANK)]
Markdown = Annotated[str, AfterValidator(markdown_text),
                     Field(description="Markdown text (no raw HTML).", json_schema_extra=_NOT_BLANK)]
Id = Annotated[str, Field(pattern=ID_PATTERN, description="Lowercase words and digits joined by hyphens.")]
Email = Annotated[str, AfterValidator(_email),
                  Field(description="An email address.", json_schema_extra={"pattern": _EMAIL.pattern})]
Phone = Annotated[str, AfterValidator(_phone), Field(description="A phone number, digits and spaces.",
                                                     json_schema_extra={"pattern": _PHONE.pattern})]
Url = Annotated[str, AfterValidator(_url), Field(description="A web address starting with https://.",
                                                 json_schema_extra={"pattern": _URL.pattern})]


def is_markdown(field: FieldInfo) -> bool:
    """Whether a model field holds Markdown (so its links are checked before rendering)."""

    def found(metadata: Any) -> bool:
        return any(isinstance(m, AfterValidator) and m.func is markdown_text for m in metadata)

    def search(annotation: Any) -> bool:
        if get_origin(annotation) is Annotated and found(get_args(annotation)[1:]):
            return True
        return get_origin(annotation) in (Union, UnionType) and any(search(a) for a in get_args(annotation))

    return found(field.metadata) or search(field.annotation)


SUBJECT_IDS = "The ids of entries in content/definitions/data-subjects.yaml"
"""How a `data_subjects` field's description begins, wherever one is."""


def _shorthand(description: str) -> Any:
    """JSON Schema for a list whose items may be written as a bare string (see expand_shorthand)."""

    def extend(schema: dict[str, Any]) -> None:
        schema["items"] = {"anyOf": [{"type": "string", "minLength": 1, "description": description},
                                     schema["items"]]}

    return extend


def reference(register: str, kinds: tuple[str, ...] = ()) -> Any:
    """A field holding the id of an entry in `register` (optionally of certain kinds)."""
    return Annotated[str, _reference_field(register), AfterValidator(_reference_check(register, kinds))]


def _reference_field(register: str) -> Any:
    description = f"The id of an entry in {REGISTER_FILES[register]}."
    return Field(pattern=ID_PATTERN, description=description)


def _reference_check(register: str, kinds: tuple[str, ...] = ()) -> Any:
    """Checks an id against the register's ids, passed in the validation context."""

    def check(value: str, info: ValidationInfo) -> str:
        known: dict[str, str] | None = (info.context or {}).get(register)
        if known is None:
            return value
        noun = _REGISTER_NOUNS[register]
        if value not in known:
            close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"add it to {REGISTER_FILES[register]} first"
            raise ValueError(f"unknown {noun} '{value}': no entry in {REGISTER_FILES[register]} has this id"
                             f" | {hint}")
        if kinds and known[value] not in kinds:
            wanted = " or ".join(_KIND_NOUNS.get(k, k) for k in kinds)
            raise ValueError(f"'{value}' is {_KIND_NOUNS.get(known[value], known[value])}, but this list"
                             f" takes {wanted} | move it to the list for its kind, or use another id")
        return value

    return check


# Written out (not `reference(...)`) so type checkers see them as types.
_BASES = _reference_field("lawful_bases")
OrganisationRef = Annotated[str, _reference_field("organisations"),
                            AfterValidator(_reference_check("organisations"))]
ActRef = Annotated[str, _reference_field("legislation"), AfterValidator(_reference_check("legislation"))]
ContactRef = Annotated[str, _reference_field("contacts"), AfterValidator(_reference_check("contacts"))]
DataSubjectRef = Annotated[str, _reference_field("data_subjects"),
                           AfterValidator(_reference_check("data_subjects"))]
Article6Ref = Annotated[str, _BASES, AfterValidator(_reference_check("lawful_bases", ("article-6",)))]
Article9Ref = Annotated[str, _BASES, AfterValidator(_reference_check("lawful_bases", ("article-9",)))]
Schedule1Ref = Annotated[str, _BASES, AfterValidator(_reference_check("lawful_bases", ("schedule-1",)))]
Article10Ref = Annotated[str, _BASES, AfterValidator(_reference_check("lawful_bases", ("article-10",)))]
CriminalRef = Annotated[str, _BASES,
                        AfterValidator(_reference_check("lawful_bases", ("article-10", "schedule-1")))]


class Model(BaseModel):
    """Unknown keys are errors: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)
