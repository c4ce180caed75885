"""How hard each notice is to read: reading ease, grade and reading age, per notice and per section.

Only the prose the Trust writes is measured: every Markdown field of a notice, its `summary`, its
purposes and its reasons for sharing (register wording, which is the law's, never appears in a notice).
Reading age is the Flesch–Kincaid grade + 5 (a US school grade is roughly the age minus 5); a section
above its target (site.yaml `reading_age:`: 12 for notices, 9 for young people's versions) is a warning
[reading-age] at its hardest field. Syllables are counted with pyphen's English
dictionary (shipped with pyphen: nothing is downloaded); the counts are ours, so that a section's
figures add up from its fields.

Run by `notices check` only (not by the build or the preview): the figures are for staff.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyphen

from ..content import schema
from ..content.load import Location, SourceFile, load_yaml
from ..content.messages import child_model
from ..content.prose import written_at
from ..content.schema.young_people import YoungPeopleVersion
from ..content.young_people import young_folder
from ..diagnostics import Diagnostics

_HYPHENATION = pyphen.Pyphen(lang="en_US")
"""Syllables are the pieces pyphen's English hyphenation dictionary (shipped with pyphen) cuts a word
into: the count textstat makes, without textstat, whose releases either import the removed
pkg_resources or download NLTK's dictionary on first use."""
_NOT_IN_A_WORD = re.compile(r"[^\w\s'’]")

RULE = "reading-age"
FORMULA = "reading age = Flesch–Kincaid grade + 5"
GRADE_TO_AGE = 5.0
HARDEST = 3
"""How many of a notice's hardest sentences the report shows."""
MEASURED_TEXT = {"summary", "reasons"}
"""Plain-text fields that are sentences the Trust writes (besides every Markdown field and purposes)."""

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_MARKUP = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#+)\s+|[*_`>#]")


@dataclass(frozen=True)
class Figures:
    """Counts of words, sentences and syllables, and what the formulas make of them."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.words + other.words, self.sentences + other.sentences,
                       self.syllables + other.syllables)

    @property
    def grade(self) -> float:
        """Flesch–Kincaid grade level: 0.39 × words per sentence + 11.8 × syllables per word − 15.59."""
        if not self.words:
            return 0.0
        return round(0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59, 1)

    @property
    def ease(self) -> float:
        """Flesch reading ease: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word."""
        if not self.words:
            return 0.0
        return round(206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words, 1)

    @property
    def age(self) -> float:
        return round(self.grade + GRADE_TO_AGE, 1)


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int
    figures: Figures


@dataclass(frozen=True)
class Section:
    """One section of a notice (a service notice's key, a main notice's section, a young section)."""

    name: str
    line: int
    column: int
    figures: Figures
    hardest: Sentence | None


@dataclass(frozen=True)
class Reading:
    """One notice's (or one young people's version's) figures, per section and whole."""

    label: str
    """The page's address: `slug` or `slug/young-people`."""
    title: str
    path: str
    young: bool
    target: float
    figures: Figures
    sections: tuple[Section, ...]
    hardest: tuple[Sentence, ...]

    @property
    def above(self) -> bool:
        return self.figures.age > self.target


def measure(text: str) -> Figures:
    """The counts of one piece of plain text (a sentence ends with . ! ? : or ; or the text's end)."""
    sentences = [part for part in _SENTENCE_END.split(text.strip()) if _WORD.search(part)]
    words = [word for part in sentences for word in _WORD.findall(part)]
    return Figures(len(words), len(sentences), sum(_syllables(word.lower()) for word in words))


@functools.cache
def _syllables(word: str) -> int:
    pieces = _NOT_IN_A_WORD.sub("", word).split()
    return max(1, sum(len(_HYPHENATION.positions(piece)) + 1 for piece in pieces))


def plain(markdown: str) -> str:
    """Markdown as the words a reader reads: link text kept, markers dropped; a paragraph's lines joined,
    and each paragraph or list item a sentence of its own at least (a list item often has no full stop)."""
    chunks: list[list[str]] = [[]]
    for line in _LINK.sub(r"\1", markdown).splitlines():
        if not line.strip() or _ITEM.match(line):
            chunks.append([])
        words = _MARKUP.sub("", line).strip()
        if words:
            chunks[-1].append(words)
    joined = [" ".join(chunk) for chunk in chunks if chunk]
    return " ".join(text if text[-1] in ".!?:;" else text + "." for text in joined)


def sentences_of(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text.strip()) if _WORD.search(part)]


Field = tuple[str, Location, str]
"""A measured field: its section's name, its location in the file, its plain text."""


def notice_fields(data: dict[str, Any], model: type, young: bool) -> list[Field]:
    """Every measured field of a notice (or young people's version), with the section it belongs to."""
    found: list[Field] = []
    for key, value in data.items():
        if key == "sections" and isinstance(value, list):  # a main notice's or a young version's sections
            for index, section in enumerate(value):
                if isinstance(section, dict):
                    name = str(section.get("id", index))
                    found += [(name, loc, text) for _, loc, text in
                              _walk(section, _child(model, key), ("sections", index))]
        else:
            found += [(key, loc, text) for _, loc, text in _walk({key: value}, model, ())]
    return found


def _child(model: type, key: str) -> Any:
    fields = getattr(model, "model_fields", {})
    return child_model(fields[key].annotation) if key in fields else None


def _walk(data: Any, model: Any, location: Location) -> Iterator[Field]:
    fields = getattr(model, "model_fields", {})
    for key, value in data.items():
        info = fields.get(key)
        if info is None or key == "changes":
            continue
        here = location + (key,)
        inner = child_model(info.annotation)
        if isinstance(value, str) and (schema.is_markdown(info) or key in MEASURED_TEXT
                                      or (model is schema.Purpose and key == "text")):
            yield "", here, plain(value)
        elif isinstance(value, dict) and inner is not None:
            yield from _walk(value, inner, here)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict) and inner is not None:
                    yield from _walk(item, inner, here + (index,))
                elif isinstance(item, str) and (key in MEASURED_TEXT or inner is schema.Purpose):
                    yield "", here + (index,), plain(item)


def read_file(source: SourceFile, label: str, title: str, model: type, young: bool, target: float,
              root: Path, diagnostics: Diagnostics) -> Reading:
    """One file's figures; a warning for each section above `target`."""
    fields = notice_fields(source.data, model, young)
    by_section: dict[str, list[tuple[Location, str, Figures]]] = {}
    sentences: dict[str, list[tuple[Location, str, Figures]]] = {}
    for name, location, text in fields:
        by_section.setdefault(name, []).append((location, text, measure(text)))
        sentences.setdefault(name, []).extend((location, sentence, measure(sentence))
                                              for sentence in sentences_of(text))
    sections = []
    for name, measured in by_section.items():
        figures = sum((f for _, _, f in measured), Figures())
        hardest_field = max(measured, key=lambda m: (m[2].grade, m[2].words))
        line, column = source.position(hardest_field[0])
        own = sentences[name]
        hardest = _placed(source, max(own, key=_difficulty)) if own else None
        sections.append(Section(name, line, column, figures, hardest))
        if figures.words and figures.age > target:
            quoted = f"; its hardest sentence: '{_short(hardest.text)}'" if hardest else ""
            diagnostics.warning(source.path, (line, column),
                                f"{label}: the section '{name}' has a reading age of {figures.age:g}"
                                f" ({FORMULA}, grade {figures.grade:g}), above the target of"
                                f" {target:g}{quoted} [{RULE}]",
                                "use shorter sentences and everyday words", rule=RULE)
    total = sum((s.figures for s in sections), Figures())
    every = [sentence for own in sentences.values() for sentence in own]
    hardest_all = tuple(_placed(source, s) for s in sorted(every, key=_difficulty, reverse=True)[:HARDEST])
    return Reading(label, title, diagnostics.relative(source.path), young, target, total, tuple(sections),
                   hardest_all)


def _placed(source: SourceFile, sentence: tuple[Location, str, Figures]) -> Sentence:
    """A sentence with the line it is written on (looked for only for the few that are shown)."""
    location, text, figures = sentence
    return Sentence(text, written_at(source, location, text[:40])[0], figures)


def _difficulty(sentence: tuple[Location, str, Figures]) -> tuple[bool, float, int]:
    """Hardest first; a sentence of three words or fewer ("For example:") is never the hardest."""
    figures = sentence[2]
    return (figures.words > 3, figures.grade, figures.words)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_reading_age(root: Path, site: schema.SiteFile, notices: list[tuple[Path, str, str]],
                      diagnostics: Diagnostics) -> list[Reading]:
    """The figures of every notice (`notices`: path, slug, title, in the site's order) and of its young
    people's version, each followed by its version; warnings for what is above target."""
    targets = site.reading_age
    readings = []
    for path, slug, title in notices:
        source = load_yaml(path, Diagnostics(root))
        if source is None:
            continue
        model = schema.NOTICE_MODELS.get(str(source.data.get("kind")), schema.ServiceNotice)
        readings.append(read_file(source, slug, title, model, False, targets.notices, root, diagnostics))
        young_path = young_folder(root) / f"{slug}.yaml"
        young = load_yaml(young_path, Diagnostics(root)) if young_path.is_file() else None
        if young is not None:
            readings.append(read_file(young, f"{slug}/young-people", str(young.data.get("title", title)),
                                      YoungPeopleVersion, True, targets.young_people, root, diagnostics))
    return readings


def reading_table(readings: list[Reading]) -> str:
    """The terminal table: each notice's ease, grade and reading age against its target."""
    rows = [["Notice", "Ease", "Grade", "Age", "Target", ""]]
    for r in readings:
        rows.append([r.label, f"{r.figures.ease:g}", f"{r.figures.grade:g}", f"{r.figures.age:g}",
                     f"{r.target:g}", "above target" if r.above else "ok"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [f"Reading age ({FORMULA}; Flesch reading ease: higher is easier)"]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)
