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

from typing import Any

import yaml

_CParser: Any
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML without libyaml: load.py's full reading is the only one
    _CParser = None

_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_MAY_NOT_BE_TEXT = frozenset(_resolver.yaml_implicit_resolvers)
"""The first characters of a plain value that YAML may read as other than text (a digit, `-`, `t`
for true, `~`...): a value starting with any other is text without asking the resolver."""


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
    def __init__(self, parser: Any, max_values: int, max_depth: int) -> None:
        self.parser = parser
        self.left = max_values
        self.max_depth = max_depth

    def value(self, event: Any, depth: int) -> Any:
        self.left -= 1
        kind = type(event)
        if self.left < 0 or depth > self.max_depth or kind is yaml.AliasEvent or event.anchor is not None:
            raise _GiveUp
        if kind is yaml.ScalarEvent:
            return self.scalar(event)
        if kind is yaml.MappingStartEvent and event.implicit:
            return self.mapping(depth)
        if kind is yaml.SequenceStartEvent and event.implicit:
            items = []
            while type(event := self.parser.get_event()) is not yaml.SequenceEndEvent:
                items.append(self.value(event, depth + 1))
            return items
        raise _GiveUp  # a collection with an explicit tag

    def mapping(self, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while type(key := self.parser.get_event()) is not yaml.MappingEndEvent:
            if type(key) is not yaml.ScalarEvent or key.anchor is not None or key.value in result:
                raise _GiveUp  # a key that is a list or mapping, or written twice
            if not (key.implicit[0] or key.implicit[1]):
                raise _GiveUp  # an explicit tag on the key
            if key.implicit[0] and key.value[:1] in _MAY_NOT_BE_TEXT and _resolver.resolve(
                    yaml.ScalarNode, key.value, (True, False)) == _MERGE:
                raise _GiveUp
            self.left -= 1
            result[key.value] = self.value(self.parser.get_event(), depth + 1)
        return result

    @staticmethod
    def scalar(event: yaml.ScalarEvent) -> Any:
        plain, quoted = event.implicit
        if not plain:
            if quoted:
                return event.value  # quoted, or a block of text: always text
            raise _GiveUp  # an explicit tag
        if event.value[:1] not in _MAY_NOT_BE_TEXT:
            return event.value
        tag = _resolver.resolve(yaml.ScalarNode, event.value, (True, False))
        if tag == _STR:
            return event.value
        construct = _constructor.yaml_constructors.get(tag)
        if construct is None:
            raise _GiveUp
        node = yaml.ScalarNode(tag, event.value, style=event.style)
        return construct(_constructor, node)  # a number, a date, true or false, or null
