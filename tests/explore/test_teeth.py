"""Explore has teeth: from a fixed seed it finds each broker mutant, reports the invariant the
mutant breaks (not just "a failure"), and shrinks it to a YAML file that fails again under the
mutant. The six suite mutants and the six order-safety mutants of the explore issue.

Each case runs replays on the virtual clock at production timings (two simulated minutes each,
plus the shrink); run one with ``-k <mutant>``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ib_harness.scenarios.explore.explorer import explore
from ib_harness.scenarios.explore.run import RunOutcome, run_schedule
from ib_harness.scenarios.loader import load_scenario

from .teeth import TEETH, Teeth

RUNS = 4  # the budget: schedules explore may spend to find a mutant
SHRINK_RUNS = 6


@pytest.mark.parametrize("teeth", TEETH, ids=lambda t: t.name)
async def test_explore_finds_the_mutant(teeth: Teeth, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    teeth.apply(monkeypatch)
    report = await explore(seed=teeth.seed, runs=RUNS, out=tmp_path, profile=teeth.profile, shrink_runs=SHRINK_RUNS)
    assert report.violations, f"mutant {teeth.name} survived {report.runs} schedules from seed {teeth.seed}"
    found = report.violations[0]
    figures = os.environ.get("IB_HARNESS_TEETH_FIGURES")  # benchmarks: one markdown row per mutant
    if figures:
        with open(figures, "a") as out:
            out.write(f"| {teeth.name} | {found.run + 1} | {found.invariant.removeprefix('invariant ')} | "
                      f"{found.original_steps} -> {found.steps} | {found.shrink_runs} |\n")
    assert found.invariant in teeth.invariants, f"mutant {teeth.name}: {found.invariant}: {found.detail}"
    assert found.path is not None and found.steps <= found.original_steps
    shrunk = load_scenario(found.path).scenario
    assert [e.describe() for e in shrunk.expect] == [found.invariant]
    again = await run_schedule(found.shrunk)
    assert _shows(again, found.invariant, teeth.symptom), (
        f"the shrunk {found.path.name} did not show {teeth.symptom!r} again under the mutant: "
        f"{again.result.expectations}")
    monkeypatch.undo()  # the control: the same file against the broker without the mutant
    control = await run_schedule(found.shrunk)
    assert not _shows(control, found.invariant, teeth.symptom), (
        f"{found.path.name} shows the mutant's symptom without the mutant too: {control.result.expectations}")


def _shows(outcome: RunOutcome, invariant: str, symptom: str) -> bool:
    """The run violated ``invariant`` with ``symptom`` in what it measured."""
    return any(not e.ok and e.expectation == invariant and symptom in e.detail for e in outcome.result.expectations)
