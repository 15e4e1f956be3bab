"""Replays on either clock: ``--clock``, the scenario's ``clock:`` key, and what a bad value gets."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ib_harness.cli import main
from ib_harness.scenarios.loader import LIBRARY, load_scenario
from ib_harness.scenarios.runner import replay, replay_blocking

CRASH = LIBRARY / "gateway-crash-rst.yaml"


def test_cli_replays_on_the_virtual_clock(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(CRASH), "--clock", "virtual", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "PASS  gateway-crash-rst [builtin]" in out and "1 passed, 0 failed" in out


@pytest.mark.parametrize("command", ["replay", "compare"])
def test_a_bad_clock_is_bad_input(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, str(CRASH), "--clock", "sundial"])
    assert exited.value.code == 2
    assert "argument --clock: invalid choice: 'sundial' (choose from 'virtual', 'real')" in capsys.readouterr().err


def test_the_scenario_key_chooses_and_the_flag_overrides(tmp_path: Path) -> None:
    path = tmp_path / "crash.yaml"
    path.write_text(CRASH.read_text() + "clock: virtual\n")
    item = load_scenario(path)
    assert item.scenario.clock == "virtual"
    assert replay_blocking(item).clock == "virtual"
    assert replay_blocking(item, clock="real").clock == "real"


def test_a_bad_clock_key_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "crash.yaml"
    path.write_text(CRASH.read_text() + "clock: lunar\n")
    assert main(["validate", str(path)]) == 2


def test_virtual_replay_runs_in_simulated_time() -> None:
    item = load_scenario(CRASH)
    started = time.perf_counter()
    result = replay_blocking(item, clock="virtual")
    wall = time.perf_counter() - started
    assert result.verdict == "pass", result.error
    # the timeline's events are where the scenario put them, to the microsecond (no scheduling noise)
    [crash] = [f for f in result.faults if f["kind"] == "crash"]
    assert crash["start"] == 1.0
    ended = next(e for e in result.events if e.kind == "timeline_ended")
    assert ended.at == item.scenario.duration and result.wall == pytest.approx(wall, abs=1.0)


async def test_replay_from_an_ordinary_loop_moves_to_a_virtual_one() -> None:
    result = await replay(load_scenario(CRASH), clock="virtual")
    assert result.verdict == "pass" and result.clock == "virtual"
