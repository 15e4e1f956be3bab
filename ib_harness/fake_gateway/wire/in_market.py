"""Layouts of market data, historical data, contract search and PnL requests (client to server).

Checked against what ib_insync 0.9.86 and ib_async 2.1.0 (``client.py``) and the official ibapi
10.46 (``client.py``, ids from ``message.py`` OUT) really send at server versions 157..200. All
three send the same fields in that range: the version gates inside these requests (conId and
tradingClass at 68, regulatorySnapshot at 114, reqHistoricalData's version field until 124) are
all below 157, and ibapi switches these requests to protobuf only at 206/208/210/212.

Requests with a contract or a conditional section (BAG combo legs, delta-neutral contract) use
decode functions over :class:`FieldReader`; they read exactly what the clients send, so a test can
check ``reader.remaining == 0``; ``RequestSpec.decode(..., exact=True)`` does that for any spec.
"""

from __future__ import annotations

from typing import Any

from .fields import I, S
from .reading import BadRequest, FieldReader, RequestSpec
from .reading import read_contract as read_block

SYNT_REALTIME_BARS = 124  # reqHistoricalData stops sending its version field


def read_contract(reader: FieldReader, include_expired: bool = False) -> dict[str, Any]:
    """The 12 contract fields every one of these requests sends, conId first.

    ``include_expired`` reads the flag that reqHistoricalData and reqHeadTimeStamp send right
    after tradingClass; elsewhere the key is present and False so callers see one shape.
    """
    contract = read_block(reader)
    contract["includeExpired"] = reader.bool("includeExpired") if include_expired else False
    contract["comboLegs"] = []
    contract["deltaNeutralContract"] = None
    return contract


def read_combo_legs(reader: FieldReader) -> list[dict[str, Any]]:
    """The BAG section: a count, then conId, ratio, action, exchange per leg."""
    count = reader.int("comboLegsCount")
    if count < 0 or count > reader.remaining // 4:
        raise BadRequest(f"{reader.request}: comboLegsCount {count} does not fit the frame")
    return [
        {
            "conId": reader.int("comboLeg.conId"),
            "ratio": reader.int("comboLeg.ratio"),
            "action": reader.str("comboLeg.action"),
            "exchange": reader.str("comboLeg.exchange"),
        }
        for _ in range(count)
    ]


def decode_req_mkt_data(reader: FieldReader, version: int) -> dict[str, Any]:
    """reqMktData (1, version 11): contract, BAG legs, delta-neutral part, tick list, flags."""
    values: dict[str, Any] = {"version": reader.int("version"), "reqId": reader.int("reqId")}
    contract = read_contract(reader)
    if contract["secType"] == "BAG":
        contract["comboLegs"] = read_combo_legs(reader)
    if reader.bool("deltaNeutralContract present"):
        contract["deltaNeutralContract"] = {
            "conId": reader.int("deltaNeutralContract.conId"),
            "delta": reader.float("deltaNeutralContract.delta"),
            "price": reader.float("deltaNeutralContract.price"),
        }
    values["contract"] = contract
    values["genericTickList"] = reader.str("genericTickList")
    values["snapshot"] = reader.bool("snapshot")
    values["regulatorySnapshot"] = reader.bool("regulatorySnapshot")
    values["mktDataOptions"] = reader.str("mktDataOptions")
    return values


def decode_req_historical_data(reader: FieldReader, version: int) -> dict[str, Any]:
    """reqHistoricalData (20): no version field since 124; BAG legs; keepUpToDate, chartOptions."""
    values: dict[str, Any] = {}
    if version < SYNT_REALTIME_BARS:
        values["version"] = reader.int("version")
    values["reqId"] = reader.int("reqId")
    contract = read_contract(reader, include_expired=True)
    values["contract"] = contract
    values["endDateTime"] = reader.str("endDateTime")
    values["barSizeSetting"] = reader.str("barSizeSetting")
    values["durationStr"] = reader.str("durationStr")
    values["useRTH"] = reader.bool("useRTH")
    values["whatToShow"] = reader.str("whatToShow")
    values["formatDate"] = reader.int("formatDate", 1)
    if contract["secType"] == "BAG":
        contract["comboLegs"] = read_combo_legs(reader)
    values["keepUpToDate"] = reader.bool("keepUpToDate") if version >= SYNT_REALTIME_BARS else False
    values["chartOptions"] = reader.str("chartOptions")
    return values


def decode_req_head_timestamp(reader: FieldReader, version: int) -> dict[str, Any]:
    """reqHeadTimeStamp (87, no version field): contract with includeExpired, then the query."""
    return {
        "reqId": reader.int("reqId"),
        "contract": read_contract(reader, include_expired=True),
        "useRTH": reader.bool("useRTH"),
        "whatToShow": reader.str("whatToShow"),
        "formatDate": reader.int("formatDate", 1),
    }


def decode_req_tick_by_tick(reader: FieldReader, version: int) -> dict[str, Any]:
    """reqTickByTickData (97, no version field): tickType is 'Last', 'AllLast', 'BidAsk' or 'MidPoint'."""
    return {
        "reqId": reader.int("reqId"),
        "contract": read_contract(reader),
        "tickType": reader.str("tickType"),
        "numberOfTicks": reader.int("numberOfTicks"),
        "ignoreSize": reader.bool("ignoreSize"),
    }


def decode_req_real_time_bars(reader: FieldReader, version: int) -> dict[str, Any]:
    """reqRealTimeBars (50, version 3): barSize is always 5 (seconds)."""
    return {
        "version": reader.int("version"),
        "reqId": reader.int("reqId"),
        "contract": read_contract(reader),
        "barSize": reader.int("barSize", 5),
        "whatToShow": reader.str("whatToShow"),
        "useRTH": reader.bool("useRTH"),
        "realTimeBarsOptions": reader.str("realTimeBarsOptions"),
    }


REQ_MKT_DATA = RequestSpec(1, "reqMktData", custom=decode_req_mkt_data)
CANCEL_MKT_DATA = RequestSpec(2, "cancelMktData", (I("version"), I("reqId")))
REQ_HISTORICAL_DATA = RequestSpec(20, "reqHistoricalData", custom=decode_req_historical_data)
CANCEL_HISTORICAL_DATA = RequestSpec(25, "cancelHistoricalData", (I("version"), I("reqId")))
REQ_REAL_TIME_BARS = RequestSpec(50, "reqRealTimeBars", custom=decode_req_real_time_bars)
CANCEL_REAL_TIME_BARS = RequestSpec(51, "cancelRealTimeBars", (I("version"), I("reqId")))
REQ_MARKET_DATA_TYPE = RequestSpec(59, "reqMarketDataType", (I("version"), I("marketDataType", 1)))
REQ_MATCHING_SYMBOLS = RequestSpec(81, "reqMatchingSymbols", (I("reqId"), S("pattern")))
REQ_HEAD_TIMESTAMP = RequestSpec(87, "reqHeadTimeStamp", custom=decode_req_head_timestamp)
CANCEL_HEAD_TIMESTAMP = RequestSpec(90, "cancelHeadTimestamp", (I("reqId"),))
REQ_PNL = RequestSpec(92, "reqPnL", (I("reqId"), S("account"), S("modelCode")))
CANCEL_PNL = RequestSpec(93, "cancelPnL", (I("reqId"),))
REQ_PNL_SINGLE = RequestSpec(94, "reqPnLSingle", (I("reqId"), S("account"), S("modelCode"), I("conId")))
CANCEL_PNL_SINGLE = RequestSpec(95, "cancelPnLSingle", (I("reqId"),))
REQ_TICK_BY_TICK_DATA = RequestSpec(97, "reqTickByTickData", custom=decode_req_tick_by_tick)
CANCEL_TICK_BY_TICK_DATA = RequestSpec(98, "cancelTickByTickData", (I("reqId"),))

REQUESTS: tuple[RequestSpec, ...] = (
    REQ_MKT_DATA,
    CANCEL_MKT_DATA,
    REQ_HISTORICAL_DATA,
    CANCEL_HISTORICAL_DATA,
    REQ_REAL_TIME_BARS,
    CANCEL_REAL_TIME_BARS,
    REQ_MARKET_DATA_TYPE,
    REQ_MATCHING_SYMBOLS,
    REQ_HEAD_TIMESTAMP,
    CANCEL_HEAD_TIMESTAMP,
    REQ_PNL,
    CANCEL_PNL,
    REQ_PNL_SINGLE,
    CANCEL_PNL_SINGLE,
    REQ_TICK_BY_TICK_DATA,
    CANCEL_TICK_BY_TICK_DATA,
)

