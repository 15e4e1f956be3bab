"""The legacy design (broker/legacy) replayed through the same runner: it fails the scenarios that
model its flaws, each on the expectation that flaw breaks, and still passes a plain reconnect (it
is a working broker, not a strawman). No legacy thread outlives a replay."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from benchmarks.legacy_compare import installed
from ib_harness.scenarios.loader import LIBRARY
from ib_harness.pytest_plugin import ScenarioRunner

from .mutants import LOCAL

# ibapi's threads and sockets cannot run on the virtual clock: the real one, the scenarios'
# production timings (the library's and the suite's own) 10x faster
LEGACY_CLOCK: dict[str, Any] = {"clock": "real", "time_scale": 0.1}

FLAWS = [
    ("keepalive-never-checks-the-answer", LIBRARY / "silent-stall.yaml", "detection"),
    ("2100-only-logged", LOCAL / "account-2100-moving.yaml", "account_fresh"),
    ("fixed-timeouts-nothing-fails-fast", LIBRARY / "weekly-token-expiry.yaml", "fail_fast"),
    ("order-ids-from-next-valid-id", LOCAL / "order-id-rollback.yaml", "order_status"),
    ("reconnect-without-reconciliation", LIBRARY / "order-fill-while-disconnected.yaml", "orders"),
]


def legacy_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("legacy-")]


@pytest.mark.parametrize("flaw, scenario, broken", FLAWS, ids=[f[0] for f in FLAWS])
async def test_legacy_fails_the_scenario_modelling_its_flaw(flaw: str, scenario: Path, broken: str,
                                                           scenario_runner: ScenarioRunner) -> None:
    with installed():
        result = await scenario_runner.run(scenario, supervisor="legacy", **LEGACY_CLOCK)
    missed = [e.expectation for e in result.expectations if not e.ok]
    assert result.verdict == "fail" and any(m.startswith(broken) for m in missed), (
        f"legacy ({flaw}) should fail {broken}:\n{ScenarioRunner.explain(result)}")
    assert legacy_threads() == []


async def test_legacy_survives_a_plain_crash(scenario_runner: ScenarioRunner) -> None:
    with installed():
        result = await scenario_runner.run(LIBRARY / "gateway-crash-rst.yaml", supervisor="legacy", **LEGACY_CLOCK)
    scenario_runner.check(result)
    assert any(e.source == "broker" and e.kind == "reconnected" for e in result.events)
    assert legacy_threads() == []
