"""Layouts of market data, historical data, contract search and PnL replies (server to client).

Every slot carries the server versions where IB's server writes it, so one spec serves every
negotiated version from 157 to 200 (older gates are kept where they cost nothing). The layouts
follow the official decoder (ibapi 10.46 ``decoder.py``) and the exact unpacking of ib_insync
0.9.86 / ib_async 2.1.0; the tick-by-tick BidAsk layout equals the real frames in
``tests/conformance/captures/nautilus_responses.json``.

Sizes, volumes and WAPs became ``Decimal`` on the wire at 163 (fractional size support); before
that IB printed sizes and volumes as integers and the WAP as a double, hence the paired slots.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

from .fields import C, D, Field, I, Q, S
from .spec import MessageSpec, Repeat

SYNT_REALTIME_BARS = 124  # historicalData loses its version field and per-bar hasGaps
UNREALIZED_PNL = 129
REALIZED_PNL = 135
FRACTIONAL_SIZE_SUPPORT = 163  # sizes, volumes and WAPs print as Decimal strings
BOND_ISSUERID = 176  # symbolSamples gains description and issuerId per contract
HISTORICAL_DATA_END = 196  # start/end leave historicalData for a separate message 108



def _size(name: str, default: Any = 0) -> tuple[Field, Field]:
    """A size: an integer before fractional sizes, a Decimal string from 163 on."""
    return (
        I(name, default, until=FRACTIONAL_SIZE_SUPPORT),
        Q(name, default, since=FRACTIONAL_SIZE_SUPPORT),
    )


def _wap(name: str) -> tuple[Field, Field]:
    """A bar's average price: a double before 163, a Decimal string from 163 on."""
    return (
        D(name, 0.0, until=FRACTIONAL_SIZE_SUPPORT),
        Q(name, 0, since=FRACTIONAL_SIZE_SUPPORT),
    )


class CountedStrings(Field):
    """A counted list of strings nested inside a repeat item (symbolSamples' derivativeSecTypes).

    ``Repeat`` items hold plain fields only, so the count and the items are printed as one slot
    whose text contains the separating NULs. The frame bytes are exact; a ``fields()`` list shows
    the whole list as one element.
    """

    @property
    def formatter(self) -> Callable[[Any], str]:
        return _fmt_counted_strings


def _fmt_counted_strings(items: Iterable[Any] | None) -> str:
    values = [str(item) for item in (items or ())]
    return "\0".join([str(len(values)), *values])


# --- top-of-book market data (reqMktData) ---------------------------------------------------

TICK_PRICE = MessageSpec(1, "tickPrice", (
    C("version", "6"),
    I("reqId"),
    I("tickType"),
    D("price"),
    *_size("size"),
    I("attrMask"),  # bit 0 canAutoExecute, bit 1 pastLimit, bit 2 preOpen
))
TICK_SIZE = MessageSpec(2, "tickSize", (
    C("version", "6"),
    I("reqId"),
    I("tickType"),
    *_size("size"),
))
TICK_GENERIC = MessageSpec(45, "tickGeneric", (
    C("version", "6"),
    I("reqId"),
    I("tickType"),
    D("value"),
))
TICK_STRING = MessageSpec(46, "tickString", (
    C("version", "6"),
    I("reqId"),
    I("tickType"),
    S("value"),
))
TICK_SNAPSHOT_END = MessageSpec(57, "tickSnapshotEnd", (C("version", "1"), I("reqId")))
MARKET_DATA_TYPE = MessageSpec(58, "marketDataType", (
    C("version", "1"),
    I("reqId"),
    I("marketDataType", 1),  # 1 live, 2 frozen, 3 delayed, 4 delayed frozen
))
TICK_REQ_PARAMS = MessageSpec(81, "tickReqParams", (  # no version field
    I("reqId"),
    D("minTick", 0.01),
    S("bboExchange"),
    I("snapshotPermissions"),
))

# --- tick-by-tick (reqTickByTickData): one message id, three layouts chosen by tickType ------

TICK_BY_TICK_LAST = MessageSpec(99, "tickByTickAllLast", (
    I("reqId"),
    I("tickType", 1),  # 1 Last, 2 AllLast
    I("time"),
    D("price"),
    *_size("size"),
    I("mask"),  # bit 0 pastLimit, bit 1 unreported
    S("exchange"),
    S("specialConditions"),
))
TICK_BY_TICK_BID_ASK = MessageSpec(99, "tickByTickBidAsk", (
    I("reqId"),
    I("tickType", 3),
    I("time"),
    D("bidPrice"),
    D("askPrice"),
    *_size("bidSize"),
    *_size("askSize"),
    I("mask"),  # bit 0 bidPastLow, bit 1 askPastHigh
))
TICK_BY_TICK_MID_POINT = MessageSpec(99, "tickByTickMidPoint", (
    I("reqId"),
    I("tickType", 4),
    I("time"),
    D("midPoint"),
))
_TICK_BY_TICK = {
    1: TICK_BY_TICK_LAST,
    2: TICK_BY_TICK_LAST,
    3: TICK_BY_TICK_BID_ASK,
    4: TICK_BY_TICK_MID_POINT,
}


def tick_by_tick_spec(tick_type: int) -> MessageSpec:
    """The layout for a tick-by-tick tickType (1 Last, 2 AllLast, 3 BidAsk, 4 MidPoint)."""
    return _TICK_BY_TICK[tick_type]


# --- historical bars (reqHistoricalData, reqRealTimeBars, reqHeadTimeStamp) ------------------

_BAR_FIELDS = (
    S("date"),
    D("open"),
    D("high"),
    D("low"),
    D("close"),
    *_size("volume"),
    *_wap("wap"),
    S("hasGaps", "false", until=SYNT_REALTIME_BARS),
    I("barCount"),
)
HISTORICAL_DATA = MessageSpec(17, "historicalData", (
    C("version", "3", until=SYNT_REALTIME_BARS),
    I("reqId"),
    S("startDateStr", until=HISTORICAL_DATA_END),
    S("endDateStr", until=HISTORICAL_DATA_END),
    Repeat("bars", _BAR_FIELDS),
))
HISTORICAL_DATA_END_MSG = MessageSpec(108, "historicalDataEnd", (  # only sent from 196 on
    I("reqId"),
    S("startDateStr"),
    S("endDateStr"),
))
HISTORICAL_DATA_UPDATE = MessageSpec(90, "historicalDataUpdate", (  # keepUpToDate bars
    I("reqId"),
    I("barCount"),
    S("date"),
    D("open"),
    D("close"),  # IB's order: close before high and low
    D("high"),
    D("low"),
    *_wap("wap"),  # and wap before volume
    *_size("volume"),
))
REALTIME_BAR = MessageSpec(50, "realtimeBar", (
    C("version", "3"),
    I("reqId"),
    I("time"),
    D("open"),
    D("high"),
    D("low"),
    D("close"),
    *_size("volume"),
    *_wap("wap"),
    I("count"),
))
HEAD_TIMESTAMP = MessageSpec(88, "headTimestamp", (I("reqId"), S("headTimestamp")))
HISTORICAL_SCHEDULE = MessageSpec(106, "historicalSchedule", (  # whatToShow=SCHEDULE, 165+
    I("reqId"),
    S("startDateTime"),
    S("endDateTime"),
    S("timeZone"),
    Repeat("sessions", (S("startDateTime"), S("endDateTime"), S("refDate"))),
))


def historical_data_frames(version: int, values: Mapping[str, Any]) -> list[bytes]:
    """The reply to reqHistoricalData: one frame, or two from 196 on (bars, then historicalDataEnd).

    ``values`` holds reqId, startDateStr, endDateStr and bars (dicts with the bar slot names).
    """
    frames = [HISTORICAL_DATA.frame(version, values)]
    if version >= HISTORICAL_DATA_END:
        frames.append(HISTORICAL_DATA_END_MSG.frame(version, values))
    return frames


# --- PnL (reqPnL, reqPnLSingle) --------------------------------------------------------------

PNL = MessageSpec(94, "pnl", (
    I("reqId"),
    D("dailyPnL"),
    D("unrealizedPnL", since=UNREALIZED_PNL),
    D("realizedPnL", since=REALIZED_PNL),
))
PNL_SINGLE = MessageSpec(95, "pnlSingle", (
    I("reqId"),
    *_size("pos"),
    D("dailyPnL"),
    D("unrealizedPnL", since=UNREALIZED_PNL),
    D("realizedPnL", since=REALIZED_PNL),
    D("value"),
))

# --- contract search (reqMatchingSymbols) ----------------------------------------------------

SYMBOL_SAMPLES = MessageSpec(79, "symbolSamples", (
    I("reqId"),
    Repeat("contractDescriptions", (
        I("conId"),
        S("symbol"),
        S("secType"),
        S("primaryExchange"),
        S("currency"),
        CountedStrings("derivativeSecTypes", "str", ()),
        S("description", since=BOND_ISSUERID),
        S("issuerId", since=BOND_ISSUERID),
    )),
))


# --- the hot path ----------------------------------------------------------------------------


SPECS: tuple[MessageSpec, ...] = (
    TICK_PRICE,
    TICK_SIZE,
    TICK_GENERIC,
    TICK_STRING,
    TICK_SNAPSHOT_END,
    MARKET_DATA_TYPE,
    TICK_REQ_PARAMS,
    TICK_BY_TICK_LAST,
    TICK_BY_TICK_BID_ASK,
    TICK_BY_TICK_MID_POINT,
    HISTORICAL_DATA,
    HISTORICAL_DATA_END_MSG,
    HISTORICAL_DATA_UPDATE,
    REALTIME_BAR,
    HEAD_TIMESTAMP,
    HISTORICAL_SCHEDULE,
    PNL,
    PNL_SINGLE,
    SYMBOL_SAMPLES,
)
