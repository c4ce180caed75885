"""Every requirement of the compliance check cites provisions that exist, about what the rule checks.

The table below is written by hand from /work/shared/law/reference.md and docs/law-review-2026-12.md
(the provisions that exist, and what each is about), not from the program: a rule citing Article 12(1)
for accuracy, or 13(1)(b) for the representative, fails here. A new rule adds its row to TOPICS.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.checks.compliance import REQUIREMENTS

PROJECT = Path(__file__).resolve().parent.parent

# provision -> what it is about (tags)
PROVISIONS: dict[str, set[str]] = {
    # UK GDPR
    # "consent" means any freely given ... indication (Art 4's text is paragraph 1 since DUAA s.67)
    "UK GDPR 4(1)(11)": {"consent"},
    "UK GDPR 6(1)(a)": {"consent", "lawful-basis"},
    "UK GDPR 6(1)(c)": {"lawful-basis"},  # legal obligation
    "UK GDPR 6(1)(e)": {"lawful-basis"},  # public task / official authority
    "UK GDPR 6(1)(ea)": {"lawful-basis", "public-authority"},  # recognised legitimate interest (DUAA s.70)
    "UK GDPR 6(1)(f)": {"lawful-basis", "legitimate-interests", "public-authority"},
    "UK GDPR 6(1) last subparagraph": {"public-authority"},  # "Points (ea) and (f) ... shall not apply ..."
    "UK GDPR 6(3)": {"lawful-basis"},  # the basis for (c) and (e) laid down by law
    "UK GDPR 6(5)": {"legitimate-interests"},  # (ea) only if it meets a condition in Annex 1
    "UK GDPR 9(1)": {"special-category"},
    "UK GDPR 9(2)": {"special-category"},
    "UK GDPR 9(2)(d)": {"special-category", "public-body-unfit"},  # not-for-profit bodies, their members
    "UK GDPR 9(2)(e)": {"special-category", "public-body-unfit"},  # manifestly made public by the person
    "UK GDPR 10": {"criminal"},
    "UK GDPR 12(1)": {"form"},  # concise, transparent, intelligible, easily accessible
    "UK GDPR 12(3)": {"access-timing"},  # one month, extendable by two further months
    "UK GDPR 13(1)(a)": {"controller"},  # identity and contact details of the controller (and representative)
    "UK GDPR 13(1)(b)": {"dpo"},  # contact details of the data protection officer
    "UK GDPR 13(1)(c)": {"purposes", "lawful-basis"},
    "UK GDPR 13(1)(d)": {"legitimate-interests"},  # where based on point (f)
    "UK GDPR 13(1)(e)": {"recipients"},
    "UK GDPR 13(1)(f)": {"transfers"},
    "UK GDPR 13(2)(a)": {"retention"},
    "UK GDPR 13(2)(b)": {"rights"},
    "UK GDPR 13(2)(c)": {"consent"},  # the right to withdraw consent at any time
    "UK GDPR 13(2)(d)": {"complaint-regulator"},
    "UK GDPR 13(2)(e)": {"statutory-requirement"},
    "UK GDPR 13(2)(f)": {"automated-decisions"},
    "UK GDPR 14(1)(a)": {"controller"},
    "UK GDPR 14(1)(b)": {"dpo"},
    "UK GDPR 14(1)(c)": {"purposes", "lawful-basis"},
    "UK GDPR 14(1)(d)": {"sources"},  # categories of personal data
    "UK GDPR 14(1)(e)": {"recipients"},
    "UK GDPR 14(1)(f)": {"transfers"},
    "UK GDPR 14(2)(a)": {"retention"},
    "UK GDPR 14(2)(b)": {"legitimate-interests"},
    "UK GDPR 14(2)(c)": {"rights"},
    "UK GDPR 14(2)(d)": {"consent"},
    "UK GDPR 14(2)(e)": {"complaint-regulator"},
    "UK GDPR 14(2)(f)": {"sources"},  # the source of the personal data
    "UK GDPR 14(2)(g)": {"automated-decisions"},
    "UK GDPR 21(1)": {"object"},
    "UK GDPR 21(4)": {"object"},
    **{f"UK GDPR 22{x}": {"automated-decisions"} for x in "ABCD"},  # DUAA s.80
    "UK GDPR 26(1)": {"joint-controllers"},
    "UK GDPR 26(2)": {"joint-controllers"},  # the essence of the arrangement made available
    "UK GDPR 30(1)(c)": {"data-subjects"},  # the record of processing: categories of data subjects
    "UK GDPR 44A": {"transfers"},
    "UK GDPR 44A(2)": {"transfers"},  # the mechanisms: 45A regulations, 46 safeguards, 49 derogations
    "UK GDPR 45A": {"transfers"},
    "UK GDPR 46": {"transfers"},
    "UK GDPR 49": {"transfers"},
    # Data Protection Act 2018
    "DPA 2018 s.10(2)": {"special-category", "schedule-1"},
    "DPA 2018 s.10(3)": {"special-category", "schedule-1"},
    "DPA 2018 s.10(5)": {"criminal", "schedule-1"},
    "DPA 2018 s.11(2)": {"criminal"},
    "DPA 2018 Sch 1 Part 1": {"schedule-1"},
    "DPA 2018 Sch 1 Part 2": {"schedule-1"},
    "DPA 2018 Sch 1 Part 3": {"schedule-1", "criminal"},
    "DPA 2018 Sch 1 para 5": {"schedule-1", "policy-document"},
    **{f"DPA 2018 Sch 1 para {n}": {"policy-document"}
       for n in (38, 39, "39(a)", "39(b)", 40, "40(1)", "40(1)(a)", "40(1)(b)", "40(1)(c)", 41)},
    **{f"DPA 2018 s.164A({n})": {"complaint-controller"} for n in range(1, 6)},
}

# requirement id -> what it checks (a cited provision must be about one of these)
TOPICS: dict[str, set[str]] = {
    "controller": {"controller"}, "data-protection-officer": {"dpo"}, "purposes": {"purposes"},
    "lawful-basis": {"lawful-basis"}, "legitimate-interests": {"legitimate-interests"},
    "sources": {"sources"}, "recipients": {"recipients"}, "transfers": {"transfers"},
    "retention": {"retention"}, "rights": {"rights"},
    "right-to-object": {"object"}, "withdraw-consent": {"consent"}, "complaint-ico": {"complaint-regulator"},
    "complaint-controller": {"complaint-controller"}, "statutory-requirement": {"statutory-requirement"},
    "automated-decisions": {"automated-decisions"}, "article-9-condition": {"special-category"},
    "schedule-1-condition": {"schedule-1"}, "article-10-condition": {"criminal"},
    "policy-document": {"policy-document"}, "public-task-basis": {"lawful-basis"},
    "verified-wording": {"lawful-basis"}, "controller-contact": {"controller", "dpo"},
    "public-authority-restriction": {"public-authority"}, "article-9-public-body": {"public-body-unfit"},
    "blanket-consent": {"consent"}, "joint-controllers": {"joint-controllers"},
    "purpose-bases": {"lawful-basis"}, "schedule-1-pairing": {"schedule-1"}, "law-in-force": {"lawful-basis"},
    "data-subjects": {"data-subjects"},
}

_POINT = r"\d+[A-Z]?(?:\(\d+\))?(?:\([a-z]+\)|\(\d+\))*"


def provisions(law: str) -> list[str]:
    """'UK GDPR Art 10; DPA 2018 s.10(5), 11(2)' -> ['UK GDPR 10', 'DPA 2018 s.10(5)', 'DPA 2018 s.11(2)'].
    Raises ValueError on anything it cannot read: a citation must be exact, not prose."""
    found: list[str] = []
    law = re.sub(r" \((?:as amended by|safeguards:) [^)]*\)", "", law)  # a note on a provision, not one
    for group in (g.strip() for g in law.split(";")):
        if group.startswith(("UK GDPR Art ", "Art ")):  # "...; Art 6(1)" goes on with the UK GDPR
            for item in group.removeprefix("UK GDPR ").removeprefix("Art ").split(", "):
                if m := re.fullmatch(r"(\d+)([A-Z]) (?:to|–) \1([A-Z])", item):  # 22A to 22D
                    found += [f"UK GDPR {m[1]}{chr(c)}" for c in range(ord(m[2]), ord(m[3]) + 1)]
                    continue
                if not re.fullmatch(_POINT + r"( last subparagraph)?", item):
                    raise ValueError(f"{item!r} in {law!r}")
                found.append(f"UK GDPR {item}")
        elif group.startswith("DPA 2018 "):
            kind = ""
            for item in group.removeprefix("DPA 2018 ").split(", "):
                if m := re.fullmatch(r"s\.(" + _POINT + ")", item):
                    kind, item = "s.", m[1]
                elif m := re.fullmatch(r"Sch 1 Parts? (\d)(?: and (\d))?", item):
                    found += [f"DPA 2018 Sch 1 Part {p}" for p in m.groups() if p]
                    continue
                elif m := re.fullmatch(r"Sch 1 paras? (\d+)", item):
                    kind, item = "Sch 1 para ", m[1]
                if m := re.fullmatch(r"(\d+) to (\d+)", item):
                    found += [f"DPA 2018 {kind}{n}" for n in range(int(m[1]), int(m[2]) + 1)]
                elif kind and re.fullmatch(_POINT, item):
                    found.append(f"DPA 2018 {kind}{item}")
                else:
                    raise ValueError(f"{item!r} in {law!r}")
        else:
            raise ValueError(f"{group!r} in {law!r} names no instrument the check knows")
    return found


def test_the_reader_of_citations_reads_what_it_should_and_refuses_prose() -> None:
    assert provisions("UK GDPR Art 10; DPA 2018 s.10(5), 11(2)") == [
        "UK GDPR 10", "DPA 2018 s.10(5)", "DPA 2018 s.11(2)"]
    assert provisions("DPA 2018 Sch 1 paras 5, 38 to 41") == [
        "DPA 2018 Sch 1 para 5", *(f"DPA 2018 Sch 1 para {n}" for n in (38, 39, 40, 41))]
    assert provisions("DPA 2018 s.10(2), 10(3), Sch 1 Parts 1 and 2")[-1] == "DPA 2018 Sch 1 Part 2"
    assert provisions("UK GDPR Art 13(2)(f); Art 22A to 22C") == [
        "UK GDPR 13(2)(f)", "UK GDPR 22A", "UK GDPR 22B", "UK GDPR 22C"]
    with pytest.raises(ValueError):
        provisions("UK GDPR Art 12(1) (accurate information)")  # the old mis-citation: a gloss


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda r: r.id)
def test_every_rule_cites_provisions_that_exist_and_are_about_what_it_checks(requirement) -> None:  # type: ignore[no-untyped-def]
    assert requirement.id in TOPICS, f"add {requirement.id!r} with its topic to TOPICS in this test"
    cited = provisions(requirement.law)
    assert cited, requirement.law
    for provision in cited:
        assert provision in PROVISIONS, f"{requirement.id}: {provision} is not a provision this table knows"
        assert PROVISIONS[provision] & TOPICS[requirement.id], (
            f"{requirement.id} cites {provision}, which is about {PROVISIONS[provision]}, not"
            f" {TOPICS[requirement.id]}")


def test_the_staff_docs_list_every_rule() -> None:
    table = (PROJECT / "docs" / "compliance.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.M))
    assert {r.id for r in REQUIREMENTS} <= listed
