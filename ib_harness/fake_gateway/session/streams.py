"""Streaming subscriptions that follow one contract's quotes (market data lines, tick-by-tick,
keepUpToDate bars, depth, 5-second bars): their kinds, starting and stopping one, and finding the
lines on a contract when its quote moves. One place, so that every stream keeps the market
ticking its contract exactly while some line needs it."""

from __future__ import annotations

from typing import Any

from .client_state import client_state
from .session import Session

MKT_DATA = "mkt_data"
TICK_BY_TICK = "tick_by_tick"
HISTORICAL_UPDATES = "historical_updates"  # keepUpToDate bars (handlers_history)
MKT_DEPTH = "mkt_depth"
REAL_TIME_BARS = "real_time_bars"  # 5-second bars (handlers_ticks)
STREAM_KINDS = (MKT_DATA, TICK_BY_TICK, HISTORICAL_UPDATES, MKT_DEPTH, REAL_TIME_BARS)


def watch(session: Session, con_id: int) -> None:
    """Keep the market ticking this contract until the session ends (or unwatches)."""
    market = session.brokerage.market
    market.watch(con_id, session)
    state = client_state(session).market
    if not state.releasing:
        state.releasing = True
        session.on_close(lambda: market.release(session))


def unwatch_if_unused(session: Session, con_id: int) -> None:
    """Stop ticking a contract for this session once none of its subscriptions needs it."""
    for kind in STREAM_KINDS:
        for value in session.subscribed(kind).values():
            if getattr(value, "con_id", None) == con_id:
                return
    session.brokerage.market.unwatch(con_id, session)


def start_stream(session: Session, kind: str, req_id: int, line: Any) -> None:
    """Subscribe ``line`` (it has ``con_id``) and keep its contract ticking."""
    session.subscribe(kind, req_id, line)
    watch(session, line.con_id)


def stop_stream(session: Session, kind: str, req_id: int) -> Any:
    """Drop a line; its contract stops ticking for this session once nothing else needs it.
    Returns the line, or None when no line has that id."""
    line = session.unsubscribe(kind, req_id)
    if line is not None:
        unwatch_if_unused(session, line.con_id)
    return line


def stop_all(session: Session, kind: str) -> list[tuple[int, Any]]:
    """Drop every line of one kind (IB forgets them); returns (request id, line) of each."""
    stopped = list(session.subscribed(kind).items())
    for req_id, _ in stopped:
        stop_stream(session, kind, req_id)
    return stopped


def lines_on(session: Session, kind: str, con_id: int) -> list[Any]:
    """This session's lines of one kind on one contract (a copy: handlers may change the set)."""
    lines = session.subscriptions.get(kind)
    return [line for line in lines.values() if line.con_id == con_id] if lines else []
