"""The quick way through a plain content file: libyaml's events straight to values.

load.py reads a file as a tree of nodes first, so that it can say where each value was written.
A clean notice never needs that, and the tree costs more than the values: at a thousand notices,
reading them was the biggest part of a build. So a file is first read here, from the parser's
events, keeping nothing but the values. Only the plain YAML that content files are written in
is read this way; at anything else (an anchor or alias, an explicit tag, a merge key, a key that
is not plain text, a key written twice, a value that cannot be read, a syntax error, too many
values or levels) this gives up, and load.py reads the file the full way, which says what is
wrong and where. tests/test_load.py checks that both ways give the same values.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_CParser: Any
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML without libyaml: load.py's full reading is the only one
    _CParser = None

_STR = "tag:yaml.org,2002:str"
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_MAY_NOT_BE_TEXT = {
    first: re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in resolvers), resolvers[0][1].flags)
    for first, resolvers in _resolver.yaml_implicit_resolvers.items()
}
"""By the first character of a plain value that YAML may read as other than text (a digit, `-`, `t`
for true, `~`...), the resolver's patterns for that character in one: a value that matches none of
them is text without asking the resolver, which tries them one at a time. A value that starts with
any other character is text. (The patterns of one character all have the same flags.)"""
_MERGE_KEY = "<<"
"""The one plain key that YAML reads as a merge: the resolver's only pattern for `<` is `^(?:<<)$`."""

_Scalar, _MappingStart, _MappingEnd = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStart, _SequenceEnd, _Alias = yaml.SequenceStartEvent, yaml.SequenceEndEvent, yaml.AliasEvent


class _GiveUp(Exception):
    """Not plain content: load.py reads the file instead."""


def quick_values(text: str, max_values: int, max_depth: int) -> Any:
    """The values of a YAML document, or None when it is not plain content (see the module's text)."""
    if _CParser is None:
        return None
    parser: Any = _CParser(text)
    try:
        parser.get_event()  # the stream's start
        if not isinstance(parser.get_event(), yaml.DocumentStartEvent):
            return None
        reader = _Reader(parser, max_values, max_depth)
        value = reader.value(parser.get_event(), 0)
        if not isinstance(parser.get_event(), yaml.DocumentEndEvent):
            return None
        if not isinstance(parser.get_event(), yaml.StreamEndEvent):  # a second document
            return None
    except (_GiveUp, yaml.YAMLError, ValueError, TypeError, OverflowError):
        return None
    return value


class _Reader:
    """One document's events to its values. Most events are a key and its text: they are read in the
    loop of their mapping or list, in few Python steps (a notice has hundreds of events, and reading
    the notices was the biggest part of a big build)."""

    def __init__(self, parser: Any, max_values: int, max_depth: int) -> None:
        self.next_event = parser.get_event
        self.left = max_values
        self.max_depth = max_depth

    def value(self, event: Any, depth: int) -> Any:
        self.left -= 1
        kind = type(event)
        if self.left < 0 or depth > self.max_depth or kind is _Alias or event.anchor is not None:
            raise _GiveUp
        if kind is _Scalar:
            return _scalar(event)
        if kind is _MappingStart and event.implicit:
            return self.mapping(depth)
        if kind is _SequenceStart and event.implicit:
            return self.sequence(depth)
        raise _GiveUp  # a collection with an explicit tag

    def mapping(self, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        next_event = self.next_event
        inner = depth + 1
        too_deep = inner > self.max_depth
        texts = 0  # the keys and texts read here, counted against max_values at the end
        while type(key := next_event()) is not _MappingEnd:
            if type(key) is not _Scalar or key.anchor is not None or (name := key.value) in result:
                raise _GiveUp  # a key that is a list or mapping, or written twice
            plain, quoted = key.implicit
            if not (plain or quoted):
                raise _GiveUp  # an explicit tag on the key
            if plain and name == _MERGE_KEY:
                raise _GiveUp
            event = next_event()
            if type(event) is _Scalar and event.implicit[0] and event.anchor is None:  # plain text, mostly
                if too_deep:
                    raise _GiveUp
                texts += 2
                text = event.value
                patterns = _MAY_NOT_BE_TEXT.get(text[:1])
                result[name] = text if patterns is None or patterns.match(text) is None else _scalar(event)
            else:
                texts += 1
                result[name] = self.value(event, inner)
        self._count(texts)
        return result

    def sequence(self, depth: int) -> list[Any]:
        items: list[Any] = []
        next_event = self.next_event
        inner = depth + 1
        too_deep = inner > self.max_depth
        texts = 0
        while (kind := type(event := next_event())) is not _SequenceEnd:
            if kind is _Scalar and event.implicit[0] and event.anchor is None:  # plain text, mostly
                if too_deep:
                    raise _GiveUp
                texts += 1
                text = event.value
                patterns = _MAY_NOT_BE_TEXT.get(text[:1])
                items.append(text if patterns is None or patterns.match(text) is None else _scalar(event))
            else:
                items.append(self.value(event, inner))
        self._count(texts)
        return items

    def _count(self, values: int) -> None:
        """Count `values` more against max_values."""
        self.left -= values
        if self.left < 0:
            raise _GiveUp


def _scalar(event: yaml.ScalarEvent) -> Any:
    plain, quoted = event.implicit
    value = event.value
    if not plain:
        if quoted:
            return value  # quoted, or a block of text: always text
        raise _GiveUp  # an explicit tag
    patterns = _MAY_NOT_BE_TEXT.get(value[:1])
    if patterns is None or patterns.match(value) is None:
        return value
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    construct = _constructor.yaml_constructors.get(tag)
    if construct is None:
        raise _GiveUp
    node = yaml.ScalarNode(tag, value, style=event.style)
    return construct(_constructor, node)  # a number, a date, true or false, or null
