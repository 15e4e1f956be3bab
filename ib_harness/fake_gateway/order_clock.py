"""The brokerage's order timer: DAY/GTD expiries, MOC/LOC/OPG auctions and held orders' session
openings happen on time, even with no market update and no client.

It sleeps until the next timed order is due and is woken when a placement or a modify makes an
earlier one due, so a quiet week costs one wake per deadline, not one per second. A clock moved by
hand (a test setting the gateway's time forward) cannot wake it: ``poll`` bounds each sleep so
such a jump is noticed within that many seconds (GatewayConfig.order_clock_poll; None when the
clock moves only with the event loop, as on the virtual clock).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from typing import Any, Callable

from .state.events import EventHub
from .state.orders import OrderBook

log = logging.getLogger("ib_harness.fake_gateway")

LEAST_SLEEP = 0.01  # a deadline that is due but not yet run (float rounding) is looked at again this soon


class OrderClock:
    """One task per gateway; the brokerage's order events tell it of earlier deadlines."""

    def __init__(self, book: OrderBook, events: EventHub, clock: Callable[[], float],
                 poll: float | None) -> None:
        self.book, self.events, self.clock, self.poll = book, events, clock, poll
        self._task: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None  # made on the loop that starts the timer
        self._due = math.inf  # the deadline the task sleeps towards
        self.wakes = 0  # times it looked at the clock (the benchmarks and tests read it)

    def start(self) -> None:
        if self._task is None:
            self._wake = asyncio.Event()
            self.events.subscribe(self._on_event)
            self._task = asyncio.get_running_loop().create_task(self._run(), name="order-clock")

    async def close(self) -> None:
        """Stop the timer (safe twice)."""
        task, self._task = self._task, None
        self.events.unsubscribe(self._on_event)
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def _on_event(self, event: str, payload: dict[str, Any]) -> None:
        if event != "order_updated":
            return
        due_at = getattr(payload.get("order"), "due_at", None)  # its expiry, or its session's opening
        if due_at is not None and due_at < self._due and self._wake is not None:
            self._wake.set()

    def _delay(self) -> float | None:
        """Seconds to sleep, None for "until woken"."""
        deadline = self.book.next_deadline()
        self._due = math.inf if deadline is None else deadline
        delay = None if deadline is None else max(deadline - self.clock(), LEAST_SLEEP)
        if self.poll is not None:
            delay = self.poll if delay is None else min(delay, self.poll)
        return delay

    async def _run(self) -> None:
        wake = self._wake
        assert wake is not None
        while True:
            delay = self._delay()
            wake.clear()
            if delay is None:
                await wake.wait()
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), delay)
            self.wakes += 1
            try:
                self.book.check_time()
            except Exception:  # a failing listener must not stop expiries for everyone
                log.exception("order clock step failed")
