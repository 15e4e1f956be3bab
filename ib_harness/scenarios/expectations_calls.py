"""Judges of what individual calls did, of windows and of churn: refused vs cut calls, staying
ready, stale answers, one named call's outcome, journal vs gateway statuses, connect attempts."""

from __future__ import annotations

from typing import Any, Callable

from .evidence import Evidence, call_outcome, describe_window
from .model_expect import CallOutcome, CallsCounted, ConnectAttempts, NoStale, Range, StaysReady
from .trace import TraceEvent

Verdict = tuple[bool, str, "float | None", "float | None"]
DATA_METHODS = ("get_market_price", "get_historical_bars", "get_positions", "get_account", "get_orders")


def _counted(outcome: str) -> Callable[[CallsCounted, Evidence], Verdict]:
    def judge(body: CallsCounted, ev: Evidence) -> Verdict:
        span = ev.window(body.window)
        if isinstance(span, str):
            return False, span, None, None
        calls = [c for c in ev.calls(body.method) if span.holds(ev.mark_of(c)) and call_outcome(c.data) == outcome]
        ok, wanted = _in_range(len(calls), body)
        what = "refused at entry" if outcome == "refused" else "cut in flight"
        detail = f"{len(calls)} call(s) {what} {describe_window(body.window, span)}, wanted {wanted}"
        if calls and not ok:
            detail += ": " + "; ".join(f"{c.data.get('method')} at {c.at:.2f} s" for c in calls[:5])
        return ok, detail, float(len(calls)), float(body.max if body.max is not None else body.min)
    return judge


def _in_range(count: int, body: Range) -> tuple[bool, str]:
    wanted = f"{body.min}..{'' if body.max is None else body.max}"
    return count >= body.min and (body.max is None or count <= body.max), wanted


def _stays_ready(body: StaysReady, ev: Evidence) -> Verdict:
    span = ev.window(body.window)
    if isinstance(span, str):
        return False, span, None, None
    where = describe_window(body.window, span)
    if ev.state_at(span.start) != "ready":
        return False, f"{ev.state_at(span.start)}, not ready, when the window opens ({where})", None, None
    left = next(((mark, state) for mark, state in ev.state_changes() if span.holds(mark) and state != "ready"), None)
    if left is not None:
        return False, f"left ready for {left[1]} at {left[0].at:.2f} s, {where}", left[0].at - span.start.at, 0.0
    return True, f"ready throughout, {where}", 0.0, 0.0


def _no_stale(body: NoStale, ev: Evidence) -> Verdict:
    span = ev.window(body.window)
    if isinstance(span, str):
        return False, span, None, None
    held = ev.faults.get(body.during or "", {})
    stale: list[str] = []
    for call in ev.calls():
        if not span.holds(ev.mark_of(call)) or not call.data.get("ok"):
            continue
        why = _stale_because(call, held, ev.end)
        if why:
            stale.append(f"{call.data.get('method')} at {call.at:.2f} s ({why})")
    ok = not stale
    detail = f"{len(stale)} stale answer(s) {describe_window(body.window, span)}"
    return ok, detail + (": " + "; ".join(stale[:5]) if stale else ""), float(len(stale)), 0.0


def _stale_because(call: TraceEvent, held: dict[str, Any], timeline_end: float) -> str:
    if call.data.get("stale"):
        return "the broker marked it stale"
    if call.data.get("entry_state") not in (None, "ready") and call.data.get("method") in DATA_METHODS:
        return f"answered while {call.data.get('entry_state')}"
    fault_start, fault_end = held.get("start"), held.get("end")
    if fault_start is not None and call.data.get("method") in DATA_METHODS:
        done = call.at + float(call.data.get("latency", 0.0))
        if fault_start <= done <= (fault_end if fault_end is not None else timeline_end):
            return f"answered while fault {held.get('kind')} held"
    return ""


def _call(body: CallOutcome, ev: Evidence) -> Verdict:
    calls = [c for c in ev.events if c.source == "client" and c.kind == "call" and c.data.get("step") == body.step]
    if not calls:
        return False, f"step {body.step} made no call", None, None
    chosen = {"first": calls[:1], "last": calls[-1:], "every": calls}[body.which]
    problems = [problem for call in chosen for problem in _call_problems(body, call)]
    shown = chosen[-1].data
    outcome = "answered " + str({k: v for k, v in shown.items() if k not in _BOOKKEEPING}) if shown.get("ok") \
        else f"raised {shown.get('error_type')}: {shown.get('error', '')}"
    detail = f"{body.step} ({len(chosen)} call(s)) {outcome}"
    return not problems, detail + ("; " + "; ".join(problems[:3]) if problems else ""), float(len(problems)), 0.0


_BOOKKEEPING = {"step", "method", "latency", "ok", "entry_state", "outcome", "key", "order"}


def _call_problems(body: CallOutcome, call: TraceEvent) -> list[str]:
    data = call.data
    problems = []
    if body.ok is not None and bool(data.get("ok")) != body.ok:
        problems.append(f"at {call.at:.2f} s it {'raised' if body.ok else 'answered'}, wanted "
                        f"{'an answer' if body.ok else 'an error'}")
    if body.raised is not None and data.get("error_type") != body.raised:
        problems.append(f"at {call.at:.2f} s it {'answered' if data.get('ok') else 'raised ' + str(data.get('error_type'))}"
                        f", wanted it to raise {body.raised}")
    for key, wanted in (body.returned or {}).items():
        if not data.get("ok") or data.get(key) != wanted:
            problems.append(f"at {call.at:.2f} s {key} was {data.get(key)!r}, wanted {wanted!r}")
    return problems


def _journal_matches_gateway(body: bool, ev: Evidence) -> Verdict:
    journal = ev.audit.get("statuses")
    gateway = ev.audit.get("gateway_statuses")
    if journal is None or gateway is None:
        return False, "no order audit with gateway statuses was recorded", None, None
    differ = []
    for step_id, status in journal.items():
        at_gateway = gateway.get(step_id)
        same = status == at_gateway or (at_gateway is None and status in (None, "NOT_SENT", "REJECTED"))
        if not same:
            differ.append(f"{step_id}: journal {status or 'has nothing'}, gateway {at_gateway or 'has nothing'}")
    ok = not differ if body else bool(differ)
    detail = f"{len(journal)} order(s) compared" + (": " + "; ".join(differ) if differ else ", all equal")
    return ok, detail, float(len(differ)), 0.0


def _connect_attempts(body: ConnectAttempts, ev: Evidence) -> Verdict:
    attempts = [at for at, state in ev.states()[1:] if state == "connecting"]
    ok, wanted = _in_range(len(attempts), body)
    return ok, f"{len(attempts)} connect attempt(s) on the timeline, wanted {wanted}", float(len(attempts)), \
        float(body.max if body.max is not None else body.min)


CALL_JUDGES: dict[str, Callable[[Any, Evidence], Verdict]] = {
    "calls_refused": _counted("refused"),
    "calls_cut": _counted("cut"),
    "stays_ready": _stays_ready,
    "no_stale_answers": _no_stale,
    "call": _call,
    "journal_matches_gateway": _journal_matches_gateway,
    "connect_attempts": _connect_attempts,
}
