"""The quick way through a plain content file: libyaml's events straight to values.

load.py reads a file as a tree of nodes first, so that it can say where each value was written.
A clean notice never needs that, and the tree costs more than the values: at a thousand notices,
reading them was the biggest part of a build. So a file is first read here, from the parser's
events, keeping nothing but the values. Only the plain YAML that content files are written in
is read this way; at anything else (an anchor or alias, an explicit tag, a merge key, a key that
is not plain text, a key written twice, a value that cannot be read, a syntax error, too many
values or levels, plain text over several lines with a dash that may start one) this gives up,
and load.py reads the file the full way, which says what is wrong and where. tests/test_load.py
checks that both ways give the same values.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_CParser: Any = getattr(yaml, "CBaseLoader", None)
"""libyaml's parser, as PyYAML's public loader built on it (its events are what is read here); without
libyaml, load.py's full reading is the only one."""

_STR = "tag:yaml.org,2002:str"
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()


def _text_test(resolvers: list[tuple[str, re.Pattern[str]]]) -> Any:
    """The resolver's patterns for one first character in one (they all have the same flags)."""
    patterns = [pattern.pattern for _, pattern in resolvers]
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns), resolvers[0][1].flags).match


_MAY_NOT_BE_TEXT = {first: _text_test(resolvers)
                    for first, resolvers in _resolver.yaml_implicit_resolvers.items()}
"""By the first character of a plain value that YAML may read as other than text (a digit, `-`, `t`
for true, `~`...), the resolver's patterns for that character in one: a value that matches none of
them is text without asking the resolver, which tries them one at a time. A value that starts with
any other character is text."""
_MERGE_KEY = "<<"
"""The one plain key that YAML reads as a merge: the resolver's only pattern for `<` is `^(?:<<)$`."""

_Scalar, _MappingStart, _MappingEnd = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStart, _SequenceEnd, _Alias = yaml.SequenceStartEvent, yaml.SequenceEndEvent, yaml.AliasEvent


class _GiveUp(Exception):
    """Not plain content: load.py reads the file instead."""


def quick_read(text: str, max_values: int, max_depth: int) -> tuple[Any, bool]:
    """The values of a YAML document, or None when it is not plain content (see the module's text);
    and whether any value is empty (None): where none is, the check for empty values (messages.py)
    has nothing to look for."""
    if _CParser is None:
        return None, True
    parser: Any = _CParser(text)
    try:
        parser.get_event()  # the stream's start
        if not isinstance(parser.get_event(), yaml.DocumentStartEvent):
            return None, True
        reader = _Reader(parser, max_values, max_depth)
        value = reader.value(parser.get_event(), 0)
        if not isinstance(parser.get_event(), yaml.DocumentEndEvent):
            return None, True
        if not isinstance(parser.get_event(), yaml.StreamEndEvent):  # a second document
            return None, True
    except (_GiveUp, yaml.YAMLError, ValueError, TypeError, OverflowError):
        return None, True
    return value, reader.blank or value is None


class _Reader:
    """One document's events to its values. Most events are a key and its text: they are read in the
    loop of their mapping or list, in few Python steps (a notice has hundreds of events, and reading
    the notices was the biggest part of a big build). The values are counted, and the depth of plain
    text checked, once per mapping or list, at its end."""

    def __init__(self, parser: Any, max_values: int, max_depth: int) -> None:
        self.next_event = parser.get_event
        self.left = max_values - 1  # the document's own value
        self.max_depth = max_depth
        self.blank = False
        """Whether a value read is empty (None): only a plain value that is not text can be."""

    def value(self, event: Any, depth: int) -> Any:
        """A value that is not plain text: a mapping, a list, or quoted text."""
        kind = type(event)
        if depth > self.max_depth or kind is _Alias or event.anchor is not None:
            raise _GiveUp  # an anchor: composing checks each is named once (and aliases are given up on)
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
        while (kind := type(key := next_event())) is _Scalar:
            name = key.value
            plain, quoted = key.implicit
            if name in result or (name == _MERGE_KEY if plain else not quoted) or key.anchor is not None:
                raise _GiveUp  # a key written twice, a merge key, a key with an explicit tag or an anchor
            event = next_event()
            if type(event) is _Scalar and event.implicit[0] and event.anchor is None:  # plain text, mostly
                text = event.value
                if " -" in text:
                    _check_dashes(event)
                maybe = _MAY_NOT_BE_TEXT.get(text[:1])
                result[name] = text if maybe is None or maybe(text) is None else self.not_text(event)
            else:
                result[name] = self.value(event, inner)
        if kind is not _MappingEnd:
            raise _GiveUp  # a key that is a list, a mapping or an alias
        self.count(2 * len(result), inner)  # each key and its value
        return result

    def sequence(self, depth: int) -> list[Any]:
        items: list[Any] = []
        next_event = self.next_event
        inner = depth + 1
        while (kind := type(event := next_event())) is not _SequenceEnd:
            if kind is _Scalar and event.implicit[0] and event.anchor is None:  # plain text, mostly
                text = event.value
                if " -" in text:
                    _check_dashes(event)
                maybe = _MAY_NOT_BE_TEXT.get(text[:1])
                items.append(text if maybe is None or maybe(text) is None else self.not_text(event))
            else:
                items.append(self.value(event, inner))
        self.count(len(items), inner)
        return items

    def count(self, values: int, depth: int) -> None:
        """Count the values of a mapping or list at its end, and give up at too many values, or at
        text deeper than allowed (`depth` is its values' depth)."""
        self.left -= values
        if self.left < 0 or (values and depth > self.max_depth):
            raise _GiveUp

    def not_text(self, event: Any) -> Any:
        """A plain value YAML may read as other than text: a number, a date, true, false or empty."""
        value = _scalar(event)
        if value is None:
            self.blank = True
        return value


def _check_dashes(event: yaml.ScalarEvent) -> None:
    """Plain text over several lines, one of which may start with `- `: a list item indented too far,
    which load.py reports (see yamlfaults.continued_item)."""
    start, end = event.start_mark, event.end_mark
    if start is None or end is None or end.line != start.line:
        raise _GiveUp


def _scalar(event: yaml.ScalarEvent) -> Any:
    plain, quoted = event.implicit
    value = event.value
    if not plain:
        if quoted:
            return value  # quoted, or a block of text: always text
        raise _GiveUp  # an explicit tag
    if " -" in value:
        _check_dashes(event)
    maybe = _MAY_NOT_BE_TEXT.get(value[:1])
    if maybe is None or maybe(value) is None:
        return value
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    construct = _constructor.yaml_constructors.get(tag)
    if construct is None:
        raise _GiveUp
    node = yaml.ScalarNode(tag, value, style=event.style)
    return construct(_constructor, node)  # a number, a date, true or false, or null
