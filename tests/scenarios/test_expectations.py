"""Expectations judged on a hand-made trace: each holds or says by how much it missed."""

from __future__ import annotations

from typing import Any

import pytest

from ib_harness.scenarios.expectations import Evidence, evaluate, recovery_after
from ib_harness.scenarios.model import Scenario
from ib_harness.scenarios.trace import TraceEvent

STEPS = [
    {"id": "stall", "at": 1.0, "fault": {"kind": "stall", "duration": 1.0}},
    {"id": "buy", "at": 0.1, "place_order": {"symbol": "AAPL", "side": "BUY", "quantity": 1, "limit_price": 100}},
    {"at": 0.2, "every": 0.5, "until": 4.5, "get_market_price": {"symbol": "AAPL"}},
    {"at": 0.2, "get_account": {}},
]


def broker(at: float, kind: str, **data: Any) -> TraceEvent:
    return TraceEvent(at=at, source="broker", kind=kind, data=data)


def call(at: float, method: str, ok: bool, latency: float, **data: Any) -> TraceEvent:
    return TraceEvent(at=at, source="client", kind="call", data={"method": method, "ok": ok, "latency": latency, **data})


def state(at: float, old: str, new: str) -> TraceEvent:
    return broker(at, "state", **{"from": old, "to": new})


TRACE = [
    state(1.3, "ready", "degraded"),
    call(1.5, "get_market_price", False, 0.0004, error_type="BrokerUnavailable", symbol="AAPL"),
    call(1.6, "place_order", False, 0.07, error_type="BrokerUnavailable"),
    broker(1.9, "ib_error", code=1100, message="lost"),
    state(2.0, "degraded", "connecting"),
    state(3.1, "connecting", "ready"),
    broker(3.1, "reconnected", attempt=1),
    call(3.2, "get_market_price", True, 0.002, symbol="AAPL", price=101.0),
    call(3.3, "get_account", True, 0.001, stale=True),
    call(3.7, "get_account", True, 0.001, stale=False),
    state(5.2, "ready", "stopped"),  # teardown, after the timeline's end
]
EVIDENCE = Evidence(events=TRACE, faults={"stall": {"start": 1.0, "end": 2.0, "kind": "stall"}},
                    audit={"lost": 0, "duplicated": 1, "fills": 2, "details": ["fill X is in the journal 2 times"],
                           "statuses": {"buy": "FILLED"}},
                    leaks={"tasks_before": 3, "tasks_after": 3, "sockets_before": 2, "sockets_after": 3}, end=5.0)


def judge(expectation: dict[str, Any]) -> tuple[bool, str]:
    scenario = Scenario.model_validate({"name": "hand-made", "description": "A hand-made trace for the judges.",
                                        "duration": 5, "steps": STEPS, "expect": [expectation]})
    [result] = evaluate(scenario, EVIDENCE)
    return result.ok, result.detail


@pytest.mark.parametrize("expectation, ok, detail", [
    ({"detection": {"fault": "stall", "max": 0.5}}, True, "left ready 0.30 s after fault stall"),
    ({"detection": {"fault": "stall", "max": 0.2}}, False, "left ready 0.30 s after fault stall: 0.10 s too slow"),
    ({"broker_state": {"states": ["ready"], "within": 1.5, "of": {"fault_end": "stall"}}}, True,
     "ready 1.10 s after fault_end stall"),
    ({"broker_state": {"states": ["ready"], "within": 0.5, "of": {"fault_end": "stall"}}}, False,
     "ready 1.10 s after fault_end stall: 0.60 s late"),
    ({"broker_state": {"states": ["circuit_open"], "within": 2, "of": {"fault_start": "stall"}}}, False,
     "never in ['circuit_open'] after fault_start stall (last state ready)"),
    ({"broker_state": {"states": ["ready"], "within": 0.2, "of": {"fault_start": "stall"}}}, True,
     "stayed ready through 0.2 s after fault_start stall"),
    ({"reconnects": {"min": 1, "max": 1}}, True, "1 reconnect(s), wanted 1..1"),
    ({"reconnects": {"max": 0}}, False, "1 reconnect(s), wanted 0..0"),
    ({"fail_fast": {"max_latency": 0.1, "min_calls": 2}}, True, "2 call(s) refused, slowest in 70.0 ms"),
    ({"fail_fast": {"max_latency": 0.05}}, False, "2 call(s) refused, slowest in 70.0 ms: 20.0 ms over 50 ms"),
    ({"fail_fast": {"max_latency": 0.05, "min_calls": 3}}, False, "2 call(s) refused while not ready, wanted at least 3"),
    ({"error_codes": {"include": [1100], "exclude": [1300]}}, True, "seen [1100]"),
    ({"error_codes": {"include": [1100, 1102]}}, False, "seen [1100]; missing [1102]"),
    ({"market_data": {"symbol": "AAPL", "within": 1.5, "of": {"fault_end": "stall"}}}, True,
     "get_market_price answered 1.20 s after fault_end stall"),
    ({"market_data": {"within": 1.0, "of": {"fault_end": "stall"}}}, False,
     "get_market_price answered 1.20 s after fault_end stall: 0.20 s late"),
    ({"account_fresh": {"within": 1.0, "of": {"fault_end": "stall"}}}, False,
     "get_account answered with fresh data 1.70 s after fault_end stall: 0.70 s late"),
    ({"account_fresh": {"within": 3.0, "of": {"fault_start": "stall"}}}, True,
     "get_account answered with fresh data 2.70 s after fault_start stall"),
    ({"orders": {"lost": 0, "duplicated": 0}}, False,
     "lost 0 (max 0), duplicated 1 (max 0); 2 gateway fill(s) checked: fill X is in the journal 2 times"),
    ({"order_status": {"order": "buy", "status": ["FILLED"]}}, True, "order buy is FILLED, wanted ['FILLED']"),
    ({"no_leaks": True}, False, "tasks 3 -> 3, sockets 2 -> 3"),
])
def test_judges(expectation: dict[str, Any], ok: bool, detail: str) -> None:
    assert judge(expectation) == (ok, detail)


def test_recovery_counts_from_leaving_ready_even_when_back_before_the_fault_ended() -> None:
    """Out of ready from 1.3 to 3.1: 1.8 s, whenever the fault ended. Counted from the fault's end it
    was 1.1 s here, and 0 for a fault still running at 3.1, which hid the outage."""
    assert recovery_after(EVIDENCE, 1.0) == pytest.approx(1.8)
    assert recovery_after(EVIDENCE, 3.5) is None                 # never left ready after it (teardown ignored)
