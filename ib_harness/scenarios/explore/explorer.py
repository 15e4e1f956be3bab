"""The explore loop: generate, run, judge; on the first violation shrink it and write the YAML."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from ..broker_factory import BrokerFactory
from ..model import Scenario
from .generate import REAL_CLOCK, VIRTUAL_CLOCK, Profile, compressed, generate
from .run import CLOCK, RunOutcome, Workers, run_schedule
from .shrink import ddmin, only_violated, simplify_triggers

log = logging.getLogger("ib_harness.scenarios.explore")


def default_profile(clock: str) -> Profile:
    """Production timings on the virtual clock; the library's scaled-down ones on the real clock."""
    return VIRTUAL_CLOCK if clock == "virtual" else REAL_CLOCK


def run_seed(seed: int, index: int) -> int:
    """The seed of the ``index``-th schedule of an explore started from ``seed``."""
    return seed * 100_003 + index


@dataclass
class Found:
    """A violation: where it came from, what it violated, and the shrunk scenario written out."""

    seed: int
    run: int
    invariant: str
    detail: str
    original_steps: int
    shrunk: dict[str, Any]
    shrink_runs: int
    reproduced: bool
    path: Path | None = None

    @property
    def steps(self) -> int:
        return len(self.shrunk["steps"])


@dataclass
class Exploration:
    seed: int
    runs: int = 0
    wall: float = 0.0
    simulated: float = 0.0
    faults: int = 0
    violations: list[Found] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.runs / self.wall if self.wall else 0.0


async def explore(broker: "str | BrokerFactory | None" = None, *, seed: int = 0, runs: int | None = None,
                  budget: float | None = None, out: Path | None = None, profile: Profile | None = None,
                  shrink_runs: int = 40, on_run: Callable[[int, RunOutcome], None] | None = None,
                  stop_on_violation: bool = True, jobs: int = 1, clock: str = CLOCK) -> Exploration:
    """Run schedules until ``runs`` are done or ``budget`` wall seconds are spent (the shrink of a
    violation is not charged to the budget); shrink and write each violation found.

    With ``jobs`` > 1 schedules run ``jobs`` at a time in worker processes (``broker`` must then be
    a ``module:factory`` name or None, which each worker imports); the shrink runs here."""
    profile = profile or default_profile(clock)
    scaled_down = compressed(profile.settings) if clock == "virtual" else {}
    if scaled_down:
        raise ValueError(f"explore on the virtual clock runs at production timings (the broker's defaults); the "
                         f"profile's settings {scaled_down} are scaled down below them, which is for clock='real' only")
    report = Exploration(seed=seed)
    started = time.perf_counter()
    index = 0
    pool = Workers(jobs, broker, clock) if jobs > 1 else None
    try:
        while (runs is None or index < runs) and (budget is None or time.perf_counter() - started < budget):
            batch = [generate(run_seed(seed, index + k), profile) for k in range(jobs if pool else 1)
                     if runs is None or index + k < runs]
            outcomes = await pool.run(batch) if pool else [await run_schedule(batch[0], broker, clock)]
            for outcome in outcomes:
                found = await _account(report, outcome, index, seed, broker, out, shrink_runs, on_run, started,
                                       clock)
                index += 1
                if found and stop_on_violation:
                    return report
    finally:
        if pool is not None:
            pool.close()
    report.wall = time.perf_counter() - started
    return report


async def _account(report: Exploration, outcome: RunOutcome, index: int, seed: int,
                   broker: "str | BrokerFactory | None", out: Path | None, shrink_runs: int,
                   on_run: Callable[[int, RunOutcome], None] | None, started: float, clock: str) -> bool:
    """Count one finished schedule; shrink and write it if it violated something."""
    scenario = outcome.scenario
    report.runs += 1
    report.simulated += scenario["duration"]
    for step in scenario["steps"]:
        if "fault" in step:
            report.faults += 1
            report.kinds[step["fault"]["kind"]] = report.kinds.get(step["fault"]["kind"], 0) + 1
    if on_run is not None:
        on_run(index, outcome)
    if not outcome.failed:
        return False
    report.wall = time.perf_counter() - started
    found = await shrink_violation(outcome, broker, index, seed, shrink_runs, clock)
    if out is not None:
        found.path = write_scenario(found, out)
    report.violations.append(found)
    return True


def _detail(outcome: RunOutcome, violated: str) -> str:
    return next((e.detail for e in outcome.result.expectations if e.expectation == violated),
                outcome.result.error or "")


async def shrink_violation(outcome: RunOutcome, broker: "str | BrokerFactory | None", run: int, seed: int,
                           shrink_runs: int, clock: str = CLOCK) -> Found:
    """Shrink to the first violated invariant alone; confirm the result fails once more."""
    violated = outcome.violated[0]
    target = only_violated(outcome.scenario, violated)

    last: list[RunOutcome] = []

    async def fails(candidate: dict[str, Any]) -> bool:
        try:
            Scenario.model_validate(candidate)
        except ValueError:
            return False
        again = await run_schedule(candidate, broker, clock)
        last[:] = [again]
        return violated in again.violated

    if shrink_runs == 0:  # measuring, not reporting: keep the run as it was
        shrunk, used, more, reproduced = target, 0, 0, True
    else:
        shrunk, used = await ddmin(target, fails, max_runs=shrink_runs)
        shrunk, more = await simplify_triggers(shrunk, fails) if used < shrink_runs else (shrunk, 0)
        reproduced = await fails(shrunk)
    # the shrunk file's own failure (its last replay), else the original run's
    detail = _detail(last[0], violated) if reproduced and last and shrink_runs else _detail(outcome, violated)
    name = f"found-{outcome.scenario['seed']}-{violated.split(' ')[-1].replace('_', '-')}"
    shrunk = {**shrunk, "name": name, "description":
              f"Found by ib-harness explore (seed {seed}, run {run}, scenario seed {outcome.scenario['seed']}) and "
              f"shrunk from {len(outcome.scenario['steps'])} to {len(shrunk['steps'])} steps: "
              f"{violated}: {detail}"[:900],
              "tags": ["explore", "found"], "clock": clock}  # replays on the clock it was found on
    return Found(seed=outcome.scenario["seed"], run=run, invariant=violated, detail=detail,
                 original_steps=len(outcome.scenario["steps"]), shrunk=shrunk,
                 shrink_runs=used + more + (1 if shrink_runs else 0),
                 reproduced=reproduced)


def scenario_yaml(scenario: dict[str, Any]) -> str:
    """Library format: the schema comment, then the scenario (small mappings in flow style)."""
    Scenario.model_validate(scenario)
    body = yaml.safe_dump(scenario, sort_keys=False, default_flow_style=None, width=110, allow_unicode=True)
    return "# yaml-language-server: $schema=../scenario.schema.json\n" + body


def write_scenario(found: Found, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{found.shrunk['name']}.yaml"
    path.write_text(scenario_yaml(found.shrunk))
    return path
