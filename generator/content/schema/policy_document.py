"""The appropriate policy document's own content, written once in site.yaml (`policy_document:`).

DPA 2018 Schedule 1 paragraph 39 asks for a document that explains (a) the controller's procedures for
securing compliance with the Article 5 principles and (b) its retention and erasure policies, with an
indication of how long the data is likely to be kept. The Trust writes (a) and the policy part of (b)
here; the build adds the rest from the notices: which conditions they rely on, which notices, what
data and for how long (generator/site/policy_document.py).
"""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field

from .fields import ContactRef, Markdown, Model

Principle = Literal["lawfulness-fairness-transparency", "purpose-limitation", "data-minimisation", "accuracy",
                    "storage-limitation", "integrity-confidentiality", "accountability"]

PRINCIPLES: tuple[tuple[Principle, str, str], ...] = (
    ("lawfulness-fairness-transparency", "Article 5(1)(a)", "Lawfulness, fairness and transparency"),
    ("purpose-limitation", "Article 5(1)(b)", "Purpose limitation"),
    ("data-minimisation", "Article 5(1)(c)", "Data minimisation"),
    ("accuracy", "Article 5(1)(d)", "Accuracy"),
    ("storage-limitation", "Article 5(1)(e)", "Storage limitation"),
    ("integrity-confidentiality", "Article 5(1)(f)", "Integrity and confidentiality (security)"),
    ("accountability", "Article 5(2)", "Accountability"),
)
"""The UK GDPR Article 5 principles, in the Article's order: the page's headings and the check's list."""


class PolicyDocument(Model):
    """The Trust's appropriate policy document (DPA 2018 Schedule 1 Part 4): what only the Trust can say.
    The conditions, the notices relying on them, the data and the retention periods come from the notices."""

    introduction: Markdown | None = Field(
        None, description="What the Trust says first, after the generated explanation of the document.")
    principles: dict[Principle, Markdown] = Field(
        default_factory=dict, description="The Trust's procedures for securing compliance with each UK GDPR"
        " Article 5 principle, for the processing under these conditions (DPA 2018 Schedule 1 paragraph"
        " 39(a)); `notices check` reports each principle left out.")
    retention_and_erasure: Markdown | None = Field(
        None, description="The Trust's policies on keeping and erasing this data: who decides, how records"
        " are reviewed and destroyed (paragraph 39(b)). The periods come from each notice's `retention`.")
    responsible: ContactRef | None = Field(
        None, description="The contact (in `contacts`) responsible for the document and its review.")
    last_reviewed: datetime.date | None = Field(
        None, description="When the document was last reviewed (paragraph 40(1)(b)).")
    next_review: datetime.date | None = Field(
        None, description="When it will next be reviewed; `notices check` warns once the date has passed.")
