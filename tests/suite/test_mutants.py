"""The suite has teeth: each broker mutant fails its scenario, and the failure names the symptom."""

from __future__ import annotations

from typing import Any

import pytest

from ib_harness.pytest_plugin import ScenarioRunner

from .mutants import LOCAL, MUTANTS, Mutant

REQUIRED = {"probe-off", "no-resubscribe-on-1101", "no-account-refresh-on-2100", "no-reconcile-after-reconnect",
            "order-ids-from-next-valid-id", "no-backoff"}


def test_the_mutants_are_the_ones_the_issue_names() -> None:
    assert {m.name for m in MUTANTS} == REQUIRED
    assert all(m.scenario.is_file() for m in MUTANTS)


@pytest.mark.parametrize("scenario", sorted(LOCAL.glob("*.yaml")), ids=lambda p: p.stem)
async def test_local_scenarios_pass_against_the_real_broker(scenario: Any, scenario_runner: ScenarioRunner) -> None:
    await scenario_runner.run(scenario, supervisor="builtin", check=True)


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: m.name)
async def test_mutant_is_caught(mutant: Mutant, monkeypatch: pytest.MonkeyPatch,
                                scenario_runner: ScenarioRunner) -> None:
    mutant.apply(monkeypatch)
    result = await scenario_runner.run(mutant.scenario, supervisor="builtin")
    explanation = ScenarioRunner.explain(result)
    assert result.verdict == "fail", f"mutant {mutant.name} (no {mutant.removes}) survived:\n{explanation}"
    missed = [f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok]
    assert any(symptom in line for line in missed for symptom in mutant.symptoms), (
        f"mutant {mutant.name} failed, but not with {mutant.symptoms}: {missed}")
    assert mutant.evidence in explanation, f"mutant {mutant.name}: {mutant.evidence!r} not in\n{explanation}"
