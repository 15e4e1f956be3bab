"""Market data, historical data, contract search and PnL replies against the real clients.

Replies are encoded at each server version a client supports and fed to that client's own
decoder (requests are in test_market_requests.py). The official client silently drops a message
with a wrong field count, and ib_insync unpacks exact counts, so a received callback with the
right values proves the layout.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest

from ib_harness.fake_gateway.wire import out_market as out
from ib_harness.fake_gateway.wire.spec import frame_fields
from tests.wire.client_wire import Call, client_cases, feed, split_frame

CAPTURES = Path(__file__).resolve().parents[1] / "conformance" / "captures"
INSYNC_CASES = client_cases((157, 170, 176, 178), ("ib_insync", "ib_async"))
IBAPI_VERSIONS = (157, 170, 176, 178, 190, 196, 200)


def plain(value: Any) -> Any:
    """Client objects (bars, attribs, descriptions) as nested dicts, for comparison."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {k: plain(v) for k, v in vars(value).items()}
    return value


def plain_calls(calls: list[Call]) -> list[tuple[str, Any]]:
    """Recorded callbacks with their arguments made ``plain``."""
    return [(name, plain(args)) for name, args in calls]


# --- encoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["quote_tick_1", "quote_tick_2"])
def test_tick_by_tick_bid_ask_equals_capture(name: str) -> None:
    captured = json.loads((CAPTURES / "nautilus_responses.json").read_text())[name][0]
    _, req_id, tick_type, time, bid, ask, bid_size, ask_size, mask = captured
    values = dict(reqId=int(req_id), tickType=int(tick_type), time=int(time), bidPrice=float(bid),
                  askPrice=float(ask), bidSize=int(bid_size), askSize=int(ask_size), mask=int(mask))
    spec = out.tick_by_tick_spec(3)
    assert spec.fields(176, values) == captured
    assert spec.frame(176, values) == frame_fields(captured)
    assert spec.positional(176)(*values.values()) == frame_fields(captured)
    assert spec.fields(176, spec.parse(176, captured)) == captured


def test_positional_encoder_matches_spec_for_ticks() -> None:
    for version in (157, 163, 176, 200):
        price = out.TICK_PRICE.positional(version)
        size = out.TICK_SIZE.positional(version)
        assert price(5, 2, 101.25, 300, 1) == out.TICK_PRICE.frame(
            version, reqId=5, tickType=2, price=101.25, size=300, attrMask=1)
        assert size(5, 8, 12345) == out.TICK_SIZE.frame(version, reqId=5, tickType=8, size=12345)
    with pytest.raises(TypeError):
        out.TICK_PRICE.positional(176)(5, 2, 101.25)
    frame = out.TICK_PRICE.positional(176)(1, 1, 1.5, 100, 0)
    assert split_frame(frame) == ["1", "6", "1", "1", "1.5", "100", "0"]


FIELD_COUNTS = [  # message id included; read off each client's decoder
    (out.TICK_PRICE, 7), (out.TICK_SIZE, 5), (out.TICK_GENERIC, 5), (out.TICK_STRING, 5),
    (out.TICK_SNAPSHOT_END, 3), (out.MARKET_DATA_TYPE, 4), (out.TICK_REQ_PARAMS, 5),
    (out.TICK_BY_TICK_LAST, 9), (out.TICK_BY_TICK_BID_ASK, 9), (out.TICK_BY_TICK_MID_POINT, 5),
    (out.HEAD_TIMESTAMP, 3), (out.PNL, 5), (out.PNL_SINGLE, 7), (out.HISTORICAL_DATA_UPDATE, 10),
    (out.REALTIME_BAR, 11), (out.HISTORICAL_DATA_END_MSG, 4),
]


@pytest.mark.parametrize("version", range(157, 201))
def test_field_counts_at_every_version(version: int) -> None:
    """Trailing extras pass some decoders unnoticed (zip, iterators), so pin the counts."""
    for spec, count in FIELD_COUNTS:
        assert len(spec.fields(version, {})) == count, spec.name
    empty_history = out.HISTORICAL_DATA.fields(version, {"bars": []})
    assert len(empty_history) == (3 if version >= 196 else 5)
    assert len(out.HISTORICAL_DATA.fields(version, {"bars": [BARS[0]]})) - len(empty_history) == 8


def test_symbol_samples_gate() -> None:
    item = dict(conId=1, symbol="A", secType="STK", primaryExchange="X", currency="USD",
                derivativeSecTypes=["OPT"], description="D", issuerId="I")
    assert split_frame(out.SYMBOL_SAMPLES.frame(175, reqId=1, contractDescriptions=[item])) == [
        "79", "1", "1", "1", "A", "STK", "X", "USD", "1", "OPT"]
    assert split_frame(out.SYMBOL_SAMPLES.frame(176, reqId=1, contractDescriptions=[item]))[-2:] == ["D", "I"]


# --- replies, fed to each client's decoder ---------------------------------------------------

BARS = [
    dict(date="20231020 13:00:00", open=1.0591, high=1.0599, low=1.0588, close=1.0595,
         volume=1200, wap=1.05935, barCount=17),
    dict(date="20231020 13:00:05", open=1.0595, high=1.0601, low=1.0593, close=1.06,
         volume=-1, wap=-1, barCount=-1),
]
SAMPLES = [
    dict(conId=265598, symbol="AAPL", secType="STK", primaryExchange="NASDAQ", currency="USD",
         derivativeSecTypes=["CFD", "OPT"], description="APPLE INC", issuerId="e1234"),
    dict(conId=12087792, symbol="EUR", secType="CASH", primaryExchange="IDEALPRO", currency="USD"),
]


def tick_size(version: int) -> float:
    """A fractional size where the wire allows one."""
    return 1.5 if version >= out.FRACTIONAL_SIZE_SUPPORT else 2


def reply_frames(version: int) -> list[bytes]:
    """One of every reply in out_market, in the order the expectations below list them."""
    return [
        out.TICK_PRICE.frame(version, reqId=7, tickType=2, price=1.0873, size=tick_size(version), attrMask=6),
        out.TICK_SIZE.frame(version, reqId=7, tickType=8, size=31367915),
        out.TICK_GENERIC.frame(version, reqId=7, tickType=49, value=1.0),
        out.TICK_STRING.frame(version, reqId=7, tickType=45, value="1701652523"),
        out.TICK_REQ_PARAMS.frame(version, reqId=7, minTick=0.00005, bboExchange="9c0001", snapshotPermissions=3),
        out.MARKET_DATA_TYPE.frame(version, reqId=7, marketDataType=3),
        out.TICK_SNAPSHOT_END.frame(version, reqId=7),
        out.TICK_BY_TICK_BID_ASK.frame(version, reqId=3, time=1701652523, bidPrice=1.08733,
                                       askPrice=1.08735, bidSize=250000, askSize=1500000, mask=2),
        out.TICK_BY_TICK_LAST.frame(version, reqId=4, tickType=2, time=1701652524, price=190.5,
                                    size=100, mask=1, exchange="ARCA", specialConditions=" T"),
        out.TICK_BY_TICK_MID_POINT.frame(version, reqId=5, time=1701652525, midPoint=1.08734),
        *out.historical_data_frames(version, dict(reqId=9, startDateStr="20231020 12:59:30",
                                                  endDateStr="20231020 13:00:00", bars=BARS)),
        out.HISTORICAL_DATA_UPDATE.frame(version, reqId=9, **BARS[0]),
        out.HEAD_TIMESTAMP.frame(version, reqId=10, headTimestamp="1072189800"),
        out.REALTIME_BAR.frame(version, reqId=11, time=1701652525, open=1.5, high=1.75, low=1.25,
                               close=1.5, volume=300, wap=1.55, count=4),
        out.HISTORICAL_SCHEDULE.frame(version, reqId=12, startDateTime="s", endDateTime="e", timeZone="US/Eastern",
                                      sessions=[dict(startDateTime="a", endDateTime="b", refDate="c")] * 2),
        out.PNL.frame(version, reqId=20, dailyPnL=-12.5, unrealizedPnL=1.7976931348623157e308, realizedPnL=3.25),
        out.PNL_SINGLE.frame(version, reqId=21, pos=-100, dailyPnL=1.5, unrealizedPnL=2.5,
                             realizedPnL=0.0, value=19050.0),
        out.SYMBOL_SAMPLES.frame(version, reqId=22, contractDescriptions=SAMPLES),
    ]


def check_symbol_samples(call: tuple[str, Any], version: int) -> None:
    name, (req_id, descriptions) = call
    assert (name, req_id, len(descriptions)) == ("symbolSamples", 22, 2)
    for got, sent in zip(descriptions, SAMPLES):
        assert got["derivativeSecTypes"] == sent.get("derivativeSecTypes", [])
        for key in ("conId", "symbol", "secType", "primaryExchange", "currency"):
            assert got["contract"][key] == sent[key]
        if version >= 176:  # before 176 neither field is on the wire
            assert (got["contract"]["description"], got["contract"]["issuerId"]) == (
                sent.get("description", ""), sent.get("issuerId", ""))


def expected_replies(client: str, version: int) -> list[tuple[str, Any]]:
    """Every callback ``reply_frames`` should cause but the last (symbol samples), made ``plain``.

    The differences are the clients' own: ibapi gives sizes and volumes as Decimal, calls a bar's
    average ``wap`` and splits a price tick into tickPrice (with attribs) and tickSize, where
    ib_insync and ib_async give floats, ``average`` and one priceSizeTick.
    """
    ibapi = client == "ibapi"
    size: Callable[[float], Any] = (lambda v: Decimal(str(v))) if ibapi else float
    average = "wap" if ibapi else "average"
    bars = [dict(date=b["date"], open=b["open"], high=b["high"], low=b["low"], close=b["close"],
                 volume=size(b["volume"]), barCount=b["barCount"], **{average: size(b["wap"])}) for b in BARS]
    session = {"startDateTime": "a", "endDateTime": "b", "refDate": "c"}
    price_tick = ([("tickPrice", [7, 2, 1.0873, {"canAutoExecute": False, "pastLimit": True, "preOpen": True}]),
                   ("tickSize", [7, 3, size(tick_size(version))])] if ibapi
                  else [("priceSizeTick", [7, 2, 1.0873, size(tick_size(version))])])
    return [
        *price_tick,
        ("tickSize", [7, 8, size(31367915)]),
        ("tickGeneric", [7, 49, 1.0]),
        ("tickString", [7, 45, "1701652523"]),
        ("tickReqParams", [7, 0.00005, "9c0001", 3]),
        ("marketDataType", [7, 3]),
        ("tickSnapshotEnd", [7]),
        ("tickByTickBidAsk", [3, 1701652523, 1.08733, 1.08735, size(250000), size(1500000),
                              {"bidPastLow": False, "askPastHigh": True}]),
        ("tickByTickAllLast", [4, 2, 1701652524, 190.5, size(100), {"pastLimit": True, "unreported": False},
                               "ARCA", " T"]),
        ("tickByTickMidPoint", [5, 1701652525, 1.08734]),
        ("historicalData", [9, bars[0]]),
        ("historicalData", [9, bars[1]]),
        ("historicalDataEnd", [9, "20231020 12:59:30", "20231020 13:00:00"]),
        ("historicalDataUpdate", [9, bars[0]]),
        ("headTimestamp", [10, "1072189800"]),
        ("realtimeBar", [11, 1701652525, 1.5, 1.75, 1.25, 1.5, size(300), size(1.55), 4]),
        ("historicalSchedule", [12, "s", "e", "US/Eastern", [session, session]]),
        ("pnl", [20, -12.5, 1.7976931348623157e308, 3.25]),
        ("pnlSingle", [21, size(-100), 1.5, 2.5, 0.0, 19050.0]),
    ]


@pytest.mark.parametrize("pkg,version", INSYNC_CASES)
def test_insync_replies(pkg: str, version: int) -> None:
    calls = plain_calls(feed(pkg, version, reply_frames(version)))
    assert calls[:-1] == expected_replies(pkg, version)
    check_symbol_samples(calls[-1], version)


@pytest.mark.parametrize("version", IBAPI_VERSIONS)
def test_ibapi_replies(version: int) -> None:
    frames = reply_frames(version)
    assert sum(split_frame(f)[0] == "108" for f in frames) == (1 if version >= 196 else 0)
    calls = plain_calls(feed("ibapi", version, frames))
    assert calls[:-1] == expected_replies("ibapi", version)
    check_symbol_samples(calls[-1], version)
