"""An editors' rule of the check stage: what a register holds is named by its id, not typed.

An Act's title and a lawful basis's statutory wording live once, in content/definitions/, so an
edit there reaches every page. Typed into a notice's text, they go stale when the register
changes: an Act is cited from a sentence with a `law:` link instead (site/lawlinks.py), which the
warning writes out. An organisation's name is different: prose has to name organisations, so it may be
typed, but an organisation named in a service notice that the notice does not list by id
(`sharing: recipients:`, `sources:`, `used_by: organisations:`) is left out of the sharing page,
notice.json and processing.csv. Each is a warning at the words typed, with the register id.

Names are matched whole, ignoring case, spacing, line breaks, punctuation and curly quotes. Left
alone, to keep false alarms out: the UK GDPR (a `regulation`, which every notice names in its own
words), groups of bodies and one-word names ("Police", "Health", "the Trust"), the organisations
site.yaml names (the controller, and the contacts' organisations, the regulator among them), and
a notice's `changes:` (its history, kept as written). Wording is found when 11 words or more of
it are typed (a run of 8 that no other basis shares, looked for from every fourth word).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from ..content.load import Location, SourceFile
from ..content.resolve import Notice, Site
from ..content.schema import NoticeBase, ServiceNotice
from ..diagnostics import Diagnostics

RULE = "typed-register-text"
WORDING_WORDS = 8
"""A run of this many words of a statutory wording, typed, is reported; fewer could be chance."""
_LISTS = {"article-6": "article_6", "article-9": "article_9", "schedule-1": "schedule_1",
          "article-10": "criminal_offence"}
_TYPED = {"'": "['’‘]"}
"""How a character of a name may be typed: a curly apostrophe."""


@dataclass(frozen=True)
class _Entry:
    """A register entry whose words must not be typed: what it is, and its id."""

    kind: str  # "act", "wording" or "organisation"
    id: str
    shown: str  # how a message names it
    list_name: str = ""  # for wording: the `lawful_basis:` list that cites it


_PUNCTUATION = '.,;:()"“”'
_BETWEEN = r'[\s.,;:()"“”]+'
"""What may come between two words of a name as typed."""


def words_of(text: str) -> list[str]:
    """The words of `text` as names are compared: lower case, straight apostrophes, 'and' for '&',
    without punctuation (so 'Council.' is 'council' and 'Education, Children's' two words)."""
    text = text.lower().replace("’", "'").replace("‘", "'").replace("&", " and ")
    for mark in _PUNCTUATION:
        text = text.replace(mark, " ")
    return text.split()


Words = tuple[str, ...]


class _Phrases:
    """The names and the runs of wording of the registers, by their first words: a notice's text is
    split into words once, and looked up, however many entries the registers have."""

    def __init__(self, site: Site) -> None:
        self.names: dict[Words, _Entry] = {}
        for act in site.legislation:
            if act.type != "regulation":
                self.names[tuple(words_of(act.title))] = _Entry("act", act.id, act.title)
        for organisation in site.organisations:
            for name in (organisation.name, organisation.short_name):
                words = tuple(words_of(name or ""))
                if not organisation.group and len(words) - (words[:1] == ("the",)) >= 2:
                    self.names.setdefault(words, _Entry("organisation", organisation.id, organisation.name))
        self.starts: dict[Words, list[Words]] = {}
        self.ends: dict[str, list[Words]] = {}
        for words in sorted(self.names, key=len, reverse=True):  # the longest name first
            self.starts.setdefault(words[:2], []).append(words)
            self.ends.setdefault(words[-1], []).append(words)
        shared: dict[Words, list[_Entry]] = {}
        for basis in site.lawful_bases:
            words = tuple(words_of(basis.wording))
            entry = _Entry("wording", basis.id, basis.article, _LISTS.get(basis.kind, "article_6"))
            for start in range(len(words) - WORDING_WORDS + 1):
                shared.setdefault(words[start:start + WORDING_WORDS], []).append(entry)
        # Words two bases share ("processing is necessary for the performance of a") name neither.
        self.wording = {run: entries[0] for run, entries in shared.items() if len(entries) == 1}

    def may_report(self, words: list[str], listed: set[str]) -> bool:
        """Whether `words` may hold anything to report: quick, for most notices hold no more than the
        names of the organisations they list. Names are looked for by their last word ('2014' of an
        Act), wording in runs from every fourth word (a typed passage of 11 words holds one)."""
        runs = zip(*(words[i::4] for i in range(WORDING_WORDS)), strict=False)
        if not self.wording.keys().isdisjoint(runs):
            return True
        said = f" {' '.join(words)} "
        return any(f" {' '.join(name)} " in said for last in set(words) & self.ends.keys()
                   for name in self.ends[last]
                   if self.names[name].kind != "organisation" or self.names[name].id not in listed)

    def found(self, words: list[str]) -> Iterator[tuple[Words, int, _Entry]]:
        """Each name in `words`, with how many times it came before, and the first run of each basis's
        wording, in order."""
        seen: dict[Words, int] = {}
        reported: set[str] = set()
        for i in range(len(words)):
            for name in self.starts.get(tuple(words[i:i + 2]), ()):
                if tuple(words[i:i + len(name)]) == name:
                    yield name, seen.get(name, 0), self.names[name]
                    seen[name] = seen.get(name, 0) + 1
                    break
            entry = self.wording.get(tuple(words[i:i + WORDING_WORDS]))
            if entry is not None and entry.id not in reported:
                reported.add(entry.id)
                yield tuple(words[i:i + WORDING_WORDS]), 0, entry


def _phrases(site: Site) -> _Phrases:
    """The registers' phrases, made once per build (in the cache the build's site carries)."""
    kept = site.cache.shared_for("register_text", (site.legislation, site.lawful_bases, site.organisations))
    if "phrases" not in kept:
        kept["phrases"] = _Phrases(site)
    return cast(_Phrases, kept["phrases"])


def check_typed_text(site: Site, notice: Notice, source: SourceFile, diagnostics: Diagnostics) -> None:
    """Warn, at the words typed, of register text typed into `notice`."""
    content = notice.content
    assert isinstance(content, NoticeBase), "the check reads whole notices"
    phrases = _phrases(site)
    listed = _listed_organisations(site, notice)
    everything = all_it_says(site, content).replace("\\n", " ").replace('\\"', '"')
    if not phrases.may_report(words_of(everything), listed):
        return  # most notices: one look at all they say
    file_text = "\n".join(source.lines())  # as read: the positions are of this text
    for location, text in texts_of(content.model_dump(exclude={"changes"}), ()):
        for words, earlier, entry in phrases.found(words_of(text)):
            if entry.kind == "organisation" and entry.id in listed:
                continue
            typed, where = _typed(file_text, source.position(location), words, earlier)
            message, hint = _advice(entry, typed, notice)
            diagnostics.warning(source.path, where, f"{message} [{RULE}]", hint, rule=RULE)


def all_it_says(site: Site, content: NoticeBase) -> str:
    """The notice as JSON: one look at everything it says, made once for the rules that look (kept in
    the build's cache while it is this very notice)."""
    kept = site.cache.shared_for("notice as JSON", (content,))
    if "json" not in kept:
        kept["json"] = content.model_dump_json()
    return cast(str, kept["json"])


def texts_of(value: Any, location: Location) -> Iterator[tuple[Location, str]]:
    """Every text of a notice with where it is."""
    if isinstance(value, str):
        if " " in value:  # an id or an address has no space; a phrase has
            yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_of(item, location + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts_of(item, location + (index,))


def _listed_organisations(site: Site, notice: Notice) -> set[str]:
    """The organisations a service notice names by id, and those site.yaml names; for the main notice
    (which lists none), every organisation."""
    if notice.is_main or not isinstance(notice.content, ServiceNotice):
        return {organisation.id for organisation in site.organisations}
    content = notice.content
    ids = {site.controller.id} | {c.organisation for c in site.contacts.values() if c.organisation}
    ids |= {r.organisation for r in content.sharing.recipients} | set(content.used_by.organisations)
    return ids | ({s.organisation for s in content.sources.items if s.organisation} if content.sources
                  else set())


def _typed(text: str, start: tuple[int, int], words: Words, earlier: int) -> tuple[str, tuple[int, int]]:
    """The words as typed in the file, and where: the `earlier`+1-th time after `start`, in any case,
    spacing, line breaks or quotes (else the words as given, at `start`)."""
    offset = 0
    for _ in range(start[0] - 1):
        offset = text.find("\n", offset) + 1
    offset += start[1] - 1
    typed = _BETWEEN.join("(?:and|&)" if word == "and" else "".join(_TYPED.get(c, re.escape(c)) for c in word)
                          for word in words)
    pattern = re.compile(r"(?<!\w)" + typed + r"(?!\w)", re.IGNORECASE)
    for number, match in enumerate(pattern.finditer(text, offset)):
        if number == earlier:
            line_start = text.rfind("\n", 0, match.start()) + 1
            return " ".join(match.group().split()), (text.count("\n", 0, match.start()) + 1,
                                                     match.start() - line_start + 1)
    return " ".join(words), start


def _advice(entry: _Entry, typed: str, notice: Notice) -> tuple[str, str]:
    """The message and the fix, naming the register id to write instead."""
    others = "" if not notice.is_main else " of the service notices that rely on it"
    if entry.kind == "act":
        return (f"'{typed}' is typed here: the title of an Act belongs to the legislation register",
                f"write [](law:{entry.id}) in its place (the page shows the register's title, linked to"
                f" legislation.gov.uk), and list {entry.id} under `legislation: acts:`"
                f"{others or ' if it is law the notice works under'}")
    if entry.kind == "wording":
        return (f"'{typed}' is typed here: the statutory wording of {entry.shown} belongs to the"
                " lawful-bases register", f"write it only through its register id, {entry.id}: list it"
                f" under `lawful_basis: {entry.list_name}:`{others} (the page quotes the register), and take"
                " the typed words out of this text")
    return (f"'{typed}' is named here, but the notice does not list {entry.shown}, so the sharing page,"
            " notice.json and processing.csv leave it out", f"write it through its register id, {entry.id}:"
            " add it under `sharing: recipients:`, `sources:` or `used_by: organisations:`, whichever it is")
