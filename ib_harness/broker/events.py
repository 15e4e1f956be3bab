"""A small synchronous event bus with history: what tests, scenarios and the API subscribe to."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable

log = logging.getLogger("ib_harness.broker.events")

# Every kind the broker publishes: the one list scenario files are validated against (a test
# scans the broker's sources for publish("...") so a new kind cannot be left out).
EVENT_KINDS = ("account_fresh", "account_resubscribed", "bars_closed", "escalation", "fill", "ib_error",
               "illegal_transition", "legacy_thread_died", "market_data_available", "market_data_unavailable",
               "market_line_refused", "market_line_released", "modify_refused", "order", "order_adopted",
               "order_lookup_lost", "order_unacknowledged", "order_unconfirmed", "probe_answered", "probe_sent",
               "probe_timeout", "reconcile",
               "reconcile_deferred", "reconcile_failed", "reconnected", "resubscribe_failed", "resubscribed",
               "slow_down", "state", "stream_out_of_sync", "sync_incomplete", "sync_retry_failed", "sync_verified")


@dataclass(frozen=True)
class BrokerEvent:
    at: float
    kind: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at, "kind": self.kind, "data": self.data}


Subscriber = Callable[[BrokerEvent], None]


class EventBus:
    """Publishes BrokerEvents to subscribers in order and keeps the latest ``max_history`` (up to a
    tenth more between trims) in ``history``."""

    def __init__(self, clock: Callable[[], float] = time.time, max_history: int = 100_000) -> None:
        self._clock = clock
        self._subscribers: list[Subscriber] = []
        self._max_history = max_history
        self.history: list[BrokerEvent] = []

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def publish(self, kind: str, **data: Any) -> BrokerEvent:
        event = BrokerEvent(self._clock(), kind, data)
        self.history.append(event)
        if len(self.history) > self._max_history + self._max_history // 10:
            # trimmed a tenth at a time: one slice delete per many events, not a list shift per event
            del self.history[: len(self.history) - self._max_history]
        # structured log line: one event, its kind and data as key=value
        if log.isEnabledFor(logging.INFO):
            log.info("broker event %s %s", kind, " ".join(f"{k}={v!r}" for k, v in data.items()))
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:  # a faulty subscriber must not break supervision
                log.exception("broker event subscriber %r failed on %s", callback, kind)
        return event

    def of_kind(self, kind: str) -> list[BrokerEvent]:
        return [e for e in self.history if e.kind == kind]
