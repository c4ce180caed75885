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
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic import model_validator

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{8,16}[0-9]$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:[0-9]+)?(/[^\s<>\"]*)?$")

REGISTER_FILES = {
    "lawful_bases": "content/definitions/lawful-bases.yaml",
    "legislation": "content/definitions/legislation.yaml",
    "organisations": "content/definitions/organisations.yaml",
    "contacts": "content/site.yaml",
}
_REGISTER_NOUNS = {
    "lawful_bases": "lawful basis",
    "legislation": "Act or regulation",
    "organisations": "organisation",
    "contacts": "contact",
}


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("this must not be empty")
    return value


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"'{value}' is not an email address (it should look like name@example.org.uk)")
    return value


def _phone(value: str) -> str:
    if not _PHONE.match(value):
        raise ValueError(f"'{value}' is not a phone number (digits and spaces, like 0303 123 1113)")
    return value


def _url(value: str) -> str:
    if not _URL.match(value):
        raise ValueError(f"'{value}' is not a web address: it must start with https:// (or http://)")
    return value


Text = Annotated[str, AfterValidator(_text), Field(description="Plain text.")]
Markdown = Annotated[str, AfterValidator(_text), Field(description="Markdown text (no raw HTML).")]
Id = Annotated[str, Field(pattern=ID_PATTERN, description="Lowercase words and digits joined by hyphens.")]
Email = Annotated[str, AfterValidator(_email), Field(description="An email address.")]
Phone = Annotated[str, AfterValidator(_phone), Field(description="A phone number, digits and spaces.")]
Url = Annotated[str, AfterValidator(_url), Field(description="A web address starting with https://.")]


def reference(register: str, kinds: tuple[str, ...] = ()) -> Any:
    """A field holding the id of an entry in `register` (optionally of certain kinds)."""

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
            raise ValueError(f"'{value}' is a {known[value]} entry; this list takes {' or '.join(kinds)}")
        return value

    description = f"The id of an entry in {REGISTER_FILES[register]}."
    return Annotated[str, Field(pattern=ID_PATTERN, description=description), AfterValidator(check)]


OrganisationRef = reference("organisations")
ActRef = reference("legislation")
ContactRef = reference("contacts")
Article6Ref = reference("lawful_bases", ("article-6",))
Article9Ref = reference("lawful_bases", ("article-9",))
Schedule1Ref = reference("lawful_bases", ("schedule-1",))
CriminalRef = reference("lawful_bases", ("article-10", "schedule-1"))


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
    title: Text | None = Field(None, description="The tier's heading; may be left out when there is one tier.")
    intro: Markdown | None = None
    items: list[DataItem] = Field(min_length=1)

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
    outro: Markdown | None = None


class LegislationSection(Model):
    intro: Markdown
    acts: list[ActRef] = Field(min_length=1)


class Recipient(Model):
    organisation: OrganisationRef
    why: Markdown | None = None


class Sharing(Model):
    intro: Markdown | None = None
    recipients: list[Recipient] = Field(min_length=1)
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
