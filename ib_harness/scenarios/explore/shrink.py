"""Shrink a failing scenario to a minimal one that still violates the same invariant.

Delta debugging (Zeller's ddmin) over the scenario's steps, not Hypothesis's shrinker: a run here
is a whole replay (a gateway, a broker, seconds of timeline), so the shrinker must work on the
scenario itself, where every candidate is a valid library-format file and one removal is one
fewer step in the reproduction a person reads. Hypothesis shrinks the choice sequence that drew
the scenario; one shrunk choice can change every step after it (the schedule re-draws), which
makes most of its candidates unrelated scenarios rather than smaller ones, and it expects a fast,
deterministic test function. ddmin needs O(n log n) runs for n steps in the usual case and keeps
what a run depends on: removing an order removes the steps that name it.

After the steps, each remaining fault is simplified once (its trigger replaced by a plain time),
and the expectations are cut to the violated invariant alone.
"""

from __future__ import annotations

import copy
import logging
from typing import Any, Awaitable, Callable

from .generate import references

log = logging.getLogger("ib_harness.scenarios.explore.shrink")

Check = Callable[[dict[str, Any]], Awaitable[bool]]


def with_steps(scenario: dict[str, Any], steps: list[dict[str, Any]]) -> dict[str, Any]:
    """The scenario with only ``steps`` (and without steps that name a removed one)."""
    kept: list[dict[str, Any]] = []
    ids: set[str] = set()
    for step in steps:
        if all(ref in ids for ref in references(step)):
            kept.append(step)
            if "id" in step:
                ids.add(step["id"])
    return {**scenario, "steps": kept}


async def ddmin(scenario: dict[str, Any], fails: Check, max_runs: int = 200) -> tuple[dict[str, Any], int]:
    """The smallest scenario (by steps) ddmin finds that still ``fails``; and the runs it took."""
    steps = list(scenario["steps"])
    runs = 0
    n = 2
    while len(steps) >= 2 and runs < max_runs:
        chunk = max(1, len(steps) // n)
        subsets = [steps[i:i + chunk] for i in range(0, len(steps), chunk)]
        reduced = False
        for index in range(len(subsets)):
            complement = [s for j, subset in enumerate(subsets) if j != index for s in subset]
            candidate = with_steps(scenario, complement)
            if len(candidate["steps"]) >= len(steps):
                continue
            runs += 1
            if await fails(candidate):
                steps = candidate["steps"]
                n = max(n - 1, 2)
                reduced = True
                break
            if runs >= max_runs:
                break
        if not reduced:
            if n >= len(steps):
                break
            n = min(len(steps), n * 2)
    if len(steps) == 1 and runs < max_runs:  # maybe nothing at all is needed (the broker fails idle)
        runs += 1
        if await fails(with_steps(scenario, [])):
            steps = []
    return with_steps(scenario, steps), runs


async def simplify_triggers(scenario: dict[str, Any], fails: Check) -> tuple[dict[str, Any], int]:
    """Try each triggered fault at a plain time instead (a shorter story when it still fails)."""
    runs = 0
    current = scenario
    for index, step in enumerate(current["steps"]):
        fault = step.get("fault")
        if not fault or "after" not in fault:
            continue
        candidate = copy.deepcopy(current)
        del candidate["steps"][index]["fault"]["after"]
        runs += 1
        if await fails(candidate):
            current = candidate
    return current, runs


def only_violated(scenario: dict[str, Any], violated: str) -> dict[str, Any]:
    """The scenario whose one expectation is the violated invariant (``invariant no_hang`` ...)."""
    kind, _, name = violated.partition(" ")
    expectation: dict[str, Any] = {"invariant": name} if kind == "invariant" else {"no_leaks": True}
    return {**scenario, "expect": [expectation]}
