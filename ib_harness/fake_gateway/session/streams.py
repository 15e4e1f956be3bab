"""Streaming subscriptions that follow one contract's quotes (depth, 5-second bars): start one,
stop one, and find the lines on a contract when its quote moves. One place, so that every stream
keeps the market ticking its contract exactly while some line needs it."""

from __future__ import annotations

from typing import Any

from .handlers_market import unwatch_if_unused, watch
from .session import Session


def start_stream(session: Session, kind: str, req_id: int, line: Any) -> None:
    """Subscribe ``line`` (it has ``con_id``) and keep its contract ticking."""
    session.subscribe(kind, req_id, line)
    watch(session, line.con_id)


def stop_stream(session: Session, kind: str, req_id: int) -> Any:
    """Drop a line; its contract stops ticking for this session once nothing else needs it."""
    line = session.unsubscribe(kind, req_id)
    if line is not None:
        unwatch_if_unused(session, line.con_id)
    return line


def lines_on(session: Session, kind: str, con_id: int) -> list[Any]:
    """This session's lines of one kind on one contract (a copy: handlers may change the set)."""
    lines = session.subscriptions.get(kind)
    return [line for line in lines.values() if line.con_id == con_id] if lines else []
