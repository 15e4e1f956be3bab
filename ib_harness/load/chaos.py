"""Fire a scenario's faults through the gateway's control API while the load runs.

The file is a scenario of the replay library (``ib_harness/scenarios/library``, same schema and errors):
its ``fault``, ``stop_fault``, ``restart`` and ``market`` steps are played at their ``at``
times, counted from the start of the load; its client calls and expectations are left out, since
the Locust users are the clients and the load run has its own checks.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from ib_harness.scenarios.loader import load_scenario
from ib_harness.scenarios.model import Step

PLAYED = ("fault", "stop_fault", "restart", "market")


def control_headers() -> dict[str, str]:
    """The control API's bearer token, from $IB_CONTROL_TOKEN when the gateway was started with one."""
    token = os.environ.get("IB_CONTROL_TOKEN", "").strip()
    return {"Authorization": f"Bearer {token}"} if token else {}


class ChaosError(ValueError):
    """A chaos file the load runner cannot play; the message names the file and the step."""


def load_chaos(path: str | Path) -> list[Step]:
    scenario = load_scenario(path).scenario
    steps = []
    for index, step in enumerate(scenario.steps):
        if step.action not in PLAYED:
            continue
        if step.at is None:
            raise ChaosError(f"{path}: steps[{index}]: a load run plays only `at:` steps; "
                             f"`on:` triggers need the replay runner")
        if step.market is not None and step.market.path is not None:
            raise ChaosError(f"{path}: steps[{index}].market: a load run can pin a price, not play a path")
        steps.append(step)
    if not any(step.action in ("fault", "restart") for step in steps):
        raise ChaosError(f"{path}: no fault or restart step to play")
    return sorted(steps, key=lambda s: s.at or 0.0)


class ChaosPlayer:
    """Plays the steps on a thread; ``log`` records what was sent and what the gateway said."""

    def __init__(self, control_url: str, steps: list[Step]) -> None:
        self.control_url = control_url
        self.steps = steps
        self.log: list[dict[str, Any]] = []
        self.fault_ids: dict[str, str] = {}
        self._cancel = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chaos", daemon=True)

    def start(self) -> "ChaosPlayer":
        self._thread.start()
        return self

    def join(self, timeout: float | None = None) -> bool:
        """Wait for every step to be played; True when it was."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def stop(self) -> None:
        """Stop playing (steps not yet due are left out) and wait for the thread."""
        self._cancel.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        origin = time.monotonic()
        with httpx.Client(base_url=self.control_url, timeout=10, headers=control_headers()) as http:
            for step in self.steps:
                if self._cancel.wait(max(0.0, origin + (step.at or 0.0) - time.monotonic())):
                    return
                self.log.append(self._play(http, step))

    def _play(self, http: httpx.Client, step: Step) -> dict[str, Any]:
        if step.action == "fault":
            response = http.post("/faults", json=step.fault)
            if response.status_code == 201 and step.id:
                self.fault_ids[step.id] = response.json()["id"]
        elif step.action == "stop_fault":
            response = http.delete(f"/faults/{self.fault_ids.get(step.stop_fault or '', 'unknown')}")
        elif step.action == "restart":
            assert step.restart is not None
            response = http.post("/restart", json={"down_seconds": step.restart.down_seconds})
        else:
            assert step.market is not None
            response = http.post(f"/market/{step.market.symbol}",
                                 json={"price": step.market.price, "spread": step.market.spread})
        return {"step": step.id or step.action, "action": step.action, "status": response.status_code,
                "answer": response.text[:200]}
