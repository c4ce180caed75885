"""The young people's version of a notice: its own words, tied to the full notice by id.

Each file in content/young-people/ is named after the notice it goes with (`<slug>.yaml`). It is
written for the children the notice is about, not generated from the legal text; what keeps it in
step is that every purpose, recipient and right of the full notice is named by id in one of its
sections or left out with a reason (checked by generator/content/young_people.py).
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field

from .fields import ContactRef, Id, Markdown, Model, OrganisationRef, Text
from .notices import Right

RightKind = Right.model_fields["right"].annotation
"""The kinds of right the main notice lists (`rights.items[].right`)."""

Icon = Literal["folder", "people", "question", "shield", "speech", "clock", "star"]
"""The small pictures a section may show beside its heading (templates/components/young-icons.html)."""


class YoungSection(Model):
    """One short part of the young people's version, and what in the full notice it explains."""

    id: Id = Field(description="The section's anchor on the page.")
    heading: Text = Field(description="A short heading, such as 'Who sees it'.")
    icon: Icon | None = Field(None, description="A small picture shown beside the heading (it is decorative:"
                              " the heading says the same).")
    body: Markdown = Field(description="Short sentences, with 'you' and 'we'.")
    purposes: list[Id] = Field(default_factory=list, description="The ids of the full notice's purposes"
                               " this section explains.")
    recipients: list[OrganisationRef] = Field(default_factory=list, description="The organisations of the"
                                              " full notice's `sharing: recipients:` this section explains.")
    rights: list[RightKind] = Field(default_factory=list,  # type: ignore[valid-type]
                                    description="The kinds of right of the main notice this section"
                                    " explains.")


class LeftOut(Model):
    """What the young people's version deliberately does not explain, each with the reason."""

    purposes: dict[Id, Text] = Field(default_factory=dict, description="Purpose id -> why it is left out.")
    recipients: dict[Id, Text] = Field(default_factory=dict, description="Organisation id -> why it is left"
                                       " out.")
    rights: dict[Id, Text] = Field(default_factory=dict, description="Kind of right -> why it is left out.")


class YoungPeopleVersion(Model):
    """content/young-people/<slug>.yaml: the notice `<slug>` for the children and young people it is about."""

    title: Text = Field(description="The page's heading, such as 'Your information and our social workers'.")
    summary: Text = Field(description="One line for the list of notices.")
    last_updated: datetime.date
    introduction: Markdown = Field(description="Who this page is for and what it is about.")
    sections: list[YoungSection] = Field(min_length=1)
    talk_to: Markdown = Field(description="To talk to an adult they trust, or to contact us.")
    contacts: list[ContactRef] = Field(default_factory=list, description="Contacts shown after `talk_to`.")
    left_out: LeftOut = Field(default_factory=LeftOut, description="Items of the full notice this version"
                              " leaves out on purpose, each with the reason.")
