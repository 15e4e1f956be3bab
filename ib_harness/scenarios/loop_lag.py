"""How late the replay's event loop ran: on a loaded machine the loop can stall for longer than a
broker's timeouts, and a call that took long because the process did not run is not the broker
hanging. The invariants subtract the lag measured during a call from its latency."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Callable

TICK = 0.05  # seconds between looks
REPORTED = 0.05  # lags below this are noise


class LoopLag:
    """A task that sleeps TICK at a time and records (when, how late) each late wake-up."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.now = now
        self.lags: list[tuple[float, float]] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch(), name="ib-harness-loop-lag")

    async def _watch(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            expected = loop.time() + TICK
            await asyncio.sleep(TICK)
            late = loop.time() - expected
            if late > REPORTED:
                self.lags.append((round(self.now() - late, 4), round(late, 4)))

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def lag_within(lags: list[tuple[float, float]], start: float, end: float) -> float:
    """Seconds the loop was late between ``start`` and ``end`` (stalls that began in the window)."""
    return sum(late for at, late in lags if start - 1e-9 <= at <= end)
