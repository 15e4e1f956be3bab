"""A hand-made run result: a stall, the broker degrading and reconnecting, calls and IB errors."""

from __future__ import annotations

from ib_harness.scenarios.trace import ExpectationResult, RunResult, ScenarioResult, TraceEvent


def sample_run() -> RunResult:
    events = [
        TraceEvent(at=-0.3, source="broker", kind="state", data={"from": "disconnected", "to": "connecting"}),
        TraceEvent(at=-0.1, source="broker", kind="state", data={"from": "connecting", "to": "ready"}),
        TraceEvent(at=0.5, source="client", kind="call", data={"method": "get_market_price", "ok": True, "latency": 0.002}),
        TraceEvent(at=1.0, source="gateway", kind="fault_started", data={"kind": "stall"}),
        TraceEvent(at=1.6, source="broker", kind="state", data={"from": "ready", "to": "degraded", "cause": "probe"}),
        TraceEvent(at=1.7, source="client", kind="call", data={"method": "place_order", "ok": False,
                                                                "error_type": "BrokerUnavailable", "latency": 0.0004}),
        TraceEvent(at=1.9, source="broker", kind="ib_error", data={"code": 1100, "message": "Connectivity lost"}),
        TraceEvent(at=2.2, source="broker", kind="state", data={"from": "degraded", "to": "backing_off"}),
        TraceEvent(at=2.5, source="broker", kind="state", data={"from": "backing_off", "to": "ready"}),
        TraceEvent(at=2.6, source="broker", kind="ib_error", data={"code": 1102, "message": "restored"}),
        TraceEvent(at=2.6, source="broker", kind="reconnected", data={"attempt": 1}),
        TraceEvent(at=3.0, source="client", kind="call", data={"method": "get_market_price", "ok": True, "latency": 0.004}),
    ]
    results = [
        ScenarioResult(name="stall-sample", file="library/stall.yaml", description="a silent stall </script>",
                       supervisor=supervisor, seed=1, verdict=verdict, duration=4.0, wall=4.6,
                       detection=0.6, recovery=0.5 if verdict == "pass" else None,
                       expectations=[ExpectationResult(expectation="detection", ok=verdict == "pass",
                                                       detail="left ready 0.60 s after fault stall")],
                       faults=[{"step": "stall", "kind": "stall", "start": 1.0, "end": 2.0}], events=events)
        for supervisor, verdict in (("builtin", "pass"), ("watchdog", "fail"))
    ]
    return RunResult(started=1_790_000_000.0, wall=5.0, results=results)
