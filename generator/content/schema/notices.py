"""The notices: the main notice and one per service, naming register entries by id."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from .answers import AutomatedDecisions, Condition, CriminalCondition, Transfers, shorthand_schema
from .fields import (
    SUBJECT_IDS,
    ActRef,
    Article6Ref,
    Article9Ref,
    ContactRef,
    CriminalRef,
    DataSubjectRef,
    Id,
    Markdown,
    Model,
    OrganisationRef,
    Schedule1Ref,
    Text,
    Url,
    _shorthand,
)
from .retention import RetentionPeriod

# --- Notices ---------------------------------------------------------------------------


class DataItem(Model):
    name: Text = Field(description="One kind of information, as the notice lists it.")
    special_category: bool = Field(False, description="Special category data (UK GDPR Article 9).")
    criminal_offence: bool = Field(False, description="Criminal offence data (UK GDPR Article 10).")
    data_subjects: list[DataSubjectRef] = Field(default_factory=list, description=(
        f"{SUBJECT_IDS}: whose information this item is, when it is not everyone its tier is about, e.g. a"
        " household member's DBS check."))


def expand_shorthand(items: Any, key: str) -> Any:
    """Let editors write `- address` for `- name: address` in long lists."""
    if isinstance(items, list):
        return [{key: item} if isinstance(item, str) else item for item in items]
    return items


class DataTier(Model):
    id: Id
    title: Text | None = Field(None, description="The tier's heading; may be left out if there is one tier.")
    intro: Markdown | None = None
    data_subjects: list[DataSubjectRef] = Field(default_factory=list, description=(
        f"{SUBJECT_IDS}: whose information this tier is, when it is not everyone the notice is about."))
    items: list[DataItem] = Field(min_length=1, json_schema_extra=_shorthand(
        "Shorthand for `name: ...` when the item is neither special category nor criminal and names no"
        " data subjects."))

    @field_validator("items", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_shorthand(value, "name")


class InformationCollected(Model):
    intro: Markdown | None = None
    tiers: list[DataTier] = Field(min_length=1)


class Source(Model):
    """Where information comes from: an organisation in the register, or a kind of person or body
    described in words (referees, previous employers) that is no organisation of the register."""

    organisation: OrganisationRef | None = Field(None, description=(
        "The id of an entry in content/definitions/organisations.yaml; or write `category:` instead."))
    category: Text | None = Field(None, description=(
        "A kind of person or body that is not one organisation, in plain words, e.g. 'Referees you name'"
        " or 'Your previous employers'; or write `organisation:` instead."))
    data: Text = Field(description="What information comes from this source.")
    special_category: bool = Field(False, description="Special category data (UK GDPR Article 9).")
    criminal_offence: bool = Field(False, description="Criminal offence data (UK GDPR Article 10).")

    @model_validator(mode="after")
    def _one_source(self) -> Source:
        if (self.organisation is None) == (self.category is None):
            raise ValueError("a source needs either `organisation:` (a register id) or `category:` (a kind of"
                             " person or body, in words), not both | e.g. `category: Referees you name`")
        return self


class Sources(Model):
    intro: Markdown | None = None
    items: list[Source] = Field(min_length=1)


class UsedBy(Model):
    text: Markdown
    organisations: list[OrganisationRef] = Field(min_length=1)


class Purpose(Model):
    """One thing the service uses the information for; the id lets other content refer to it, and the
    bases say what law allows it (UK GDPR Article 13(1)(c): the purposes *and* their legal basis)."""

    id: Id | None = Field(None, description="A short name other content uses to refer to this purpose,"
                          " e.g. the young people's version.")
    text: Text = Field(description="The purpose, as the notice lists it.")
    article_6: list[Article6Ref] = Field(default_factory=list, description=(
        "The UK GDPR Article 6(1) lawful basis for this purpose (usually one): ids of entries of kind"
        " article-6 in content/definitions/lawful-bases.yaml."))
    article_9: list[Condition] = Field(default_factory=list, description=(
        "When this purpose uses special category data: the Article 9(2) condition, each with the DPA 2018"
        " Schedule 1 paragraphs it needs, e.g. `- {condition: art9-2-h, schedule_1: [dpa-sch1-para2]}`."),
        json_schema_extra=_shorthand("Shorthand for `condition: ...` when no Schedule 1 paragraph is"
                                     " needed."))
    article_10: list[CriminalCondition] = Field(default_factory=list, description=(
        "When this purpose uses criminal offence data: the Article 10 basis with the DPA 2018 Schedule 1"
        " paragraphs relied on, e.g. `- {condition: art10, schedule_1: [dpa-sch1-para18]}`."))

    @field_validator("article_9", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_shorthand(value, "condition")


class Purposes(Model):
    intro: Markdown
    items: list[Purpose] = Field(min_length=1, json_schema_extra=_shorthand(
        "Shorthand for `text: ...` when the purpose needs no id."))

    @field_validator("items", mode="before")
    @classmethod
    def _expand(cls, value: Any) -> Any:
        return expand_shorthand(value, "text")


class LawfulBasisSection(Model):
    intro: Markdown | None = None
    article_6: list[Article6Ref] = Field(default_factory=list, description=(
        "The Article 6(1) lawful bases of the whole notice, as one list. Better: name each purpose's basis"
        " under `purposes:` (UK GDPR Article 13(1)(c)); this list is for a notice published that way."))
    special_category_intro: Markdown | None = None
    article_9: list[Article9Ref] = Field(default_factory=list, description=(
        "The Article 9(2) conditions of the whole notice, as one list; better paired with their Schedule 1"
        " paragraphs under each purpose (`purposes: items: article_9:`)."))
    schedule_1: list[Schedule1Ref] = Field(default_factory=list, description=(
        "The DPA 2018 Schedule 1 paragraphs of the whole notice, as one list; better paired with the"
        " condition they complete, under each purpose."))
    criminal_offence: list[CriminalRef] = Field(default_factory=list, description=(
        "Article 10 and the Schedule 1 paragraphs for criminal offence data of the whole notice, as one"
        " list; better under each purpose (`article_10:`)."))
    legitimate_interests: Markdown | None = Field(
        None, description="The legitimate interests pursued, when Article 6(1)(f) or (ea) is relied on"
        " (UK GDPR Article 13(1)(d), 14(2)(b)).")
    official_authority: Markdown | None = Field(
        None, description="The official authority under which criminal offence data is processed, when no"
        " Schedule 1 condition is relied on (UK GDPR Article 10).")
    policy_document: Url | None = Field(
        None, description="The address of an appropriate policy document published elsewhere (DPA 2018"
        " Schedule 1, paragraphs 38 to 41); without it, the notice links to the site's own page (site.yaml"
        " `policy_document:`).")
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


class Rights(Model):
    text: Markdown
    contacts: list[ContactRef] = Field(default_factory=list)
    complaint: Markdown | None = None


class Change(Model):
    date: datetime.date
    summary: Text
    editorial: bool = Field(
        False, description="A correction that does not change what the notice tells readers (typing errors,"
        " broken links, formatting): kept in notice.json and the feed, not listed on the page.")


class NoticeBase(Model):
    slug: Id = Field(description="The page's address: lowercase words joined by hyphens.")
    title: Text
    summary: Text = Field(description="One line for the list of notices.")
    last_updated: datetime.date
    version: Text = "1"
    changes: list[Change] = Field(default_factory=list)


NotApplicableItem = Literal["data-protection-officer", "sources", "transfers", "statutory-requirement",
                            "public-authority-restriction", "blanket-consent"]
"""The checklist items that apply only sometimes and that the rest of the notice cannot answer."""


class ServiceNotice(NoticeBase):
    kind: Literal["service"]
    introduction: Markdown | None = None
    data_subjects: list[DataSubjectRef] = Field(default_factory=list, description=(
        f"{SUBJECT_IDS}: who the notice is about (UK GDPR Article 30(1)(c))."))
    information_collected: InformationCollected
    sources: Sources | None = None
    used_by: UsedBy
    purposes: Purposes
    why: Markdown
    lawful_basis: LawfulBasisSection
    legislation: LegislationSection
    sharing: Sharing
    security: Markdown
    automated_decisions: AutomatedDecisions = Field(description=(
        "Whether any decision with legal or similarly significant effects is taken by computer alone"
        " (UK GDPR Article 13(2)(f), 14(2)(g); Articles 22A to 22D)."), json_schema_extra=shorthand_schema(
        {"type": "string", "minLength": 1, "description": "The old free-text form: the check asks for"
         " `solely_automated:`."}))
    transfers: Transfers = Field(description=(
        "Whether information goes outside the UK and what each transfer relies on (UK GDPR Article"
        " 13(1)(f), 14(1)(f))."), json_schema_extra=shorthand_schema(
        {"const": "none", "description": "Short for `none: true`: nothing is sent outside the UK."}))
    retention: list[RetentionPeriod] | None = None
    rights: Rights
    statutory_requirement: Markdown | None = Field(
        None, description="Whether people must give this information (by law or by contract) and what happens"
        " if they do not (UK GDPR Article 13(2)(e)).")
    not_applicable: dict[NotApplicableItem, Text] | None = Field(
        None, description="Checklist items that do not apply to this service, each with the reason; the"
        " compliance check treats silence as missing.")

    @field_validator("automated_decisions", mode="before")
    @classmethod
    def _prose_only(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value

    @field_validator("transfers", mode="before")
    @classmethod
    def _transfers_none(cls, value: Any) -> Any:
        return {"none": True} if value == "none" else value


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
