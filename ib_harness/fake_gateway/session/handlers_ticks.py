"""Handlers for reqHistoricalTicks and reqRealTimeBars.

Historical ticks come from the seeded history at one-second resolution (one tick a second, the
price of that second's bar), so they agree with reqHistoricalData; IB's cap of 1000 ticks a
request applies. Real-time bars aggregate the live quotes of the market model into 5-second bars:
a bar is sent when the first quote of the next 5 seconds arrives, so every bar agrees with the
ticks a reqMktData line saw in the same seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..state.history import HistoryError, parse_bar_size, parse_end
from ..state.quote import Quote
from ..wire import in_data, in_market
from ..wire.out_market import REALTIME_BAR
from ..wire.out_ticks import HISTORICAL_TICKS, HISTORICAL_TICKS_BID_ASK, HISTORICAL_TICKS_LAST
from ..wire.reading import Request
from ..state.contracts import ContractDef
from .handlers_market import resolve
from .session import Session
from .streams import REAL_TIME_BARS, lines_on, start_stream, stop_stream

MAX_TICKS = 1000
BAR_SECONDS = 5
VALIDATION = "Error validating request.-'bK' : cause - "


def _contract_and_what(session: Session, request: Request, allowed: tuple[str, ...]) -> tuple[ContractDef, str] | None:
    """The request's contract (else 200) and its whatToShow, one of ``allowed`` (else 321)."""
    contract = resolve(session, request["reqId"], request["contract"])
    if contract is None:
        return None
    what = request["whatToShow"].upper()
    if what not in allowed or (what == "TRADES" and contract.sec_type == "CASH"):
        session.send_error(request["reqId"], 321, f"{VALIDATION}Invalid what to show: {request['whatToShow']}")
        return None
    return contract, what


def req_historical_ticks(session: Session, request: Request) -> None:
    req_id = request["reqId"]
    found = _contract_and_what(session, request, ("TRADES", "BID_ASK", "MIDPOINT"))
    if found is None:
        return
    contract, what = found
    start_text, end_text = request["startDateTime"].strip(), request["endDateTime"].strip()
    if bool(start_text) == bool(end_text):
        session.send_error(req_id, 321, f"{VALIDATION}Exactly one of start and end date/time must be given")
        return
    count = max(1, min(request["numberOfTicks"] or MAX_TICKS, MAX_TICKS))
    brokerage, tz = session.brokerage, session.gateway.config.timezone
    now = session.gateway.clock()
    try:
        if start_text:
            start = parse_end(start_text, now, tz)
            end = min(now, start + count * 4)
        else:
            end = min(now, parse_end(end_text, now, tz))
            start = end - count * 4
    except HistoryError as exc:
        session.send_error(req_id, exc.code, exc.message)
        return
    history = brokerage.history
    bars = history.bars(contract.con_id, start, end, parse_bar_size("1 secs"),
                        "TRADES" if what == "TRADES" else "MIDPOINT", request["useRth"])
    bars = bars[:count] if start_text else bars[-count:]
    book = brokerage.market.book(contract.con_id)
    venue = str(contract.details.get("primaryExchange") or contract.details.get("exchange", ""))
    if what == "TRADES":
        ticks = [{"time": int(b.time), "mask": 0, "price": b.close, "size": max(b.volume, 1.0), "exchange": venue}
                 for b in bars]
        session.send(HISTORICAL_TICKS_LAST, reqId=req_id, ticks=ticks, done=True)
    elif what == "BID_ASK":
        ticks = []
        for b in bars:
            bid = book.round(b.close - book.tick / 2)
            ticks.append({"time": int(b.time), "mask": 0, "priceBid": bid, "priceAsk": book.round(bid + book.tick),
                          "sizeBid": book.lot, "sizeAsk": book.lot})
        session.send(HISTORICAL_TICKS_BID_ASK, reqId=req_id, ticks=ticks, done=True)
    else:
        ticks = [{"time": int(b.time), "unused": 0, "price": b.close, "size": 0} for b in bars]
        session.send(HISTORICAL_TICKS, reqId=req_id, ticks=ticks, done=True)


# ----- real-time bars ------------------------------------------------------------------------


@dataclass
class BarLine:
    req_id: int
    con_id: int
    what: str
    start: float = -1.0
    open: float = 0.0
    high: float = 0.0
    low: float = 0.0
    close: float = 0.0
    volume: float = 0.0
    notional: float = 0.0
    count: int = 0
    last_volume: float = -1.0


def req_real_time_bars(session: Session, request: Request) -> None:
    req_id = request["reqId"]
    found = _contract_and_what(session, request, ("TRADES", "MIDPOINT", "BID", "ASK"))
    if found is None:
        return
    contract, what = found
    if request["barSize"] != BAR_SECONDS:
        session.send_error(req_id, 321, f"{VALIDATION}Invalid bar size {request['barSize']}: real-time bars are 5 seconds")
        return
    line = BarLine(req_id, contract.con_id, what)
    line.last_volume = session.brokerage.market.quote(contract.con_id).volume
    start_stream(session, REAL_TIME_BARS, req_id, line)


def cancel_real_time_bars(session: Session, request: Request) -> None:
    stop_stream(session, REAL_TIME_BARS, request["reqId"])


def _price(line: BarLine, quote: Quote) -> float:
    return {"TRADES": quote.last, "BID": quote.bid, "ASK": quote.ask}.get(line.what, round(quote.mid, 10))


def on_price_marked(session: Session, payload: dict[str, Any]) -> None:
    if not session.subscriptions.get(REAL_TIME_BARS):  # every quote passes here
        return
    quote: Quote = payload["quote"]
    window = quote.time - quote.time % BAR_SECONDS
    for line in lines_on(session, REAL_TIME_BARS, quote.con_id):
        _add(session, line, quote, window)


def _add(session: Session, line: BarLine, quote: Quote, window: float) -> None:
    if line.start >= 0 and window > line.start:
        _send_bar(session, line)
    price = _price(line, quote)
    traded = max(0.0, quote.volume - line.last_volume) if line.what == "TRADES" else 0.0
    line.last_volume = quote.volume
    if window != line.start:
        line.start, line.open, line.high, line.low = window, price, price, price
        line.volume, line.notional, line.count = 0.0, 0.0, 0
    line.high, line.low, line.close = max(line.high, price), min(line.low, price), price
    if traded:
        line.volume += traded
        line.notional += traded * price
        line.count += 1


def _send_bar(session: Session, line: BarLine) -> None:
    trades = line.what == "TRADES"
    wap = round(line.notional / line.volume, 6) if trades and line.volume else (line.close if trades else -1)
    session.send(REALTIME_BAR, reqId=line.req_id, time=int(line.start), open=line.open, high=line.high,
                 low=line.low, close=line.close, volume=line.volume if trades else -1, wap=wap,
                 count=line.count if trades else -1)


HANDLERS = {
    in_data.REQ_HISTORICAL_TICKS.msg_id: req_historical_ticks,
    in_market.REQ_REAL_TIME_BARS.msg_id: req_real_time_bars,
    in_market.CANCEL_REAL_TIME_BARS.msg_id: cancel_real_time_bars,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked]}
