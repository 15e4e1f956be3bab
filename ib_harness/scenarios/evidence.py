"""What a replay recorded, and the moments and windows expectations are measured from.

Pure data and lookups over the trace (no gateway, no broker), shared by every judge. On the virtual
clock many events share one instant (a crash and the broker's drop; a poll and "reconnected"), so
a moment is a :class:`Mark`, a place in the trace's total order (time, then the event's number),
not only a time: "until X" ends before X's own event, "after X" starts after it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .model_expect import Anchor, Window
from .trace import AT_DIGITS, TraceEvent

UNAVAILABLE = "BrokerUnavailable"


class Mark(NamedTuple):
    """A place in the trace's total order: a time, then an event's number at that time
    (-inf: before every event of that instant, +inf: after every one). A tuple: compared fast."""

    at: float
    seq: float = -math.inf

    @classmethod
    def end_of(cls, at: float) -> "Mark":
        return cls(at, math.inf)


@dataclass(frozen=True)
class Span:
    """A window placed on the trace: what lies strictly between its two marks."""

    start: Mark
    end: Mark

    def holds(self, mark: Mark) -> bool:
        return self.start < mark < self.end


@dataclass
class Evidence:
    """What the runner recorded: the trace, fault windows by step id, the order audit, leaks.

    ``events`` are kept in the trace's total order (a call is placed where it was made, although it
    is recorded when it returns); events without a number (hand-made traces) keep their list order.
    """

    events: list[TraceEvent]
    faults: dict[str, dict[str, Any]] = field(default_factory=dict)  # step id -> {id, start, end, kind}
    audit: dict[str, Any] = field(default_factory=dict)  # lost, duplicated, details, statuses
    leaks: dict[str, Any] = field(default_factory=dict)  # tasks/sockets before and after
    initial_state: str = "ready"
    end: float = float("inf")  # the timeline's end: the teardown's own state changes do not count
    settings: dict[str, Any] = field(default_factory=dict)  # the broker's settings (bounds derive from them)
    extra: dict[str, Any] = field(default_factory=dict)  # gateway_end (subscriptions), fault_specs, prices

    def __post_init__(self) -> None:
        self._numbers = {id(e): index if e.seq is None else e.seq for index, e in enumerate(self.events)}
        self._recorded = self.events  # as listed: a call where it returned
        self._returns: dict[int, Mark] | None = None
        self.events = sorted(self.events, key=lambda e: (e.at, self._numbers[id(e)]))

    def mark_of(self, event: TraceEvent) -> Mark:
        """The event's place in the trace's total order."""
        return Mark(event.at, self._numbers[id(event)])

    def returned(self, call: TraceEvent) -> Mark:
        """Where a call returned in the trace's order: at its time plus its latency, after every event
        recorded before it and before every other event recorded after it (a call is recorded when it
        returns; every other event takes its number as it is recorded)."""
        if self._returns is None:
            self._returns = {}
            following = math.inf  # the number of the next event recorded after this place
            for e in reversed(self._recorded):
                if e.source == "client" and e.kind == "call":
                    at = round(e.at + float(e.data.get("latency", 0.0)), AT_DIGITS)
                    self._returns[id(e)] = Mark(at, following - 0.5)
                else:
                    following = self._numbers[id(e)]
        return self._returns[id(call)]

    def state_changes(self) -> list[tuple[Mark, str]]:
        """(place, new state) for every broker state change on the timeline, in order."""
        return [(self.mark_of(e), str(e.data.get("to"))) for e in self.events
                if e.source == "broker" and e.kind == "state" and 0 <= e.at <= self.end]

    def states(self) -> list[tuple[float, str]]:
        """(time, state) for every broker state change on the timeline, starting with the state at t=0."""
        return [(0.0, self.state_at(0.0))] + [(mark.at, state) for mark, state in self.state_changes()]

    def state_at(self, moment: float | Mark) -> str:
        """The state once every change up to ``moment`` happened (a time: all of that instant)."""
        until = min(moment if isinstance(moment, Mark) else Mark.end_of(moment), Mark.end_of(self.end))
        state = self.initial_state
        for event in self.events:
            if event.source == "broker" and event.kind == "state" and self.mark_of(event) <= until:
                state = str(event.data.get("to"))
        return state

    def calls(self, method: str | None = None) -> list[TraceEvent]:
        return [e for e in self.events if e.source == "client" and e.kind == "call"
                and e.at >= 0 and (method is None or e.data.get("method") == method)]

    def mark(self, anchor: Anchor) -> Mark | None:
        """The place ``anchor`` names in the trace's order (its own event's); None if it never happened."""
        if anchor.start:
            started = next((e for e in self.events if e.source == "runner" and e.kind == "timeline_started"), None)
            return Mark(0.0) if started is None else self.mark_of(started)
        if anchor.fault_start or anchor.fault_end:
            return self._fault_mark(anchor.fault, "start" if anchor.fault_start else "end")
        marks = [self.mark_of(e) for e in self.events if 0 <= e.at <= self.end and _names(anchor, e)]
        return marks[anchor.count - 1] if len(marks) >= anchor.count else None

    def _fault_mark(self, step: str, edge: str) -> Mark | None:
        """The gateway's own fault_started/fault_stopped event; without one (a hand-made trace, or
        an end after the timeline) the fault's time, before everything else at that instant."""
        window = self.faults.get(step, {})
        at = window.get(edge)
        if at is None:
            return None
        kind = "fault_started" if edge == "start" else "fault_stopped"
        event = next((e for e in self.events if e.source == "gateway" and e.kind == kind
                      and window.get("id") is not None and e.data.get("id") == window.get("id")), None)
        return Mark(float(at)) if event is None else self.mark_of(event)

    def window(self, window: Window) -> Span | str:
        """The window placed on the trace, or why it cannot be placed. ``seconds`` bounds by time:
        everything up to and at ``after`` + seconds."""
        start = self.mark(window.after)
        if start is None:
            return f"{window.after.describe()} never happened"
        if window.until is not None:
            end = self.mark(window.until)
            if end is None:
                return f"{window.until.describe()} never happened"
        elif window.seconds is not None:
            end = Mark.end_of(start.at + window.seconds)
        else:
            end = Mark.end_of(self.end)
        if end < start:
            return f"the window ends ({end.at:.2f} s) before it starts ({start.at:.2f} s)"
        return Span(start, min(end, Mark.end_of(self.end)))


def describe_window(window: Window, span: Span) -> str:
    return f"from {window.after.describe()} ({span.start.at:.2f} s) to " + (
        window.until.describe() if window.until is not None else
        f"{window.seconds:g} s later" if window.seconds is not None else "the end") + f" ({span.end.at:.2f} s)"


def _names(anchor: Anchor, event: TraceEvent) -> bool:
    if anchor.step is not None:
        return event.source == "runner" and event.kind == "step" and event.data.get("step") == anchor.step
    if anchor.broker_state is not None:
        return event.source == "broker" and event.kind == "state" and event.data.get("to") == anchor.broker_state
    if anchor.broker_event is not None:
        return event.source == "broker" and event.kind == anchor.broker_event
    return event.source == "gateway" and event.kind == anchor.gateway_event


def call_outcome(data: dict[str, Any]) -> str:
    """ok, refused (at entry: the broker was not ready, or answered at once that it could not),
    cut (made while ready; the connection died under it), hung, or failed (any other error)."""
    if data.get("ok"):
        return "ok"
    if data.get("error_type") == "Hung":
        return "hung"
    if data.get("error_type") != UNAVAILABLE:
        return "failed"
    cut = data.get("entry_state") == "ready" and "connection lost" in str(data.get("error", ""))
    return "cut" if cut else "refused"
