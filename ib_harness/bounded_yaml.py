"""YAML with bounded size and depth: the one loader every settings and scenario file goes through.

PyYAML's safe loader shares an aliased node instead of copying it, but anything that walks the
result (a line tracker, a validator) visits it once per use: a few hundred bytes of nested aliases
("billion laughs") become 10^9 values. A self-referencing alias (``&a [*a]``) or a few thousand
nested brackets end in a raw RecursionError. Here the composer counts, for every node, how many
values it stands for once its aliases are expanded and how deep it nests, and stops at the first
node over the bounds with an error that carries the node's position (a ``MarkedYAMLError``, so
callers report ``file:line`` as for any other YAML mistake).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent

MAX_VALUES = 100_000
"""Values a document may stand for once every alias is expanded (real files hold a few hundred)."""

MAX_DEPTH = 64
"""Nesting levels, aliases expanded (real files nest fewer than ten)."""


class YamlLimitError(yaml.MarkedYAMLError):
    """A document over the bounds: too many values after alias expansion, too deep, or an alias inside itself."""

    def __init__(self, problem: str, mark: yaml.Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


class BoundedSafeLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses documents over MAX_VALUES or MAX_DEPTH, in bounded time."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._values: dict[int, int] = {}
        self._height: dict[int, int] = {}

    def fetch_more_tokens(self) -> None:
        """Stop at the 65th open bracket: the scanner reads up to 1024 characters ahead looking for a
        key, and thousands of open ``[`` cost it half a second before the composer sees any."""
        super().fetch_more_tokens()
        if self.flow_level > MAX_DEPTH or len(self.indents) > MAX_DEPTH:
            raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep", self.get_mark())

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None and id(node) not in self._values:  # still being composed
                raise YamlLimitError(f"alias *{event.anchor} refers to a value that contains it (a recursive alias)",
                                     event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
        start = self.peek_event().start_mark
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        self._measure(node, start)
        return node

    def _measure(self, node: yaml.Node, start: yaml.Mark) -> None:
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        values = 1 + sum(self._values.get(id(child), 1) for child in children)
        height = 1 + max((self._height.get(id(child), 1) for child in children), default=0)
        if values > MAX_VALUES:
            raise YamlLimitError(f"its aliases expand to more than {MAX_VALUES:,} values "
                                 "(a 'billion laughs' document?)", start)
        if height > MAX_DEPTH:
            raise YamlLimitError(f"nested more than {MAX_DEPTH} levels deep once its aliases are expanded", start)
        self._values[id(node)] = values
        self._height[id(node)] = height


def compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document, within the bounds (raises a MarkedYAMLError otherwise)."""
    loader = BoundedSafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def safe_load(text: str) -> Any:
    """``yaml.safe_load`` within the bounds."""
    loader = BoundedSafeLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
