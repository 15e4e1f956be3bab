"""Delta debugging on steps, with a predicate instead of replays (the replays are in test_explore)."""

from __future__ import annotations

from typing import Any

from ib_harness.scenarios.explore.explorer import scenario_yaml
from ib_harness.scenarios.explore.generate import generate
from ib_harness.scenarios.explore.shrink import ddmin, only_violated, simplify_triggers, with_steps
from ib_harness.scenarios.loader import load_scenario


def _has(scenario: dict[str, Any], predicate: Any) -> bool:
    return any(predicate(step) for step in scenario["steps"])


async def test_ddmin_finds_the_two_steps_that_matter() -> None:
    scenario = generate(11)
    crash = {"id": "the-crash", "at": 1.0, "fault": {"kind": "crash"}}
    scenario = {**scenario, "steps": scenario["steps"] + [crash]}
    needed_order = next(s["id"] for s in scenario["steps"] if "place_order" in s)
    calls: list[int] = []

    async def fails(candidate: dict[str, Any]) -> bool:
        calls.append(len(candidate["steps"]))
        return _has(candidate, lambda s: s.get("id") == "the-crash") and \
            _has(candidate, lambda s: s.get("id") == needed_order)

    shrunk, runs = await ddmin(scenario, fails)
    assert sorted(s["id"] for s in shrunk["steps"]) == sorted(["the-crash", needed_order])
    assert runs == len(calls) and runs < 4 * len(scenario["steps"])


async def test_removing_an_order_removes_the_steps_that_name_it() -> None:
    steps = [{"id": "a", "at": 0.1, "place_order": {"symbol": "AAPL", "side": "BUY", "quantity": 1, "type": "MARKET"}},
             {"at": 0.2, "cancel_order": {"order": "a"}},
             {"id": "f", "on": {"order_status": "FILLED", "order": "a"}, "fault": {"kind": "crash"}}]
    assert with_steps({"steps": []}, steps[1:])["steps"] == []
    assert len(with_steps({"steps": []}, steps)["steps"]) == 3


async def test_a_trigger_becomes_a_plain_time_when_that_still_fails() -> None:
    scenario = {"steps": [{"id": "f", "at": 1.0, "fault": {"kind": "crash", "after": {"request": "placeOrder"}}}]}

    async def fails(candidate: dict[str, Any]) -> bool:
        return True

    simpler, runs = await simplify_triggers(scenario, fails)
    assert runs == 1 and "after" not in simpler["steps"][0]["fault"]


def test_the_shrunk_file_is_library_format_with_the_violated_invariant(tmp_path: Any) -> None:
    scenario = only_violated(generate(5), "invariant orders_agree")
    scenario = {**scenario, "name": "found-5-orders-agree"}
    path = tmp_path / "found.yaml"
    path.write_text(scenario_yaml(scenario))
    loaded = load_scenario(path).scenario
    assert [e.describe() for e in loaded.expect] == ["invariant orders_agree"]
    assert path.read_text().startswith("# yaml-language-server: $schema=")
    assert only_violated(generate(5), "no_leaks")["expect"] == [{"no_leaks": True}]
