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

from ..content.load import Location
from ..content.schema import Act, NoticeBase
from ..site.lawlinks import SCHEME, acts_by_id, law_link_ids, status_words
from .register_text import texts_of
from .requirements import Finding, NoticeContext, Outcome, met, missing, not_applicable

RULE = "law-in-force"
CITATION = "UK GDPR Article 13(1)(c), 14(1)(c)"


def law_in_force(ctx: NoticeContext) -> Outcome:
    """Every law the notice lists under `legislation: acts:` or links to from its text is in force."""
    acts = acts_by_id(ctx.site)
    cited: list[tuple[Location, Act, str]] = [(("legislation", "acts", i), act, "lists")
                                              for i, act in enumerate(ctx.notice.acts)]
    cited += [(location, acts[act_id], "links to") for location, act_id in _law_links(ctx.notice.content)
              if act_id in acts]
    if not cited:
        return not_applicable("cites no legislation")
    findings = tuple(_finding(act, acts, location, how) for location, act, how in cited
                     if act.status != "in-force")
    if findings:
        return missing("cites law no longer in force", *findings)
    return met(f"{len({act.id for _, act, _ in cited})} laws cited, each in force")


def _law_links(content: object) -> list[tuple[Location, str]]:
    """Each `law:` link in the notice's text, with the field it is written in."""
    if not isinstance(content, NoticeBase) or SCHEME not in content.model_dump_json():
        return []  # most notices: one look at all they say
    return [(location, act_id) for location, text in texts_of(content.model_dump(exclude={"changes"}), ())
            for act_id in law_link_ids(text)]


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
