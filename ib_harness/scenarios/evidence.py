"""What a replay recorded, and the moments and windows expectations are measured from.

Pure data and lookups over the trace (no gateway, no broker), shared by every judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model_expect import Anchor, Window
from .trace import TraceEvent

UNAVAILABLE = "BrokerUnavailable"


@dataclass
class Evidence:
    """What the runner recorded: the trace, fault windows by step id, the order audit, leaks."""

    events: list[TraceEvent]
    faults: dict[str, dict[str, Any]] = field(default_factory=dict)  # step id -> {start, end, kind}
    audit: dict[str, Any] = field(default_factory=dict)  # lost, duplicated, details, statuses
    leaks: dict[str, Any] = field(default_factory=dict)  # tasks/sockets before and after
    initial_state: str = "ready"
    end: float = float("inf")  # the timeline's end: the teardown's own state changes do not count
    settings: dict[str, Any] = field(default_factory=dict)  # the broker's settings (bounds derive from them)
    extra: dict[str, Any] = field(default_factory=dict)  # gateway_end (subscriptions), fault_specs, prices

    def states(self) -> list[tuple[float, str]]:
        """(time, state) for every broker state change on the timeline, starting with the state at t=0."""
        changes = [(e.at, str(e.data.get("to"))) for e in self.events
                   if e.source == "broker" and e.kind == "state" and 0 <= e.at <= self.end]
        return [(0.0, self.state_at(0.0))] + changes

    def state_at(self, moment: float) -> str:
        state = self.initial_state
        for event in self.events:
            if event.source == "broker" and event.kind == "state" and event.at <= min(moment, self.end):
                state = str(event.data.get("to"))
        return state

    def calls(self, method: str | None = None) -> list[TraceEvent]:
        return [e for e in self.events if e.source == "client" and e.kind == "call"
                and e.at >= 0 and (method is None or e.data.get("method") == method)]

    def anchor(self, anchor: Anchor) -> float | None:
        """The moment ``anchor`` names on the timeline; None if it never happened."""
        if anchor.start:
            return 0.0
        if anchor.fault_start or anchor.fault_end:
            window = self.faults.get(anchor.fault, {})
            return window.get("start") if anchor.fault_start else window.get("end")
        times = sorted(e.at for e in self.events if 0 <= e.at <= self.end and _names(anchor, e))
        return times[anchor.count - 1] if len(times) >= anchor.count else None

    def window(self, window: Window) -> tuple[float, float] | str:
        """(start, end) of a window on the timeline, or why it cannot be placed."""
        start = self.anchor(window.after)
        if start is None:
            return f"{window.after.describe()} never happened"
        if window.until is not None:
            end = self.anchor(window.until)
            if end is None:
                return f"{window.until.describe()} never happened"
        elif window.seconds is not None:
            end = start + window.seconds
        else:
            end = self.end
        if end < start:
            return f"the window ends ({end:.2f} s) before it starts ({start:.2f} s)"
        return start, min(end, self.end)


def describe_window(window: Window, span: tuple[float, float]) -> str:
    return f"from {window.after.describe()} ({span[0]:.2f} s) to " + (
        window.until.describe() if window.until is not None else
        f"{window.seconds:g} s later" if window.seconds is not None else "the end") + f" ({span[1]:.2f} s)"


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
