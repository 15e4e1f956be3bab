"""Scenarios on the virtual clock run at production timings: a shortcut in time is the virtual
clock's job, not the settings'. No scenario under tests/ or in the library that runs on the virtual
clock (the default; ``clock: real`` is the exception) may set a broker timing below the broker's
default, unless the line that sets it carries a comment saying why.

"Timing setting" and "below the default" are explore's own rule (``explore.generate.compressed``,
which refuses such profiles on the virtual clock): one list, not a second copy here.

Checked: every ``*.yaml`` file under tests/ and the library, and every scenario written as one
string literal in a test module with a ``broker:`` block (a text built with ``+`` or ``.replace`` is
checked by its literal parts; a part that sets ``clock: real`` elsewhere, or a replay called with
clock="real", is not seen as real; settings passed as a dict to a replay are not seen at all).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path
from typing import Any, Iterator

import pytest

from ib_harness.scenarios.explore.generate import compressed
from ib_harness.scenarios.loader import LIBRARY
from ib_harness.scenarios.yaml_lines import ScenarioError, load_yaml_with_lines

TESTS = Path(__file__).resolve().parents[1]
YAML_FILES = sorted([*TESTS.rglob("*.yaml"), *LIBRARY.rglob("*.yaml")])


def scaled_down(text: str, where: str, fragment: bool = False) -> list[str]:
    """The timing settings of one scenario text (or, with ``fragment``, a piece of one: a
    ``broker:`` block a test joins to others) set below the broker's defaults on the virtual
    clock, each without a comment on its line: ``where:line: name value``."""
    try:
        data, lines = load_yaml_with_lines(text, where)
    except ScenarioError:
        return []  # not YAML at all: the loader's own tests judge that
    if not isinstance(data, dict) or ("steps" not in data and not fragment) or data.get("clock") == "real":
        return []
    broker = data.get("broker")
    settings = broker.get("settings") if isinstance(broker, dict) else None
    if not isinstance(settings, dict):
        return []
    source = text.splitlines()
    found = []
    for name, value in compressed(settings).items():
        line = lines.line_of(("broker", "settings", name))
        if line is None or "#" not in source[line - 1]:
            found.append(f"{where}:{line}: {name} {value}")
    return found


def string_scenarios(module: Path) -> Iterator[tuple[str, int]]:
    """Every string literal in a test module with a ``broker:`` block (a scenario, or the piece of
    one a test joins to others)."""
    for node in ast.walk(ast.parse(module.read_text(), str(module))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "broker:" in node.value:
            yield textwrap.dedent(node.value), node.lineno


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: p.name)
def test_scenario_files_on_the_virtual_clock_keep_production_timings(path: Path) -> None:
    assert scaled_down(path.read_text(), str(path)) == []


def test_scenarios_written_in_tests_keep_production_timings() -> None:
    modules = [m for m in sorted(TESTS.rglob("test_*.py")) if m != Path(__file__).resolve()]  # not the sample below
    found = [problem for module in modules for text, lineno in string_scenarios(module)
             for problem in scaled_down(text, f"{module.relative_to(TESTS.parent)} (string at line {lineno})", fragment=True)]
    assert found == []


def test_the_guard_finds_a_scaled_down_setting_and_accepts_the_reasons() -> None:
    text = textwrap.dedent("""\
        name: quick
        description: compressed
        duration: 4
        broker:
          settings: {probe_interval: 0.3, request_timeout: 30.0, circuit_failures: 2,
                     backoff_max: 0.4}
        steps: []
        """)
    assert scaled_down(text, "quick.yaml") == ["quick.yaml:5: probe_interval 0.3", "quick.yaml:6: backoff_max 0.4"]
    said_why = text.replace("backoff_max: 0.4}", "backoff_max: 0.4}   # the storm must fit the outage")
    assert scaled_down(said_why, "quick.yaml") == ["quick.yaml:5: probe_interval 0.3"]
    assert scaled_down(text.replace("duration: 4\n", "duration: 4\nclock: real\n"), "quick.yaml") == []
    embedded: Any = list(string_scenarios(Path(__file__)))
    assert any("probe_interval: 0.3" in text for text, _ in embedded)  # this test's own text is seen
    piece = "broker:\n  settings: {connect_timeout: 0.5}\n"  # a block joined to a scenario with +
    assert scaled_down(piece, "piece") == [] and scaled_down(piece, "piece", fragment=True) == [
        "piece:2: connect_timeout 0.5"]
