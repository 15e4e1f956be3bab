"""The recorded trace of one replay and the result built from it.

Everything the runner sees lands here as a ``TraceEvent`` on one clock: seconds since the
timeline started (negative during connect), and with a number in one total order (on the virtual
clock many events share one instant; the number says which came first). Expectations are pure functions of the trace, and the
reports (console, JSON, JUnit, HTML) only read results, so one replay can be judged and shown
many ways without running it again.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from typing import Any, Callable, Literal

from pydantic import BaseModel, Field, computed_field

AT_DIGITS = 6  # trace times are kept to the microsecond
Source = Literal["fault", "gateway", "broker", "client", "market", "runner"]


class TraceEvent(BaseModel):
    at: float = Field(description="seconds since the timeline started")
    source: Source
    kind: str
    data: dict[str, Any] = Field(default_factory=dict)
    seq: int | None = Field(None, description="the event's number in the trace's total order: on the virtual clock "
                                              "many events share one instant, this says which came first (a "
                                              "call's is taken when it was made, not when it returned)")


class Trace:
    """An append-only list of events, with listeners for step triggers."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.start = clock()
        self.gateway_offset = 0.0  # the replayed gateway's clock minus this one
        self.events: list[TraceEvent] = []
        self._numbers = itertools.count()
        self._listeners: list[Callable[[TraceEvent], None]] = []

    def restart_clock(self) -> None:
        """The timeline starts now; events recorded so far keep their (negative) offsets."""
        now = self.clock()
        shift = now - self.start
        for event in self.events:
            event.at = round(event.at - shift, AT_DIGITS)
        self.start = now

    def relative(self, absolute: float) -> float:
        return absolute - self.start

    def relative_gateway(self, gateway_time: float) -> float:
        """A time on the gateway's clock (which runs ``gateway_offset`` seconds ahead of this one)."""
        return gateway_time - self.gateway_offset - self.start

    def now(self) -> float:
        return self.clock() - self.start

    def reserve(self) -> int:
        """A number in the total order for an event recorded later: a call is made now and
        recorded when it returns, and what happened in between must not come before it."""
        return next(self._numbers)

    def add(self, source: Source, kind: str, data: dict[str, Any] | None = None,
            at: float | None = None, seq: int | None = None) -> TraceEvent:
        # microseconds: wall-clock stamps near 1.7e9 s carry ~2e-7 s of float noise, which would
        # put a state change "before" the fault that caused it at the same virtual instant
        event = TraceEvent(at=round(self.now() if at is None else at, AT_DIGITS), source=source, kind=kind,
                           data=_plain(data or {}), seq=self.reserve() if seq is None else seq)
        self.events.append(event)
        for listener in tuple(self._listeners):
            listener(event)
        return event

    def listen(self, listener: Callable[[TraceEvent], None]) -> None:
        self._listeners.append(listener)

    def select(self, source: Source, kind: str | None = None) -> list[TraceEvent]:
        return [e for e in self.events if e.source == source and (kind is None or e.kind == kind)]


def trace_digest(events: list[TraceEvent], wire: str | None = None) -> str:
    """sha256 of every event (time, source, kind, data, in order) and of the wire's own digest:
    on the virtual clock the same file and seed give the same value, byte for byte."""
    digest = hashlib.sha256()
    for event in events:
        digest.update(json.dumps([event.at, event.source, event.kind, event.data], sort_keys=True,
                                 separators=(",", ":"), default=str).encode())
        digest.update(b"\n")
    if wire is not None:
        digest.update(b"wire:" + wire.encode())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """JSON-ready data: enums by value, unknown objects by str()."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, str) and hasattr(value, "value"):
            return str(value.value)
        return value
    if hasattr(value, "value") and isinstance(value.value, (str, int)):
        return value.value
    if isinstance(value, BaseModel):
        return _plain(value.model_dump())
    return str(value)


class ExpectationResult(BaseModel):
    expectation: str
    ok: bool
    detail: str = Field(description="what was measured, and by how much it missed")
    measured: float | None = None
    limit: float | None = None


class ScenarioResult(BaseModel):
    name: str
    file: str
    description: str = ""
    supervisor: str
    backend: str = Field("ib_insync", description="the client library the broker ran on")
    seed: int
    verdict: Literal["pass", "fail", "error"]
    error: str | None = None
    duration: float = Field(description="the scenario's timeline, seconds")
    clock: Literal["virtual", "real"] = Field("real", description="the clock the replay ran on")
    time_scale: float = Field(1.0, description="real clock: how much faster than the wall its time ran (0.05: 20x)")
    wall: float = Field(description="wall seconds for the whole replay, setup and teardown included")
    detection: float | None = Field(None, description="first fault start -> broker leaves ready, seconds")
    recovery: float | None = Field(None, description="broker leaves ready (after the first fault starts) -> ready again, seconds")
    expectations: list[ExpectationResult] = Field(default_factory=list)
    injected: list[dict[str, Any]] = Field(default_factory=list, description="the injected timeline (seeded)")
    faults: list[dict[str, Any]] = Field(default_factory=list, description="fault windows: step, kind, start, end")
    events: list[TraceEvent] = Field(default_factory=list)
    state_seconds: dict[str, float] = Field(default_factory=dict,
                                            description="seconds the broker was ready, degraded and down")
    trace_sha256: str | None = Field(None, description="sha256 of the events and every byte on the wire (virtual "
                                                       "clock: equal for the same file and seed)")

    @property
    def ok(self) -> bool:
        return self.verdict == "pass"

    @property
    def overhead(self) -> float:
        return max(self.wall - self.duration, 0.0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def variant(self) -> str:
        """Who supervised on which library: "builtin", "watchdog on ib_async" (the default library unnamed)."""
        return self.supervisor if self.backend == "ib_insync" else f"{self.supervisor} on {self.backend}"


class RunResult(BaseModel):
    started: float
    wall: float
    results: list[ScenarioResult]

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.ok for r in self.results)
