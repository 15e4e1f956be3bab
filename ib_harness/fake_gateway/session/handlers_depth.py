"""Handlers for market depth: reqMktDepth (exchange and SMART depth) and cancelMktDepth.

A depth line sends its whole book as inserts, then on every quote change of its contract only the
rows that changed (update), appeared (insert) or went away (delete), as IB streams depth. SMART
depth and the L2 exchanges (NASDAQ) arrive as updateMktDepthL2 naming the exchange or market
maker of each row; other exchanges as updateMktDepth. A client may hold MAX_DEPTH_LINES depth
lines at once (IB's default without quote boosters); one more is error 309.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..state.depth import L2_EXCHANGES, MARKET_MAKERS, SMART_VENUES, Level, changes, levels
from ..wire import in_data
from ..wire.out_depth import UPDATE_MKT_DEPTH, UPDATE_MKT_DEPTH_L2
from ..wire.reading import Request
from .handlers_market import resolve
from .session import Session
from .streams import MKT_DEPTH, lines_on, start_stream, stop_stream

MAX_DEPTH_LINES = 3
MAX_ROWS = 10
DEPTH_NOT_SUPPORTED = "Deep market data is not supported for this combination of security/exchange"


@dataclass
class DepthLine:
    req_id: int
    con_id: int
    rows: int
    smart: bool
    named: tuple[str, ...]
    sent: dict[int, list[Level]] = field(default_factory=dict)


def req_mkt_depth(session: Session, request: Request) -> None:
    req_id, query = request["reqId"], request["contract"]
    contract = resolve(session, req_id, query)
    if contract is None:
        return
    exchange, smart = query.get("exchange") or "", request["isSmartDepth"]
    if contract.sec_type not in ("STK", "FUT", "CASH", "OPT") or (smart and exchange != "SMART"):
        session.send_error(req_id, 10092, DEPTH_NOT_SUPPORTED)
        return
    lines = session.subscribed(MKT_DEPTH)
    if req_id not in lines and len(lines) >= MAX_DEPTH_LINES:
        session.send_error(req_id, 309, f"Max number ({MAX_DEPTH_LINES}) of market depth requests has been reached")
        return
    named: tuple[str, ...] = SMART_VENUES if smart else MARKET_MAKERS if exchange in L2_EXCHANGES else ()
    rows = max(1, min(request["numRows"] or 5, MAX_ROWS))
    line = DepthLine(req_id, contract.con_id, rows, smart, named)
    _send_book(session, line)
    start_stream(session, MKT_DEPTH, req_id, line)


def cancel_mkt_depth(session: Session, request: Request) -> None:
    stop_stream(session, MKT_DEPTH, request["reqId"])


def _send_book(session: Session, line: DepthLine) -> None:
    book = levels(session.brokerage.market, session.gateway.config.seed, line.con_id, line.rows, line.named)
    for side, rows in book.items():
        for position, operation, level in changes(line.sent.get(side, []), rows):
            if line.named:
                session.send(UPDATE_MKT_DEPTH_L2, reqId=line.req_id, position=position, marketMaker=level.maker,
                             operation=operation, side=side, price=level.price, size=level.size,
                             isSmartDepth=line.smart)
            else:
                session.send(UPDATE_MKT_DEPTH, reqId=line.req_id, position=position, operation=operation,
                             side=side, price=level.price, size=level.size)
        line.sent[side] = rows


def on_price_marked(session: Session, payload: dict[str, Any]) -> None:
    for line in lines_on(session, MKT_DEPTH, payload["con_id"]):
        _send_book(session, line)


HANDLERS = {
    in_data.REQ_MKT_DEPTH.msg_id: req_mkt_depth,
    in_data.CANCEL_MKT_DEPTH.msg_id: cancel_mkt_depth,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked]}
