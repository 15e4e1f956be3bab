"""Determinism: the same seed gives the same injected timeline and the same verdict; both supervisors run."""

from __future__ import annotations

from ib_harness.scenarios.batch import run_batch
from ib_harness.scenarios.console import render_comparison
from ib_harness.scenarios.loader import LIBRARY, load_all
from ib_harness.scenarios.trace import ScenarioResult

CRASH = LIBRARY / "gateway-crash-rst.yaml"
SAMPLE = [LIBRARY / "order-duplicated-execdetails.yaml", LIBRARY / "order-place-swallowed.yaml",
          LIBRARY / "order-crash-before-ack.yaml"]
REPEATS = 3  # the soak (benchmarks/scenarios_bench.py) does 20


def fingerprint(result: ScenarioResult) -> tuple[object, ...]:
    return result.name, result.verdict, tuple(e.ok for e in result.expectations), repr(result.injected)


def test_same_seed_same_injected_timeline_and_verdict() -> None:
    files = load_all(SAMPLE)
    run = run_batch(files * REPEATS, seed=5, jobs=len(files))
    rounds = [[fingerprint(r) for r in run.results[i * len(files):(i + 1) * len(files)]] for i in range(REPEATS)]
    details = [[(r.name, r.verdict, [e.detail for e in r.expectations if not e.ok])
                for r in run.results[i * len(files):(i + 1) * len(files)]] for i in range(REPEATS)]
    assert all(round_ == rounds[0] for round_ in rounds[1:]), details
    assert [verdict for _, verdict, _, _ in rounds[0]] == ["pass"] * len(files)
    crash = next(r for r in run.results if r.name == "order-crash-before-ack")
    assert [step["argument"]["seed"] for step in crash.injected if step["action"] == "fault"] == [5000]


def test_another_seed_reaches_every_fault() -> None:
    [result] = run_batch(load_all([LIBRARY / "slow-sliced-link.yaml"]), seed=6, jobs=1).results
    assert [step["argument"]["seed"] for step in result.injected if step["action"] == "fault"] == [6000, 6001]


def test_watchdog_supervisor_completes_and_is_compared() -> None:
    run = run_batch(load_all([CRASH]), supervisors=("builtin", "watchdog"), jobs=2)
    builtin, watchdog = run.results
    assert (builtin.supervisor, watchdog.supervisor) == ("builtin", "watchdog")
    assert builtin.verdict == "pass" and watchdog.verdict in ("pass", "fail") and watchdog.error is None
    assert any(e.source == "broker" and e.kind == "state" for e in watchdog.events)
    table = render_comparison(run)
    assert "| scenario | builtin: verdict | detection | recovery | watchdog: verdict | detection | recovery |" in table
    assert table.splitlines()[2].startswith("| gateway-crash-rst | pass | ")
