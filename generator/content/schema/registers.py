"""The registers and the site file: what is written once and referred to by id."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field, model_validator

from .fields import (
    ContactRef,
    Email,
    Id,
    Model,
    OrganisationRef,
    Phone,
    Text,
    Url,
)

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
    contacts: list[Contact]
    accessibility: AccessibilityStatement
    reading_age: ReadingAgeTargets = Field(default_factory=ReadingAgeTargets, description="Reading-age"
                                           " targets for `notices check` (see docs/young-people.md).")
