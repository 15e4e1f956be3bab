"""Which market hours each entry point uses (GatewayConfig.market_hours; docs/fake-gateway-fidelity.md).

IB's hours ('exchange') wherever the gateway's clock is the scenario's or a person's: scenario
replays, the pytest plugin's fake_gateway (pinned to the world's start_time, so the day the
suite runs does not matter) and ``ib-harness gateway``; an in-process FakeGateway() keeps
'always_open' unless asked, as the suite's own tests on the wall clock need.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pytest

from ib_harness.fake_gateway import GatewayConfig
from ib_harness.fake_gateway.cli import add_arguments, config_from_args
from ib_harness.pytest_plugin import _gateway_clock
from ib_harness.scenarios.model import REPLAY_START, GatewaySection


def cli(*argv: str) -> GatewayConfig:
    return config_from_args(add_arguments(argparse.ArgumentParser()).parse_args(list(argv)))


def test_in_process_default_is_always_open_and_bad_values_are_named() -> None:
    assert GatewayConfig().market_hours == "always_open"
    with pytest.raises(ValueError, match="market_hours"):
        GatewayConfig(market_hours="nyse")  # type: ignore[arg-type]


def test_scenarios_and_the_plugin_world_use_exchange_hours_unless_the_settings_say_otherwise() -> None:
    assert GatewaySection().config(0).market_hours == "exchange"
    assert GatewaySection(settings={"market_hours": "always_open"}).config(0).market_hours == "always_open"


def test_the_standalone_gateway_uses_exchange_hours_unless_told(tmp_path: Path) -> None:
    assert cli().market_hours == "exchange"
    assert cli("--market-hours", "always_open").market_hours == "always_open"
    yaml_file = tmp_path / "gw.yaml"
    yaml_file.write_text("market_hours: always_open\n")
    assert cli("--config", str(yaml_file)).market_hours == "always_open"
    assert cli("--config", str(yaml_file), "--market-hours", "exchange").market_hours == "exchange"
    with pytest.raises(SystemExit) as exit_info:
        cli("--market-hours", "nyse")
    assert exit_info.value.code == 2


async def test_the_plugin_gateway_lives_at_the_world_start_time() -> None:
    clock = _gateway_clock(REPLAY_START.timestamp())
    assert abs(clock() - REPLAY_START.timestamp()) < 5
    assert abs(time.time() - REPLAY_START.timestamp()) > 60  # the pin matters: the suite runs on another day
