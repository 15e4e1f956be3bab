"""Chaos files: the scenario schema, of which a load run plays only timed gateway steps."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.control import ControlServer
from ib_harness.load.chaos import ChaosError, ChaosPlayer, load_chaos

HEAD = "name: c\ndescription: a chaos file for a load run test\nduration: 10\nexpect:\n  - orders: {lost: 0}\n"


def write(tmp_path: Path, steps: str) -> Path:
    path = tmp_path / "chaos.yaml"
    path.write_text(HEAD + "steps:\n" + steps)
    return path


def test_the_shipped_stall_file_plays_one_stall() -> None:
    [step] = load_chaos(Path("ib_harness/load/chaos/stall.yaml"))
    assert step.action == "fault" and step.fault == {"kind": "stall", "duration": 1.5} and step.at == 4


def test_client_calls_are_left_out_and_steps_sorted(tmp_path: Path) -> None:
    steps = load_chaos(write(tmp_path, "  - {id: late, at: 5, fault: {kind: stall}}\n"
                                       "  - {at: 1, get_positions: {}}\n"
                                       "  - {at: 2, market: {symbol: AAPL, price: 190}}\n"
                                       "  - {at: 6, stop_fault: late}\n"))
    assert [(s.action, s.at) for s in steps] == [("market", 2), ("fault", 5), ("stop_fault", 6)]


@pytest.mark.parametrize("steps, message", [
    ("  - {id: s, on: {broker_state: ready}, fault: {kind: stall}}\n", "steps[0]: a load run plays only `at:` steps"),
    ("  - {at: 1, get_positions: {}}\n", "no fault or restart step"),
    ("  - {id: s, at: 1, fault: {kind: stall}}\n  - {at: 2, market: {symbol: AAPL, path: [1, 2]}}\n",
     "steps[1].market: a load run can pin a price"),
])
def test_unplayable_files_are_refused_naming_the_step(tmp_path: Path, steps: str, message: str) -> None:
    with pytest.raises(ChaosError, match=message.replace("[", r"\[").replace("]", r"\]")) as caught:
        load_chaos(write(tmp_path, steps))
    assert "chaos.yaml" in str(caught.value)


def test_a_bad_fault_kind_is_reported_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"chaos.yaml:\d+.*no_such"):
        load_chaos(write(tmp_path, "  - {id: s, at: 1, fault: {kind: no_such}}\n"))


async def test_the_player_fires_each_step_through_the_control_api(tmp_path: Path) -> None:
    steps = load_chaos(write(tmp_path, "  - {at: 0, market: {symbol: AAPL, price: 190, spread: 0.02}}\n"
                                       "  - {id: s, at: 0.1, fault: {kind: stall}}\n"
                                       "  - {at: 0.3, stop_fault: s}\n"
                                       "  - {at: 0.4, restart: {down_seconds: 0.2}}\n"))
    async with FakeGateway() as gw, ControlServer(gw) as control:
        player = ChaosPlayer(control.url, steps).start()
        assert await asyncio.to_thread(player.join, 30)
        assert [(entry["action"], entry["status"]) for entry in player.log] == [
            ("market", 200), ("fault", 201), ("stop_fault", 204), ("restart", 200)]
        kinds = [event.kind for event in gw.events]
        assert kinds.index("fault_started") < kinds.index("fault_stopped") < kinds.index("restart")
        quote = gw.brokerage.quote(gw.brokerage.catalog.by_symbol("AAPL").con_id)
        assert quote is not None and quote.last == 190


async def test_the_player_sends_the_control_token_from_the_environment(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A control API started with a token (required off loopback) refuses a player without it."""
    steps = load_chaos(write(tmp_path, "  - {id: s, at: 0, fault: {kind: stall}}\n  - {at: 0.1, stop_fault: s}\n"))
    async with FakeGateway() as gw, ControlServer(gw, token="ctl") as control:
        monkeypatch.setenv("IB_CONTROL_TOKEN", "ctl")
        player = ChaosPlayer(control.url, steps).start()
        assert await asyncio.to_thread(player.join, 30)
        assert [(entry["action"], entry["status"]) for entry in player.log] == [("fault", 201), ("stop_fault", 204)]
