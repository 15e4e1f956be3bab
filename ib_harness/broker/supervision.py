"""The broker's explicit state machine: every transition is checked against one table, logged
with its cause and time, published as a ``state`` event and mirrored in the metrics.

A transition the table does not hold is a bug in the supervisor: it is logged and published as an
``illegal_transition`` event (the broker tests fail on any). A strict machine (the unit tests')
raises IllegalTransition instead of moving; the broker's machine moves anyway, because a
supervisor task killed by an exception would leave the broker disconnected for good.
Waiters are resolved inside ``to()`` itself, so a waiter sees every state it waits for, even one
that lasts a single loop turn.
"""

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


S = BrokerState

# from -> the states it may go to. Both supervisors (built-in and ib_insync's Watchdog) stay inside
# it; the Watchdog reconnects on its own, so it may go to SYNCING from any state without a socket.
TRANSITIONS: dict[BrokerState, frozenset[BrokerState]] = {
    S.DISCONNECTED: frozenset({S.CONNECTING, S.SYNCING, S.BACKING_OFF, S.CIRCUIT_OPEN, S.STOPPED}),
    S.CONNECTING: frozenset({S.SYNCING, S.BACKING_OFF, S.CIRCUIT_OPEN, S.DISCONNECTED, S.STOPPED}),
    S.SYNCING: frozenset({S.READY, S.DEGRADED, S.DISCONNECTED, S.STOPPED}),
    S.READY: frozenset({S.DEGRADED, S.DISCONNECTED, S.STOPPED}),
    S.DEGRADED: frozenset({S.READY, S.DISCONNECTED, S.STOPPED}),
    S.BACKING_OFF: frozenset({S.CONNECTING, S.SYNCING, S.CIRCUIT_OPEN, S.DISCONNECTED, S.STOPPED}),
    S.CIRCUIT_OPEN: frozenset({S.CONNECTING, S.STOPPED}),
    S.STOPPED: frozenset(),
}


class IllegalTransition(RuntimeError):
    """The supervisor asked for a transition the table does not allow (a bug)."""


class StateMachine:
    def __init__(self, events: EventBus, metrics: BrokerMetrics, strict: bool = False) -> None:
        self.strict = strict
        self.state = BrokerState.DISCONNECTED
        self.since = time.time()
        self.cause = "created"
        self.last_error: str | None = None
        self._events = events
        self._metrics = metrics
        self._waiters: list[tuple[frozenset[BrokerState], asyncio.Future[BrokerState]]] = []

    def can_go(self, new: BrokerState) -> bool:
        return new == self.state or new in TRANSITIONS[self.state]

    def to(self, new: BrokerState, cause: str) -> None:
        if new == self.state:
            return
        old = self.state
        if new not in TRANSITIONS[old]:
            log.error("illegal broker state transition %s -> %s (%s)", old.value, new.value, cause)
            self._events.publish("illegal_transition", **{"from": old.value, "to": new.value, "cause": cause})
            if self.strict:
                raise IllegalTransition(f"broker state {old.value} -> {new.value} is not allowed ({cause})")
        self.state, self.since, self.cause = new, time.time(), cause
        log.info("broker state %s -> %s (%s)", old.value, new.value, cause)
        self._metrics.set_state(new.value)
        self._events.publish("state", **{"from": old.value, "to": new.value, "cause": cause})
        waiting, self._waiters = self._waiters, []
        for states, future in waiting:
            if future.done():
                continue
            if new in states:
                future.set_result(new)
            else:
                self._waiters.append((states, future))

    async def wait_for(self, *states: BrokerState, timeout: float) -> BrokerState:
        """The first of ``states`` the machine is in or enters; asyncio.TimeoutError after ``timeout``."""
        if self.state in states:
            return self.state
        future: asyncio.Future[BrokerState] = asyncio.get_running_loop().create_future()
        entry = (frozenset(states), future)
        self._waiters.append(entry)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)
