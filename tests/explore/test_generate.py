"""The generator: one seed, the whole fault vocabulary, every workload action, always valid."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from ib_harness.fake_gateway.faults import KINDS, parse_fault_spec
from ib_harness.scenarios.explore import fault_params
from ib_harness.scenarios.explore.explorer import explore
from ib_harness.scenarios.explore.generate import (FAST_SETTINGS, ORDER_TYPES, REAL_CLOCK, VIRTUAL_CLOCK, Profile,
                                                   compressed, generate)
from ib_harness.scenarios.invariants import INVARIANTS
from ib_harness.scenarios.model import Scenario

SEEDS = range(300)


@pytest.fixture(scope="module")
def drawn() -> list[dict]:
    return [generate(seed) for seed in SEEDS]


def test_the_same_seed_draws_the_same_scenario() -> None:
    assert generate(7) == generate(7)
    assert generate(7) != generate(8)


def test_every_drawn_scenario_is_a_valid_library_scenario(drawn: list[dict]) -> None:
    for scenario in drawn:
        Scenario.model_validate(scenario)
        assert [e.get("invariant") for e in scenario["expect"] if "invariant" in e] == list(INVARIANTS)


def test_every_registered_fault_kind_is_drawn(drawn: list[dict]) -> None:
    seen = {step["fault"]["kind"] for scenario in drawn for step in scenario["steps"] if "fault" in step}
    assert seen == set(KINDS), f"never drawn: {sorted(set(KINDS) - seen)}"


def test_the_registry_is_the_source_of_truth() -> None:
    assert fault_params.kinds() == sorted(KINDS)
    assert set(fault_params.PLANS) <= set(KINDS), "a plan for a kind the gateway does not have"
    with pytest.raises(ValueError, match="unknown fault kind 'no_such_fault'"):
        fault_params.plan("no_such_fault")
    r = random.Random(0)
    for kind in KINDS:
        for _ in range(20):
            parse_fault_spec(fault_params.draw_fault(r, kind, 1.0))


def test_every_nemesis_package_is_drawn(drawn: list[dict]) -> None:
    from ib_harness.scenarios.explore.packages import PACKAGES
    ids = {step.get("id", "") for scenario in drawn for step in scenario["steps"]}
    for name in PACKAGES:
        assert any(i.startswith("p") and name.replace("_", "-") in i for i in ids), name


def test_weights_favour_order_faults(drawn: list[dict]) -> None:
    counts: dict[str, int] = {}
    for scenario in drawn:
        for step in scenario["steps"]:
            if "fault" in step:
                counts[step["fault"]["kind"]] = counts.get(step["fault"]["kind"], 0) + 1
    assert counts["crash"] > counts["no_handshake"]
    assert counts["drop_message"] > counts["corrupt_field"]


def test_faults_overlap_and_start_on_triggers(drawn: list[dict]) -> None:
    triggers = {key for s in drawn for step in s["steps"] if "fault" in step for key in step["fault"].get("after", {})}
    assert {"request", "response", "brokerage"} <= triggers
    assert any("on" in step and "fault" in step for s in drawn for step in s["steps"])
    overlapping = 0
    for scenario in drawn:
        windows = sorted((step["at"], step["at"] + step["fault"].get("duration", 0)) for step in scenario["steps"]
                         if "fault" in step and "at" in step)
        overlapping += any(b[0] < a[1] for a, b in zip(windows, windows[1:]))
    assert overlapping > len(drawn) // 4


def test_the_workload_uses_every_action_and_order_type(drawn: list[dict]) -> None:
    actions = {key for s in drawn for step in s["steps"] for key in step if key not in ("id", "at", "on", "every", "until")}
    assert {"place_order", "modify_order", "cancel_order", "get_market_price", "get_historical_bars", "stream_bars",
            "get_positions", "get_account", "get_orders", "market", "fault"} <= actions
    types = {step["place_order"]["type"] for s in drawn for step in s["steps"] if "place_order" in step}
    assert types == set(ORDER_TYPES)
    assert any(step["place_order"].get("key_of") for s in drawn for step in s["steps"] if "place_order" in step)
    symbols = {step["get_market_price"]["symbol"] for s in drawn for step in s["steps"] if "get_market_price" in step}
    assert len(symbols) >= 4


def test_a_profile_limits_the_kinds_and_sets_the_length() -> None:
    profile = Profile(duration=60.0, faults=(3, 3), kinds=("crash", "stall"))
    scenario = generate(3, profile)
    kinds = [step["fault"]["kind"] for step in scenario["steps"] if "fault" in step]
    assert len(kinds) == 3 and set(kinds) <= {"crash", "stall"}
    assert scenario["duration"] == 60.0


def test_the_virtual_clock_profile_writes_no_settings_block() -> None:
    """Production timings are the broker's defaults: a generated (and so a shrunk) file carries no
    settings block; the real clock's scaled-down block is the real clock's alone."""
    assert "settings" not in generate(3, VIRTUAL_CLOCK).get("broker", {})
    assert generate(3, REAL_CLOCK)["broker"]["settings"] == FAST_SETTINGS


async def test_explore_on_the_virtual_clock_refuses_scaled_down_settings(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"probe_interval.*clock='real'"):
        await explore(seed=0, runs=1, out=tmp_path, profile=REAL_CLOCK, clock="virtual")
    with pytest.raises(ValueError, match="stream_check_timeout"):
        await explore(seed=0, runs=1, out=tmp_path, clock="virtual",
                      profile=replace(VIRTUAL_CLOCK, settings={"stream_check_timeout": 0.5}))
    assert not list(tmp_path.iterdir())
    assert compressed({"stream_check_timeout": 30.0, "circuit_failures": 20}) == {}  # longer is not scaled down
