"""How long information is kept, in words: one plain sentence per retention entry.

A retention entry may give its period as numbers (`period: {years: 10}`), the event it runs from
and the law that sets it; the page, processing.csv and the JSON-LD all say it with the same words,
made here: "Approved foster carers: we keep this for 10 years from the date approval ends, as the
Fostering Services (England) Regulations 2011 require." A period written in words is shown as
written.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.resolve import Notice
from ..content.schema import Act, RetentionPeriod, RetentionSpan, ServiceNotice


@dataclass(frozen=True)
class RetentionText:
    """One retention entry's words: who it is for, how long, and the law that sets it."""

    label: str
    """Who or what the entry is for: its title, else its data subjects' names, else its tier's title."""
    how_long: str
    """'for 10 years from the date the case is closed', 'until the person it is about is 25'; for a
    period written in words, that text (Markdown)."""
    law: Act | None
    structured: bool

    @property
    def verb(self) -> str:
        """'require' after Regulations (plural), 'requires' after an Act or an Order."""
        return "require" if self.law and "Regulations" in self.law.title else "requires"

    @property
    def the_law(self) -> str:
        """The law's title as a sentence says it: 'the Children Act 1989' ('The ...' titles keep theirs)."""
        if self.law is None:
            return ""
        title = self.law.title
        return title[0].lower() + title[1:] if title.startswith("The ") else f"the {title}"

    @property
    def sentence(self) -> str:
        """The whole entry as one line of plain text (a period in words keeps its own words)."""
        if not self.structured:
            text = f"{self.label}: {' '.join(self.how_long.split())}"
            return f"{text} (set by {self.the_law})" if self.law else text
        law = f", as {self.the_law} {self.verb}" if self.law else ""
        return f"{self.label}: we keep this {self.how_long}{law}."


def span_words(span: RetentionSpan) -> str:
    """'10 years', '1 year and 6 months', '6 months', or 'until age 25': the period alone."""
    if span.until_age is not None:
        return f"until age {span.until_age}"
    parts = [f"{count} {unit}{'' if count == 1 else 's'}"
             for count, unit in ((span.years, "year"), (span.months, "month")) if count]
    return " and ".join(parts)


def retention_text(period: RetentionPeriod, notice: Notice) -> RetentionText:
    """The words for one of the notice's retention entries."""
    law = notice.retention_laws.get(period.set_by) if period.set_by else None
    label = period.title or _label(period, notice)
    return RetentionText(label, how_long(period), law, structured=isinstance(period.period, RetentionSpan))


def how_long(period: RetentionPeriod) -> str:
    """'for 10 years from the date the case is closed', 'until the person it is about is 25', or the
    period written in words (Markdown), as written."""
    span = period.period
    if not isinstance(span, RetentionSpan):
        return span
    if span.until_age is not None:
        return f"until the person it is about is {span.until_age}"
    return f"for {span_words(span)}" + (f" from {period.runs_from}" if period.runs_from else "")


def _label(period: RetentionPeriod, notice: Notice) -> str:
    names = [notice.subjects[s].name for s in period.data_subjects if s in notice.subjects]
    if names:
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    content = notice.content
    if period.tier and isinstance(content, ServiceNotice):
        tier = next((t for t in content.information_collected.tiers if t.id == period.tier), None)
        if tier is not None:
            return tier.title or tier.id
    return period.tier or "This information"
