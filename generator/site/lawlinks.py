"""Links from prose to the legislation register, and the words for law that no longer applies.

An editor cites an Act in a sentence as `[](law:children-act-1989)` (the page shows the register's
title) or `[the fostering regulations](law:fostering-regs-2011)` (the page shows those words); either
way the link goes to the register's legislation.gov.uk address. Before a text is rendered, each such
link is written out as an ordinary Markdown link with the register's title and address
(`with_law_links`): the rendered HTML is then a function of the text alone, so every cache of
rendered Markdown (markdown.py, the preview's) sees a register edit as new text. A law that is no
longer in force is followed by what became of it ("no longer in force: repealed in 1996, replaced by
the Education Act 1996"), so no page presents it as current law.

Only the inline form `[words](law:ID)` is a law link; any other way of writing `law:` is a link the
page drops, and `notices check` says so (prose.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from ..content.resolve import Site
    from ..content.schema import Act

SCHEME = "law:"
LAW_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\(\s*law:([^\s()<>]*)\s*\)")
"""`[words](law:ID)`: the words (maybe none) and the id as written."""
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>!&#~|])")


def law_link_ids(text: str) -> list[str]:
    """The id of each law link in `text`, in order (as written: it may name no entry)."""
    return [match.group(2) for match in LAW_LINK.finditer(text)] if SCHEME in text else []


def without_law_links(text: str) -> str:
    """`text` with each law link replaced by a plain https link: for the checks that look at the other
    links, which must not take a law link for an unsafe one."""
    return LAW_LINK.sub(lambda match: f"[{match.group(1)}](https://law.invalid/)", text)


def with_law_links(text: str, acts: Mapping[str, Act]) -> str:
    """`text` with each law link written out as a link to the Act's legislation.gov.uk address, its
    words the register's title when none are written; an Act no longer in force followed by what
    became of it. A link to no entry (reported by the check) keeps only its words."""
    if SCHEME not in text:
        return text

    def written_out(match: re.Match[str]) -> str:
        act = acts.get(match.group(2))
        words = match.group(1).strip()
        if act is None:
            return words or match.group(2)
        shown = words or _escaped(act.title)
        status = status_words(act, acts)
        after = f" ({_escaped('no longer in force: ' + status)})" if status else ""
        return f"[{shown}](<{act.url}>){after}"

    return LAW_LINK.sub(written_out, text)


def status_words(act: Act, acts: Mapping[str, Act]) -> str:
    """What became of a law no longer in force, in words for the page ('repealed in 1996, replaced by
    the Education Act 1996'); '' for one in force."""
    if act.status == "in-force":
        return ""
    when = f" in {act.status_date.year}" if act.status_date else ""
    replacement = acts.get(act.replaced_by) if act.replaced_by else None
    what = act.replaced_by_text or (f"the {replacement.title.removeprefix('The ')}" if replacement else "")
    if act.status == "replaced":
        return f"replaced{when} by {what}" if what else f"replaced{when}"
    return f"{act.status}{when}" + (f", replaced by {what}" if what else "")


def acts_by_id(site: Site) -> dict[str, Act]:
    """The legislation register by id, made once per build (in the cache the build's site carries)."""
    kept = site.cache.shared_for("law links", (site.legislation,))
    if "acts" not in kept:
        kept["acts"] = {act.id: act for act in site.legislation}
    return cast("dict[str, Act]", kept["acts"])


def cited_acts(texts: Iterable[str], listed: Iterable[Act], acts: Mapping[str, Act]) -> list[Act]:
    """The Acts that `texts` link to, and what replaced any of those or of `listed` that no longer
    apply (unless `listed` has it): the entries whose words the notice's page shows, each once, in the
    order first named. notice.json carries them, so its content hash changes when they do."""
    listed = list(listed)
    cited = {act.id: act for text in texts for act_id in law_link_ids(text) if (act := acts.get(act_id))}
    named = list(cited.values())
    shown = {act.id for act in listed}
    for act in [*named, *listed]:
        if act.replaced_by and act.replaced_by in acts and act.replaced_by not in shown:
            cited.setdefault(act.replaced_by, acts[act.replaced_by])
    return list(cited.values())


def prose_with_law_links(data: object) -> list[str]:
    """Every text in `data` (a notice as data: dicts, lists and text) that holds a law link."""
    if isinstance(data, str):
        return [data] if SCHEME in data else []
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [text for item in data for text in prose_with_law_links(item)]
    return []


def _escaped(words: str) -> str:
    """Words as Markdown shows them as they are: its punctuation escaped."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", words)
