"""The shape of notice.json: the content models with each register reference replaced by its entry.

export.py builds each file as these models describe it, and the published JSON Schema is generated
from them, so the data and its schema cannot disagree. Staff-only register fields (research notes,
where and when a text was read) are left out here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from ..content import schema

# --- The export models: the content models with each reference replaced by its entry -----


class EmbeddedSource(schema.Source):
    organisation: schema.Organisation | None = None  # type: ignore[assignment]


class EmbeddedDataItem(schema.DataItem):
    data_subjects: list[schema.DataSubject] = Field(default_factory=list)  # type: ignore[assignment]


class EmbeddedDataTier(schema.DataTier):
    data_subjects: list[schema.DataSubject] = Field(default_factory=list)  # type: ignore[assignment]
    items: list[EmbeddedDataItem] = Field(min_length=1)  # type: ignore[assignment]


class EmbeddedInformationCollected(schema.InformationCollected):
    tiers: list[EmbeddedDataTier] = Field(min_length=1)  # type: ignore[assignment]


class EmbeddedRetentionPeriod(schema.RetentionPeriod):
    data_subjects: list[schema.DataSubject] = Field(default_factory=list)  # type: ignore[assignment]
    set_by: schema.Act | None = None  # type: ignore[assignment]


class EmbeddedSources(schema.Sources):
    items: list[EmbeddedSource] = Field(min_length=1)  # type: ignore[assignment]


class EmbeddedUsedBy(schema.UsedBy):
    organisations: list[schema.Organisation] = Field(min_length=1)  # type: ignore[assignment]


class PublishedLawfulBasis(schema.LawfulBasis):
    """A register entry as notice.json gives it: without the staff's research fields (the note on what is
    unconfirmed, where and when it was read), which are never published."""

    @model_validator(mode="after")
    def _unverified_says_why(self) -> PublishedLawfulBasis:  # the note it asks for stays with the staff
        return self


class EmbeddedCondition(schema.Condition):
    condition: PublishedLawfulBasis  # type: ignore[assignment]
    schedule_1: list[PublishedLawfulBasis] = Field(default_factory=list)  # type: ignore[assignment]


class EmbeddedCriminalCondition(schema.CriminalCondition):
    condition: PublishedLawfulBasis  # type: ignore[assignment]
    schedule_1: list[PublishedLawfulBasis] = Field(default_factory=list)  # type: ignore[assignment]


class EmbeddedPurpose(schema.Purpose):
    article_6: list[PublishedLawfulBasis] = Field(default_factory=list)  # type: ignore[assignment]
    article_9: list[EmbeddedCondition] = Field(default_factory=list)  # type: ignore[assignment]
    article_10: list[EmbeddedCriminalCondition] = Field(default_factory=list)  # type: ignore[assignment]


class EmbeddedPurposes(schema.Purposes):
    items: list[EmbeddedPurpose] = Field(min_length=1)  # type: ignore[assignment]


class EmbeddedLawfulBases(schema.LawfulBasisSection):
    article_6: list[PublishedLawfulBasis] = Field(default_factory=list)  # type: ignore[assignment]
    article_9: list[PublishedLawfulBasis] = Field(default_factory=list)  # type: ignore[assignment]
    schedule_1: list[PublishedLawfulBasis] = Field(default_factory=list)  # type: ignore[assignment]
    criminal_offence: list[PublishedLawfulBasis] = Field(default_factory=list)  # type: ignore[assignment]


class EmbeddedLegislation(schema.LegislationSection):
    acts: list[schema.Act] = Field(min_length=1)  # type: ignore[assignment]


class EmbeddedRecipient(schema.Recipient):
    organisation: schema.Organisation  # type: ignore[assignment]


class EmbeddedSharing(schema.Sharing):
    recipients: list[EmbeddedRecipient] = Field(min_length=1)  # type: ignore[assignment]


class EmbeddedRights(schema.Rights):
    contacts: list[schema.Contact] = Field(default_factory=list)  # type: ignore[assignment]


class EmbeddedMainSection(schema.MainSection):
    contacts: list[schema.Contact] = Field(default_factory=list)  # type: ignore[assignment]


class Published(schema.Model):
    """What every exported notice adds to its content: where it lives and who answers for it."""

    schema_url: str = Field(alias="$schema", description="The JSON Schema this file follows.")
    url: str = Field(description="The notice's page, as published.")
    controller: schema.Organisation = Field(description="The data controller.")
    data_protection_officer: schema.Contact
    regulator: schema.Contact = Field(description="The supervisory authority (the ICO).")
    controller_contact: schema.Contact | None = Field(
        None, description="The controller's own contact, apart from the DPO's (UK GDPR Article 13(1)(a));"
        " absent while site.yaml has none confirmed.")
    cited_legislation: list[schema.Act] = Field(default_factory=list, description=(
        "The Acts the notice's text links to (written `[words](law:ID)` in its Markdown, the id of an entry"
        " here), and what replaced any law it cites that is no longer in force: the legislation its page"
        " shows beyond `legislation.acts`, each once, in the order first named."))


class ServiceNoticeExport(Published, schema.ServiceNotice):
    data_subjects: list[schema.DataSubject] = Field(default_factory=list)  # type: ignore[assignment]
    information_collected: EmbeddedInformationCollected  # type: ignore[assignment]
    retention: list[EmbeddedRetentionPeriod] | None = None  # type: ignore[assignment]
    sources: EmbeddedSources | None = None  # type: ignore[assignment]
    used_by: EmbeddedUsedBy  # type: ignore[assignment]
    purposes: EmbeddedPurposes  # type: ignore[assignment]
    lawful_basis: EmbeddedLawfulBases  # type: ignore[assignment]
    legislation: EmbeddedLegislation  # type: ignore[assignment]
    sharing: EmbeddedSharing  # type: ignore[assignment]
    rights: EmbeddedRights  # type: ignore[assignment]


class MainNoticeExport(Published, schema.MainNotice):
    sections: list[EmbeddedMainSection] = Field(min_length=1)  # type: ignore[assignment]


ExportedNotice = Annotated[ServiceNoticeExport | MainNoticeExport, Field(discriminator="kind")]
