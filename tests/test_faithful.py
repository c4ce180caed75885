"""Every statement of the two published notices is on its page, except the listed corrections.

The source text is kept in tests/seeds/ (copied from the Trust's published notices), so
this test does not depend on anything outside the repository. Each seed line is either
found on the page as written, or appears in one of the tables below, which say what the
page shows instead and why. A seed line in neither place fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

SEEDS = Path(__file__).parent / "seeds"

# The mechanical defects of seeds/README.md, each corrected on the page.
# seed line (start of it) -> (what the page shows instead, the defect it corrects)
CORRECTIONS: dict[str, tuple[list[str], str]] = {
    "Please contact the Corporate Information Governance Team at to exercise": (
        ["Please contact our Data Protection Officer to exercise any of your rights, or if you have a"
         " complaint about why your information has been collected, how it has been used or how long"
         " we have kept it for.", "dpo@bradfordcft.org.uk"],
        "defect 1: the missing email address; the team's address is not a public fact, so the notice"
        " sends people to the Data Protection Officer, whose address is",
    ),
    "You can contact our Data Protection Officer at or write to:": (
        ["Data Protection Officer", "dpo@bradfordcft.org.uk", "Sir Henry Mitchell House",
         "4 Manchester Road", "Bradford", "BD5 0QL"],
        "defect 1: the missing email address, now in the contact details from site.yaml",
    ),
    "help us work with your to provide an effective service": (
        ["help us work with you to provide an effective service"], "defect 2: 'your' should be 'you'"),
    "Find out about the rights for individuals under UK GDPR": (
        ["Find out about the rights for individuals under UK GDPR"],
        "defect 3: the lost link to the ICO's guide (checked in test_lost_links_are_real_links)"),
    "The UK GDPR also gives you the right to lodge a complaint": (
        ["The UK GDPR also gives you the right to lodge a complaint with the Information Commissioner's"
         " Office who are the supervisory authority responsible to regulate and monitor the legislative"
         " obligations within the UK and can be contacted on:", "0303 123 1113"],
        "defect 4: the ICO's number was written 03031 231113",
    ),
    "Our core data protection obligations and commitments are set out in": (
        ["Our core data protection obligations and commitments are set out in Bradford Children and"
         " Families Trust's (the Trust) main Privacy Notice."],
        "defect 5: the lost link to the main notice (and the stray space before the full stop)",
    ),
    "Rights for individuals under UK GDPR": (
        ["What are your rights?"],
        "a sub-heading folded into the rights section, which every notice has in the same place",
    ),
    "Children social care privacy notice": (["Privacy notice", "Children's Social Care"], "page title"),
    "Prevention and early help": (["Privacy notice", "Prevention and Early Help"], "page title"),
    "We may sometimes share the information we have collected about you": (
        ["We may sometimes share the information we have collected about you where it is necessary,"
         " lawful and fair to do so. In each case we will only share the minimum amount of information,"
         " only when required, for the following reasons."],
        "the colon became a full stop: the table of recipients now comes between it and the reasons",
    ),
    "Where appropriate, we share information with": (
        ["Where appropriate, we share information with:"], "a colon before the table of recipients"),
}

# Lines that now come from the registers: the page shows the register's words.
FROM_REGISTERS: dict[str, list[str]] = {
    # Acts, by their titles on legislation.gov.uk
    "The Children Act 1989, 2004": ["Children Act 1989", "Children Act 2004"],
    "The Health & Social Care Act 2012": ["Health and Social Care Act 2012"],
    "The Health and Social Care (Safety and Quality) Act 2015":
        ["Health and Social Care (Safety and Quality) Act 2015"],
    "The Education Regulations 2013": ["Education (Information About Individual Pupils) (England)"
                                       " Regulations 2013"],
    "The Children and Social Work Act 2017": ["Children and Social Work Act 2017"],
    "The Care Act 2014": ["Care Act 2014"],
    "The Mental Capacity Act 2005": ["Mental Capacity Act 2005"],
    "Mental Health Act 1983": ["Mental Health Act 1983"],
    "Local Safeguarding Children & Adults Boards Regulations 2006 (SI 2006/90)":
        ["Local Safeguarding Children Boards Regulations 2006"],
    "Local Safeguarding Children Boards Regulations 2006 (SI 2006/90)":
        ["Local Safeguarding Children Boards Regulations 2006"],
    "the Localism Act 2011": ["Localism Act 2011"],
    "The Localism Act 2011": ["Localism Act 2011"],
    "The Crime and Disorder Act 1998": ["Crime and Disorder Act 1998"],
    "The Welfare Reform Act 2012": ["Welfare Reform Act 2012"],
    "The Childcare Act 2006": ["Childcare Act 2006"],
    "The Equality Act 2010": ["Equality Act 2010"],
    "The Education Act 1944, 1996, 2002": ["Education Act 1944", "Education Act 1996", "Education Act 2002"],
    "The Children & Families Act 2014": ["Children and Families Act 2014"],
    # Organisations, by the names in the register (the seeds misnamed three)
    "details of adults out of work from Department of Work and Pensions":
        ["details of adults out of work", "Department for Work and Pensions"],
    "Department of Education": ["Department for Education"],
    "Department of Work and Pensions": ["Department for Work and Pensions"],
    "National Probation Service": ["Probation Service"],
    "Her Majesty's Inspectorate of Probation": ["HM Inspectorate of Probation"],
    "medical information from Health services": ["medical information", "Health"],
    "attendance and exclusion information from schools": ["attendance and exclusion information", "schools"],
    "housing information from Incommunities": ["housing information", "Incommunities"],
    "details of any criminal offences from the Police": ["details of any criminal offences", "Police"],
    "details of victims of youth crime from the Police": ["details of victims of youth crime", "Police"],
}

# "6(1)(a) Consent of the data subject" and the like: the seeds paraphrased the law; the
# page cites the article and quotes the register's statutory wording instead.
ARTICLE_LINE = re.compile(r"^([69]\(\d\)\([a-j]\)) ")

PAGES = {"children-social-care.txt": "childrens-social-care", "prevention-and-early-help.txt":
         "prevention-and-early-help"}


def normalise(text: str) -> str:
    """Compare words, not typography: quotes, non-breaking spaces and spacing before punctuation."""
    text = text.replace("\xa0", " ").replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([.,:;)])", r"\1", text)


def seed_statements(name: str) -> list[str]:
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    return [normalise(line.strip().lstrip("•")) for line in lines if line.strip()]


def page_text(site: Path, slug: str) -> str:
    soup = BeautifulSoup((site / slug / "index.html").read_text(encoding="utf-8"), "html.parser")
    return normalise(soup.main.get_text(" "))


def _correction_for(statement: str) -> tuple[list[str], str] | None:
    for start, correction in CORRECTIONS.items():
        if statement.startswith(normalise(start)):
            return correction
    return None


@pytest.mark.parametrize("seed", sorted(PAGES))
def test_every_seed_statement_is_on_its_page(built_site: Path, seed: str) -> None:
    text = page_text(built_site, PAGES[seed])
    missing = []
    for statement in seed_statements(seed):
        correction = _correction_for(statement)
        article = ARTICLE_LINE.match(statement)
        if correction is not None:
            expected = correction[0]
        elif statement in FROM_REGISTERS or normalise(statement) in map(normalise, FROM_REGISTERS):
            key = next(k for k in FROM_REGISTERS if normalise(k) == statement)
            expected = FROM_REGISTERS[key]
        elif article:
            expected = [f"Article {article.group(1)}"]
        else:
            expected = [statement]
        missing += [f"{statement[:60]!r} -> {e!r}" for e in expected if normalise(e) not in text]
    assert not missing, "not on the page:\n" + "\n".join(missing)


def test_every_correction_is_used(built_site: Path) -> None:
    """A correction that matches no seed line would hide nothing: the table must stay exact."""
    statements = [s for seed in PAGES for s in seed_statements(seed)]
    unused = [start for start in CORRECTIONS if not any(s.startswith(normalise(start)) for s in statements)]
    unused += [line for line in FROM_REGISTERS if normalise(line) not in statements]
    assert not unused


def test_article_lines_show_the_register_wording(built_site: Path) -> None:
    """The seeds' paraphrase of 6(1)(c) is replaced by the statutory wording from the register."""
    text = page_text(built_site, "childrens-social-care")
    assert "Article 6(1)(c): Legal obligation" in text
    wording = ("processing is necessary for compliance with a legal obligation to which the controller"
               " is subject")
    assert wording in text


def test_lost_links_are_real_links(built_site: Path) -> None:
    page = built_site / "childrens-social-care" / "index.html"
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    links = {(normalise(a.get_text()), a["href"]) for a in soup.main.find_all("a")}
    assert ("main Privacy Notice", "../privacy-notice/") in links  # defect 5
    assert ("'Who are we likely to share this information with?'", "#sharing") in links  # defect 5
    assert soup.find(id="sharing") is not None
    guide = "Find out about the rights for individuals under UK GDPR"
    rights_guide = [href for text, href in links if text == guide]
    assert rights_guide and rights_guide[0].startswith("https://ico.org.uk/")  # defect 3
    assert ("dpo@bradfordcft.org.uk", "mailto:dpo@bradfordcft.org.uk") in links  # 1
    assert ("0303 123 1113", "tel:03031231113") in links  # defect 4: the right number, dialable


def test_no_empty_contact_on_any_page(built_site: Path) -> None:
    """Defect 1 can't come back: no 'at to exercise', no 'at or write', no empty mailto."""
    for page in built_site.rglob("*.html"):
        html = page.read_text("utf-8")
        text = normalise(BeautifulSoup(html, "html.parser").get_text(" "))
        assert not re.search(r"\bat (to|or)\b", text), page
        assert 'href="mailto:"' not in html and 'href="tel:"' not in html, page
