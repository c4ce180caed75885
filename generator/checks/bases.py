"""The rules that read each purpose's bases: every purpose names its lawful basis, and each Article 9
or 10 condition is paired with a DPA 2018 Schedule 1 paragraph of the Part the law asks for.

DPA 2018 section 10(2): Article 9(2)(b), (h), (i) and (j) need a condition in Schedule 1 Part 1;
section 10(3): 9(2)(g) needs one in Part 2; section 10(5): criminal offence data not processed under
the control of official authority needs one in Part 1, 2 or 3. The register says which Part each
condition needs (`needs_schedule_1`) and which Part each paragraph is in (`schedule_1_part`).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..content.load import Location
from ..content.schema import Condition, CriminalCondition, LawfulBasis
from ..diagnostics import shorten
from .requirements import Finding, NoticeContext, Outcome, Status, met, missing, service_only

ICO_DRAFTING = "ICO, 'How should we draft our privacy information?': the lawful basis for each purpose"
_SECTION = {1: "10(2)", 2: "10(3)"}


def listed(ctx: NoticeContext, name: str) -> tuple[LawfulBasis, ...]:
    """The bases of kind `name` the notice lists itself (under `lawful_basis:`), without its purposes'."""
    return getattr(ctx.notice, name)[:len(getattr(ctx.service.lawful_basis, name))]


def basis_location(ctx: NoticeContext, name: str, index: int) -> Location:
    """Where the notice names its `index`-th basis of kind `name`: in its own list, or in a purpose."""
    if index < len(getattr(ctx.service.lawful_basis, name)):
        return ("lawful_basis", name, index)
    wanted = getattr(ctx.notice, name)[index].id
    for i, purpose in enumerate(ctx.service.purposes.items):
        here: Location = ("purposes", "items", i)
        found = [(*here, "article_6", j) for j, b in enumerate(purpose.article_6) if b == wanted]
        named: list[tuple[str, Sequence[Condition | CriminalCondition]]] = [
            ("article_9", purpose.article_9), ("article_10", purpose.article_10)]
        for key, conditions in named:
            for j, condition in enumerate(conditions):
                if condition.condition == wanted:
                    found.append((*here, key, j))
                found += [(*here, key, j, "schedule_1", k) for k, p in enumerate(condition.schedule_1)
                          if p == wanted]
        if found:
            return found[0]
    return ("lawful_basis",)


@service_only
def purpose_bases(ctx: NoticeContext) -> Outcome:
    purposes = ctx.notice.purposes
    if not any(p.named for p in purposes):
        if not ctx.notice.article_6:
            return missing("no lawful basis named")
        return missing("one list for every purpose", Finding(
            "purpose-bases", "the notice gives one list of lawful bases for all its purposes; the ICO asks"
            " for the lawful basis of each purpose (UK GDPR Article 13(1)(c), 14(1)(c))",
            "name each purpose's basis under `purposes: items:`, e.g. `- {id: ..., text: ..., article_6:"
            " [art6-1-e]}`; the list under `lawful_basis:` can then go", ("lawful_basis", "article_6"),
            key=True))
    unnamed = [(i, p.purpose.text) for i, p in enumerate(purposes) if not p.named]
    if not unnamed:
        return met(f"all {len(purposes)} purposes name their basis")
    return missing(f"{len(unnamed)} purposes without a basis", *(Finding(
        "purpose-bases", f"the purpose '{shorten(text, 60)}' names no lawful basis, though other purposes of"
        " this notice do (UK GDPR Article 13(1)(c), 14(1)(c))",
        "add `article_6: [<id>]` to this purpose (and `article_9:` or `article_10:` if it uses special"
        " category or criminal offence data)", ("purposes", "items", i)) for i, text in unnamed))


@service_only
def schedule_1_pairing(ctx: NoticeContext) -> Outcome:
    findings: list[Finding] = []
    paired = []
    for i, purpose in enumerate(ctx.notice.purposes):
        text = shorten(purpose.purpose.text, 50)
        for j, condition in enumerate(purpose.article_9):
            where: Location = ("purposes", "items", i, "article_9", j)
            findings += _special(ctx, text, condition.condition, condition.schedule_1, where)
            paired.append(condition)
        for j, condition in enumerate(purpose.article_10):
            paired.append(condition)
            if not condition.schedule_1 and not ctx.service.lawful_basis.official_authority:
                findings.append(Finding(
                    "schedule-1-pairing", f"'{text}' relies on {condition.condition.article} but names no"
                    " condition in DPA 2018 Schedule 1 Part 1, 2 or 3 (section 10(5)), nor official"
                    " authority",
                    "add `schedule_1: [<paragraph id>]` to this condition, or `official_authority:` under"
                    " `lawful_basis:`", ("purposes", "items", i, "article_10", j)))
    if not paired:
        return Outcome(Status.NOT_APPLICABLE, "no purpose names an Article 9 or 10 condition")
    if findings:
        return missing(f"{len(findings)} conditions not completed as the law asks", *findings)
    return met("; ".join(dict.fromkeys(
        c.condition.article + "".join(f" with Schedule 1 paragraph {_paragraph(p)}" for p in c.schedule_1)
        for c in paired)))


def _special(ctx: NoticeContext, text: str, condition: LawfulBasis, paragraphs: tuple[LawfulBasis, ...],
             where: Location) -> list[Finding]:
    """What is wrong with one Article 9 condition's Schedule 1 paragraphs, if anything."""
    needs = condition.needs_schedule_1
    if needs in (None, "none"):
        return [Finding(
            "schedule-1-pairing", f"{condition.article} needs no DPA 2018 Schedule 1 condition (section 10(1)"
            f" lists only points (b), (g), (h), (i) and (j)), but '{text}' pairs it with Schedule 1"
            f" paragraph {_paragraph(p)}",
            "remove the paragraph here, or pair it with the condition it serves: Part 1 paragraphs with"
            " Article 9(2)(b), (h), (i) or (j), Part 2 paragraphs with 9(2)(g)", (*where, "schedule_1", k))
            for k, p in enumerate(paragraphs)] if needs == "none" else []
    part = int(needs[-1])
    options = ", ".join(b.id for b in ctx.site.lawful_bases if b.schedule_1_part == part)
    if not paragraphs:
        return [Finding(
            "schedule-1-pairing", f"'{text}' relies on {condition.article}, which needs a condition in DPA"
            f" 2018 Schedule 1 Part {part} (section {_SECTION[part]}); none is paired with it",
            f"add `schedule_1: [<paragraph id>]` to this condition, e.g. one of: {options}"
            if options else f"add a Part {part} paragraph to the register first", where)]
    return [Finding(
        "schedule-1-pairing", f"Schedule 1 paragraph {_paragraph(p)} is in Part {p.schedule_1_part}, but"
        f" {condition.article} needs a condition in Part {part} (DPA 2018 section {_SECTION[part]})",
        f"pair {condition.article} with a Part {part} paragraph" + (f", e.g. one of: {options}" if options
                                                                     else ""),
        (*where, "schedule_1", k))
        for k, p in enumerate(paragraphs) if p.schedule_1_part != part]


def _paragraph(basis: LawfulBasis) -> str:
    """'2' for 'Data Protection Act 2018, Schedule 1, paragraph 2'."""
    return basis.article.rsplit("paragraph", 1)[-1].strip()
