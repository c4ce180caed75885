"""`notices new SLUG --title "…"`: a service notice to fill in, that builds at once.

Every section of a service notice is written, each with a comment saying what to write; register
ids are examples taken from the project's own registers. The sections only the editor can answer
(sources, retention, whether people must give the information, transfers, decisions by computer
alone) are left as comments, so `notices check` warns about each until it is filled in.
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from ..build import build_in_memory
from ..content.reading import UnreadableFile, read_content_file
from ..content.schema.fields import ID_PATTERN
from ..diagnostics import format_diagnostics
from ..site.render import reserved_slugs

EXIT_OK, EXIT_USAGE = 0, 2


def new_notice(root: Path, slug: str, title: str) -> int:
    """Write content/notices/SLUG.yaml, or say why not (exit 2); then what is left to fill in."""
    notices = root / "content" / "notices"
    problem = refusal(root, slug, title)
    if problem:
        print(f"notices: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    path = notices / f"{slug}.yaml"
    notices.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as file:  # never over a file that appeared meanwhile
        file.write(scaffold(root, slug, title))
    shown = path.relative_to(root).as_posix()
    print(f"Wrote {shown}: fill in each 'TO DO' and each commented-out section, then preview it with"
          " `notices serve` (steps: docs/adding-a-notice.md).")
    _print_what_is_left(root, shown)
    if not (root / "schemas").is_dir():
        print("Run `notices schema` to let your editor check the file as you type.")
    return EXIT_OK


def refusal(root: Path, slug: str, title: str) -> str | None:
    """Why SLUG cannot be a new notice, in a sentence that says what to do instead."""
    notices = root / "content" / "notices"
    if not re.fullmatch(ID_PATTERN, slug):
        suggestion = "-".join(re.findall(r"[a-z0-9]+", slug.lower()))
        instead = f" (e.g. {suggestion})" if suggestion else ""
        return (f"'{slug}' cannot be a notice's address: use lower-case letters and digits, words joined by"
                f" hyphens{instead}")
    if slug in reserved_slugs():
        return (f"'{slug}' is the address of a page the site makes itself ({slug}/): choose another,"
                f" e.g. {slug}-notice")
    if not title.strip():
        return "the title is empty: give one with --title, e.g. --title \"Fostering\""
    path = notices / f"{slug}.yaml"
    if path.exists():
        return f"{path.relative_to(root).as_posix()} exists already: choose another slug, or edit that file"
    for other in sorted(notices.glob("*.yaml")):
        if _read(other).get("slug") == slug:
            return f"{other.relative_to(root).as_posix()} already has the slug '{slug}': choose another"
    return None


def _read(path: Path) -> dict[str, Any]:
    """A content file's top level, or nothing when it cannot be read (the check will say why)."""
    try:
        data = yaml.safe_load(read_content_file(path).decode("utf-8-sig"))
    except (UnreadableFile, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _entries(root: Path, name: str, register: str) -> list[dict[str, Any]]:
    entries = _read(root / "content" / "definitions" / name).get(register)
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)] if isinstance(
        entries, list) else []


def examples(root: Path) -> dict[str, str]:
    """Real ids from the project's registers, where it has them, for the scaffold's examples."""
    site = _read(root / "content" / "site.yaml")
    controller = str(site.get("controller") or "our-organisation")
    notices = [_read(p) for p in sorted((root / "content" / "notices").glob("*.yaml"))]
    return {
        "basis": _example_basis(root),
        "act": _example_act(root, notices),
        "controller": controller,
        "body": _example_body(root, controller),
        "contact": str(site.get("data_protection_officer") or "data-protection-officer"),
        "main": _main_slug(notices),
        "subjects": ", ".join([e["id"] for e in _entries(root, "data-subjects.yaml", "data_subjects")][:2])
        or "child, parent-or-carer",
    }


def _example_basis(root: Path) -> str:
    """An Article 6 lawful basis, public task (6(1)(e)) where the register has it: most services'."""
    bases = [e for e in _entries(root, "lawful-bases.yaml", "lawful_bases") if e.get("kind") == "article-6"]
    public_task = [e for e in bases if "6(1)(e)" in str(e.get("article", ""))]
    return str((public_task or bases or [{"id": "art6-1-e"}])[0]["id"])


def _example_act(root: Path, notices: list[dict[str, Any]]) -> str:
    """An Act in force that gives a service its task (not a data protection law), the one cited most."""
    acts = [e for e in _entries(root, "legislation.yaml", "legislation")
            if e.get("type") == "act" and "data" not in str(e.get("title", "")).lower()
            and e.get("status", "in-force") == "in-force"]
    return _most_cited([act["id"] for act in acts], notices) or "children-act-1989"


def _example_body(root: Path, controller: str) -> str:
    """Another organisation to share with: one with a website, not a group, not the controller."""
    bodies = [e for e in _entries(root, "organisations.yaml", "organisations")
              if e["id"] != controller and not e.get("group") and e.get("website")]
    return str((bodies or [{"id": controller}])[0]["id"])


def _main_slug(notices: list[dict[str, Any]]) -> str:
    """The main notice's slug, which the scaffold's introduction links to."""
    main = next((n for n in notices if n.get("kind") == "main" and isinstance(n.get("slug"), str)), {})
    return str(main.get("slug") or "privacy-notice")


def _most_cited(acts: list[str], notices: list[dict[str, Any]]) -> str | None:
    """The Act the project's notices cite most (the first in the register on a tie): a better example
    than the register's first entry, which may be an old one kept for history."""
    counts = dict.fromkeys(acts, 0)
    for notice in notices:
        legislation = notice.get("legislation")
        cited = legislation.get("acts") if isinstance(legislation, dict) else None
        for act in cited if isinstance(cited, list) else []:
            if act in counts:
                counts[act] += 1
    return max(counts, key=lambda act: counts[act]) if counts else None


def scaffold(root: Path, slug: str, title: str) -> str:
    """The new notice's YAML text."""
    today = datetime.date.today().isoformat()
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return SCAFFOLD.format(slug=slug, title=quoted, name=" ".join(title.split()), today=today,
                           **examples(root))


def _print_what_is_left(root: Path, shown: str) -> None:
    """The build's problems in the new file: the compliance check's warnings name what is left."""
    result = build_in_memory(root)
    mine = [d for d in result.diagnostics.sorted() if d.path == shown]
    if mine:
        print(f"Still to fill in ({len(mine)}):")
        print(format_diagnostics(mine, "text"))


SCAFFOLD = """\
# yaml-language-server: $schema=../../schemas/notice.schema.json
# {name} privacy notice. Replace each "TO DO" and fill in each commented-out section; `notices check`
# warns about what the law needs and is still missing. Steps: docs/adding-a-notice.md.
kind: service
slug: {slug}
# The notice's name, as on the list of notices and in its page's heading.
title: {title}
# One line for the list of notices: whose information this service uses, and what for.
summary: "TO DO: How our {slug} service uses information about you."
last_updated: {today}
version: "1"
# Each change, newest first: the date and, in plain words, what changed (add `editorial: true` to a
# correction that changes nothing a reader is told: it stays in the data, off the page).
changes:
  - date: {today}
    summary: First published.

# What this notice adds to the main notice; link to it rather than repeating it.
introduction: |
  This notice adds to our [main privacy notice](notice:{main}), which explains your rights
  and how to contact our Data Protection Officer.

# Who the notice is about: ids from content/definitions/data-subjects.yaml (add a category there
# first if it is missing). Uncomment and fill in; a tier, a data item or a retention
# period may name its own too.
# data_subjects: [{subjects}]

# What information the service collects, in tiers (one is fine); mark sensitive items.
information_collected:
  tiers:
    - id: everyone
      title: "TO DO: who this information is about"
      items:
        - name
        - address
        - name: "TO DO: an item of health information, say (special category data, Article 9)"
          special_category: true

# Where information comes from when not from the person (Article 14); uncomment and fill in, or
# say `not_applicable: {{sources: all of it comes from the person}}` below.
# sources:
#   intro: "We also get information from:"
#   items:
#     - organisation: {body}
#       data: "what they tell us"
#     - category: "TO DO: people who are not one organisation, e.g. Referees you name"
#       data: "what they tell us"

# Who in and beyond the organisation uses the information (organisation ids from the register).
used_by:
  text: "TO DO: Our {slug} staff use this information."
  organisations: [{controller}]

# What the information is used for, one purpose an item, each with the law that allows it (ids from
# content/definitions/lawful-bases.yaml): `article_6` always; for special category data `article_9`,
# each condition with the Schedule 1 paragraphs it needs; for criminal offence data `article_10`.
purposes:
  intro: "We use this information to:"
  items:
    - id: provide-the-service
      text: "TO DO: provide the service"
      article_6: [{basis}]
      # article_9:
      #   - condition: art9-2-h
      #     schedule_1: [dpa-sch1-para2]
      # article_10:
      #   - condition: art10
      #     schedule_1: [dpa-sch1-para18]

# Why the service needs the information, in a short paragraph. Cite an Act in a sentence with
# [](law:ID) (the page shows the register's title) or [your words](law:ID); never type its title.
why: |
  TO DO: say why the service needs this information.

# What goes with the bases of every purpose (each purpose names its own above): an introduction,
# and the appropriate policy document when a Schedule 1 condition needs one.
lawful_basis:
  intro: "The table shows the law that allows each use of your information."
  # policy_document: "https://..."

# The Acts that give the service its task (ids from content/definitions/legislation.yaml), each
# in force: `notices check` warns of one the register marks repealed, revoked or replaced.
legislation:
  intro: "We do this under laws including:"
  acts: [{act}]

# Who the information is shared with (organisation ids), and why.
sharing:
  recipients:
    - {body}
  reasons:
    - "TO DO: why it is shared"

# How the information is kept secure.
security: |
  TO DO: say how the information is stored and who can see it.

# Whether any decision with legal or similarly significant effects on people is taken by computer
# alone (Articles 13(2)(f), 22A to 22D): `solely_automated: false`; or true, with `logic:`,
# `significance:` and the Article 22C `safeguards:` offered (information, representations,
# human-intervention, contest).
automated_decisions:
  # solely_automated: false
  text: "TO DO: say what computer systems do with the information, if anything."

# Whether information goes outside the UK (Article 13(1)(f)): `transfers: none`; or `destinations:`,
# each with `to:` and the `mechanism:` it relies on: adequacy-regulations (Article 45A),
# article-46-safeguards (with `safeguards:` and `get_a_copy:`) or article-49-derogation (with
# `derogation:`, a to g). Leave `mechanism` out while it is not known: the check reports it.
transfers:
  text: "TO DO: answer with `none: true` or `destinations:`."
  # destinations:
  #   - to: "TO DO: the country or body abroad"
  #     mechanism: adequacy-regulations

# How long each tier is kept (Article 13(2)(a)): uncomment and fill in, one period a tier (or one
# for each kind of person, with `data_subjects:`). In numbers: `period: {{years: 6}}` (or `months:`,
# or `{{until_age: 25}}`), `runs_from:` the event it counts from, `set_by:` the law's id from
# content/definitions/legislation.yaml; or the period in words.
# retention:
#   - title: Everyone
#     tier: everyone
#     period: "TO DO: how long, or how we decide"

# People's rights, and who to contact (contact ids from content/site.yaml).
rights:
  text: |
    You have rights over your information: see our [main privacy notice](notice:{main}#your-rights).
  contacts: [{contact}]

# Whether people must give the information, by law or contract, and what happens if not
# (Article 13(2)(e)): uncomment and fill in.
# statutory_requirement: |
#   TO DO

# Checklist items that do not apply to this service, each with the reason.
# not_applicable:
#   sources: all of it comes from the person
"""
