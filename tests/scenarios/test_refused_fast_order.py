"""``refused_fast`` on one instant: on the virtual clock a call is often made at the very instant the
broker's state changes (a crash's consequences, the poll that meets "ready"). The trace's order says
which came first: a call made after the broker left ready is judged, one made before is not, and a
call made while not ready that returned after the broker was serving again is excused only if it
really returned after that change (a call is recorded, listed, when it returns).

The hand-made trace is numbered as the runner numbers it (see tests/scenarios/test_windows.py).
Each test failed while calls at the instant of a state change were skipped."""

from __future__ import annotations

from typing import Any

from ib_harness.scenarios.evidence import Evidence
from ib_harness.scenarios.invariants import judge
from ib_harness.scenarios.trace import TraceEvent


def event(at: float, source: str, kind: str, /, seq: int, **data: Any) -> TraceEvent:
    return TraceEvent(at=at, source=source, kind=kind, seq=seq, data=data)  # type: ignore[arg-type]


def state(at: float, old: str, new: str, seq: int) -> TraceEvent:
    return event(at, "broker", "state", seq=seq, **{"from": old, "to": new})


def call(at: float, entry: str, seq: int, ok: bool, method: str = "get_positions", error: str = "not ready",
         **data: Any) -> TraceEvent:
    failed = {} if ok else {"error_type": "BrokerUnavailable", "error": error, "broker_error": True}
    return event(at, "client", "call", seq=seq, method=method, entry_state=entry, ok=ok, latency=0.0,
                 **failed, **data)


# listed in the order the runner records: a call when it returns
CUT = call(1.0, "ready", 2, False, error="connection lost")  # made before the crash, cut by it
REFUSED = call(1.0, "connecting", 7, False)  # made after the crash's consequences, refused at once
SERVED_STALE = call(1.0, "connecting", 8, True, "get_market_price", price=100.0, symbol="AAPL")
MET_READY = call(2.0, "syncing", 10, True)  # made while syncing, answered once ready
READY = state(2.0, "syncing", "ready", 11)
HEAD = [
    event(0.0, "runner", "timeline_started", seq=0, state="ready"),
    call(0.5, "ready", 1, True),
    event(1.0, "runner", "step", seq=3, step="crash", action="fault"),
    event(1.0, "gateway", "fault_started", seq=4, id="f1", kind="crash"),
    state(1.0, "ready", "disconnected", 5),
    CUT,
    state(1.0, "disconnected", "connecting", 6),
    REFUSED,
]
TAIL = [state(2.0, "connecting", "syncing", 9), READY, MET_READY, call(2.5, "ready", 12, True)]


def refused_fast(events: list[TraceEvent]) -> tuple[bool, str]:
    ok, detail, *_ = judge("refused_fast", Evidence(events=events, end=4.0))
    return ok, detail


def test_a_call_made_after_the_state_change_at_its_instant_is_judged() -> None:
    ok, detail = refused_fast(HEAD + [SERVED_STALE] + TAIL)
    assert not ok
    assert detail == ("1 of 2 call(s) made while not ready were not refused at entry: "
                      "get_market_price at 1.00 s in state connecting: answered"), detail


def test_calls_made_before_the_change_or_answered_after_ready_are_not() -> None:
    ok, detail = refused_fast(HEAD + TAIL)
    assert ok and detail == "1 call(s) made while not ready, all refused at entry", detail


def test_a_call_answered_before_ready_at_the_same_instant_is_not_excused_by_it() -> None:
    answered_first = [e for e in TAIL if e is not MET_READY]
    answered_first.insert(answered_first.index(READY), MET_READY)  # returned (listed) before "ready"
    ok, detail = refused_fast(HEAD + answered_first)
    assert not ok and "get_positions at 2.00 s in state syncing: answered" in detail, detail
