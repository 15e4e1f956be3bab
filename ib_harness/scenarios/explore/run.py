"""Run one generated scenario and say which invariants it violated: the one place the clock is chosen.

Everything else in explore (the generator, the shrinker, the CLI) calls :func:`run_schedule`, so
moving explore from the real clock to the virtual clock (issue 20) changes this module only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..broker_factory import BrokerFactory
from ..loader import ScenarioFile
from ..model import Scenario
from ..runner import replay
from ..trace import ScenarioResult

CLOCK = "real"  # "virtual" once the virtual clock lands (issue 20): replays then take no wall time


@dataclass
class RunOutcome:
    """One run: the replay's result and the invariants (expectation descriptions) it violated."""

    scenario: dict[str, Any]
    result: ScenarioResult
    violated: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.violated)


async def run_schedule(scenario: dict[str, Any], broker: "str | BrokerFactory | None" = None) -> RunOutcome:
    """Replay ``scenario`` (a plain scenario dict) against ``broker`` and judge every expectation.

    A harness error (the runner itself broke) counts as the violation ``error``, so it is seen,
    shrunk and written out like any other."""
    model = Scenario.model_validate(scenario)
    result = await replay(ScenarioFile(Path(f"<explore {model.name}>"), model), seed=model.seed, broker=broker)
    violated = [e.expectation for e in result.expectations if not e.ok]
    if result.verdict == "error":
        violated.append(f"error {result.error}")
    return RunOutcome(scenario, result, violated)
