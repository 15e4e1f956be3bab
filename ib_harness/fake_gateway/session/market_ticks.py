"""The ticks of a market data line (reqMktData) and of a tick-by-tick line: IB's tick types, the
frame encoders, and what changed since the line's client last received it.

A line remembers what its client last received, so an update sends only the values that changed,
as IB does (ib_insync even drops a repeated bid/ask). Ticks are encoded with the positional
encoders of the ``out_market`` layouts, built once per server version, because this is the path
every quote of every subscribed contract takes: it stays unrolled (bid and ask, each range value
written out) rather than looping over a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from ..state.market import Book
from ..state.quote import Quote
from ..wire.out_market import (
    TICK_BY_TICK_BID_ASK,
    TICK_BY_TICK_LAST,
    TICK_BY_TICK_MID_POINT,
    TICK_GENERIC,
    TICK_PRICE,
    TICK_SIZE,
    TICK_STRING,
)
from .session import Session

# IB tick types (https://interactivebrokers.github.io/tws-api/tick_types.html) and delayed twins.
BID_SIZE, BID, ASK, ASK_SIZE, LAST, LAST_SIZE, HIGH, LOW, VOLUME, CLOSE, OPEN = 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 14
LAST_TIMESTAMP, HALTED = 45, 49
DELAYED = {BID_SIZE: 69, BID: 66, ASK: 67, ASK_SIZE: 70, LAST: 68, LAST_SIZE: 71, HIGH: 72, LOW: 73,
           VOLUME: 74, CLOSE: 75, OPEN: 76, LAST_TIMESTAMP: 88}


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


def line_changes(line: MarketLine, quote: Quote, book: Book, enc: Encoders,
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


@dataclass
class TickByTickLine:
    req_id: int
    con_id: int
    kind: int
    ignore_size: bool
    sent: tuple[Any, ...] = ()


def tick_by_tick_change(session: Session, line: TickByTickLine, quote: Quote, enc: Encoders) -> bytes | None:
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
