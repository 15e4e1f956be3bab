"""The invariants ``explore`` checks on every run; any scenario can name them (``- invariant: no_hang``).

Each is a pure function of the recorded evidence, like every other expectation, and every bound
derives from the broker's own settings, so a broker with production timings is judged by
production bounds:

- ``orders_agree``: no fill lost or duplicated, no key sent twice, and, in both directions, every
  order the gateway holds under the broker's client id and an orderRef is in the journal with the
  same status, quantity, filled quantity and limit (journal -> gateway as well);
- ``no_hang``: every call returns or raises within the broker's own timeout for it;
- ``ready_after_faults``: once the last fault has ended, the broker is ready within
  max(probe_interval + probe_timeout, backoff_max, circuit_half_open_after if the circuit opened)
  + connect_timeout + request_timeout (+ a margin);
- ``refused_fast``: a call made while the broker is not ready (placed in the trace's order, so a
  call at the instant of a state change is before or after it) and not serving again when it
  returned is refused at entry (a BrokerError within ``FAST`` seconds);
- ``cut_reported``: a call that fails, fails with a BrokerError (a call cut in flight says so: it
  is never a raw socket error or a library's internal exception);
- ``no_stale_price``: no price is answered (when the answer came: IB holds a request during a
  1100 and answers it with current data when it is back) after market data has been stopped for
  longer than stream_check_timeout + probe_interval + probe_timeout (+ a margin);
- ``fresh_after_faults``: once the faults are over (and a market move has had time to arrive), a
  price answered is the gateway's current price and an account answered is not stale, within
  stream_check_timeout + probe_interval + probe_timeout (+ a margin), and after a 1101 (IB says
  the subscriptions are gone) within request_timeout: a broker that lost its data (a 1101 it did
  not resubscribe after, a 2100 it did not refresh after) serves old answers;
- ``bounded_reconnects``: the broker opens at most 2 + 1 / backoff_initial connections to the
  gateway in any second (a reconnect storm is a fault of its own);
- ``no_line_leaks``: at quiescence the broker's session holds at most one market-data line per
  symbol asked for (a price, or an order: the risk check reads its price) and one bar stream per
  stream asked for;
- ``not_ready_in_outage``: the broker is not ready while the last word its session had from IB
  about connectivity is 1100 (lost; 1101/1102 restore it, a new session forgets it), for longer
  than ``OUTAGE_NOTICE`` seconds. What the session heard is the broker's own ``ib_error`` events
  when it publishes them, else the gateway's record of the errors it sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from .loop_lag import lag_within

if TYPE_CHECKING:
    from .expectations import Evidence

Verdict = tuple[bool, str, "float | None", "float | None"]

FAST = 0.1  # seconds: a refusal at entry does no I/O
SAME_INSTANT = 1e-3  # seconds: on the virtual clock many events share one instant
MARGIN = 0.5  # seconds of scheduling slack on a loaded machine
READY = {"ready"}
SERVING = {"ready", "degraded"}
# faults during which the gateway sends the session no market data
DATA_STOPPED = {"connectivity_lost", "stall", "half_open", "competing_session"}  # windows that are the outage


def _s(ev: "Evidence", name: str, default: float) -> float:
    return float(ev.settings.get(name, default))


def call_bound(ev: "Evidence", method: str) -> float:
    """How long ``method`` may take before it must have returned or raised, from the settings."""
    request = _s(ev, "request_timeout", 10.0)
    if method == "place_order":  # ack wait, then open + completed orders queried under request timeouts
        return _s(ev, "order_ack_timeout", 5.0) + 2 * request + MARGIN
    return request + MARGIN


def ready_bound(ev: "Evidence") -> float:
    """Detection or the longest backoff (or the circuit's half-open wait, if it opened), then one
    connect and one sync."""
    detect = _s(ev, "probe_interval", 5.0) + _s(ev, "probe_timeout", 3.0)
    opened = any(state == "circuit_open" for _, state in ev.states())
    wait = max(detect, _s(ev, "backoff_max", 30.0), _s(ev, "circuit_half_open_after", 60.0) if opened else 0.0)
    return wait + _s(ev, "connect_timeout", 4.0) + _s(ev, "request_timeout", 10.0) + MARGIN


def stale_bound(ev: "Evidence") -> float:
    return _s(ev, "stream_check_timeout", 2.0) + _s(ev, "probe_interval", 5.0) + _s(ev, "probe_timeout", 3.0) + MARGIN


def _orders_agree(ev: "Evidence") -> Verdict:
    """Duplicates always count; what the broker could not know yet (lost fills, disagreements) only
    once it is serving again on a healthy gateway at the end (quiescence)."""
    if not ev.audit:
        return False, "no order audit was recorded", None, 0.0
    settled = healthy_at(ev) is not None and ev.state_at(ev.end) in SERVING
    details = list(ev.audit.get("details") or [])
    if settled:
        problems = details if (ev.audit.get("lost") or ev.audit.get("duplicated")) else []
        problems += list(ev.audit.get("disagreements") or [])
    else:
        problems = [d for d in details if "times" in d]  # sent twice, or a fill recorded twice
    if not settled and not problems:
        return True, f"no duplicates; not at quiescence (state {ev.state_at(ev.end)}), agreement not judged", None, 0.0
    if problems:
        return False, f"{len(problems)} problem(s): " + "; ".join(problems[:6]), float(len(problems)), 0.0
    return True, f"journal and gateway agree ({ev.audit.get('fills', 0)} fill(s))", 0.0, 0.0


def _own_latency(ev: "Evidence", call: Any) -> float:
    """A call's latency less the time the replay's loop was stalled during it (the machine, not
    the broker); see loop_lag.py."""
    latency = float(call.data.get("latency", 0.0))
    return max(0.0, latency - lag_within(ev.extra.get("loop_lags") or [], call.at, call.at + latency))


def _no_hang(ev: "Evidence") -> Verdict:
    worst: tuple[float, str] = (0.0, "")
    for call in ev.calls():
        method = str(call.data.get("method"))
        latency, bound = _own_latency(ev, call), call_bound(ev, method)
        if call.data.get("error_type") == "Hung" or latency > bound:
            return False, f"{method} (step {call.data.get('step')}) at {call.at:.2f} s took {latency:.2f} s (loop stalls deducted), " \
                          f"bound {bound:.2f} s", latency, bound
        worst = max(worst, (latency, method))
    return True, f"slowest call {worst[1] or '-'} {worst[0]:.2f} s", worst[0], None


def healthy_at(ev: "Evidence") -> float | None:
    """When the last fault ended (the gateway healthy again); None if one never ended."""
    ends: list[float] = []
    for step_id, window in ev.faults.items():
        if window.get("start") is None:
            continue
        if window.get("end") is None:
            return None
        end = float(window["end"])
        spec = ev.extra.get("fault_specs", {}).get(step_id, {})
        if window.get("kind") == "token_expiry":  # the gateway stays down until a start_gateway step
            restarts = [e.at for e in ev.events if e.source == "runner" and e.kind == "start_gateway"
                        and e.at >= float(window["start"])]
            if not restarts:
                return None
            end = min(restarts)
        end += float(spec.get("down_seconds", 0.0))  # a restart listens again after its down time
        if spec.get("kind") == "nightly_reset":
            end = max(end, float(window["start"]) + float(spec.get("recover_after", 15.0))
                      + float(spec.get("farms_recover_after") or 0.0))
        ends.append(end)
    starts = [e.at for e in ev.events if e.source == "runner" and e.kind == "start_gateway"]
    return max(ends + starts, default=0.0)


def _ready_after_faults(ev: "Evidence") -> Verdict:
    healthy, bound = healthy_at(ev), ready_bound(ev)
    if healthy is None:
        return True, "a fault never ended: nothing to judge", None, bound
    deadline = healthy + bound
    if deadline > ev.end:
        return True, f"the last fault ended at {healthy:.2f} s, too late to judge within {ev.end:g} s", None, bound
    if ev.state_at(healthy) in READY and all(state in READY for at, state in ev.states()[1:]
                                            if healthy <= at <= deadline):
        return True, f"ready when the last fault ended ({healthy:.2f} s) and after", 0.0, bound
    back = next((at for at, state in ev.states() if at >= healthy and state in READY), None)
    final = ev.state_at(ev.end)
    if back is not None and back <= deadline and final in SERVING:
        return True, f"ready {back - healthy:.2f} s after the last fault ended", back - healthy, bound
    took = f"{back - healthy:.2f} s" if back is not None else "never"
    return False, f"last fault ended at {healthy:.2f} s; ready again: {took} (bound {bound:.2f} s from the " \
                  f"settings), state at the end {final}", None if back is None else back - healthy, bound


def _inferred(ev: "Evidence") -> bool:
    return any(e.source == "broker" and e.kind == "state" and e.data.get("inferred") for e in ev.events)


def _refused_fast(ev: "Evidence") -> Verdict:
    """Calls made while not serving, in the trace's order (a call made at the instant of a state
    change is placed before or after it by its number), that were still not serving when they
    returned (a call that waited into ready is not a refusal to judge)."""
    if _inferred(ev):
        return True, "the broker exposes no state: refusals are judged by cut_reported", None, FAST
    slow = []
    count = 0
    for call in ev.calls():
        made = ev.state_at(ev.mark_of(call))
        if made in SERVING or ev.state_at(ev.returned(call)) in SERVING:
            continue
        count += 1
        latency = _own_latency(ev, call)
        if call.data.get("ok") or latency > FAST + MARGIN * 0.2:
            slow.append(f"{call.data.get('method')} at {call.at:.2f} s in state {made}: "
                        + ("answered" if call.data.get("ok") else f"{call.data.get('error_type')} after "
                                                                   f"{latency * 1000:.0f} ms"))
    if slow:
        return False, f"{len(slow)} of {count} call(s) made while not ready were not refused at entry: " \
                      + "; ".join(slow[:4]), float(len(slow)), 0.0
    return True, f"{count} call(s) made while not ready, all refused at entry", 0.0, 0.0


def _cut_reported(ev: "Evidence") -> Verdict:
    raw = [c for c in ev.calls() if not c.data.get("ok") and c.data.get("error_type") != "Hung"
           and not c.data.get("broker_error", True)]
    if raw:
        first = raw[0]
        return False, f"{len(raw)} call(s) failed with a non-broker error, first {first.data.get('method')} at " \
                      f"{first.at:.2f} s: {first.data.get('error_type')}: {first.data.get('error')}", \
            float(len(raw)), 0.0
    return True, "every failed call raised a BrokerError", 0.0, 0.0


def _no_stale_price(ev: "Evidence") -> Verdict:
    bound = stale_bound(ev)
    specs = ev.extra.get("fault_specs", {})
    outages = []
    for step_id, window in ev.faults.items():
        spec = specs.get(step_id, {})
        kind = window.get("kind")
        if window.get("start") is None or not (kind in DATA_STOPPED or (kind == "farm_down"
                                                                         and spec.get("farm") == "market")):
            continue
        end = float(window["end"]) if window.get("end") is not None else ev.end
        outages.append((float(window["start"]), end, step_id))
    for call in ev.calls("get_market_price"):
        if not call.data.get("ok"):
            continue
        answered = call.at + float(call.data.get("latency", 0.0))  # a request IB held is answered when it is back
        for start, end, step_id in outages:
            if start + bound <= answered <= end:
                return False, f"price {call.data.get('price')} for {call.data.get('symbol')} answered at " \
                              f"{answered:.2f} s, {answered - start:.2f} s into {step_id} (no data; bound " \
                              f"{bound:.2f} s)", answered - start, bound
    return True, f"no price served more than {bound:.2f} s into a data outage ({len(outages)} outage(s))", None, bound


def _pin_at(ev: "Evidence", symbol: str, moment: float) -> tuple[float | None, float]:
    """The gateway's pinned price of ``symbol`` at ``moment`` and since when it holds."""
    price = (ev.extra.get("prices") or {}).get(symbol)
    since = 0.0
    for event in ev.events:
        if event.source == "market" and event.kind == "move" and event.data.get("symbol") == symbol \
                and event.at <= moment and event.data.get("price") is not None:
            price, since = float(event.data["price"]), event.at
    return (None if price is None else float(price)), since


def _fresh_after_faults(ev: "Evidence") -> Verdict:
    healthy, settle = healthy_at(ev), stale_bound(ev)
    if healthy is None:
        return True, "a fault never ended: nothing to judge", None, settle
    checked = 0
    answered: dict[str, bool] = {}  # method/symbol -> whether any call after the faults answered
    for call in ev.calls():
        if call.at <= healthy + ready_bound(ev) + settle:  # the broker may still be reconnecting until then
            continue
        what = f"{call.data.get('method')}({call.data.get('symbol', '')})"
        if call.data.get("method") in ("get_market_price", "get_account"):
            answered[what] = answered.get(what, False) or bool(call.data.get("ok"))
    dead = sorted(what for what, ok in answered.items() if not ok)
    if dead:
        return False, f"once the faults were over ({healthy:.2f} s) {', '.join(dead)} never answered again", \
            None, settle
    # a 1101 says the subscriptions are gone: the broker must request them again at once, not
    # wait until a silence timeout finds out (its bound is one request, not the freshness bound)
    data_lost = [e.at for e in ev.events if e.source == "gateway" and e.kind == "error_sent"
                 and e.data.get("code") == 1101]
    quick = _s(ev, "request_timeout", 10.0) + MARGIN
    for call in ev.calls():
        lost = max((at for at in data_lost if at <= call.at), default=None)
        after_1101 = lost is not None and healthy <= lost + quick and call.at > lost + quick
        if not call.data.get("ok") or (call.at <= healthy + settle and not after_1101):
            continue
        method = call.data.get("method")
        if method == "get_account" and call.data.get("stale"):
            return False, f"get_account at {call.at:.2f} s answered stale data {call.at - healthy:.2f} s after the " \
                          f"last fault ended (bound {settle:.2f} s)", call.at - healthy, settle
        if method == "get_market_price":
            symbol = str(call.data.get("symbol"))
            pin, since = _pin_at(ev, symbol, call.at)
            if pin is None or call.at <= since + (quick if after_1101 else settle):
                continue
            if since <= healthy + SAME_INSTANT and not after_1101:
                continue  # the move happened during a fault, which may have lost its one tick
            checked += 1
            answer = float(call.data.get("price", 0.0))
            if abs(answer - pin) > max(0.03, 0.0025 * pin):
                bound = quick if after_1101 else settle
                return False, f"get_market_price({symbol}) at {call.at:.2f} s answered {answer:g}; the gateway's " \
                              f"price has been {pin:g} since {since:.2f} s (bound {bound:.2f} s" + \
                              (f", after the 1101 at {lost:.2f} s)" if after_1101 else ")"), call.at - since, bound
    return True, f"{checked} price(s) after the faults were current", 0.0, settle


def _bounded_reconnects(ev: "Evidence") -> Verdict:
    limit = 2 + int(1 / max(_s(ev, "backoff_initial", 0.5), 1e-3))
    opened = sorted(e.at for e in ev.events if e.source == "gateway" and e.kind in ("session_opened", "connect_refused")
                    and 0 <= e.at <= ev.end)
    worst, start = 0, 0
    for index, at in enumerate(opened):
        while opened[start] < at - 1.0:
            start += 1
        worst = max(worst, index - start + 1)
    if worst > limit:
        return False, f"{worst} connections opened within one second (at most {limit} from backoff_initial)", \
            float(worst), float(limit)
    return True, f"at most {worst} connection(s) per second ({len(opened)} in all)", float(worst), float(limit)


def _no_line_leaks(ev: "Evidence") -> Verdict:
    held = (ev.extra.get("gateway_end") or {}).get("subscriptions")
    if held is None:
        return True, "the broker's session was gone at quiescence: no lines to count", None, None
    # a symbol ordered counts as asked: the risk check reads its price through the same line cache
    priced = ev.calls("get_market_price") + ev.calls("place_order")
    asked = {"mkt_data": len({c.data.get("symbol") for c in priced}),
             "historical_updates": len({c.data.get("symbol") for c in ev.calls("stream_bars")})}
    over = [f"{kind}: {held.get(kind, 0)} line(s) for {limit} asked" for kind, limit in asked.items()
            if held.get(kind, 0) > limit]
    if over:
        return False, "lines leaked at the gateway: " + "; ".join(over), float(len(over)), 0.0
    return True, f"gateway lines at quiescence {held}", 0.0, 0.0


OUTAGE_NOTICE = 1.0  # seconds a broker may stay ready after its session heard 1100
LOST, RESTORED = {1100}, {1101, 1102}
NEW_SESSION = {"disconnected", "connecting"}  # broker states that end a session (what it heard is void)


def _connectivity_word(ev: "Evidence", event: Any, own: bool) -> int | None:
    """1100, 1101/1102 as the session heard it (None for any other event)."""
    if own and event.source == "broker" and event.kind == "ib_error" \
            or not own and event.source == "gateway" and event.kind == "error_sent":
        code = event.data.get("code")
        return code if code in LOST | RESTORED else None
    return None


def _not_ready_in_outage(ev: "Evidence") -> Verdict:
    own = any(e.source == "broker" and e.kind == "ib_error" for e in ev.events)
    state, lost_at, both_since, heard = ev.initial_state, None, None, 0
    worst: tuple[float, float | None] = (0.0, None)  # (seconds ready in an outage, when its 1100 came)
    for event in [e for e in ev.events if e.at <= ev.end] + [None]:
        if event is None:  # the end of the timeline closes what is still open
            lost_at = None
        elif (word := _connectivity_word(ev, event, own)) is not None:
            heard += word in LOST
            lost_at = (lost_at if lost_at is not None else event.at) if word in LOST else None
        elif event.source == "broker" and event.kind == "state":
            state = str(event.data.get("to"))
            lost_at = None if state in NEW_SESSION else lost_at
        elif not own and event.source == "gateway" and event.kind == "session_closed":
            lost_at = None
        now = ev.end if event is None else event.at
        if lost_at is not None and state in READY:
            both_since = now if both_since is None else both_since
        elif both_since is not None:
            if now - both_since > worst[0]:
                worst = (now - both_since, both_since)
            both_since = None
    seconds, since = worst
    if seconds > OUTAGE_NOTICE:
        return False, (f"ready for {seconds:.2f} s from {since:.2f} s while its session's last word from IB "
                       f"was 1100 (no 1101/1102 since)"), seconds, OUTAGE_NOTICE
    return True, f"never ready for long after an unanswered 1100 ({heard} heard)", seconds, OUTAGE_NOTICE


JUDGES: dict[str, Callable[["Evidence"], Verdict]] = {
    "orders_agree": _orders_agree,
    "no_hang": _no_hang,
    "ready_after_faults": _ready_after_faults,
    "refused_fast": _refused_fast,
    "cut_reported": _cut_reported,
    "no_stale_price": _no_stale_price,
    "fresh_after_faults": _fresh_after_faults,
    "bounded_reconnects": _bounded_reconnects,
    "no_line_leaks": _no_line_leaks,
    "not_ready_in_outage": _not_ready_in_outage,
}
INVARIANTS = tuple(JUDGES)


def judge(name: str, ev: "Evidence") -> Verdict:
    return JUDGES[name](ev)


def judge_any(body: Any, ev: "Evidence") -> Verdict:
    return judge(str(body), ev)
