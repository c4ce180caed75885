"""The registers and the site file: what is written once and referred to by id."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field, ValidationInfo, model_validator

from .fields import (
    ActRef,
    ContactRef,
    Email,
    Id,
    Markdown,
    Model,
    OrganisationRef,
    Phone,
    Text,
    Url,
)
from .policy_document import PolicyDocument

# --- Registers -------------------------------------------------------------------------


class LawfulBasis(Model):
    """One provision of law a notice can rely on, with its statutory wording."""

    id: Id
    kind: Literal["article-6", "article-9", "article-10", "schedule-1"]
    article: Text = Field(description="How the page cites it, e.g. 'Article 6(1)(e)'.")
    title: Text = Field(description="A short plain-English title, e.g. 'Public task'.")
    wording: Text = Field(description="The statutory wording, verbatim, as in force today.")
    source: Url = Field(description="The legislation.gov.uk address of the provision: the page links to it.")
    verified: bool = Field(description="false when the exact current wording could not be confirmed.")
    verification_note: Text | None = Field(None, exclude=True, description=(
        "What is uncertain, when not verified. For staff: `notices check` and its report show it; it is"
        " never published."))
    read_on: datetime.date | None = Field(None, exclude=True, description=(
        "The date the wording was last read against its source. For staff: never published."))
    read_from: Text | None = Field(None, exclude=True, description=(
        "What was read on `read_on`: the legislation.gov.uk address, or a named copy of its text (say so),"
        " or the amending Act. For staff: never published."))
    public_authority_tasks: bool | None = Field(None, description=(
        "false when a public authority cannot rely on this basis for processing in the performance of its"
        " tasks (UK GDPR Article 6(1), last subparagraph: points (ea) and (f)); left out otherwise."))
    public_authority_note: Text | None = Field(None, description=(
        "Said on the lawful-bases page, in words for families, when `public_authority_tasks` is false."))
    needs_schedule_1: Literal["part-1", "part-2", "none"] | None = None
    schedule_1_part: Literal[1, 2, 3] | None = None
    needs_policy_document: bool | None = None

    @model_validator(mode="after")
    def _unverified_says_why(self) -> LawfulBasis:
        if not self.verified and not self.verification_note:
            raise ValueError("an entry with `verified: false` needs a `verification_note` saying what is"
                             " uncertain")
        if self.public_authority_tasks is False and not self.public_authority_note:
            raise ValueError("an entry with `public_authority_tasks: false` needs a `public_authority_note`"
                             " saying so in words for families")
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
    read_on: datetime.date | None = Field(None, exclude=True, description=(
        "The date the title, citation and address were last read. For staff: never published."))
    read_from: Text | None = Field(None, exclude=True, description=(
        "What was read on `read_on`: a legislation.gov.uk page, or a named copy of its text (say so)."
        " For staff: never published."))
    status: Literal["in-force", "repealed", "revoked", "replaced"] = Field(
        "in-force", description="Whether it still applies: 'in-force', or 'repealed' (an Act), 'revoked' (an"
        " instrument) or 'replaced' (superseded by other law, its formal end not confirmed). Anything but"
        " 'in-force' is never shown as current law, and `notices check` warns where a notice cites it.")
    status_date: datetime.date | None = Field(
        None, description="When it was repealed, revoked or replaced, if that date is confirmed.")
    replaced_by: ActRef | None = Field(
        None, description="The register id of the law that replaced it, where the register has one.")
    replaced_by_text: Text | None = Field(
        None, description="What replaced it, in words for the page (where no register entry says it all),"
        " e.g. 'safeguarding partner arrangements under the Children Act 2004'.")
    status_source: Url | None = Field(
        None, exclude=True, description="Where the status was read (a legislation.gov.uk address): for"
        " staff, in `notices check`; never on the page nor in notice.json.")

    @model_validator(mode="after")
    def _status_is_whole(self, info: ValidationInfo) -> Act:
        ended = self.status != "in-force"
        if not ended and (self.status_date or self.replaced_by or self.replaced_by_text):
            raise ValueError("`status_date`, `replaced_by` and `replaced_by_text` are for law that is no"
                             " longer in force | set `status:` to repealed, revoked or replaced, or remove"
                             " them")
        if self.status == "replaced" and not (self.replaced_by or self.replaced_by_text):
            raise ValueError("a law with `status: replaced` needs `replaced_by` (a register id) or"
                             " `replaced_by_text` saying what replaced it")
        # The register must say where the status was read; notice.json leaves that out (it is read back
        # without the register's context, by tests/test_export.py and by anyone with the schema).
        if ended and not self.status_source and info.context:
            raise ValueError("a law that is no longer in force needs `status_source`: the address the status"
                             " was read from")
        if self.replaced_by == self.id:
            raise ValueError("`replaced_by` names the law itself | give the id of the law that replaced it")
        return self


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


class DataSubject(Model):
    """A category of people whose information a notice is about, such as children or foster carers."""

    id: Id
    name: Text = Field(description="The category's name as the notices show it, e.g. 'Foster carers'.")
    description: Text = Field(description="Who is in it, in plain words, e.g. 'People we have approved to"
                              " foster'.")


class DataSubjectsFile(Model):
    data_subjects: list[DataSubject]


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


class JointController(Model):
    """Another controller that decides with ours why and how information is used (UK GDPR Art 26)."""

    organisation: OrganisationRef = Field(description="The other controller, by its organisations.yaml id.")
    arrangement: Markdown | None = Field(
        None, description="The essence of the arrangement between the joint controllers, in plain words: who"
        " does what, and who people can contact (UK GDPR Article 26(2)). Left empty while it is not yet"
        " confirmed: the compliance check reports the gap, and the page does not name the body.")
class ReadingAgeTargets(Model):
    """The reading ages `notices check` warns above (reading age = Flesch–Kincaid grade + 5)."""

    notices: float = Field(12, ge=5, le=25, description="The most a full notice's sections should need.")
    young_people: float = Field(9, ge=5, le=25, description="The most a young people's version's sections"
                                " should need.")


class SiteFile(Model):
    title: Text = Field(description="The site's name, shown in every page header.")
    controller: OrganisationRef = Field(description="The organisation that is the data controller.")
    base_url: Url = Field(description="Where the site is published; sitemap and canonical links use it.")
    language: Text = "en-GB"
    data_protection_officer: ContactRef
    regulator: ContactRef = Field(description="The supervisory authority's contact (the ICO).")
    controller_contact: ContactRef | None = Field(
        None, description="The controller's own contact (UK GDPR Article 13(1)(a)), not the data protection"
        " officer's (13(1)(b)). Left empty while the contact is not confirmed: the compliance check reports"
        " it.")
    complaint_form: ContactRef | None = Field(
        None, description="The contact whose `url` is the controller's complaint form, which can be completed"
        " electronically (DPA 2018 s.164A(2)); the main notice lists it in its complaints section. Left"
        " empty while it is not confirmed: the compliance check reports it.")
    joint_controllers: list[JointController] = Field(
        default_factory=list, description="Other bodies that are controllers jointly with ours (UK GDPR"
        " Article 26). Declare one only once the legal set-up is confirmed.")
    to_confirm: list[Literal["controller_contact", "complaint_form", "joint_controllers"]] = Field(
        default_factory=list, description="The site facts above that the controller has not yet confirmed, so"
        " left out: the compliance check reports each one to staff, and no page guesses them.")

    @model_validator(mode="after")
    def _confirmed_or_not(self) -> SiteFile:
        given = [name for name in self.to_confirm if getattr(self, name)]
        if given:
            raise ValueError(f"`{given[0]}` is given, but also listed under `to_confirm`: take it out of"
                             " `to_confirm` once it is confirmed")
        return self
    contacts: list[Contact]
    accessibility: AccessibilityStatement
    policy_document: PolicyDocument | None = Field(
        None, description="The appropriate policy document (DPA 2018 Schedule 1 Part 4): with it, the site"
        " has an /appropriate-policy-document/ page that every notice relying on a condition needing one"
        " links to (docs/appropriate-policy-document.md).")
    reading_age: ReadingAgeTargets = Field(default_factory=ReadingAgeTargets, description="Reading-age"
                                           " targets for `notices check` (see docs/young-people.md).")
