"""How long a notice keeps information: in numbers (years, months, until an age), from an event, set by
a law; or in words, for what numbers cannot say. The page, processing.csv and the JSON-LD say it in one
sentence (generator/site/retention.py)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag, model_validator

from .fields import SUBJECT_IDS, ActRef, DataSubjectRef, Id, Markdown, Model, Text


class RetentionSpan(Model):
    """How long, as numbers: years and/or months, or until the person reaches an age."""

    years: int | None = Field(None, ge=1, le=200, description="Whole years, e.g. 10.")
    months: int | None = Field(None, ge=1, le=2400, description="Whole months, alone or after `years`.")
    until_age: int | None = Field(None, ge=1, le=150, description=(
        "Kept until the person the information is about reaches this age, e.g. 25."))

    @model_validator(mode="after")
    def _one_kind(self) -> RetentionSpan:
        if self.until_age is not None and (self.years or self.months):
            raise ValueError("a period is either `years`/`months` or `until_age`, not both"
                             " | write two retention entries if both apply")
        if self.until_age is None and not (self.years or self.months):
            raise ValueError("a period needs `years:`, `months:` or `until_age:` | e.g. `period: {years: 6}`,"
                             " or write the period in words")
        return self


def _period_kind(value: Any) -> str:
    """A mapping is a period in numbers, anything else a period in words: each is checked as that alone,
    so a mistake in `{years: ten}` is not also reported as "must be text"."""
    return NUMBERS if isinstance(value, dict | RetentionSpan) else WORDS


NUMBERS, WORDS = "period in numbers", "period in words"
UNION_TAGS = frozenset({NUMBERS, WORDS})
"""The two kinds of period, as pydantic names them in an error's location: messages.py leaves them out,
so an error is reported at the key the editor wrote."""
Period = Annotated[Annotated[RetentionSpan, Tag(NUMBERS)] | Annotated[Markdown, Tag(WORDS)],
                   Discriminator(_period_kind)]


class RetentionPeriod(Model):
    """How long one kind of information is kept: in numbers (`period: {years: 10}`), from an event, set by
    a law; or in words, for what numbers cannot say."""

    title: Text | None = Field(None, description=(
        "Who or what the period is for, as the page shows it; when left out, the data subjects' names or"
        " the tier's title."))
    tier: Id | None = Field(None, description="The id of the data tier this period covers.")
    data_subjects: list[DataSubjectRef] = Field(default_factory=list, description=(
        f"{SUBJECT_IDS}: whose information this period is for, when it depends on who they are."))
    period: Period = Field(description=(
        "How long: `{years: 10}`, `{months: 6}` or `{until_age: 25}`; or the period in words."))
    runs_from: Text | None = Field(None, description=(
        "The event the period runs from, e.g. 'the date the case is closed' (with years or months)."))
    set_by: ActRef | None = Field(None, description=(
        "The id of the Act or regulation in content/definitions/legislation.yaml that sets this period."))

    @model_validator(mode="after")
    def _has_subject(self) -> RetentionPeriod:
        if self.title is None and self.tier is None and not self.data_subjects:
            raise ValueError("a retention entry needs a `title:`, a `tier:` or `data_subjects:` saying who or"
                             " what it is for | e.g. `title: Foster carers`")
        if self.runs_from is not None and (not isinstance(self.period, RetentionSpan)
                                           or self.period.until_age is not None):
            raise ValueError("`runs_from:` goes with a period in `years:` or `months:` | remove `runs_from:`,"
                             " or give the period as `{years: 6}`")
        return self
