"""The broker's explicit state machine: every transition is logged with its cause and time,
published as a ``state`` event and mirrored in the metrics."""

from __future__ import annotations

import asyncio
import logging
import time
from enum import Enum

from .events import EventBus
from .metrics import BrokerMetrics

log = logging.getLogger("ib_harness.broker.supervision")


class BrokerState(str, Enum):
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    SYNCING = "syncing"
    READY = "ready"
    DEGRADED = "degraded"
    BACKING_OFF = "backing_off"
    CIRCUIT_OPEN = "circuit_open"
    STOPPED = "stopped"

    def __str__(self) -> str:
        return self.value


class StateMachine:
    def __init__(self, events: EventBus, metrics: BrokerMetrics) -> None:
        self.state = BrokerState.DISCONNECTED
        self.since = time.time()
        self.cause = "created"
        self.last_error: str | None = None
        self._events = events
        self._metrics = metrics
        self._changed = asyncio.Condition() if _has_loop() else None

    def to(self, new: BrokerState, cause: str) -> None:
        if new == self.state:
            return
        old, self.state, self.since, self.cause = self.state, new, time.time(), cause
        log.info("broker state %s -> %s (%s)", old.value, new.value, cause)
        self._metrics.set_state(new.value)
        self._events.publish("state", **{"from": old.value, "to": new.value, "cause": cause})
        if self._changed is not None:
            asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, *states: BrokerState, timeout: float) -> BrokerState:
        """Wait until the state is one of ``states``; asyncio.TimeoutError after ``timeout``."""
        if self._changed is None:
            self._changed = asyncio.Condition()
        condition = self._changed

        async def reached() -> BrokerState:
            async with condition:
                await condition.wait_for(lambda: self.state in states)
            return self.state

        if self.state in states:
            return self.state
        return await asyncio.wait_for(reached(), timeout)


def _has_loop() -> bool:
    try:
        asyncio.get_running_loop()
        return True
    except RuntimeError:
        return False
