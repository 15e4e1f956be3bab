"""YAML bombs: alias expansion and nesting are bounded; each ends in file:line and exit 2 within a second."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from ib_harness.fake_gateway.config import ConfigError, GatewayConfig
from ib_harness.scenarios.loader import load_scenario
from ib_harness.scenarios.yaml_lines import ScenarioError

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([""] + list("abcdefgh"), "abcdefghi")
)
BOMBS = {
    # a 381-byte-class document that stands for 9^9 values; line 6 is where it passes 100,000
    "billion-laughs": (LAUGHS, 6, "expand to more than"),
    "recursive-alias": ("name: x\nsteps: &s\n  - *s\n", 3, "recursive alias"),
    "deep-nesting": ("name: x\nsteps: " + "[" * 5000 + "]" * 5000 + "\n", 2, "levels deep"),
    "deep-through-aliases": (
        "a: &a " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 40 + "*a" + "]" * 40 + "\n", 2, "levels deep"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_the_scenario_loader_refuses_a_bomb_at_its_line(tmp_path: Path, name: str) -> None:
    text, line, words = BOMBS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert time.perf_counter() - started < 1.0
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert words in caught.value.message


def test_the_billion_laughs_is_small() -> None:
    assert len(LAUGHS.encode()) < 400


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_validate_exits_2_naming_file_and_line(tmp_path: Path, name: str) -> None:
    text, line, words = BOMBS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    done = subprocess.run([sys.executable, "-m", "ib_harness", "validate", str(path)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2, done.stderr
    assert f"{path}:{line}: " in done.stderr and words in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_the_gateway_config_loader_refuses_the_same_bombs(tmp_path: Path, name: str) -> None:
    text, line, words = BOMBS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        GatewayConfig.from_yaml(path)
    assert str(caught.value).startswith(f"{path}:{line}: ") and words in str(caught.value)


def test_aliases_within_the_bounds_still_work(tmp_path: Path) -> None:
    path = tmp_path / "aliases.yaml"
    path.write_text("""\
name: aliased
description: One order shape reused through an alias.
duration: 2
steps:
  - id: buy
    at: 0.5
    place_order: &order {symbol: AAPL, side: BUY, quantity: 5, type: LIMIT, limit_price: 100}
  - id: buy2
    at: 0.6
    place_order: *order
expect:
  - order_status: {order: buy2, status: [SUBMITTED]}
""")
    steps = load_scenario(path).scenario.steps
    assert [step.id for step in steps] == ["buy", "buy2"]


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_the_broker_settings_file_refuses_the_same_bombs(tmp_path: Path, name: str) -> None:
    from ib_harness.broker import BrokerSettings, BrokerSettingsError

    text, line, words = BOMBS[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    started = time.perf_counter()
    with pytest.raises(BrokerSettingsError) as caught:
        BrokerSettings.load(path)
    assert time.perf_counter() - started < 1.0
    assert words in str(caught.value) and f"line {line}" in str(caught.value)
