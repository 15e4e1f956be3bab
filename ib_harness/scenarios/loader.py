"""Read scenario files: YAML -> typed Scenario, every error as ``file:line: field: problem``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from pydantic import ValidationError

from .model import LocatedError, Scenario
from .yaml_lines import ScenarioError, describe_validation_error, load_yaml_with_lines

LIBRARY = Path(__file__).parent / "library"


@dataclass(frozen=True)
class ScenarioFile:
    path: Path
    scenario: Scenario


def load_scenario(path: str | Path) -> ScenarioFile:
    """Parse and validate one file; raise ScenarioError naming the file, line and field."""
    path = Path(path)
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(path, None, f"cannot read: {exc}") from None
    data, lines = load_yaml_with_lines(text, path)
    if not isinstance(data, dict):
        raise ScenarioError(path, lines.line_of(()), "a scenario is a mapping (name, description, steps, expect, ...)")
    try:
        return ScenarioFile(path, Scenario.model_validate(data))
    except ValidationError as exc:
        located = _located(exc)
        if located is not None:
            field = ".".join(str(p) for p in located.location)
            raise ScenarioError(path, lines.line_of(located.location), f"{field}: {located.message}") from None
        raise describe_validation_error(exc, path, lines, Scenario) from None


def _located(exc: ValidationError) -> LocatedError | None:
    for error in exc.errors(include_url=False):
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, LocatedError):
            return cause
    return None


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; directories -> their *.yaml / *.yml files, sorted."""
    found: list[Path] = []
    for entry in paths:
        entry = Path(entry)
        if entry.is_dir():
            found.extend(sorted(p for p in entry.iterdir() if p.suffix in (".yaml", ".yml")))
        else:
            found.append(entry)
    return found


def load_all(paths: Iterable[str | Path]) -> list[ScenarioFile]:
    """Load every file; all problems are collected and raised together so a user fixes them at once."""
    loaded: list[ScenarioFile] = []
    problems: list[ScenarioError] = []
    paths = list(paths)
    for entry in map(Path, paths):
        if entry.is_dir() and not expand_paths([entry]):
            raise ScenarioError(entry, None, "no scenario files (*.yaml, *.yml) in this directory")
    files = expand_paths(paths)
    if not files:
        raise ScenarioError("(arguments)", None, "no scenario files given")
    for path in files:
        try:
            loaded.append(load_scenario(path))
        except ScenarioError as exc:
            problems.append(exc)
    if problems:
        raise ScenarioErrors(problems)
    names: dict[str, Path] = {}
    for item in loaded:
        other = names.setdefault(item.scenario.name, item.path)
        if other != item.path:
            raise ScenarioErrors([ScenarioError(item.path, None, f"name {item.scenario.name!r} is also used by {other}")])
    return loaded


class ScenarioErrors(ValueError):
    """Several bad files at once."""

    def __init__(self, errors: list[ScenarioError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
