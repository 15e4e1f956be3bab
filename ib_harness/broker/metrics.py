"""Prometheus metrics of one broker, in its own CollectorRegistry (tests and several brokers in one
process never collide; an app exposes ``metrics.registry`` with prometheus_client's tools)."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

STATES = ("disconnected", "connecting", "syncing", "ready", "degraded", "backing_off", "circuit_open", "stopped")


class BrokerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.state = Gauge("ib_broker_state", "1 for the current supervision state", ["state"], registry=r)
        self.uptime = Gauge("ib_broker_uptime_seconds", "seconds since the broker last became ready", registry=r)
        self.reconnects = Counter("ib_broker_reconnects", "successful reconnects", registry=r)
        self.detection = Histogram("ib_broker_detection_seconds", "silence until a dead link was detected",
                                   registry=r, buckets=(0.25, 0.5, 1, 2, 4, 8, 16, 32, 64))
        self.recovery = Histogram("ib_broker_recovery_seconds", "link lost until ready again",
                                  registry=r, buckets=(0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128))
        self.latency = Histogram("ib_broker_request_seconds", "request latency", ["method"], registry=r)
        self.ib_errors = Counter("ib_broker_ib_errors", "IB errors received", ["code"], registry=r)
        self.orders = Counter("ib_broker_orders", "order outcomes", ["outcome"], registry=r)
        self.reconcile = Counter("ib_broker_reconcile", "reconcile results", ["result"], registry=r)
        self._ready_since: float | None = None
        self._latency_of: dict[str, Any] = {}
        self.uptime.set_function(self._uptime)
        self.set_state("disconnected")

    def _uptime(self) -> float:
        return 0.0 if self._ready_since is None else time.monotonic() - self._ready_since

    def set_state(self, state: str) -> None:
        for name in STATES:
            self.state.labels(name).set(1 if name == state else 0)
        if state == "ready" and self._ready_since is None:
            self._ready_since = time.monotonic()
        elif state not in ("ready", "degraded"):
            self._ready_since = None

    def latency_of(self, method: str) -> Any:
        """The latency histogram of one method, looked up once (labels() takes a lock every call)."""
        child = self._latency_of.get(method)
        if child is None:
            child = self._latency_of[method] = self.latency.labels(method)
        return child

    def expose(self) -> bytes:
        return generate_latest(self.registry)
