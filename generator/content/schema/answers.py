"""The structured answers of a service notice: the conditions a purpose relies on, transfers outside
the UK and decisions taken by computer alone. Answers, not prose, so the check can read them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .fields import Article9Ref, Article10Ref, Markdown, Model, Schedule1Ref, Text


class Condition(Model):
    """An Article 9(2) condition, with the DPA 2018 Schedule 1 paragraphs that complete it."""

    condition: Article9Ref = Field(description="The id of the Article 9(2) condition relied on (an entry of"
                                   " kind article-9 in content/definitions/lawful-bases.yaml).")
    schedule_1: list[Schedule1Ref] = Field(default_factory=list, description=(
        "The DPA 2018 Schedule 1 paragraphs that give the condition its basis in law: Part 1 for Article"
        " 9(2)(b), (h), (i) and (j), Part 2 for 9(2)(g) (DPA 2018 section 10(2), (3)); none for the others."))


class CriminalCondition(Model):
    """The Article 10 basis for criminal offence data, with the Schedule 1 paragraphs that complete it."""

    condition: Article10Ref = Field(description="The id of the Article 10 entry in"
                                    " content/definitions/lawful-bases.yaml.")
    schedule_1: list[Schedule1Ref] = Field(default_factory=list, description=(
        "The DPA 2018 Schedule 1 paragraphs relied on, from Part 1, 2 or 3 (DPA 2018 section 10(5)); none"
        " only when the processing is under the control of official authority (say which in"
        " `lawful_basis: official_authority:`)."))


Mechanism = Literal["adequacy-regulations", "article-46-safeguards", "article-49-derogation"]
Derogation = Literal["a", "b", "c", "d", "e", "f", "g"]


class Transfer(Model):
    """One place outside the UK that information goes, and what makes sending it there lawful."""

    to: Text = Field(description="Where the information goes: a country, a territory, an international"
                     " organisation, or the kind of body abroad.")
    why: Text | None = Field(None, description="Why it goes there, in a few words.")
    mechanism: Mechanism | None = Field(None, description=(
        "What the transfer relies on (UK GDPR Article 44A(2)): `adequacy-regulations` (transfers there are"
        " approved by regulations under Article 45A), `article-46-safeguards` (say which in `safeguards`"
        " and how to get a copy in `get_a_copy`) or `article-49-derogation` (say which in `derogation`)."
        " Leave it out only while it is not known: the check reports the gap; never guess it."))
    safeguards: Text | None = Field(None, description=(
        "The Article 46 safeguards relied on, e.g. 'the International Data Transfer Agreement' (only with"
        " article-46-safeguards)."))
    get_a_copy: Markdown | None = Field(None, description=(
        "How people can get a copy of the safeguards, or where they are available (only with"
        " article-46-safeguards)."))
    derogation: Derogation | None = Field(None, description=(
        "The point of UK GDPR Article 49(1) relied on, a to g (only with article-49-derogation): (a) explicit"
        " consent, (b) a contract with the person, (c) a contract in the person's interest, (d) important"
        " reasons of public interest, (e) legal claims, (f) vital interests, (g) a public register."))

    @model_validator(mode="after")
    def _details_fit_mechanism(self) -> Transfer:
        if (self.safeguards or self.get_a_copy) and self.mechanism != "article-46-safeguards":
            raise ValueError("`safeguards` and `get_a_copy` describe Article 46 safeguards | add `mechanism:"
                             " article-46-safeguards`, or remove them")
        if self.derogation and self.mechanism != "article-49-derogation":
            raise ValueError("`derogation` names an Article 49 derogation | add `mechanism:"
                             " article-49-derogation`, or remove it")
        return self


class Transfers(Model):
    """Whether information goes outside the UK and, for each place it goes, what the transfer relies on
    (UK GDPR Article 13(1)(f), 14(1)(f), as amended by the Data (Use and Access) Act 2025 Schedule 9)."""

    none: bool = Field(False, description="true when no information is sent outside the UK (`transfers:"
                       " none` is short for this).")
    destinations: list[Transfer] = Field(default_factory=list, description=(
        "Each place outside the UK the information goes, with what the transfer relies on."))
    text: Markdown | None = Field(None, description=(
        "Anything more to say, shown first. Alone (the old form) it does not answer the question: the"
        " check asks for `none: true` or `destinations:`."))
    safeguards: Markdown | None = Field(None, description=(
        "The old free-text form of the safeguards: the check asks for `destinations:` with a `mechanism`."))

    @model_validator(mode="after")
    def _none_or_destinations(self) -> Transfers:
        if self.none and self.destinations:
            raise ValueError("`none: true` says nothing goes outside the UK, but `destinations` lists places"
                             " | remove `none: true`, or the destinations")
        return self


Art22CSafeguard = Literal["information", "representations", "human-intervention", "contest"]


class AutomatedDecisions(Model):
    """Whether any decision with legal or similarly significant effects on a person is taken by computer
    alone (UK GDPR Article 13(2)(f), 14(2)(g); Articles 22A to 22D)."""

    solely_automated: bool | None = Field(None, description=(
        "true when any decision with legal or similarly significant effects on a person is taken solely by"
        " automated means, false when none is. Leave it out only while"
        " unanswered: the check reports it."))
    text: Markdown | None = Field(None, description="Anything more to say, e.g. what the computer systems"
                                  " do.")
    logic: Markdown | None = Field(None, description="When true: meaningful information about the logic"
                                   " involved.")
    significance: Markdown | None = Field(None, description="When true: the significance and the envisaged"
                                          " consequences of such decisions for the person.")
    safeguards: list[Art22CSafeguard] = Field(default_factory=list, description=(
        "When true: the safeguards of UK GDPR Article 22C offered: `information` (about such decisions),"
        " `representations` (the person can make them), `human-intervention` (the person can obtain it),"
        " `contest` (the person can contest the decision)."))

    @model_validator(mode="after")
    def _details_only_when_automated(self) -> AutomatedDecisions:
        if self.solely_automated is False and (self.logic or self.significance or self.safeguards):
            raise ValueError("`logic`, `significance` and `safeguards` describe decisions taken by computer"
                             " alone | set `solely_automated: true`, or remove them")
        return self


def shorthand_schema(shorthand: dict[str, Any]) -> Any:
    """JSON Schema for a field holding an object that may also be written as `shorthand`."""

    def extend(schema: dict[str, Any]) -> None:
        written = {key: schema.pop(key) for key in list(schema) if key not in ("description", "title")}
        schema["anyOf"] = [shorthand, written]

    return extend
