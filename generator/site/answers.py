"""The structured answers in plain words: each transfer's mechanism and the Article 22C safeguards,
written once for the page (templates/components/answers.html) and the data files (processing.csv)."""

from __future__ import annotations

from ..content.bases import PurposeBases
from ..content.schema import Transfer, Transfers

DEROGATIONS = {
    "a": "you have explicitly agreed to it, after being told of its possible risks",
    "b": "it is needed for a contract between you and us, or for steps you asked for before one",
    "c": "it is needed for a contract made in your interest between us and another person",
    "d": "it is needed for important reasons of public interest",
    "e": "it is needed to make, pursue or defend legal claims",
    "f": "it is needed to protect someone's vital interests when the person cannot give consent",
    "g": "the information comes from a register that the law makes open to the public",
}
"""UK GDPR Article 49(1) points (a) to (g), in plain words."""

ART_22C_WORDS = {
    "information": "ask for information about such decisions",
    "representations": "make representations about a decision",
    "human-intervention": "ask for a person to look at the decision (human intervention)",
    "contest": "challenge (contest) the decision",
}
"""The safeguards of UK GDPR Article 22C, as the page offers them, in the order it lists them."""


def transfer_words(place: Transfer) -> str:
    """What makes one transfer lawful, in a sentence; or that the notice does not say yet."""
    if place.mechanism == "adequacy-regulations":
        return "Transfers there are approved by UK regulations (UK GDPR Article 45A)."
    if place.mechanism == "article-46-safeguards":
        return f"It is protected by {place.safeguards or 'safeguards not yet named'} (UK GDPR Article 46)."
    if place.mechanism == "article-49-derogation":
        if place.derogation is None:
            return ("No safeguard is in place; the law allows this transfer in specific situations"
                    " (UK GDPR Article 49).")
        because = DEROGATIONS[place.derogation]
        return (f"No safeguard is in place; the law allows this transfer because {because}"
                f" (UK GDPR Article 49(1)({place.derogation})).")
    return "This notice does not yet say what makes this transfer lawful or what protects the information."


def transfers_cell(answer: Transfers) -> str:
    """The transfers answer in one line, for a spreadsheet cell."""
    if answer.none:
        return "None: no information is sent outside the UK"
    if answer.destinations:
        return "; ".join(f"{place.to}: {transfer_words(place)}" for place in answer.destinations)
    return answer.text or ""


def purpose_bases_cell(purposes: tuple[PurposeBases, ...], names: dict[str, str]) -> list[str]:
    """Each purpose that names its bases, as 'purpose: basis, condition + Schedule 1 paragraph'."""
    cells = []
    for row in purposes:
        if not row.named:
            continue
        parts = [names[b.id] for b in row.article_6]
        parts += [" + ".join(names[b.id] for b in (c.condition, *c.schedule_1))
                  for c in (*row.article_9, *row.article_10)]
        cells.append(f"{row.purpose.text}: {', '.join(parts)}")
    return cells
