"""Judge a replay: each expectation is measured from the trace and says by how much it missed.

Pure functions of recorded data (no gateway, no broker), so they are tested on hand-made traces
and a report can be re-judged without replaying.
"""

from __future__ import annotations

from typing import Any, Callable

from .model import Scenario
from .model_expect import (
    Anchor,
    Detection,
    ErrorCodes,
    Expectation,
    FailFast,
    Fresh,
    Orders,
    OrderStatusIs,
    Range,
    StateWithin,
)
from .evidence import Evidence, call_outcome
from .expectations_calls import CALL_JUDGES
from .trace import ExpectationResult
from .invariants import judge_any

# what the runner records about a call besides its answer: not part of what "changed" compares
BOOKKEEPING = ("step", "latency", "entry_state", "outcome")

__all__ = ["Evidence", "evaluate", "detection_after", "recovery_after", "JUDGES"]


def evaluate(scenario: Scenario, evidence: Evidence) -> list[ExpectationResult]:
    return [_judge(expectation, evidence) for expectation in scenario.expect]


def _judge(expectation: Expectation, evidence: Evidence) -> ExpectationResult:
    judge: Callable[[Any, Evidence], tuple[bool, str, float | None, float | None]] = JUDGES[expectation.kind]
    ok, detail, measured, limit = judge(expectation.body, evidence)
    return ExpectationResult(expectation=expectation.describe(), ok=ok, detail=detail, measured=measured, limit=limit)


def _anchor_name(anchor: Anchor) -> str:
    return anchor.describe()


def _state_within(body: StateWithin, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
    """The first change into one of ``states`` after the anchor's event, within ``within`` seconds;
    or, with no change at all in that time, already being in one of them at the anchor (it held)."""
    ref = ev.mark(body.of)
    if ref is None:
        return False, f"{_anchor_name(body.of)} never happened", None, body.within
    wanted = set(body.states)
    changes = [(mark.at, state) for mark, state in ev.state_changes() if mark > ref]
    if ev.state_at(ref) in wanted and not any(at <= ref.at + body.within for at, _ in changes):
        return True, f"stayed {ev.state_at(ref)} through {body.within:g} s after {_anchor_name(body.of)}", \
            0.0, body.within
    reached = next((at for at, state in changes if state in wanted), None)
    if reached is None:
        return False, f"never in {sorted(wanted)} after {_anchor_name(body.of)} (last state {ev.state_at(ev.end)})", \
            None, body.within
    took = reached - ref.at
    if took <= body.within:
        return True, f"{ev.state_at(reached)} {took:.2f} s after {_anchor_name(body.of)}", took, body.within
    return False, f"{ev.state_at(reached)} {took:.2f} s after {_anchor_name(body.of)}: {took - body.within:.2f} s late", \
        took, body.within


def _reconnects(body: Range, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
    count = sum(1 for e in ev.events if e.source == "broker" and e.kind == "reconnected" and e.at >= 0)
    wanted = f"{body.min}..{'' if body.max is None else body.max}"
    ok = count >= body.min and (body.max is None or count <= body.max)
    return ok, f"{count} reconnect(s), wanted {wanted}", float(count), float(body.max if body.max is not None else body.min)


def _detection(body: Detection, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
    start = ev.faults.get(body.fault, {}).get("start")
    if start is None:
        return False, f"fault {body.fault} never started", None, body.max
    left = detection_after(ev, start)
    if left is None:
        return False, f"the broker never left ready after fault {body.fault} started", None, body.max
    ok = left <= body.max
    return ok, f"left ready {left:.2f} s after fault {body.fault}" + ("" if ok else f": {left - body.max:.2f} s too slow"), \
        left, body.max


def detection_after(ev: Evidence, start: float) -> float | None:
    """Seconds from ``start`` until the broker first leaves ``ready`` (on the timeline)."""
    left = _left_ready(ev, start)
    return None if left is None else left - start


def _left_ready(ev: Evidence, start: float) -> float | None:
    for event in ev.events:
        if event.source == "broker" and event.kind == "state" and start <= event.at <= ev.end \
                and event.data.get("from") == "ready" and event.data.get("to") != "ready":
            return event.at
    return None


def recovery_after(ev: Evidence, start: float) -> float | None:
    """Seconds the broker spent out of ready: from leaving ready (after the fault started) until ready
    again, even when it was back before the fault ended (counted from the fault's end, that was 0).

    None when the broker never left ready after the fault started (nothing to recover) or never
    came back on the timeline.
    """
    left = _left_ready(ev, start)
    if left is None:
        return None
    back = next((at for at, state in ev.states() if at > left and state == "ready"), None)
    return None if back is None else back - left


def _orders(body: Orders, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
    if not ev.audit:
        return False, "no order audit was recorded", None, None
    lost, duplicated = int(ev.audit.get("lost", 0)), int(ev.audit.get("duplicated", 0))
    ok = lost <= body.lost and duplicated <= body.duplicated
    detail = f"lost {lost} (max {body.lost}), duplicated {duplicated} (max {body.duplicated}); " \
             f"{ev.audit.get('fills', 0)} gateway fill(s) checked"
    if ev.audit.get("details"):
        detail += ": " + "; ".join(ev.audit["details"])
    return ok, detail, float(lost + duplicated), float(body.lost + body.duplicated)


def _fresh(method: str, kind: str = "call") -> Callable[[Fresh, Evidence], tuple[bool, str, float | None, float | None]]:
    """The first successful ``method`` call (or bar update) made after the anchor's event."""
    def judge(body: Fresh, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
        ref = ev.mark(body.of)
        if ref is None:
            return False, f"{_anchor_name(body.of)} never happened", None, body.within
        what = "a bar update" if kind == "bar_update" else f"{method} answered" + (
            " with fresh data" if method == "get_account" else "")
        previous: list[dict[str, Any]] = []  # the last successful answer (for ``changed``)
        for event in ev.events:
            if event.source != "client" or event.kind != kind or event.data.get("method") != method:
                continue
            if body.symbol is not None and event.data.get("symbol") != body.symbol:
                continue
            done = event.at + float(event.data.get("latency", 0.0))
            after = ev.mark_of(event) > ref
            if body.changed and event.data.get("ok"):
                # a stale cache repeats itself: only an answer that moved shows data flowing
                answer = {k: v for k, v in event.data.items() if k not in BOOKKEEPING}
                moved = bool(previous) and answer != previous[0]
                previous[:] = [answer]
                if not after or not moved:
                    continue
            if event.data.get("ok") and not event.data.get("stale") and after:  # stale data is not fresh
                took = done - ref.at
                ok = took <= body.within
                return ok, f"{what} {took:.2f} s after {_anchor_name(body.of)}" + (
                    "" if ok else f": {took - body.within:.2f} s late"), took, body.within
        unchanged = f" with a changed answer (it stayed {previous[0]})" if body.changed and previous else ""
        return False, f"no {what} after {_anchor_name(body.of)}{unchanged}", None, body.within
    return judge


def _error_codes(body: ErrorCodes, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
    seen = sorted({int(e.data["code"]) for e in ev.events
                   if e.source == "broker" and e.kind == "ib_error" and "code" in e.data})
    missing = [c for c in body.include if c not in seen]
    unwanted = [c for c in body.exclude if c in seen]
    ok = not missing and not unwanted
    detail = f"seen {seen}"
    if missing:
        detail += f"; missing {missing}"
    if unwanted:
        detail += f"; must not see {unwanted}"
    return ok, detail, float(len(missing) + len(unwanted)), 0.0


def _fail_fast(body: FailFast, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
    refused = [c for c in ev.calls() if call_outcome(c.data) == "refused"]  # not the calls cut in flight
    if len(refused) < body.min_calls:
        return False, f"{len(refused)} call(s) refused while not ready, wanted at least {body.min_calls}", \
            None, body.max_latency
    worst = max((float(c.data.get("latency", 0.0)) for c in refused), default=0.0)
    ok = worst <= body.max_latency
    detail = f"{len(refused)} call(s) refused, slowest in {worst * 1000:.1f} ms"
    if not ok:
        detail += f": {(worst - body.max_latency) * 1000:.1f} ms over {body.max_latency * 1000:.0f} ms"
    return ok, detail, worst, body.max_latency


def _no_leaks(body: bool, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
    if not ev.leaks:
        return False, "leak counts were not recorded", None, None
    tasks = ev.leaks["tasks_after"] - ev.leaks["tasks_before"]
    sockets = ev.leaks["sockets_after"] - ev.leaks["sockets_before"]
    ok = tasks <= 0 and sockets <= 0
    detail = f"tasks {ev.leaks['tasks_before']} -> {ev.leaks['tasks_after']}, " \
             f"sockets {ev.leaks['sockets_before']} -> {ev.leaks['sockets_after']}"
    if ev.leaks.get("leaked_tasks"):
        detail += f"; left running: {ev.leaks['leaked_tasks']}"
    return ok == body, detail, float(max(tasks, 0) + max(sockets, 0)), 0.0


def _order_status(body: OrderStatusIs, ev: Evidence) -> tuple[bool, str, float | None, float | None]:
    status = (ev.audit.get("statuses") or {}).get(body.order)
    ok = status in body.status
    return ok, f"order {body.order} is {status or 'unknown to the journal'}, wanted {body.status}", None, None


JUDGES: dict[str, Callable[[Any, Evidence], tuple[bool, str, float | None, float | None]]] = {
    "broker_state": _state_within,
    "reconnects": _reconnects,
    "detection": _detection,
    "orders": _orders,
    "account_fresh": _fresh("get_account"),
    "market_data": _fresh("get_market_price"),
    "bars_flowing": _fresh("stream_bars", kind="bar_update"),
    "error_codes": _error_codes,
    "fail_fast": _fail_fast,
    "no_leaks": _no_leaks,
    "order_status": _order_status,
    **CALL_JUDGES,
    "invariant": judge_any,
}
