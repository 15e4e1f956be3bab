"""The gateway's event log: what happened to connections and faults, on the gateway clock.

Scenario timelines, the control API (``GET /events``) and tests all read this one log, so every
fault start and stop, session open and close, error code sent, restart and refused connect is
recorded here, in order, with the time of the gateway clock (``time.time`` unless a test fakes it).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterator

log = logging.getLogger("ib_harness.fake_gateway.events")

# The kinds the gateway itself records (faults may add their own, e.g. "farm_notice").
EVENT_KINDS = (
    "fault_started", "fault_stopped", "session_opened", "session_closed", "error_sent",
    "restart", "listening", "stopped_listening", "connect_refused",
)


@dataclass(frozen=True)
class GatewayEvent:
    """One entry of the log; ``data`` holds only JSON-ready values."""

    at: float
    kind: str
    client_id: int | None = None
    session: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Subscriber = Callable[[GatewayEvent], None]


class EventLog:
    """An append-only log of :class:`GatewayEvent` with subscribers (called synchronously).

    It keeps the newest ``max_events`` (a standalone gateway under load runs for hours); events
    are numbered from the first ever recorded, so a poller's ``since`` stays right after the oldest
    ones are dropped, and ``dropped`` says how many went.
    """

    def __init__(self, clock: Callable[[], float], max_events: int = 100_000) -> None:
        self.clock = clock
        self._events: deque[GatewayEvent] = deque(maxlen=max_events)
        self._subscribers: list[Subscriber] = []
        self.dropped = 0

    def record(self, kind: str, client_id: int | None = None, session: int | None = None, /,
               **data: Any) -> GatewayEvent:
        """Append an event now (``data`` may itself have a ``kind``, e.g. the kind of a fault)."""
        event = GatewayEvent(self.clock(), kind, client_id, session, data)
        if len(self._events) == self._events.maxlen:
            self.dropped += 1
        self._events.append(event)
        for subscriber in tuple(self._subscribers):
            try:
                subscriber(event)
            except Exception:  # a broken observer must not break the gateway
                log.exception("event subscriber failed on %s", kind)
        return event

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback`` with every new event; returns the function that unsubscribes."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    async def wait_for(self, kind: str, predicate: Callable[[GatewayEvent], bool] | None = None,
                       timeout: float = 5.0) -> GatewayEvent:
        """The first event of ``kind`` (matching ``predicate``), logged already or still to come;
        asyncio.TimeoutError after ``timeout`` seconds."""
        def wanted(event: GatewayEvent) -> bool:
            return event.kind == kind and (predicate is None or predicate(event))

        for event in self._events:
            if wanted(event):
                return event
        found: asyncio.Future[GatewayEvent] = asyncio.get_running_loop().create_future()

        def check(event: GatewayEvent) -> None:
            if not found.done() and wanted(event):
                found.set_result(event)

        unsubscribe = self.subscribe(check)
        try:
            return await asyncio.wait_for(found, timeout)
        finally:
            unsubscribe()

    def of_kind(self, *kinds: str) -> list[GatewayEvent]:
        return [event for event in self._events if event.kind in kinds]

    def as_dicts(self, since: int = 0) -> list[dict[str, Any]]:
        """Events numbered ``since`` and later (numbering counts the dropped ones too)."""
        skip = max(since - self.dropped, 0)
        return [event.as_dict() for index, event in enumerate(self._events) if index >= skip]

    @property
    def total(self) -> int:
        """Every event recorded so far, kept or dropped (the ``since`` of the next poll)."""
        return self.dropped + len(self._events)

    def clear(self) -> None:
        self.dropped += len(self._events)
        self._events.clear()

    def __iter__(self) -> Iterator[GatewayEvent]:
        return iter(tuple(self._events))

    def __len__(self) -> int:
        return len(self._events)
