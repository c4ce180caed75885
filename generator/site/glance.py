"""A notice's "At a glance": the few sentences a reader on a phone sees before the full notice.

Made from the notice's structured content, never written twice: what we collect, why, who we share
it with, how long we keep it, your rights and who to contact. Each row is short: a long list is
cut to its first few entries and "and N more", and the full section follows on the page. The
template (templates/components/at-a-glance.html) escapes every string and adds the links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..content.resolve import Notice, Site
from ..content.schema import Contact, MainNotice, ServiceNotice
from .retention import RetentionText, retention_text

LIST_BUDGET = 60
"""Characters of names a row lists before it says "and N more": about two lines on a 360 px phone."""
MAX_SERVICE_LINKS = 5
"""The main notice names this many service notices at most; more are a link to the full list."""


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Period:
    """One retention period: who it is for and how long (Markdown), as the notice's own sentence says it."""

    title: str
    text: str


@dataclass(frozen=True)
class GlanceRow:
    """One line of the summary: a label, then `text`, the links (or the contact's email or phone),
    then `after`; the retention row lists its periods instead."""

    label: str
    text: str
    links: tuple[Link, ...] = ()
    contact: Contact | None = None
    after: str = ""
    periods: tuple[Period, ...] = ()


def join_words(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def first_few(names: Sequence[str], budget: int = LIST_BUDGET) -> tuple[list[str], int]:
    """The first names that fit in `budget` characters (at least one), and how many are left."""
    chosen: list[str] = []
    used = 0
    for name in names:
        if chosen and used + len(name) > budget:
            break
        chosen.append(name)
        used += len(name) + 2
    return chosen, len(names) - len(chosen)


def some_of(names: Sequence[str], one: str, many: str) -> str:
    """'a, b and 3 others': the first few names, then the rest counted, by `one` (a single one left:
    ' and 1 other') or `many` (' and {n} others', with {n} for how many)."""
    chosen, rest = first_few(names)
    if not rest:
        return join_words(chosen)
    return ", ".join(chosen) + (one if rest == 1 else many).format(n=rest)


def lower_first(text: str) -> str:
    """'Ethnicity' -> 'ethnicity' inside a sentence; a name with other capitals ('Special Educational
    Needs') or an abbreviation ('SEND') is kept as written."""
    words = text.split()
    if not words or not words[0][:1].isupper() or any(ch.isupper() for ch in text[1:]):
        return text
    return text[0].lower() + text[1:]


def full_stop(text: str) -> str:
    """A sentence that ends as one: the rows run on, so a period written without a stop gets one."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", ")")) else text + "."


def rows_for(site: Site, notice: Notice, root: str) -> list[GlanceRow]:
    """The "At a glance" rows of a notice's page; `root` is the page's path to the site root."""
    if isinstance(notice.content, MainNotice):
        return main_rows(site, notice.content, root)
    assert isinstance(notice.content, ServiceNotice)
    return service_rows(site, notice, notice.content, root)


def glance_period(words: RetentionText) -> Period:
    """A retention entry as the notice's sentence says it (retention.py), without repeating its label."""
    if not words.structured:
        return Period(words.label, full_stop(words.how_long))
    return Period(words.label, words.sentence.split(": ", 1)[1])


def service_rows(site: Site, notice: Notice, content: ServiceNotice, root: str) -> list[GlanceRow]:
    items = [item for tier in content.information_collected.tiers for item in tier.items]
    sensitive = any(i.special_category for i in items) or any(s.special_category for s in notice.sources)
    crime = any(i.criminal_offence for i in items) or any(s.criminal_offence for s in notice.sources)
    collect = some_of([lower_first(i.name) for i in items], " and 1 other kind of information",
                      " and {n} other kinds of information") + "."
    kinds = (("sensitive", sensitive), ("about crimes", crime))
    protected = " or ".join(word for word, flag in kinds if flag)
    if protected:
        collect += f" Some of it is {protected}: the law protects this information more."
    purposes = [lower_first(p.text) for p in content.purposes.items]
    why = "To " + some_of(purposes, ", and for 1 other reason", ", and for {n} other reasons") + "."
    names = list(dict.fromkeys(r.organisation.short_name or r.organisation.name for r in notice.recipients))
    share = "When needed, with " + some_of(names, " and 1 other", " and {n} others") + "."
    if content.retention:
        keep = GlanceRow("How long we keep it", "", periods=tuple(
            glance_period(retention_text(period, notice)) for period in content.retention))
    else:
        keep = GlanceRow("How long we keep it", "This notice does not say yet: you can ask"
                         " our Data Protection Officer.")
    contact = notice.contacts[0] if notice.contacts else site.data_protection_officer
    return [
        GlanceRow("What we collect", collect[0].upper() + collect[1:]),
        GlanceRow("Why we use it", why),
        GlanceRow("Who we share it with", share),
        keep,
        rights_row(site, root),
        contact_row(contact, site, "#rights"),
    ]


def main_rows(site: Site, content: MainNotice, root: str) -> list[GlanceRow]:
    services = site.service_notices
    if 0 < len(services) <= MAX_SERVICE_LINKS:
        links = tuple(Link(s.title, f"{root}{s.slug}/") for s in services)
    else:
        links = (Link(f"our {len(services)} service notices", "#service-notices"),)
    return [
        GlanceRow("Who we are", f"{site.controller.name}. We decide why and how your information is used,"
                  " and we must keep it safe."),
        GlanceRow("What we collect and why", "Each service’s own notice says what it collects, why, who"
                  " it shares it with and how long it keeps it:", links=links, after="."),
        rights_row(site, root, content),
        contact_row(site.data_protection_officer, site, "#your-rights"),
    ]


def rights_row(site: Site, root: str, main: MainNotice | None = None) -> GlanceRow:
    """Your rights, from the main notice's list (the service notices add to it), and a link to them all."""
    content = main or site.main_notice.content
    assert isinstance(content, MainNotice)
    titles = [lower_first(r.title) for r in content.rights.items if r.right != "informed"]
    chosen, rest = first_few(titles)
    where = "#your-rights" if main else f"{root}{content.slug}/#your-rights"
    listed = ", ".join(chosen) + " and more" if rest else join_words(chosen)
    return GlanceRow("Your rights", f"You have the right {listed}: see",
                     links=(Link("all your rights", where),), after=".")


def contact_row(contact: Contact, site: Site, details: str) -> GlanceRow:
    """Who to contact: the notice's first contact by email or phone (else a link to `details`, the
    section with its address), and the regulator."""
    if contact.email or contact.phone:
        return GlanceRow("Questions or worries", f"Contact our {contact.name}:", contact=contact,
                         after=f". You can also complain to the {site.regulator.name}.")
    return GlanceRow("Questions or worries", f"Contact our {contact.name} (see",
                     links=(Link("how to reach them", details),),
                     after=f"). You can also complain to the {site.regulator.name}.")
