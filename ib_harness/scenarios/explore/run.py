"""Run one generated scenario and say which invariants it violated: the one place the clock is chosen.

Everything else in explore (the generator, the shrinker, the CLI) calls :func:`run_schedule`.
The default is the virtual clock (issue 20): a schedule of two simulated minutes at production
timings costs only the callbacks that run; ``clock="real"`` replays on the wall clock.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..broker_factory import BrokerFactory
from ..loader import ScenarioFile
from ..model import Scenario
from ..runner import replay
from ..trace import ScenarioResult

CLOCK = "virtual"  # the default: simulated time (issue 20), production timings at no wall cost; "real" also works


@dataclass
class RunOutcome:
    """One run: the replay's result and the invariants (expectation descriptions) it violated."""

    scenario: dict[str, Any]
    result: ScenarioResult
    violated: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.violated)


async def run_schedule(scenario: dict[str, Any], broker: "str | BrokerFactory | None" = None,
                       clock: str = CLOCK) -> RunOutcome:
    """Replay ``scenario`` (a plain scenario dict) against ``broker`` and judge every expectation.

    A harness error (the runner itself broke) counts as the violation ``error``, so it is seen,
    shrunk and written out like any other."""
    model = Scenario.model_validate(scenario)
    result = await replay(ScenarioFile(Path(f"<explore {model.name}>"), model), seed=model.seed, broker=broker,
                          clock=clock)
    violated = [e.expectation for e in result.expectations if not e.ok]
    if result.verdict == "error":
        violated.append(f"error {result.error}")
    return RunOutcome(scenario, result, violated)


def _run_in_worker(scenario_json: str, broker: str | None, clock: str) -> str:
    """A worker process's job: one schedule on its own loop; the outcome as JSON."""
    logging.getLogger().setLevel(logging.CRITICAL)
    scenario = json.loads(scenario_json)
    outcome = asyncio.run(run_schedule(scenario, broker, clock))
    return json.dumps({"result": outcome.result.model_dump_json(), "violated": outcome.violated})


class Workers:
    """Schedules ``jobs`` at a time in worker processes (replays mostly wait, so more workers than
    cores pay off on the real clock); each worker imports the broker factory by name."""

    def __init__(self, jobs: int, broker: "str | BrokerFactory | None", clock: str = CLOCK) -> None:
        self.clock = clock
        if broker is not None and not isinstance(broker, str):
            raise ValueError("parallel explore needs the broker as a module:factory name (workers import it)")
        self.broker = broker
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ib_harness.scenarios.runner"])
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context)

    async def run(self, scenarios: list[dict[str, Any]]) -> list[RunOutcome]:
        loop = asyncio.get_running_loop()
        futures = [loop.run_in_executor(self.pool, _run_in_worker, json.dumps(s), self.broker, self.clock) for s in scenarios]
        outcomes = []
        for scenario, answer in zip(scenarios, await asyncio.gather(*futures)):
            data = json.loads(answer)
            outcomes.append(RunOutcome(scenario, ScenarioResult.model_validate_json(data["result"]), data["violated"]))
        return outcomes

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)
