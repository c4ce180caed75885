"""The shape of every content file, written once.

The validator checks files against these models and `notices schema` writes the JSON
Schema files that editors use from the same models, so the two can never disagree.
References to register entries are checked here too, against the ids passed in the
validation context, so an unknown id is reported where it is written.
"""

from __future__ import annotations

import datetime
import difflib
import re
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
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
    "contacts": "contact",
}


# Messages starting "must" get the field's name put in front by validate.report_model_error;
# text after " | " becomes the hint.


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty | write the text after the colon, or delete the line")
    return value


def markdown_text(value: str) -> str:
    """The same check as plain text; a separate function so Markdown fields can be found."""
    return _text(value)


def _email(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty | write the email address, or delete the line")
    if value.lower().startswith("mailto:"):
        raise ValueError(f"'{value}' is not an email address | write just the address, without 'mailto:'")
    if not _EMAIL.match(value):
        raise ValueError(f"'{value}' is not an email address | it should look like name@example.org.uk")
    return value


def _phone(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty | write the phone number, or delete the line")
    if not _PHONE.match(value):
        raise ValueError(f"'{value}' is not a phone number"
                         " | write digits and spaces only, like 0303 123 1113 or +44 303 123 1113")
    return value


def _url(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty | write the web address, or delete the line")
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
Article6Ref = Annotated[str, _BASES, AfterValidator(_reference_check("lawful_bases", ("article-6",)))]
Article9Ref = Annotated[str, _BASES, AfterValidator(_reference_check("lawful_bases", ("article-9",)))]
Schedule1Ref = Annotated[str, _BASES, AfterValidator(_reference_check("lawful_bases", ("schedule-1",)))]
CriminalRef = Annotated[str, _BASES,
                        AfterValidator(_reference_check("lawful_bases", ("article-10", "schedule-1")))]


class Model(BaseModel):
    """Unknown keys are errors: a misspelt key must never be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --- Registers -------------------------------------------------------------------------


class LawfulBasis(Model):
    """One provision of law a notice can rely on, with its statutory wording."""

    id: Id
    kind: Literal["article-6", "article-9", "article-10", "schedule-1"]
    article: Text = Field(description="How the page cites it, e.g. 'Article 6(1)(e)'.")
    title: Text = Field(description="A short plain-English title, e.g. 'Public task'.")
    wording: Text = Field(description="The statutory wording, verbatim, as in force today.")
    source: Url = Field(description="The legislation.gov.uk address the wording was read from.")
    verified: bool = Field(description="false when the exact current wording could not be confirmed.")
    verification_note: Text | None = Field(None, description="What is uncertain, when not verified.")
    needs_schedule_1: Literal["part-1", "part-2", "none"] | None = None
    schedule_1_part: Literal[1, 2, 3] | None = None
    needs_policy_document: bool | None = None

    @model_validator(mode="after")
    def _unverified_says_why(self) -> LawfulBasis:
        if not self.verified and not self.verification_note:
            raise ValueError("an entry with `verified: false` needs a `verification_note` saying what is"
                             " uncertain")
        return self


class LawfulBasesFile(Model):
    lawful_bases: list[LawfulBasis]


class Act(Model):
    """An Act of Parliament, statutory instrument or retained regulation."""

    id: Id
    title: Text = Field(description="The short title as on legislation.gov.uk.")
    year: int
    type: Literal["act", "statutory-instrument", "regulation"]
    citation: Text = Field(description="Chapter or SI number, e.g. '1989 c. 41'.")
    url: Url = Field(description="Its legislation.gov.uk address.")
    note: Text | None = None


class LegislationFile(Model):
    legislation: list[Act]


class Organisation(Model):
    """A body (or a group of bodies, such as 'schools') that data is shared with or comes from."""

    id: Id
    name: Text
    short_name: Text | None = Field(None, description="How the notices name it, if shorter.")
    group: bool = Field(False, description="true for a category of bodies rather than one body.")
    website: Url | None = None
    description: Text | None = None


class OrganisationsFile(Model):
    organisations: list[Organisation]


# --- Site ------------------------------------------------------------------------------


class Contact(Model):
    """A way to reach someone. It needs at least one real detail: a blank never publishes."""

    id: Id
    name: Text
    organisation: OrganisationRef | None = None
    email: Email | None = None
    phone: Phone | None = None
    address: list[Text] | None = Field(None, description="Postal address, one line per item.")
    url: Url | None = None

    @model_validator(mode="after")
    def _has_detail(self) -> Contact:
        if not (self.email or self.phone or self.address or self.url):
            raise ValueError("a contact needs at least one of email, phone, address or url")
        return self


class AccessibilityStatement(Model):
    """What the accessibility statement says (Public Sector Bodies Accessibility Regulations 2018)."""

    standard: Text = Field(description="The standard tested against, e.g. 'WCAG 2.2 AA'.")
    status: Literal["fully", "partially", "not"] = Field(description="How far the site complies.")
    contact: ContactRef = Field(description="Who to tell about an accessibility problem.")
    last_tested: datetime.date
    tested_by: Text
    prepared: datetime.date
    known_issues: list[Text] = Field(default_factory=list)


class SiteFile(Model):
    title: Text = Field(description="The site's name, shown in every page header.")
    controller: OrganisationRef = Field(description="The organisation that is the data controller.")
    base_url: Url = Field(description="Where the site is published; sitemap and canonical links use it.")
    language: Text = "en-GB"
    data_protection_officer: ContactRef
    regulator: ContactRef = Field(description="The supervisory authority's contact (the ICO).")
    contacts: list[Contact]
    accessibility: AccessibilityStatement


# --- Notices ---------------------------------------------------------------------------


class DataItem(Model):
    name: Text = Field(description="One kind of information, as the notice lists it.")
    special_category: bool = Field(False, description="Special category data (UK GDPR Article 9).")
    criminal_offence: bool = Field(False, description="Criminal offence data (UK GDPR Article 10).")


def expand_shorthand(items: Any, key: str) -> Any:
    """Let editors write `- address` for `- name: address` in long lists."""
    if isinstance(items, list):
        return [{key: item} if isinstance(item, str) else item for item in items]
    return items


class DataTier(Model):
    id: Id
    title: Text | None = Field(None, description="The tier's heading; may be left out if there is one tier.")
    intro: Markdown | None = None
    items: list[DataItem] = Field(min_length=1, json_schema_extra=_shorthand(
        "Shorthand for `name: ...` when the item is neither special category nor criminal."))

    @field_validator("items", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_shorthand(value, "name")


class InformationCollected(Model):
    intro: Markdown | None = None
    tiers: list[DataTier] = Field(min_length=1)


class Source(Model):
    organisation: OrganisationRef
    data: Text = Field(description="What information comes from this source.")
    special_category: bool = False
    criminal_offence: bool = False


class Sources(Model):
    intro: Markdown | None = None
    items: list[Source] = Field(min_length=1)


class UsedBy(Model):
    text: Markdown
    organisations: list[OrganisationRef] = Field(min_length=1)


class Purposes(Model):
    intro: Markdown
    items: list[Text] = Field(min_length=1)


class LawfulBasisSection(Model):
    intro: Markdown | None = None
    article_6: list[Article6Ref] = Field(min_length=1)
    special_category_intro: Markdown | None = None
    article_9: list[Article9Ref] = Field(default_factory=list)
    schedule_1: list[Schedule1Ref] = Field(default_factory=list)
    criminal_offence: list[CriminalRef] = Field(default_factory=list)
    legitimate_interests: Markdown | None = Field(
        None, description="The legitimate interests pursued, when Article 6(1)(f) or (ea) is relied on"
        " (UK GDPR Article 13(1)(d), 14(2)(b)).")
    official_authority: Markdown | None = Field(
        None, description="The official authority under which criminal offence data is processed, when no"
        " Schedule 1 condition is relied on (UK GDPR Article 10).")
    policy_document: Url | None = Field(
        None, description="The appropriate policy document required by a Schedule 1 condition"
        " (DPA 2018 Schedule 1, paragraphs 38 to 41).")
    outro: Markdown | None = None


class LegislationSection(Model):
    intro: Markdown
    acts: list[ActRef] = Field(min_length=1)


class Recipient(Model):
    organisation: OrganisationRef
    why: Markdown | None = None


class Sharing(Model):
    intro: Markdown | None = None
    recipients: list[Recipient] = Field(min_length=1, json_schema_extra=_shorthand(
        "Shorthand for `organisation: ID` when there is no `why`."))
    reasons_intro: Markdown = "We share it when needed to:"
    reasons: list[Text] = Field(default_factory=list, description="Why we share, for every recipient.")

    @field_validator("recipients", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_shorthand(value, "organisation")


class Transfers(Model):
    text: Markdown
    safeguards: Markdown | None = None


class RetentionPeriod(Model):
    title: Text
    tier: Id | None = Field(None, description="The id of the data tier this period covers.")
    period: Markdown


class Rights(Model):
    text: Markdown
    contacts: list[ContactRef] = Field(default_factory=list)
    complaint: Markdown | None = None


class Change(Model):
    date: datetime.date
    summary: Text


class NoticeBase(Model):
    slug: Id = Field(description="The page's address: lowercase words joined by hyphens.")
    title: Text
    summary: Text = Field(description="One line for the list of notices.")
    last_updated: datetime.date
    version: Text = "1"
    changes: list[Change] = Field(default_factory=list)


NotApplicableItem = Literal["data-protection-officer", "sources", "transfers", "statutory-requirement",
                            "public-authority-restriction"]
"""The checklist items that apply only sometimes and that the rest of the notice cannot answer."""


class ServiceNotice(NoticeBase):
    kind: Literal["service"]
    introduction: Markdown | None = None
    information_collected: InformationCollected
    sources: Sources | None = None
    used_by: UsedBy
    purposes: Purposes
    why: Markdown
    lawful_basis: LawfulBasisSection
    legislation: LegislationSection
    sharing: Sharing
    security: Markdown
    automated_decisions: Markdown
    transfers: Transfers
    retention: list[RetentionPeriod] | None = None
    rights: Rights
    statutory_requirement: Markdown | None = Field(
        None, description="Whether people must give this information (by law or by contract) and what happens"
        " if they do not (UK GDPR Article 13(2)(e)).")
    not_applicable: dict[NotApplicableItem, Text] | None = Field(
        None, description="Checklist items that do not apply to this service, each with the reason; the"
        " compliance check treats silence as missing.")


class MainSection(Model):
    id: Id
    heading: Text
    body: Markdown
    contacts: list[ContactRef] = Field(default_factory=list)


class Right(Model):
    right: Literal["informed", "access", "rectification", "erasure", "restriction", "portability",
                   "object", "automated-decisions", "withdraw-consent"]
    title: Text
    text: Markdown


class RightsList(Model):
    intro: Markdown
    items: list[Right] = Field(min_length=1)


class MainNotice(NoticeBase):
    kind: Literal["main"]
    introduction: Markdown
    sections: list[MainSection] = Field(min_length=1)
    rights: RightsList
    rights_after: str = Field("", description="The id of the section the rights list follows.")


NOTICE_MODELS: dict[str, type[NoticeBase]] = {"service": ServiceNotice, "main": MainNotice}
