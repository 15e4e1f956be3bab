"""Handlers for historical data: bars (with keepUpToDate streaming), head timestamps, cancels.

Requests are validated with IB's rules and texts (see :mod:`fake_gateway.state.history`), then
paced per client like IB's HMDS (error 162), so a client's retry and back-off logic meets the same
answers here as in production. ib_insync's Watchdog probe (EURUSD midpoints, '30 S' of '5 secs')
is an ordinary request and is answered like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..state.history import Bar, HistoryError, LiveBar
from ..state.quote import Quote
from ..wire import in_market
from ..wire.out_market import HEAD_TIMESTAMP, HISTORICAL_DATA_UPDATE, historical_data_frames
from ..wire.reading import Request
from .handlers_market import resolve
from .streams import HISTORICAL_UPDATES, stop_all, stop_stream, watch
from .client_state import market_flowing
from .pacing import PACING_VIOLATION, admit_historical
from .session import Session

LIVE_UPDATES_WITH_END = "Error validating request.-'bK' : cause - End date not supported with live updates"
CONTFUT_END_DATE = "Setting end date/time for continuous future security type is not allowed."


@dataclass
class BarStream:
    """A keepUpToDate request: the bar being built and how its dates are printed."""

    req_id: int
    con_id: int
    live: LiveBar
    format_date: int
    rth_only: bool


def _bar_values(bar: Bar, date: str) -> dict[str, Any]:
    return {"date": date, "open": bar.open, "high": bar.high, "low": bar.low, "close": bar.close,
            "volume": bar.volume, "wap": bar.wap, "barCount": bar.count}


def req_historical_data(session: Session, request: Request) -> None:
    """Bars (17, plus 108 from v196); with keepUpToDate, then 90 updates as the market moves."""
    req_id = request["reqId"]
    contract = resolve(session, req_id, request["contract"])
    if contract is None:
        return
    keep_up = request["keepUpToDate"]
    if contract.sec_type == "CONTFUT" and request["endDateTime"].strip():
        session.send_error(req_id, 10339, CONTFUT_END_DATE)
        return
    if keep_up and request["endDateTime"].strip():
        session.send_error(req_id, 321, LIVE_UPDATES_WITH_END)
        return
    history = session.brokerage.history
    format_date = request["formatDate"]
    try:
        bars, start, end, size = history.request(
            contract.con_id, request["endDateTime"], request["durationStr"], request["barSizeSetting"],
            request["whatToShow"], request["useRTH"], format_date, session.gateway.clock())
    except HistoryError as exc:
        session.send_error(req_id, exc.code, exc.message)
        return
    what = request["whatToShow"].upper()
    identity = (contract.con_id, request["endDateTime"], request["durationStr"], request["barSizeSetting"],
                what, request["useRTH"], format_date, keep_up)
    family = (contract.con_id, request["contract"].get("exchange", ""), what)
    if not admit_historical(session, identity, family, size.seconds if not size.daily else None):
        session.send_error(req_id, 162, PACING_VIOLATION)
        return
    values = {
        "reqId": req_id,
        "startDateStr": history.format_time(start),
        "endDateStr": history.format_time(end),
        "bars": [_bar_values(bar, history.format_time(bar.time, size.daily, format_date)) for bar in bars],
    }
    for frame in historical_data_frames(session.version, values):
        session.write(frame, 17)
    if keep_up:
        quote = session.brokerage.market.quote(contract.con_id)
        live = LiveBar(size, what, history.zone, bar=bars[-1], volume_seen=quote.volume)
        rth_only = request["useRTH"] and contract.sec_type != "CASH"
        session.subscribe(HISTORICAL_UPDATES, req_id, BarStream(req_id, contract.con_id, live, format_date, rth_only))
        watch(session, contract.con_id)


def cancel_historical_data(session: Session, request: Request) -> None:
    """Stops keepUpToDate updates; IB answers 366 for a request it no longer knows (finished)."""
    req_id = request["reqId"]
    if stop_stream(session, HISTORICAL_UPDATES, req_id) is None:
        session.send_error(req_id, 366, f"No historical data query found for ticker id:{req_id}")


def req_head_timestamp(session: Session, request: Request) -> None:
    """The earliest available data point (88), in the requested date format."""
    req_id = request["reqId"]
    contract = resolve(session, req_id, request["contract"])
    if contract is None:
        return
    format_date = request["formatDate"]
    if format_date not in (1, 2):
        session.send_error(req_id, 321, f"Error validating request.-'bK' : cause - Date formatting selection of {format_date} rejected.")
        return
    history = session.brokerage.history
    stamp = history.head_timestamp(contract.con_id)
    session.send(HEAD_TIMESTAMP, reqId=req_id, headTimestamp=history.format_time(stamp, False, format_date))


def cancel_head_timestamp(session: Session, request: Request) -> None:
    """ib_insync cancels every head-timestamp request after its answer; IB stays silent."""


def on_price_marked(session: Session, payload: dict[str, Any]) -> None:
    """Fold the quote into every keepUpToDate bar of this client on that contract."""
    streams = session.subscriptions.get(HISTORICAL_UPDATES)
    if not streams or not market_flowing(session):
        return
    quote: Quote = payload["quote"]
    history = session.brokerage.history
    for stream in tuple(streams.values()):
        if stream.con_id != quote.con_id or (stream.rth_only and not history.in_rth(quote.time)):
            continue
        bar = stream.live.update(quote)
        if bar is not None:
            date = history.format_time(bar.time, stream.live.size.daily, stream.format_date)
            session.send(HISTORICAL_DATA_UPDATE, _bar_values(bar, date), reqId=stream.req_id)


def end_live_bars(session: Session, code: int, message: str) -> list[int]:
    """Every keepUpToDate subscription of this client ends with an error (10182 when HMDS drops)."""
    ended = [req_id for req_id, _ in stop_all(session, HISTORICAL_UPDATES)]
    for req_id in ended:
        session.send_error(req_id, code, message)
    return ended


HANDLERS = {
    in_market.REQ_HISTORICAL_DATA.msg_id: req_historical_data,
    in_market.CANCEL_HISTORICAL_DATA.msg_id: cancel_historical_data,
    in_market.REQ_HEAD_TIMESTAMP.msg_id: req_head_timestamp,
    in_market.CANCEL_HEAD_TIMESTAMP.msg_id: cancel_head_timestamp,
}

EVENT_HANDLERS = {"price_marked": [on_price_marked]}
