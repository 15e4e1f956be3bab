"""YAML that remembers where every value came from, so an error can name the file and the line.

PyYAML's ``safe_load`` forgets positions; ``compose`` keeps them on every node. We build plain
Python data from the node tree ourselves and record the line of each key path, then map a
pydantic error location (``("steps", 3, "fault", "kind")``) back to the closest recorded line.
The tree comes from ``ib_harness.bounded_yaml``: building copies an alias at every use, so alias
expansion and depth must be bounded before we walk it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import BaseModel, ValidationError

from ib_harness import bounded_yaml

from .model_messages import explain_yaml_problem, humanize

Location = tuple[Any, ...]


class ScenarioError(ValueError):
    """A scenario file that cannot be used. ``str()`` is ``file:line: field: what is wrong``."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class LineMap:
    """Key path -> 1-based line number of the value at that path."""

    def __init__(self) -> None:
        self.lines: dict[Location, int] = {}

    def line_of(self, location: Iterable[Any]) -> int | None:
        """The line of ``location`` or of its closest recorded ancestor."""
        path = tuple(location)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def load_yaml_with_lines(text: str, path: str | Path) -> tuple[Any, LineMap]:
    """Parse one YAML document; duplicate keys and non-string keys are errors with their line."""
    try:
        node = bounded_yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(path, mark.line + 1 if mark else None,
                            f"not valid YAML: {explain_yaml_problem(problem)}") from None
    lines = LineMap()
    if node is None:
        return None, lines
    return _build(node, (), lines, path), lines


def _build(node: yaml.Node, location: Location, lines: LineMap, path: str | Path) -> Any:
    lines.lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioError(path, key_node.start_mark.line + 1, "a mapping key must be a plain name")
            # keys are names: YAML 1.1 would read `on:` (a step trigger) as the boolean True
            key = key_node.value
            if key in result:
                raise ScenarioError(path, key_node.start_mark.line + 1, f"duplicate key {key!r}")
            child = (*location, key)
            result[key] = _build(value_node, child, lines, path)
            lines.lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*location, index), lines, path) for index, item in enumerate(node.value)]
    return _scalar(node, path)


def _scalar(node: yaml.Node, path: str | Path) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise ScenarioError(path, node.start_mark.line + 1, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()


def describe_validation_error(exc: ValidationError, path: str | Path, lines: LineMap,
                              root: type[BaseModel], prefix: Location = ()) -> ScenarioError:
    """The first pydantic error as a ScenarioError naming file, line and field, in words."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    location = (*prefix, *(part for part in first["loc"] if not _is_union_tag(part)))
    field = ".".join(str(part) for part in location) or "(top level)"
    message = humanize(first, root, location)
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return ScenarioError(path, lines.line_of(location), f"{field}: {message}{more}")


def _is_union_tag(part: Any) -> bool:
    """Pydantic puts the union member's name into a location; it is not a key in the file."""
    return isinstance(part, str) and ("[" in part or part.startswith("function-"))
