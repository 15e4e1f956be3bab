"""Handlers for top-of-book market data (reqMktData), tick-by-tick data, the market data type and
contract search, and the streaming of every quote change to the lines that asked for it.

A line remembers what its client last received, so an update sends only the values that changed,
as IB does (ib_insync even drops a repeated bid/ask). Ticks are encoded with the positional
encoders of the ``out_market`` layouts, built once per server version, because this is the path
every quote of every subscribed contract takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from ..state.contracts import OPTION_TYPES, ContractDef
from ..state.market import Book
from ..state.quote import Quote
from ..wire import in_market
from ..wire.out_market import (
    MARKET_DATA_TYPE,
    SYMBOL_SAMPLES,
    TICK_BY_TICK_BID_ASK,
    TICK_BY_TICK_LAST,
    TICK_BY_TICK_MID_POINT,
    TICK_GENERIC,
    TICK_PRICE,
    TICK_REQ_PARAMS,
    TICK_SIZE,
    TICK_SNAPSHOT_END,
    TICK_STRING,
)
from ..wire.reading import Request
from .client_state import MARKET, MarketSettings, client_state, market_flowing
from .session import Session

MKT_DATA = "mkt_data"
TICK_BY_TICK = "tick_by_tick"
HISTORICAL_UPDATES = "historical_updates"  # keepUpToDate bars (handlers_history)
NO_SECURITY_DEFINITION = "No security definition has been found for the request"
MAX_TICKERS = "Max number of tickers has been reached"
NOT_SUBSCRIBED = "Requested market data is not subscribed. Delayed market data is available."
DISPLAYING_DELAYED = "Requested market data is not subscribed. Displaying delayed market data."
MAX_MATCHING_SYMBOLS = 16
COMPETING_SESSION = "competing_session"  # the pause reason of a competing live session (10197)
NO_DATA_COMPETING = "No market data during competing live session"

# IB tick types (https://interactivebrokers.github.io/tws-api/tick_types.html) and delayed twins.
BID_SIZE, BID, ASK, ASK_SIZE, LAST, LAST_SIZE, HIGH, LOW, VOLUME, CLOSE, OPEN = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 14
LAST_TIMESTAMP, HALTED = 45, 49
DELAYED = {BID_SIZE: 69, BID: 66, ASK: 67, ASK_SIZE: 70, LAST: 68, LAST_SIZE: 71, HIGH: 72, LOW: 73,
           VOLUME: 74, CLOSE: 75, OPEN: 76, LAST_TIMESTAMP: 88}
TICK_BY_TICK_TYPES = {"Last": 1, "AllLast": 2, "BidAsk": 3, "MidPoint": 4}


@dataclass(frozen=True)
class Encoders:
    """Positional frame encoders of one server version (constants such as versions left out)."""

    price: Callable[..., bytes]
    size: Callable[..., bytes]
    string: Callable[..., bytes]
    generic: Callable[..., bytes]
    bid_ask: Callable[..., bytes]
    last: Callable[..., bytes]
    mid: Callable[..., bytes]


@lru_cache(maxsize=None)
def encoders(version: int) -> Encoders:
    return Encoders(*(spec.positional(version) for spec in (
        TICK_PRICE, TICK_SIZE, TICK_STRING, TICK_GENERIC,
        TICK_BY_TICK_BID_ASK, TICK_BY_TICK_LAST, TICK_BY_TICK_MID_POINT)))


# Slots of MarketLine.sent: what the line's client last received, by position (no dict per tick).
# SENT_TIME_OF holds the book's last_time whose stamp was compared last (the stamp's text is made
# only when the trade time moved).
(SENT_BID, SENT_BID_SIZE, SENT_ASK, SENT_ASK_SIZE, SENT_LAST, SENT_LAST_SIZE, SENT_VOLUME,
 SENT_HIGH, SENT_LOW, SENT_CLOSE, SENT_OPEN, SENT_TIME, SENT_HALTED, SENT_TIME_OF) = range(14)


@dataclass
class MarketLine:
    """One reqMktData subscription and the values its client last saw.

    The tick type ids (live or their delayed twins) are fixed when the line starts, so the
    streaming path reads them as plain attributes instead of mapping every tick again.
    """

    req_id: int
    con_id: int
    trades: bool
    delayed: bool
    sent: list[Any] = field(default_factory=lambda: [None] * 14)
    index: bool = False  # an index: a value and the day's range, no quotes, no sizes
    option: bool = False  # an option: tickOptionComputation follows its price ticks

    def __post_init__(self) -> None:
        tick = self.tick
        self.bid_type, self.bid_size_type, self.ask_type, self.ask_size_type = tick(BID), tick(BID_SIZE), tick(ASK), tick(ASK_SIZE)
        self.last_type, self.last_size_type, self.volume_type = tick(LAST), tick(LAST_SIZE), tick(VOLUME)
        self.high_type, self.low_type, self.close_type, self.open_type = tick(HIGH), tick(LOW), tick(CLOSE), tick(OPEN)
        self.time_type = tick(LAST_TIMESTAMP)

    def tick(self, tick_type: int) -> int:
        return DELAYED.get(tick_type, tick_type) if self.delayed else tick_type


@dataclass
class TickByTickLine:
    req_id: int
    con_id: int
    kind: int
    ignore_size: bool
    sent: tuple[Any, ...] = ()


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
    for kind in (MKT_DATA, TICK_BY_TICK, HISTORICAL_UPDATES, "mkt_depth", "real_time_bars"):  # depth, 5 s bars
        for value in session.subscribed(kind).values():
            if getattr(value, "con_id", None) == con_id:
                return
    session.brokerage.market.unwatch(con_id, session)


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
    line = session.unsubscribe(MKT_DATA, req_id)
    if line is None:
        session.send_error(req_id, 300, f"Can't find EId with tickerId:{req_id}")
        return
    unwatch_if_unused(session, line.con_id)


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
    _line_changes(line, quote, book, enc, frames, msg_ids)
    if frames:
        session.write_frames(frames, msg_ids)


def _line_changes(line: MarketLine, quote: Quote, book: Book, enc: Encoders,
                  frames: list[bytes], msg_ids: list[int]) -> None:
    """Append to ``frames`` (and their message ids to ``msg_ids``) the ticks this line's client
    has not seen yet, in IB's order, and remember them as sent.

    This runs for every quote of every line: the sent values live in a list by slot, the tick
    ids on the line, and the frames go out in one write per quote and session.
    """
    if line.index:
        _index_changes(line, quote, book, enc, frames, msg_ids)
        return
    sent, req_id, price_frame, size_frame = line.sent, line.req_id, enc.price, enc.size
    add_frame, add_id = frames.append, msg_ids.append
    _, bid, ask, last, bid_size, ask_size, last_size, volume, _ = quote
    if sent[SENT_BID] != bid:
        add_frame(price_frame(req_id, line.bid_type, bid, bid_size, 0))
        add_id(1)
        sent[SENT_BID] = bid
        sent[SENT_BID_SIZE] = bid_size
    elif sent[SENT_BID_SIZE] != bid_size:
        add_frame(size_frame(req_id, line.bid_size_type, bid_size))
        add_id(2)
        sent[SENT_BID_SIZE] = bid_size
    if sent[SENT_ASK] != ask:
        add_frame(price_frame(req_id, line.ask_type, ask, ask_size, 0))
        add_id(1)
        sent[SENT_ASK] = ask
        sent[SENT_ASK_SIZE] = ask_size
    elif sent[SENT_ASK_SIZE] != ask_size:
        add_frame(size_frame(req_id, line.ask_size_type, ask_size))
        add_id(2)
        sent[SENT_ASK_SIZE] = ask_size
    trades = line.trades
    if trades:
        traded = sent[SENT_VOLUME] != volume
        if sent[SENT_LAST] != last:
            add_frame(price_frame(req_id, line.last_type, last, last_size, 0))
            add_id(1)
            sent[SENT_LAST] = last
            sent[SENT_LAST_SIZE] = last_size
        elif traded or sent[SENT_LAST_SIZE] != last_size:
            add_frame(size_frame(req_id, line.last_size_type, last_size))
            add_id(2)
            sent[SENT_LAST_SIZE] = last_size
        if traded:
            add_frame(size_frame(req_id, line.volume_type, volume))
            add_id(2)
            sent[SENT_VOLUME] = volume
    _range_changes(line, book, price_frame, add_frame, add_id)
    if trades and sent[SENT_TIME_OF] != book.last_time:
        sent[SENT_TIME_OF] = book.last_time
        stamp = str(int(book.last_time))  # IB stamps trades in whole seconds
        if sent[SENT_TIME] != stamp:
            add_frame(enc.string(req_id, line.time_type, stamp))
            add_id(46)
            sent[SENT_TIME] = stamp
    if sent[SENT_HALTED] != book.halted:
        add_frame(enc.generic(req_id, HALTED, 1.0 if book.halted else 0.0))
        add_id(45)
        sent[SENT_HALTED] = book.halted


def _range_changes(line: MarketLine, book: Book, price_frame: Callable[..., bytes],
                   add_frame: Callable[[bytes], None], add_id: Callable[[int], None]) -> None:
    """High, low, close and open (price ticks with size 0) that changed since last sent."""
    sent, req_id = line.sent, line.req_id
    if sent[SENT_HIGH] != book.high:
        add_frame(price_frame(req_id, line.high_type, book.high, 0, 0))
        add_id(1)
        sent[SENT_HIGH] = book.high
    if sent[SENT_LOW] != book.low:
        add_frame(price_frame(req_id, line.low_type, book.low, 0, 0))
        add_id(1)
        sent[SENT_LOW] = book.low
    if sent[SENT_CLOSE] != book.close:
        add_frame(price_frame(req_id, line.close_type, book.close, 0, 0))
        add_id(1)
        sent[SENT_CLOSE] = book.close
    if sent[SENT_OPEN] != book.open:
        add_frame(price_frame(req_id, line.open_type, book.open, 0, 0))
        add_id(1)
        sent[SENT_OPEN] = book.open


def _index_changes(line: MarketLine, quote: Quote, book: Book, enc: Encoders,
                   frames: list[bytes], msg_ids: list[int]) -> None:
    """An index prints its value as last (size 0) and its day's range; it has no bid, ask or volume."""
    sent = line.sent
    if sent[SENT_LAST] != quote.last:
        frames.append(enc.price(line.req_id, line.last_type, quote.last, 0, 0))
        msg_ids.append(1)
        sent[SENT_LAST] = quote.last
    _range_changes(line, book, enc.price, frames.append, msg_ids.append)


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
    line = session.unsubscribe(TICK_BY_TICK, request["reqId"])
    if line is not None:
        unwatch_if_unused(session, line.con_id)


def _send_tick_by_tick(session: Session, line: TickByTickLine, quote: Quote, enc: Encoders) -> None:
    frame = _tick_by_tick_change(session, line, quote, enc)
    if frame is not None:
        session.write(frame, 99)


def _tick_by_tick_change(session: Session, line: TickByTickLine, quote: Quote, enc: Encoders) -> bytes | None:
    """The tick-by-tick frame this quote makes for the line (None: nothing new), remembered as sent."""
    when = int(quote.time)
    frame = None
    if line.kind == 3:
        key: tuple[Any, ...] = (quote.bid, quote.ask) if line.ignore_size else (quote.bid, quote.ask, quote.bid_size, quote.ask_size)
        if key != line.sent:
            frame = enc.bid_ask(line.req_id, 3, when, quote.bid, quote.ask, quote.bid_size, quote.ask_size, 0)
    elif line.kind == 4:
        key = (quote.mid,)
        if key != line.sent:
            frame = enc.mid(line.req_id, 4, when, round(quote.mid, 10))
    else:
        key = (quote.volume,)
        if line.sent and quote.volume > line.sent[0]:
            exchange = session.brokerage.catalog.by_con_id(line.con_id)
            venue = str(exchange.details.get("primaryExchange") or exchange.details.get("exchange", "")) if exchange else ""
            frame = enc.last(line.req_id, line.kind, when, quote.last, quote.last_size, 0, venue, "")
    line.sent = key
    return frame


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
                _line_changes(line, quote, book, enc, frames, msg_ids)
    if by_tick:
        for tbt in by_tick.values():
            if tbt.con_id == con_id:
                frame = _tick_by_tick_change(session, tbt, quote, enc)
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
    dropped: list[int] = []
    for kind in (MKT_DATA, TICK_BY_TICK, HISTORICAL_UPDATES):
        for req_id, line in list(session.subscribed(kind).items()):
            session.unsubscribe(kind, req_id)
            unwatch_if_unused(session, line.con_id)
            dropped.append(req_id)
    return dropped


HANDLERS = {
    in_market.REQ_MKT_DATA.msg_id: req_mkt_data,
    in_market.CANCEL_MKT_DATA.msg_id: cancel_mkt_data,
    in_market.REQ_MARKET_DATA_TYPE.msg_id: req_market_data_type,
    in_market.REQ_TICK_BY_TICK_DATA.msg_id: req_tick_by_tick,
    in_market.CANCEL_TICK_BY_TICK_DATA.msg_id: cancel_tick_by_tick,
    in_market.REQ_MATCHING_SYMBOLS.msg_id: req_matching_symbols,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked]}
