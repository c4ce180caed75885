"""Each component in templates/components/ rendered from a small example, its markup checked.

Like GOV.UK Frontend's component tests: the example is written here by hand, and the test
queries the HTML for what a screen reader or a keyboard user depends on.
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import jinja2
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURE, PROJECT, notices
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.build import build_in_memory
from generator.content.schema import Contact, LawfulBasis, Organisation
from generator.preview.cache import PreviewCache
from generator.site.environment import create_environment


def render(call: str, **values: object) -> BeautifulSoup:
    env = create_environment(PROJECT / "templates")
    template = env.from_string('{% import "components/macros.html" as c %}' + call)
    return BeautifulSoup(template.render(**values), "html.parser")


def test_contents_list_is_a_labelled_navigation_of_section_links() -> None:
    html = render("{{ c.contents_list(sections) }}",
                  sections=[("why", "Why we use it"), ("rights", "Your rights")])
    nav = html.find("nav")
    assert html.find(id=nav["aria-labelledby"]).get_text(strip=True) == "Contents"
    assert [(a["href"], a.get_text()) for a in nav.find_all("a")] == [("#why", "Why we use it"),
                                                                     ("#rights", "Your rights")]
    assert nav.find("ol") is not None


def test_last_updated_has_a_machine_readable_date() -> None:
    time = render("{{ c.last_updated(date) }}", date=datetime.date(2026, 2, 5)).find("time")
    assert time["datetime"] == "2026-02-05" and time.get_text() == "5 February 2026"


def test_organisation_name_links_only_to_a_real_website() -> None:
    council = Organisation(id="council", name="City Council", short_name="the Council",
                           website="https://council.example.org/")
    schools = Organisation(id="schools", name="Schools", group=True)
    html = render("{{ c.organisation_name(a) }} and {{ c.organisation_name(b) }}", a=council, b=schools)
    links = [(a["href"], a.get_text()) for a in html.find_all("a")]
    assert links == [("https://council.example.org/", "the Council")]
    assert "Schools" in html.get_text()


def test_contact_details_is_a_summary_list_with_working_links() -> None:
    contact = Contact(id="dpo", name="Data Protection Officer", email="dpo@example.org",
                      phone="0303 123 1113", address=["1 High Street", "Bradford"])
    html = render("{{ c.contact_details(contact) }}", contact=contact)
    rows = {row.dt.get_text(): row.dd for row in html.select("dl.summary-list > div")}
    assert set(rows) == {"Email", "Phone", "Post"}
    assert rows["Email"].a["href"] == "mailto:dpo@example.org"
    assert rows["Phone"].a["href"] == "tel:03031231113"
    assert rows["Post"].address.get_text("|") == "1 High Street|Bradford"
    assert html.find("h3").get_text() == "Data Protection Officer"


def test_lawful_basis_quotes_the_statute_and_cites_its_source() -> None:
    """A notice names a basis (bases.name) and quotes its wording once, further down (bases.provision)."""
    basis = LawfulBasis(id="art6-1-e", kind="article-6", article="Article 6(1)(e)", title="Public task",
                        wording="processing is necessary for the performance of a task <carried out>;",
                        source="https://www.legislation.gov.uk/eur/2016/679/article/6", verified=True)
    env = create_environment(PROJECT / "templates")
    template = env.from_string('{% import "components/bases.html" as b %}<p>{{ b.name(basis) }}</p>'
                               "{{ b.provision(basis, '../') }}")
    html = BeautifulSoup(template.render(basis=basis), "html.parser")
    assert html.a["href"] == "#law-art6-1-e"
    assert html.a.get_text() == "Article 6(1)(e): Public task"
    quote = html.find("blockquote")
    assert quote["cite"] == "https://www.legislation.gov.uk/eur/2016/679/article/6"
    assert "<carried out>" in quote.get_text()  # escaped text, not markup
    assert html.find("carried") is None
    # the law's words are a closed disclosure named after the article, below the basis's name
    details = quote.find_parent("details")
    assert details is not None and not details.has_attr("open") and details["id"] == "law-art6-1-e"
    assert details.summary.get_text() == "What Article 6(1)(e) says"
    assert html.a.find_parent("details") is None
    assert details.find("a", href="../lawful-bases/#art6-1-e") is not None  # every notice relying on it


def test_tags_mark_protected_information_and_the_key_explains_only_the_marks_used() -> None:
    env = create_environment(PROJECT / "templates")
    template = env.from_string('{% import "components/tags.html" as t %}<ul>{% for i in items %}'
                               '<li>{{ i.name }}{{ t.data_tags(i) }}</li>{% endfor %}</ul>'
                               '{{ t.tag_key(items) }}')
    items = [{"name": "Ethnicity", "special_category": True, "criminal_offence": False},
             {"name": "Address", "special_category": False, "criminal_offence": False}]
    html = BeautifulSoup(template.render(items=items), "html.parser")
    assert [li.get_text() for li in html.ul.find_all("li")] == ["Ethnicity sensitive", "Address"]
    key = html.find(class_="tag-key")
    assert "the law protects more" in key.get_text() and "crimes" not in key.get_text()
    plain = [{"name": "Address", "special_category": False, "criminal_offence": False}]
    assert "tag-key" not in template.render(items=plain)


def test_section_has_a_heading_that_labels_it() -> None:
    html = render('{% call c.section("sharing", "Who we share with") %}<p>Body</p>{% endcall %}')
    section = html.find("section")
    assert section.find(id=section["aria-labelledby"]).name == "h2"
    assert section.h2.get_text() == "Who we share with"
    # The heading stays outside the disclosure; the anchor `#sharing` is the body, inside the closed
    # <details>, so following a link to it opens the section (Chromium, without JavaScript).
    details = section.find("details")
    assert details.find_parent("section") is section and not details.has_attr("open")
    assert section.h2.find_parent("details") is None
    body = details.find(id="sharing")
    assert body is not None and body.p.get_text() == "Body"


def test_accessibility_statement_follows_the_model_statement(built_site: Path) -> None:
    """Public Sector Bodies Accessibility Regulations 2018: the model statement's parts, from site.yaml."""
    site = yaml.safe_load((FIXTURE / "content" / "site.yaml").read_text("utf-8"))
    page = BeautifulSoup((built_site / "accessibility" / "index.html").read_text("utf-8"), "html.parser")
    text = re.sub(r"\s+", " ", page.main.get_text(" "))
    headings = [h.get_text(strip=True) for h in page.main.find_all("h2")]
    for heading in ("How accessible this website is", "Feedback and contact information",
                    "Reporting accessibility problems with this website", "Enforcement procedure",
                    "Technical information about this website’s accessibility",
                    "Preparation of this accessibility statement"):
        assert heading in headings
    assert "This website is run by Bradford Children and Families Trust" in text
    assert "Equality and Human Rights Commission" in text
    assert "Web Content Accessibility Guidelines version 2.2 AA standard" in text
    tested = site["accessibility"]["last_tested"]
    assert page.find("time", datetime=tested.isoformat()) is not None
    assert page.find("a", href="mailto:dpo@bradfordcft.org.uk") is not None  # who to tell about a problem
    footer_links = [a["href"] for a in BeautifulSoup((built_site / "index.html").read_text("utf-8"),
                                                      "html.parser").footer.find_all("a")]
    assert "accessibility/" in footer_links  # linked from every page, in the footer


def test_accessibility_statement_changes_with_site_yaml(project: Path) -> None:
    """Partial compliance, a known problem and a new test date in site.yaml show on the statement."""
    site_yaml = project / "content" / "site.yaml"
    text = site_yaml.read_text("utf-8")
    assert "  status: fully\n" in text and "  last_tested: 2026-11-21\n" in text
    text = text.replace("  status: fully\n", "  status: partially\n  known_issues:\n"
                        "    - The printed version of the sharing table has no column headers.\n")
    site_yaml.write_text(text.replace("  last_tested: 2026-11-21\n", "  last_tested: 2027-03-04\n"), "utf-8")
    result = notices(project, "build")
    assert result.code == 0, result.stderr
    statement = project / "site" / "accessibility" / "index.html"
    page = BeautifulSoup(statement.read_text("utf-8"), "html.parser")
    text = re.sub(r"\s+", " ", page.main.get_text(" "))
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    issues = page.find(id="non-accessible-content").find_next("ul")
    assert issues.get_text(strip=True) == "The printed version of the sharing table has no column headers."
    assert page.find("a", href="#non-accessible-content") is not None  # "How accessible" points to the list
    tested = page.find("time", datetime="2027-03-04")
    assert tested is not None and tested.get_text() == "4 March 2027"


# --- Fragments made once (generator/site/fragments.py) ------------------------------------------------


def test_a_cached_component_gives_what_the_component_gives_for_the_entry_given() -> None:
    council = Organisation(id="council", name="City Council", website="https://council.example.org/")
    renamed = council.model_copy(update={"name": "Bradford Council"})  # as an edit to the register makes
    env = create_environment(PROJECT / "templates")
    both = env.from_string('{% import "components/macros.html" as c %}'
                           "{{ cached(c.organisation_name, org) }}|{{ org | cached(c.organisation_name) }}"
                           "|{{ c.organisation_name(org) }}")
    for organisation in (council, renamed, council, renamed):
        cached, filtered, made = both.render(org=organisation).split("|")
        assert cached == filtered == made
    assert ">Bradford Council</a>" in both.render(org=renamed)


def test_the_preview_shows_an_edited_register_entry_and_component_at_once(project: Path) -> None:
    """The preview keeps its template environment from save to save: no fragment may outlive a save."""
    base = "http://127.0.0.1:8000/"
    env = create_environment(project / "templates")
    env.auto_reload = True  # as the preview has it
    memo = PreviewCache()
    build_in_memory(project, base_url=base, templates_env=env, cache=memo)
    save(project / "content/definitions/organisations.yaml", "short_name: Health\n",
         "short_name: NHS health\n")
    save(project / "templates/components/statute.html", '<details class="statute-details"',
         '<details class="statute-details statute-cited"')
    after = build_in_memory(project, base_url=base, templates_env=env, cache=memo)
    page = after.files["childrens-social-care/index.html"].decode("utf-8")
    assert "<li>NHS health</li>" in page and '<details class="statute-details statute-cited"' in page
    full = build_in_memory(project, base_url=base)
    assert [name for name in full.files if after.files[name] != full.files[name]] == []


def test_markdown_filters_make_notice_links_relative_to_the_page() -> None:
    env = create_environment(PROJECT / "templates")
    page = env.from_string("{{ text | markdown }}{{ text | markdown_inline }}")
    html = page.render(text="See [our main notice](notice:privacy-notice#your-rights).", root="../")
    assert html == ('<p>See <a href="../privacy-notice/#your-rights">our main notice</a>.</p>\n'
                    'See <a href="../privacy-notice/#your-rights">our main notice</a>.')


def save(path: Path, old: str, new: str) -> None:
    """An editor's save: the text changed, and the file's time of change later than before."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")
    later = path.stat().st_mtime_ns + 10_000_000
    os.utime(path, ns=(later, later))


# --- Escaping each `{{ value }}`: the site's environment escapes as stock Jinja2 does ---------------

VALUES = st.one_of(
    st.text(), st.text(alphabet="&<>'\"x; é\u2028\x00"), st.integers(), st.floats(allow_nan=False),
    st.none(), st.booleans(), st.dates(), st.builds(Markup, st.text(alphabet="<b>&amp;x'\"")),
    st.lists(st.text(alphabet="<&'\"a"), max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(value=VALUES, other=VALUES)
def test_a_value_on_a_page_is_escaped_exactly_as_jinja2_escapes_it(value: object, other: object) -> None:
    """The site's environment (its filters, globals and caches) writes the bytes stock Jinja2 writes."""
    stock = jinja2.Environment(autoescape=True)
    ours = create_environment(PROJECT / "templates")
    source = ('{% macro m(x) %}<i title="{{ x }}">{{ x }}</i>{% endmacro %}{{ a }}|{{ m(b) }}|'
              '{% for y in [a, b] %}{{ y }}{% endfor %}{% set s %}{{ a }}{% endset %}{{ s }}')
    values = {"a": value, "b": other}
    assert ours.from_string(source).render(values) == stock.from_string(source).render(values)
