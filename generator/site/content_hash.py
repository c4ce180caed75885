"""The content hash notices.json keeps for each notice, so a later check can tell what changed.

export.py makes each notice's notice.json and, beside it, the same content with its keys sorted,
which is what the hash reads.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pydantic_core


def content_hash(hashed: dict[str, Any]) -> str:
    """The hash notices.json keeps, so a later check can tell that a notice's content changed.

    It is the sha256 of the notice.json without the keys that depend on where the site is published
    (`$schema`, `url`), as JSON with sorted keys, no spaces and UTF-8 text (docs/data.md). `hashed` is
    that notice with its keys sorted already: pydantic_core then writes what
    json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":")) writes, several times faster.
    """
    return "sha256:" + hashlib.sha256(pydantic_core.to_json(hashed)).hexdigest()


def sorted_for_hash(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` with the keys of every object in it in sorted order, as the content hash reads
    it: a notice has some eighty objects to sort. A list without an object or list in it (most lists:
    text) is not copied, as nothing in it is sorted or changed."""
    copy = {}
    for key in sorted(data):
        value = data[key]
        if type(value) is dict:
            value = sorted_for_hash(value)
        elif type(value) is list:
            value = _sorted_in(value)
        copy[key] = value
    return copy


def _sorted_in(items: list[Any]) -> list[Any]:
    for item in items:
        if type(item) is dict or type(item) is list:
            return [sorted_for_hash(item) if type(item) is dict else _sorted_in(item)
                    if type(item) is list else item for item in items]
    return items
