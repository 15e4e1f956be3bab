"""Handlers for top-of-book market data (reqMktData), the market data type and contract search,
and the streaming of every quote change to the lines that asked for it (tick-by-tick lines
included: one write per quote and session). What a line sends is in :mod:`.market_ticks`;
tick-by-tick requests in :mod:`.handlers_tick_by_tick`.
"""

from __future__ import annotations

from typing import Any

from ..state.contracts import OPTION_TYPES, ContractDef
from ..state.market import Book
from ..state.quote import Quote
from ..wire import in_market
from ..wire.out_market import MARKET_DATA_TYPE, SYMBOL_SAMPLES, TICK_REQ_PARAMS, TICK_SNAPSHOT_END
from ..wire.reading import Request
from .client_state import MARKET, MarketSettings, client_state, market_flowing
from .market_ticks import Encoders, MarketLine, TickByTickLine, encoders, line_changes, tick_by_tick_change
from .session import Session
from .streams import HISTORICAL_UPDATES, MKT_DATA, TICK_BY_TICK, stop_all, stop_stream, unwatch_if_unused, watch

NO_SECURITY_DEFINITION = "No security definition has been found for the request"
MAX_TICKERS = "Max number of tickers has been reached"
NOT_SUBSCRIBED = "Requested market data is not subscribed. Delayed market data is available."
DISPLAYING_DELAYED = "Requested market data is not subscribed. Displaying delayed market data."
MAX_MATCHING_SYMBOLS = 16
COMPETING_SESSION = "competing_session"  # the pause reason of a competing live session (10197)
NO_DATA_COMPETING = "No market data during competing live session"
TICK_BY_TICK_TYPES = {"Last": 1, "AllLast": 2, "BidAsk": 3, "MidPoint": 4}


def resolve(session: Session, req_id: int, query: dict[str, Any]) -> ContractDef | None:
    contract = session.brokerage.catalog.resolve(query)
    if contract is None:
        session.send_error(req_id, 200, NO_SECURITY_DEFINITION)
    return contract


# ----- reqMktData -------------------------------------------------------------------------------


def req_mkt_data(session: Session, request: Request) -> None:
    """tickReqParams first, then every current value; a snapshot ends with tickSnapshotEnd."""
    req_id, snapshot = request["reqId"], request["snapshot"] or request["regulatorySnapshot"]
    contract = resolve(session, req_id, request["contract"])
    if contract is None:
        return
    if contract.sec_type in OPTION_TYPES:
        from .handlers_options import start_option_line
        start_option_line(session, contract)  # its quote follows the underlying's model
    config, state = session.gateway.config, client_state(session).market
    lines = session.subscribed(MKT_DATA)
    if not snapshot and req_id not in lines and len(lines) >= config.max_tickers:
        session.send_error(req_id, 101, MAX_TICKERS)
        return
    delayed = False
    if contract.symbol in config.unsubscribed_symbols:
        if state.data_type in (1, 2):
            session.send_error(req_id, 354, NOT_SUBSCRIBED)
            return
        delayed = True
        session.send_error(req_id, 10167, DISPLAYING_DELAYED)
    market = session.brokerage.market
    book = market.book(contract.con_id)
    line = MarketLine(req_id, contract.con_id, book.trades, delayed, index=contract.sec_type == "IND",
                      option=contract.sec_type in OPTION_TYPES)
    session.send(TICK_REQ_PARAMS, reqId=req_id, minTick=contract.min_tick,
                 bboExchange=contract.details.get("bboExchange", "9c0001"), snapshotPermissions=3)
    if state.explicit_type or delayed:
        session.send(MARKET_DATA_TYPE, reqId=req_id, marketDataType=_reported_type(state, line))
    if market_flowing(session):
        _send_changes(session, line, market.quote(contract.con_id), book, encoders(session.version))
        if contract.sec_type in OPTION_TYPES:
            from .handlers_options import send_computations
            send_computations(session, req_id, contract, delayed)
    elif COMPETING_SESSION in client_state(session).pauses[MARKET]:
        session.send_error(req_id, 10197, NO_DATA_COMPETING)
    if snapshot:
        session.send(TICK_SNAPSHOT_END, reqId=req_id)
        return
    replaced = lines.get(req_id)
    session.subscribe(MKT_DATA, req_id, line)
    watch(session, contract.con_id)
    if "292" in request["genericTickList"]:
        from .handlers_news import start_news_ticks
        start_news_ticks(session, req_id, contract, request["genericTickList"])  # news ticks
    if replaced is not None and replaced.con_id != contract.con_id:
        unwatch_if_unused(session, replaced.con_id)


def cancel_mkt_data(session: Session, request: Request) -> None:
    """IB answers a cancel for an id it does not know (or an ended snapshot) with error 300."""
    req_id = request["reqId"]
    if stop_stream(session, MKT_DATA, req_id) is None:
        session.send_error(req_id, 300, f"Can't find EId with tickerId:{req_id}")


def req_market_data_type(session: Session, request: Request) -> None:
    """Remember the type; IB then reports it (marketDataType) for every open subscription."""
    state = client_state(session).market
    state.data_type, state.explicit_type = request["marketDataType"], True
    for line in session.subscribed(MKT_DATA).values():
        session.send(MARKET_DATA_TYPE, reqId=line.req_id, marketDataType=_reported_type(state, line))


def _reported_type(state: MarketSettings, line: MarketLine) -> int:
    if line.delayed:
        return 4 if state.data_type in (2, 4) else 3
    return 2 if state.data_type == 2 else 1


def _send_changes(session: Session, line: MarketLine, quote: Quote, book: Book, enc: Encoders) -> None:
    """Write the ticks whose value differs from what this line's client last received."""
    frames: list[bytes] = []
    msg_ids: list[int] = []
    line_changes(line, quote, book, enc, frames, msg_ids)
    if frames:
        session.write_frames(frames, msg_ids)


# ----- tick-by-tick -----------------------------------------------------------------------------


def req_tick_by_tick(session: Session, request: Request) -> None:
    req_id = request["reqId"]
    kind = TICK_BY_TICK_TYPES.get(request["tickType"])
    if kind is None:
        session.send_error(req_id, 321, f"Error validating request.-'bK' : cause - Invalid tick type: {request['tickType']}")
        return
    contract = resolve(session, req_id, request["contract"])
    if contract is None:
        return
    line = TickByTickLine(req_id, contract.con_id, kind, request["ignoreSize"])
    session.subscribe(TICK_BY_TICK, req_id, line)
    market = session.brokerage.market
    if kind in (3, 4) and market_flowing(session):
        _send_tick_by_tick(session, line, market.quote(contract.con_id), encoders(session.version))
    else:
        line.sent = (market.quote(contract.con_id).volume,)
    watch(session, contract.con_id)


def cancel_tick_by_tick(session: Session, request: Request) -> None:
    stop_stream(session, TICK_BY_TICK, request["reqId"])


def _send_tick_by_tick(session: Session, line: TickByTickLine, quote: Quote, enc: Encoders) -> None:
    frame = tick_by_tick_change(session, line, quote, enc)
    if frame is not None:
        session.write(frame, 99)


# ----- contract search --------------------------------------------------------------------------


def req_matching_symbols(session: Session, request: Request) -> None:
    """symbolSamples: catalog contracts whose symbol starts with (or long name contains) the pattern."""
    found = session.brokerage.catalog.search(request["pattern"]) if request["pattern"].strip() else []
    descriptions = [{
        "conId": c.con_id, "symbol": c.symbol, "secType": c.sec_type,
        "primaryExchange": c.details.get("primaryExchange") or c.details.get("exchange", ""),
        "currency": c.details.get("currency", ""),
        "derivativeSecTypes": session.brokerage.catalog.derivative_sec_types(c),
        "description": c.details.get("longName", ""), "issuerId": "",
    } for c in found[:MAX_MATCHING_SYMBOLS]]
    session.send(SYMBOL_SAMPLES, reqId=request["reqId"], contractDescriptions=descriptions)


# ----- streaming --------------------------------------------------------------------------------


def on_price_marked(session: Session, payload: dict[str, Any]) -> None:
    """A quote changed: every line of this client on that contract gets what changed.

    Nothing is sent while the client's market data is paused (a farm down, connectivity lost, a
    competing session); the lines keep what their client last saw, so the first update after the
    pause carries every value that changed meanwhile.
    """
    lines = session.subscriptions.get(MKT_DATA)
    by_tick = session.subscriptions.get(TICK_BY_TICK)
    if (not lines and not by_tick) or not market_flowing(session):
        return
    quote: Quote = payload["quote"]
    con_id = quote.con_id
    enc = encoders(session.version)
    frames: list[bytes] = []
    msg_ids: list[int] = []
    if lines:
        book = session.brokerage.market.book(con_id)
        for line in lines.values():  # nothing below changes the subscriptions
            if line.con_id == con_id:
                line_changes(line, quote, book, enc, frames, msg_ids)
    if by_tick:
        for tbt in by_tick.values():
            if tbt.con_id == con_id:
                frame = tick_by_tick_change(session, tbt, quote, enc)
                if frame is not None:
                    frames.append(frame)
                    msg_ids.append(99)
    if frames:
        session.write_frames(frames, msg_ids)  # one write per quote: the frames stay in order


def push_current(session: Session) -> None:
    """Market data resumes: every line gets at once what changed while it was paused."""
    market = session.brokerage.market
    con_ids = {line.con_id for kind in (MKT_DATA, TICK_BY_TICK) for line in session.subscribed(kind).values()}
    for con_id in con_ids:
        on_price_marked(session, {"quote": market.quote(con_id)})


def drop_market_subscriptions(session: Session) -> list[int]:
    """IB forgets every market data line of this client (1101, data lost); returns their ids."""
    return [req_id for kind in (MKT_DATA, TICK_BY_TICK, HISTORICAL_UPDATES) for req_id, _ in stop_all(session, kind)]


HANDLERS = {
    in_market.REQ_MKT_DATA.msg_id: req_mkt_data,
    in_market.CANCEL_MKT_DATA.msg_id: cancel_mkt_data,
    in_market.REQ_MARKET_DATA_TYPE.msg_id: req_market_data_type,
    in_market.REQ_TICK_BY_TICK_DATA.msg_id: req_tick_by_tick,
    in_market.CANCEL_TICK_BY_TICK_DATA.msg_id: cancel_tick_by_tick,
    in_market.REQ_MATCHING_SYMBOLS.msg_id: req_matching_symbols,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked]}
