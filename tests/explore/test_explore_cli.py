"""`ib-harness explore`: bad input exits 2 before anything runs; a short run prints its figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ib_harness.cli import main
from ib_harness.scenarios.loader import load_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("argv, words", [
    (["--budget", "0"], "must be > 0"),
    (["--budget", "soon"], "expected a positive float"),
    (["--runs", "-3"], "must be > 0"),
    (["--runs", "2", "--budget", "5"], "not allowed with argument"),
    (["--kinds", "crash,meteor"], "unknown fault kind(s) ['meteor']"),
    (["--broker", "tests.explore.not_a_broker:NOT_CALLABLE"], "not a callable"),
])
def test_bad_input_exits_2(argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["explore", *argv])
    except SystemExit as exit_:  # argparse's own errors
        code = int(exit_.code or 0)
    assert code == 2
    assert words in capsys.readouterr().err


def test_a_short_explore_prints_rate_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fixed-seed explore `make test` runs: two schedules of the quiet fault kinds against the
    library's broker. Seed 5 draws no modify: a modify IB refuses is a bug of today's broker
    (scenarios/library/found, fixed on branch ordersafety) that any seed with one finds."""
    code = main(["explore", "--runs", "2", "--jobs", "2", "--seed", "5", "--kinds", "latency,farm_down,farm_up,pacing",
                 "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert re.search(r"2 schedule\(s\) in [\d.]+ s: [\d.]+ schedules/s, 240 simulated s, \d+ faults of \d+ kinds", out), out
    assert "[1] seed 500015:" in out and "[2] seed 500016:" in out
    assert code == 0, out


def test_exploring_a_users_broker_finds_and_writes_a_replayable_violation(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The example broker re-places nothing and has no journal: a crash while an order is in flight
    leaves it blind to the order. Explore finds it, shrinks it and writes a file that fails again."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    code = main(["explore", "--broker", "my_broker:make_broker", "--runs", "3", "--seed", "1", "--kinds", "crash",
                 "--shrink-runs", "4", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1, out
    found = re.search(r"wrote (\S+\.yaml); replay: ib-harness replay \S+ --clock virtual --broker my_broker:make_broker", out)
    assert found, out
    scenario = load_scenario(found[1]).scenario
    violated = re.search(r"VIOLATION (invariant \w+)", out)
    assert violated and [e.describe() for e in scenario.expect] == [violated[1]]
    assert main(["replay", found[1], "--broker", "my_broker:make_broker", "--quiet"]) == 1
