"""Scenarios explore found against the library's broker (scenarios/library/found/).

Each one names an invariant the broker broke. While the bug is open it is listed in OPEN with the
symptom, and this test asserts that symptom (the replay fails on that invariant with those words);
when a fix lands (branches ordersafety/supervision, issue 22) the replay passes, this test fails,
and the entry leaves OPEN: from then on the file is a regression scenario that must pass, and it
must still catch its bug: with the bug put back (a mutant from order_mutants.py) the same file
fails on its expectation with the bug's symptom.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ib_harness.scenarios.loader import LIBRARY, load_scenario
from ib_harness.scenarios.runner import replay

from .order_mutants import ORDER_MUTANTS

FOUND = LIBRARY / "found"

# file stem -> words the failed expectation's detail must contain while the bug is open
OPEN: dict[str, str] = {}

# file stem -> the mutant that puts its bug back, and the words its failed expectation must show;
# "a+b": the bug as found needs both defences removed (a later fix added the second)
# "a+b": the bug needs both defences removed; the working-orders check (order_check_interval) reads IB's
# orders again every 30 s while orders work, so it is the second defence of most order files
CAUGHT: dict[str, tuple[str, str]] = {
    "found-unacked-order-declared-not-sent": ("open-order-status-ignored+not-sent-on-first-absence",
                                              "journal says NOT_SENT, the gateway SUBMITTED"),
    "found-refused-modify-keeps-new-limit": ("modify-journals-new-terms-first",
                                             "limit 192.814 in the journal, 191.85 at the gateway"),
    "found-lost-acks-and-lookup-order-declared-not-sent": ("not-sent-on-first-absence+no-working-orders-check",
                                                           "journal says NOT_SENT, the gateway SUBMITTED"),
    "found-lost-modify-echo-keeps-old-limit": ("modify-timeout-not-looked-up+no-working-orders-check",
                                               "limit 378.26 in the journal, 380.15 at the gateway"),
    "found-lost-execution-of-filled-order-never-journaled": ("lost-execution-not-asked-again",
                                                             "is not in the journal"),
    "found-modify-applied-in-look-up-answer-keeps-old-limit": ("applied-modify-not-journaled+no-working-orders-check",
                                                               "limit 378.26 in the journal, 380.15 at the gateway"),
    "found-fill-with-status-and-execution-lost-stays-submitted": ("ended-open-order-ignored+no-working-orders-check",
                                                                  "journal says SUBMITTED, the gateway FILLED"),
    "found-lost-cancel-answer-keeps-order-working": ("cancel-timeout-not-looked-up+no-working-orders-check",
                                                     "journal says SUBMITTED, the gateway CANCELLED"),
    "found-1100-at-reconnect-serves-stale-prices": ("ignore-1100-during-connect",
                                                    "never in ['degraded'] after broker_event reconnected"),
    "found-fill-lost-in-a-stall-never-read-again": ("no-working-orders-check",
                                                    "journal says SUBMITTED, the gateway FILLED"),
    "found-lost-lookup-answer-wedges-reconcile": ("order-lookup-waits-forever",
                                                  "journal says SUBMITTED, the gateway FILLED"),
    "found-jitter-from-zero-reconnect-storm": ("jitter-from-zero", "5 connections opened within one second"),
}


def test_every_found_file_is_a_valid_library_scenario() -> None:
    files = sorted(FOUND.glob("*.yaml"))
    assert files, "scenarios/library/found is empty"
    for path in files:
        scenario = load_scenario(path).scenario
        assert "found" in scenario.tags and len(scenario.expect) == 1


@pytest.mark.parametrize("path", sorted(FOUND.glob("*.yaml")), ids=lambda p: p.stem)
async def test_found_scenario(path: Path) -> None:
    result = await replay(load_scenario(path))
    missed = [f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok]
    if path.stem in OPEN:
        assert result.verdict == "fail" and any(OPEN[path.stem] in line for line in missed), (
            f"{path.stem} no longer shows its bug ({result.verdict}: {missed or 'all expectations held'}); "
            f"if it was fixed, remove it from OPEN")
    else:
        assert result.verdict == "pass", missed or result.error


def test_every_found_file_runs_at_production_timings() -> None:
    """Library files carry no compressed settings block: the broker's defaults on the virtual clock."""
    for path in sorted(FOUND.glob("*.yaml")):
        scenario = load_scenario(path).scenario
        assert scenario.broker.settings == {} and scenario.clock in (None, "virtual"), path.name


@pytest.mark.parametrize("stem", sorted(CAUGHT))
async def test_found_scenario_catches_its_bug(stem: str, monkeypatch: pytest.MonkeyPatch) -> None:
    mutant, symptom = CAUGHT[stem]
    for name in mutant.split("+"):
        ORDER_MUTANTS[name](monkeypatch)
    result = await replay(load_scenario(FOUND / f"{stem}.yaml"))
    missed = [f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok]
    assert result.verdict == "fail" and any(symptom in line for line in missed), (
        f"{stem} no longer catches {mutant}: {result.verdict}, {missed or 'all expectations held'}")
