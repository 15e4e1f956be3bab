"""The draft a log becomes: IB's codes as the faults that have their real side effects, the client
calls that would feel them, and expectations that a broker without the matching recovery fails.

Codes and connection events map to faults (``1100`` -> ``connectivity_lost``, ``1101``/``1102``
-> ``connectivity_restored``, ``2103``/``2105``/``2157`` -> ``farm_down`` and their OK codes ->
``farm_up``, ``10182`` -> ``farm_down hmds`` under a bar stream, ``2100`` -> ``account_unsubscribed``,
``326`` and ``API connection failed: TimeoutError`` on connect -> ``client_id_in_use`` /
``no_handshake`` on the first connect, a peer close -> ``crash``, refused connects -> ``down``).
Every episode adds what the log shows was at stake: polled prices (with a market move after the
recovery, so stale data cannot pass), a bar stream, account polls, and ``broker_state`` /
``market_data`` / ``bars_flowing`` / ``account_fresh`` expectations whose windows come from the
broker settings (tighter than the slower fallbacks: a recovery the broker skips is caught).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ib_harness.broker import BrokerSettings

from .from_log_read import LogEvent

FARM_CODES = {2103: ("market", "down"), 2104: ("market", "up"), 2105: ("hmds", "down"), 2106: ("hmds", "up"),
              2157: ("secdef", "down"), 2158: ("secdef", "up")}
FARM_NAME = re.compile(r"connection is (?:broken|OK):(?P<name>[\w.-]+)")
SYMBOL = re.compile(r"symbol='(?P<symbol>[A-Z.]+)'")
DEFAULT_SYMBOL = "AAPL"
LEAD = 1.0  # seconds the broker runs ready before the log's first event
POLL = 0.25  # seconds between polled client calls


@dataclass
class Draft:
    """What the episodes of one log add up to, before it becomes a scenario mapping."""

    settings: BrokerSettings
    end: float
    steps: list[dict[str, Any]] = field(default_factory=list)
    expect: list[dict[str, Any]] = field(default_factory=list)
    codes: set[int] = field(default_factory=set)
    polls: set[str] = field(default_factory=set)
    bars: bool = False
    moves: list[float] = field(default_factory=list)
    symbol: str = DEFAULT_SYMBOL
    open_farms: dict[str, str] = field(default_factory=dict)  # farm -> step id of its farm_down
    lost: str | None = None  # step id of the active connectivity_lost
    down: str | None = None  # step id of the active down / no_handshake window
    down_since: float = 0.0
    crash: str | None = None  # step id of a peer close not yet followed by a reconnect

    # windows: tighter than the fallback that would otherwise hide a skipped recovery
    @property
    def data_window(self) -> float:
        """Data must flow again before the stream check would notice a dead stream."""
        return round(max(2 * POLL + 0.2, self.settings.stream_check_timeout / 2), 3)

    @property
    def ready_window(self) -> float:
        """Ready again after the gateway is back: one connect plus a few backoff steps, well before a
        circuit breaker that opened would half-open."""
        backoff = min(self.settings.backoff_max, self.settings.backoff_initial * self.settings.backoff_multiplier ** 2)
        return round(self.settings.connect_timeout + backoff, 3)

    def add(self, step: dict[str, Any]) -> dict[str, Any]:
        self.steps.append(step)
        return step


def incident(events: list[LogEvent]) -> list[LogEvent]:
    """The events with the quiet stretch before the incident cut: a log that runs fine for hours
    and then breaks keeps the break's own timing (the first connect stays at 0)."""
    first_ready = next((i for i, e in enumerate(events) if e.kind == "connected"), None)
    if first_ready is None or any(not _greeting(e) for e in events[:first_ready]):
        return events  # the trouble starts at the connect
    start = next((e.at for e in events[first_ready:] if e.kind != "connected" and not _greeting(e)), None)
    if start is None:
        return events
    shift = start - events[first_ready].at
    return [e if e.at < start else LogEvent(e.line, round(e.at - shift, 6), e.kind, e.data) for e in events]


def _connect_failure(event: LogEvent) -> bool:
    return event.kind in ("peer_closed", "refused", "connect_timeout") or (
        event.kind == "ib_error" and event.data["code"] == 326)


def _greeting(event: LogEvent) -> bool:
    return event.kind == "ib_error" and FARM_CODES.get(event.data["code"], ("", ""))[1] == "up"


def build(events: list[LogEvent], scale: float, settings: dict[str, Any]) -> Draft:
    span = max(event.at for event in events)
    draft = Draft(BrokerSettings.model_validate(settings), end=round(LEAD + 1.0 + span * scale + 2.0 + _settle(settings), 3))
    draft.symbol = next((m["symbol"] for e in events if (m := SYMBOL.search(e.data.get("message", "")))), DEFAULT_SYMBOL)
    first_ready = next((e for e in events if e.kind == "connected"), None)
    at_connect = [e for e in events if first_ready is not None and e.at < first_ready.at and _connect_failure(e)]
    if at_connect and first_ready is not None:
        _first_connect(draft, at_connect, round(first_ready.at * scale, 3))
    # a bar stream needs its first answer before HMDS goes, or there is no stream to lose
    lead = LEAD + (1.0 if any(e.kind == "ib_error" and e.data["code"] in (2105, 10182) for e in events) else 0.0)
    for event in events:
        if event in at_connect:
            continue
        _event(draft, event, round(lead + event.at * scale, 3))
    _close_open(draft)
    draft.end = _long_enough(draft)
    _client_calls(draft)
    return draft


def _long_enough(draft: Draft) -> float:
    """The timeline outlasts every expectation's window from its anchor (which is a step's time)."""
    times = {step["id"]: float(step["at"]) + float(step.get("fault", {}).get("duration") or 0.0)
             for step in draft.steps if "id" in step}
    needed = draft.end
    for expectation in draft.expect:
        body = next(iter(expectation.values()))
        if isinstance(body, dict) and "within" in body:
            anchor = body["of"]
            at = 0.0 if "start" in anchor else times.get(anchor.get("fault_start") or anchor.get("fault_end"), 0.0)
            needed = max(needed, at + float(body["within"]) + 1.0)
    return round(needed, 3)


def _settle(settings: dict[str, Any]) -> float:
    parsed = BrokerSettings.model_validate(settings)
    return min(parsed.connect_timeout + parsed.backoff_max, 4.0)


def _first_connect(draft: Draft, events: list[LogEvent], ready_at: float) -> None:
    """Failures before the log's first ``API connection ready`` act on the broker's first connect."""
    in_use = sum(1 for e in events if e.kind == "ib_error" and e.data["code"] == 326) or \
        sum(1 for e in events if e.kind == "peer_closed" and e.data.get("in_use"))
    timeouts = sum(1 for e in events if e.kind == "connect_timeout")
    refused = any(e.kind == "refused" for e in events)
    line = events[0].line
    if in_use:
        draft.codes.add(326)
        draft.add({"id": f"line{line}-client-id-in-use", "at": 0, "before_connect": True,
                   "fault": {"kind": "client_id_in_use", "count": in_use}})
        anchor: dict[str, Any] = {"start": True}
    elif refused or timeouts:
        kind = "down" if refused else "no_handshake"
        step = draft.add({"id": f"line{line}-{kind.replace('_', '-')}", "at": 0, "before_connect": True,
                          "fault": {"kind": kind, "duration": max(ready_at, 0.5)}})
        anchor = {"fault_end": step["id"]}
    else:
        return
    draft.expect.append({"broker_state": {"states": ["ready"], "within": round(draft.ready_window * (in_use + 1), 3),
                                          "of": anchor}})


def _event(draft: Draft, event: LogEvent, at: float) -> None:
    if event.kind == "ib_error":
        _code(draft, event, at)
    elif event.kind == "peer_closed":
        if not event.data.get("in_use"):
            _crash_recovered(draft)
            draft.crash = draft.add({"id": f"line{event.line}-peer-closed", "at": at,
                                     "fault": {"kind": "crash"}})["id"]
            draft.expect.append({"reconnects": {"min": 1}})
    elif event.kind in ("refused", "connect_timeout") and draft.down is None:
        kind = "down" if event.kind == "refused" else "no_handshake"
        if draft.crash is not None:  # the gateway that closed the socket is the one refusing: one outage
            at = next(float(s["at"]) for s in draft.steps if s.get("id") == draft.crash)
            draft.crash = None
        step = draft.add({"id": f"line{event.line}-{kind.replace('_', '-')}", "at": at, "fault": {"kind": kind}})
        draft.down, draft.down_since = step["id"], at
    elif event.kind == "connected":
        _crash_recovered(draft)
        if draft.down is not None:
            _end_down(draft, at)


def _crash_recovered(draft: Draft) -> None:
    """A peer close the client got over without refused connects: ready soon after the crash."""
    if draft.crash is not None:
        draft.expect.append({"broker_state": {"states": ["ready"], "within": draft.ready_window,
                                              "of": {"fault_start": draft.crash}}})
        draft.crash = None


def _code(draft: Draft, event: LogEvent, at: float) -> None:
    code, line = event.data["code"], event.line
    if code == 1100 and draft.lost is None:
        draft.codes.add(1100)
        draft.lost = draft.add({"id": f"line{line}-1100", "at": at, "fault": {"kind": "connectivity_lost"}})["id"]
        draft.polls.add("get_market_price")
        draft.expect.append({"broker_state": {"states": ["degraded"], "within": draft.data_window,
                                              "of": {"fault_start": draft.lost}}})  # it noticed the 1100
    elif code in (1101, 1102) and draft.lost is not None:
        draft.codes.add(code)
        step = draft.add({"id": f"line{line}-{code}", "at": at,
                          "fault": {"kind": "connectivity_restored", "data_lost": code == 1101}})
        draft.lost = None
        _data_back(draft, step["id"], at)
        draft.expect.append({"broker_state": {"states": ["ready"], "within": draft.data_window,
                                              "of": {"fault_start": step["id"]}}})
    elif code in FARM_CODES:
        _farm(draft, event, at, *FARM_CODES[code])
    elif code == 10182:
        draft.codes.add(10182)
        draft.bars = True
        if "hmds" not in draft.open_farms:
            draft.open_farms["hmds"] = draft.add({"id": f"line{line}-10182", "at": at,
                                                  "fault": {"kind": "farm_down", "farm": "hmds"}})["id"]
    elif code == 2100:
        draft.codes.add(2100)
        step = draft.add({"id": f"line{line}-2100", "at": at, "fault": {"kind": "account_unsubscribed"}})
        draft.polls.add("get_account")
        draft.expect.append({"account_fresh": {"within": draft.data_window, "of": {"fault_start": step["id"]}}})
    elif code == 326:
        draft.codes.add(326)
        draft.add({"id": f"line{line}-326", "at": at, "fault": {"kind": "client_id_in_use"}})
    else:  # a notice the harness has no side effect for: the broker sees exactly the code and text
        draft.codes.add(code)
        draft.add({"id": f"line{line}-{code}", "at": at,
                   "fault": {"kind": "ib_error", "code": code, "text": event.data["text"],
                             "req_id": event.data["req_id"]}})


def _farm(draft: Draft, event: LogEvent, at: float, farm: str, change: str) -> None:
    name = FARM_NAME.search(event.data["text"])
    spec: dict[str, Any] = {"farm": farm, **({"name": name["name"]} if name else {})}
    if change == "down" and farm not in draft.open_farms and draft.lost is None:
        draft.codes.add(event.data["code"])
        draft.open_farms[farm] = draft.add({"id": f"line{event.line}-{event.data['code']}", "at": at,
                                            "fault": {"kind": "farm_down", **spec}})["id"]
        if farm == "market":
            draft.polls.add("get_market_price")
        if farm == "hmds":
            draft.bars = True
    elif change == "up" and farm in draft.open_farms:
        draft.open_farms.pop(farm)
        step = draft.add({"id": f"line{event.line}-{event.data['code']}", "at": at,
                          "fault": {"kind": "farm_up", **spec}})
        if farm == "market":
            _data_back(draft, step["id"], at)
        elif farm == "hmds":
            draft.codes.add(10182)
            draft.expect.append({"bars_flowing": {"symbol": draft.symbol, "within": draft.data_window * 2,
                                                  "of": {"fault_start": step["id"]}}})


def _data_back(draft: Draft, step_id: str, at: float) -> None:
    """Prices must move again after ``step_id``: the market moves, and only a live line sees it."""
    draft.moves.append(round(at + POLL, 3))
    draft.expect.append({"market_data": {"symbol": draft.symbol, "within": draft.data_window,
                                         "of": {"fault_start": step_id}, "changed": True}})


def _end_down(draft: Draft, at: float) -> None:
    step = next(s for s in draft.steps if s.get("id") == draft.down)
    step["fault"]["duration"] = round(max(at - draft.down_since, 0.1), 3)
    draft.expect.append({"broker_state": {"states": ["ready"], "within": draft.ready_window,
                                          "of": {"fault_end": step["id"]}}})
    draft.down = None


def _close_open(draft: Draft) -> None:
    """What the log never saw end: a down window ends before the timeline does; an outage or a farm
    still down at the end stays down (the draft then only expects what happened)."""
    _crash_recovered(draft)
    if draft.down is not None:
        _end_down(draft, max(draft.end - _settle({}) - 1.0, draft.down_since + 0.1))
    if draft.bars and "hmds" in draft.open_farms:
        draft.codes.add(10182)


def _client_calls(draft: Draft) -> None:
    until = round(draft.end - 0.2, 3)
    polls = sorted(draft.polls | {"get_positions"})
    for method in polls:
        argument: dict[str, Any] = {"symbol": draft.symbol} if method == "get_market_price" else {}
        draft.add({"at": 0.2, "every": POLL, "until": until, method: argument})
    if draft.bars:
        draft.add({"at": 0.3, "stream_bars": {"symbol": draft.symbol, "bar_size": "1 min"}})
    if draft.moves:
        draft.add({"at": 0.1, "market": {"symbol": draft.symbol, "price": 100.0}})
        for number, at in enumerate(draft.moves, 1):
            if at < draft.end:
                draft.add({"at": at, "market": {"symbol": draft.symbol, "price": round(100.0 + number, 2)}})


def expected_codes(draft: Draft) -> list[int]:
    """The codes the replay must show: the log's, as far as the faults send them (10182 only to a
    bar stream)."""
    return sorted(code for code in draft.codes if code != 10182 or draft.bars)
