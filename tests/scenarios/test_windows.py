"""Expectation windows on one instant: on the virtual clock many events share a timestamp, so a
window's bounds are places in the trace's total order (time, then the event's number), not times.
"until X" ends before X's own event, "after X" starts after it; ``seconds`` still bounds by time.

The hand-made trace is the shape of a real crash replay (tests/scenarios/test_expectations_replay.py):
the crash's own consequences share its instant, and a poll made just before "reconnected" shares
that one. Each test here failed while bounds were compared by time only."""

from __future__ import annotations

from typing import Any

from ib_harness.scenarios.evidence import Evidence, Mark
from ib_harness.scenarios.expectations import evaluate
from ib_harness.scenarios.model import Scenario
from ib_harness.scenarios.model_expect import Anchor
from ib_harness.scenarios.trace import Trace, TraceEvent

STEPS = [
    {"id": "crash", "at": 1.0, "fault": {"kind": "crash", "rst": True}},
    {"id": "poll", "at": 0.5, "every": 0.5, "until": 2.5, "get_positions": {}},
    {"id": "price", "at": 0.5, "every": 1.5, "until": 2.5, "get_market_price": {"symbol": "AAPL"}},
]


def event(at: float, source: str, kind: str, /, seq: int | None = None, **data: Any) -> TraceEvent:
    return TraceEvent(at=at, source=source, kind=kind, seq=seq, data=data)  # type: ignore[arg-type]


def call(at: float, entry: str, ok: bool, method: str = "get_positions", seq: int | None = None,
         **data: Any) -> TraceEvent:
    failed = {} if ok else {"error_type": "BrokerUnavailable", "error": "not ready"}
    return event(at, "client", "call", seq=seq, step="poll" if method == "get_positions" else "price",
                 method=method, entry_state=entry, ok=ok, latency=0.0, **failed, **data)


def state(at: float, old: str, new: str, seq: int | None = None) -> TraceEvent:
    return event(at, "broker", "state", seq=seq, **{"from": old, "to": new})


# numbered as the trace numbers them: a call takes its number when it is made and is recorded (listed)
# when it returns, so the poll and the price asked at 2.0 s while the broker was still syncing, just
# before "reconnected", are listed after it
TRACE = [
    event(0.0, "runner", "timeline_started", seq=0, state="ready"),
    call(0.5, "ready", True, seq=1, positions={}),
    call(0.5, "ready", True, "get_market_price", seq=2, price=100.0, symbol="AAPL"),
    call(1.0, "ready", True, seq=3, positions={}),  # the poll at 1.0 s ran before the crash step
    event(1.0, "runner", "step", seq=4, step="crash", action="fault"),
    event(1.0, "gateway", "fault_started", seq=5, id="f1", kind="crash"),
    event(1.0, "gateway", "fault_stopped", seq=6, id="f1", kind="crash"),
    event(1.0, "fault", "injected", seq=7, step="crash", id="f1", kind="crash"),
    state(1.0, "ready", "disconnected", seq=8),  # the crash's own consequences, at its instant
    state(1.0, "disconnected", "connecting", seq=9),
    call(1.0, "connecting", False, "get_market_price", seq=10, symbol="AAPL"),
    call(1.5, "connecting", False, seq=11),
    state(2.0, "connecting", "syncing", seq=12),
    state(2.0, "syncing", "ready", seq=15),
    event(2.0, "broker", "reconnected", seq=16, attempt=1),
    call(2.0, "syncing", False, seq=13),
    call(2.0, "syncing", True, "get_market_price", seq=14, price=100.0, symbol="AAPL"),
    call(3.0, "ready", False, seq=17),  # refused exactly 1 s after "reconnected" (hand-made)
]
EVIDENCE = Evidence(events=TRACE, faults={"crash": {"id": "f1", "kind": "crash", "start": 1.0, "end": 1.0}}, end=4.0)


def judge(expectation: dict[str, Any], evidence: Evidence = EVIDENCE) -> tuple[bool, str]:
    scenario = Scenario.model_validate({"name": "one-instant", "description": "Events that share an instant.",
                                        "duration": 4, "steps": STEPS, "expect": [expectation]})
    [result] = evaluate(scenario, evidence)
    return result.ok, result.detail


def test_until_a_fault_ends_before_the_faults_own_consequences_at_its_instant() -> None:
    ok, detail = judge({"stays_ready": {"window": {"after": {"start": True}, "until": {"fault_start": "crash"}}}})
    assert ok, detail
    assert detail == "ready throughout, from start (0.00 s) to fault_start crash (1.00 s)"


def test_after_an_event_starts_after_it_so_a_call_made_just_before_it_is_outside() -> None:
    ok, detail = judge({"calls_refused": {"max": 0, "window": {"after": {"broker_event": "reconnected"},
                                                                "seconds": 0.5}}})
    assert ok, detail


def test_seconds_still_bound_by_time_and_take_in_the_whole_last_instant() -> None:
    ok, detail = judge({"calls_refused": {"min": 1, "max": 1, "window": {"after": {"broker_event": "reconnected"},
                                                                          "seconds": 1.0}}})
    assert ok, detail  # the refusal at 3.00 s counts, the poll made before "reconnected" does not


def test_until_a_fault_leaves_out_the_calls_refused_because_of_it() -> None:
    ok, detail = judge({"calls_refused": {"max": 0, "window": {"until": {"fault_start": "crash"}}}})
    assert ok, detail
    ok, detail = judge({"calls_refused": {"min": 3, "max": 3, "window": {
        "after": {"step": "crash"}, "until": {"broker_event": "reconnected"}}}})
    assert ok, detail


def test_stale_answers_are_judged_in_the_same_window() -> None:
    # the price answered while syncing was asked before "reconnected": not in a window after it
    ok, detail = judge({"no_stale_answers": {"window": {"after": {"broker_event": "reconnected"}}}})
    assert ok, detail
    ok, detail = judge({"no_stale_answers": {"window": {"after": {"step": "crash"}}}})
    assert not ok and "get_market_price at 2.00 s (answered while syncing)" in detail, detail


def test_state_within_an_anchor_starts_from_the_state_at_its_event() -> None:
    ok, detail = judge({"broker_state": {"states": ["ready"], "within": 0.5, "of": {"broker_event": "reconnected"}}})
    assert ok and detail == "stayed ready through 0.5 s after broker_event reconnected", detail
    ok, detail = judge({"broker_state": {"states": ["ready"], "within": 0.5, "of": {"step": "crash"}}})
    assert not ok and "ready 1.00 s after step crash: 0.50 s late" in detail, detail


def test_fresh_data_counts_only_calls_made_after_the_anchors_event() -> None:
    ok, detail = judge({"market_data": {"symbol": "AAPL", "within": 0.5, "of": {"broker_event": "reconnected"}}})
    assert not ok and detail == "no get_market_price answered after broker_event reconnected", detail


def test_anchors_are_places_in_the_order_and_the_nth_is_counted_in_that_order() -> None:
    assert EVIDENCE.mark(Anchor(broker_state="connecting")) == Mark(1.0, 9)
    assert EVIDENCE.mark(Anchor(fault_start="crash")) == Mark(1.0, 5)
    assert EVIDENCE.mark(Anchor(start=True)) == Mark(0.0, 0)
    assert Mark(1.0, 8) < Mark(1.0, 9) < Mark(1.5, 0) < Mark.end_of(1.5)
    listed = [event(2.0, "broker", "reconnected", seq=7, attempt=2), event(2.0, "broker", "reconnected", seq=6, attempt=1)]
    evidence = Evidence(events=listed, end=4.0)
    first, second = (evidence.mark(Anchor(broker_event="reconnected", count=n)) for n in (1, 2))
    assert (first, second) == (Mark(2.0, 6), Mark(2.0, 7))


def test_a_trace_numbers_its_events_and_a_call_keeps_the_number_taken_when_it_was_made() -> None:
    trace = Trace(clock=lambda: 0.0)
    made = trace.reserve()
    later = trace.add("broker", "reconnected")
    call_event = trace.add("client", "call", {"method": "get_positions"}, seq=made)
    assert (made, later.seq, call_event.seq) == (0, 1, 0)
    assert [e.kind for e in Evidence(events=trace.events).events] == ["call", "reconnected"]


def test_a_hand_made_trace_without_numbers_is_ordered_as_listed() -> None:
    bare = [e.model_copy(update={"seq": None}) for e in TRACE if e.kind != "call"]
    evidence = Evidence(events=bare, faults=EVIDENCE.faults, end=4.0)
    ok, detail = judge({"stays_ready": {"window": {"until": {"fault_start": "crash"}}}}, evidence)
    assert ok, detail


def test_a_fault_without_its_gateway_event_starts_before_everything_at_its_instant() -> None:
    bare = [e for e in TRACE if e.source != "gateway"]
    evidence = Evidence(events=bare, faults={"crash": {"start": 1.0, "end": 1.0, "kind": "crash"}}, end=4.0)
    ok, detail = judge({"stays_ready": {"window": {"until": {"fault_start": "crash"}}}}, evidence)
    assert ok, detail
    ok, detail = judge({"calls_refused": {"min": 1, "max": 1, "window": {"after": {"fault_start": "crash"},
                                                                          "seconds": 0.1}}}, evidence)
    assert ok, detail
