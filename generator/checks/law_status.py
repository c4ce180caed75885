"""The rule that a notice cites only law in force, or says what replaced what it names.

The legislation register records each law's status (content/definitions/legislation.yaml: `status`,
`status_date`, `replaced_by`, `replaced_by_text`, `status_source`). A notice that lists, or links its
text to, an Act that was repealed, an instrument that was revoked, or a scheme that was replaced,
gives people a legal basis that no longer exists, where Article 13(1)(c) and 14(1)(c) require the
legal basis for the processing: a repealed Act lays down no obligation and confers no task. The page never
presents such a law as current (lawlinks.py); this rule tells the editor, naming the replacement,
and where the status was read (for staff: never on the page). docs/compliance.md says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from ..content.load import Location
from ..content.resolve import Site
from ..content.schema import Act, NoticeBase
from ..site.lawlinks import SCHEME, acts_by_id, law_link_ids, status_words
from .register_text import all_it_says
from .requirements import Finding, NoticeContext, Outcome, met, missing, not_applicable

RULE = "law-in-force"
CITATION = "UK GDPR Article 13(1)(c), 14(1)(c)"


def law_in_force(ctx: NoticeContext) -> Outcome:
    """Every law the notice names is in force: by id (`legislation: acts:`, or any other field that
    takes a legislation id) or by a `law:` link in its text."""
    acts = acts_by_id(ctx.site)
    content = ctx.notice.content
    assert isinstance(content, NoticeBase), "the rules read whole notices"
    said = all_it_says(ctx.site, content)
    if SCHEME in said or any(f'"{act_id}"' in said for act_id in _ended(ctx.site, acts)):
        cited = _cited(content, acts)
    else:  # most notices: no law link, and no law that is not in force: what they list is all
        cited = [(("legislation", "acts", i), act, "lists") for i, act in enumerate(ctx.notice.acts)]
    if not cited:
        return not_applicable("cites no legislation")
    findings = tuple(_finding(act, acts, location, how) for location, act, how in cited
                     if act.status != "in-force")
    if findings:
        return missing("cites law no longer in force", *findings)
    return met(f"{len({act.id for _, act, _ in cited})} laws cited, each in force")


def _ended(site: Site, acts: dict[str, Act]) -> list[str]:
    """The ids of the laws the register marks as no longer in force, found once per build."""
    kept = site.cache.shared_for("laws no longer in force", (site.legislation,))
    if "ids" not in kept:
        kept["ids"] = sorted(act_id for act_id, act in acts.items() if act.status != "in-force")
    return cast(list[str], kept["ids"])


def _cited(content: NoticeBase, acts: dict[str, Act]) -> list[tuple[Location, Act, str]]:
    """Each law the notice names, where, and how ('lists', 'names' or 'links to'), in file order. An
    id is a text without a space that is a legislation id: `legislation: acts:` holds them, and so may
    any field another part of the model adds (a retention rule's law, say)."""
    cited: list[tuple[Location, Act, str]] = []
    for location, text in _texts(content.model_dump(mode="json", exclude={"changes"}), ()):
        if text in acts and location[-1:] != ("id",):  # a purpose's own id may happen to read like one
            how = "lists" if location[:2] == ("legislation", "acts") else "names"
            cited.append((location, acts[text], how))
        elif SCHEME in text:
            cited += [(location, acts[act_id], "links to") for act_id in law_link_ids(text) if act_id in acts]
    return cited


def _texts(value: object, location: Location) -> Iterator[tuple[Location, str]]:
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*location, index))


def _finding(act: Act, acts: dict[str, Act], location: Location, how: str) -> Finding:
    replacement = acts.get(act.replaced_by) if act.replaced_by else None
    if replacement is not None:
        what = act.replaced_by_text or f"the {replacement.title.removeprefix('The ')}"
        instead = f"cite {replacement.id} in its place ({what})"
    elif act.replaced_by_text:
        instead = f"cite what replaced it ({act.replaced_by_text}) in its place"
    else:
        instead = "cite the law the notice now relies on in its place"
    return Finding(
        RULE, f"the notice {how} '{act.title}', which is no longer in force ({status_words(act, acts)}): a"
        f" legal basis must be law in force ({CITATION})",
        f"{instead}, or take {act.id} out if the notice no longer relies on it (status read at"
        f" {act.status_source}, content/definitions/legislation.yaml)", location)
