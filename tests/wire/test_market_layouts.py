"""Market data, historical data, contract search and PnL layouts against the real clients.

Replies are encoded at each server version a client supports and fed to that client's own
decoder; requests are recorded from each client's own send path and decoded back. The official
client silently drops a message with a wrong field count, and ib_insync unpacks exact counts,
so a received callback with the right values proves the layout.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import struct
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pytest

from fake_gateway.wire import in_market as req
from fake_gateway.wire import out_market as out
from fake_gateway.wire.reading import BadRequest, FieldReader
from fake_gateway.wire.spec import frame_fields

CAPTURES = Path(__file__).resolve().parents[1] / "conformance" / "captures"
INSYNC_CASES = [("ib_insync", v) for v in (157, 170, 176)] + [("ib_async", v) for v in (157, 170, 176, 178)]
IBAPI_VERSIONS = (157, 170, 176, 178, 190, 196, 200)
REQUEST_CASES = ([("ib_insync", v) for v in (157, 176)] + [("ib_async", v) for v in (157, 176, 178)]
                 + [("ibapi", v) for v in (157, 176, 200)])
BY_ID = {spec.msg_id: spec for spec in req.REQUESTS}


def split_frame(frame: bytes) -> list[str]:
    """Undo the framing: the length prefix must match, and every field ends with a NUL."""
    (length,) = struct.unpack(">I", frame[:4])
    assert length == len(frame) - 4
    fields = frame[4:].decode().split("\0")
    assert fields[-1] == ""
    return fields[:-1]


def plain(value: Any) -> Any:
    """Client objects (bars, attribs, descriptions) as nested dicts, for comparison."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "__dict__") and not isinstance(value, type):
        return {k: plain(v) for k, v in vars(value).items()}
    return value


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


class Recorder:
    """Stands in for ib_insync's Wrapper: every method call is recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple]] = []

    def __getattr__(self, name: str) -> Callable[..., None]:
        if name.startswith("__"):
            raise AttributeError(name)
        return lambda *args: self.calls.append((name, args))


def insync_feed(pkg: str, version: int, frames: list[bytes]) -> list[tuple[str, Any]]:
    recorder = Recorder()
    decoder = importlib.import_module(f"{pkg}.decoder").Decoder(recorder, version)
    for frame in frames:
        decoder.interpret(split_frame(frame))
    return [(name, plain(args)) for name, args in recorder.calls]


@pytest.mark.parametrize("pkg,version", INSYNC_CASES)
def test_insync_replies(pkg: str, version: int) -> None:
    calls = insync_feed(pkg, version, reply_frames(version))
    bars = [dict(date=b["date"], open=b["open"], high=b["high"], low=b["low"], close=b["close"],
                 volume=float(b["volume"]), average=float(b["wap"]), barCount=b["barCount"]) for b in BARS]
    session = {"startDateTime": "a", "endDateTime": "b", "refDate": "c"}
    assert calls[:-1] == [
        ("priceSizeTick", [7, 2, 1.0873, float(tick_size(version))]),
        ("tickSize", [7, 8, 31367915.0]),
        ("tickGeneric", [7, 49, 1.0]),
        ("tickString", [7, 45, "1701652523"]),
        ("tickReqParams", [7, 0.00005, "9c0001", 3]),
        ("marketDataType", [7, 3]),
        ("tickSnapshotEnd", [7]),
        ("tickByTickBidAsk", [3, 1701652523, 1.08733, 1.08735, 250000.0, 1500000.0,
                              {"bidPastLow": False, "askPastHigh": True}]),
        ("tickByTickAllLast", [4, 2, 1701652524, 190.5, 100.0, {"pastLimit": True, "unreported": False},
                               "ARCA", " T"]),
        ("tickByTickMidPoint", [5, 1701652525, 1.08734]),
        ("historicalData", [9, bars[0]]),
        ("historicalData", [9, bars[1]]),
        ("historicalDataEnd", [9, "20231020 12:59:30", "20231020 13:00:00"]),
        ("historicalDataUpdate", [9, bars[0]]),
        ("headTimestamp", [10, "1072189800"]),
        ("realtimeBar", [11, 1701652525, 1.5, 1.75, 1.25, 1.5, 300.0, 1.55, 4]),
        ("historicalSchedule", [12, "s", "e", "US/Eastern", [session, session]]),
        ("pnl", [20, -12.5, 1.7976931348623157e308, 3.25]),
        ("pnlSingle", [21, -100.0, 1.5, 2.5, 0.0, 19050.0]),
    ]
    check_symbol_samples(calls[-1], version)


def ibapi_recorder() -> Any:
    from ibapi.wrapper import EWrapper

    class IbapiRecorder(EWrapper):
        """Records the callbacks these tests expect, and errors; the rest go to EWrapper's logging."""

        def __init__(self) -> None:
            super().__init__()
            self.calls: list[tuple[str, tuple]] = []

    def recording(name: str) -> Callable[..., None]:
        return lambda self, *args: self.calls.append((name, args))

    for name in ("tickPrice", "tickSize", "tickGeneric", "tickString", "tickReqParams", "marketDataType",
                 "tickSnapshotEnd", "tickByTickBidAsk", "tickByTickAllLast", "tickByTickMidPoint",
                 "historicalData", "historicalDataEnd", "historicalDataUpdate", "headTimestamp",
                 "realtimeBar", "historicalSchedule", "pnl", "pnlSingle", "symbolSamples", "error"):
        setattr(IbapiRecorder, name, recording(name))
    return IbapiRecorder()


def ibapi_feed(version: int, frames: list[bytes]) -> list[tuple[str, Any]]:
    """Decode like ``EClient.run`` does below version 201: id text, then the remaining fields."""
    from ibapi import comm
    from ibapi.decoder import Decoder

    recorder = ibapi_recorder()
    decoder = Decoder(recorder, version)
    for frame in frames:
        payload = frame[4:]
        cut = payload.index(b"\0")
        decoder.interpret(comm.read_fields(payload[cut + 1:]), int(payload[:cut]))
    return [(name, plain(args)) for name, args in recorder.calls]


@pytest.mark.parametrize("version", IBAPI_VERSIONS)
def test_ibapi_replies(version: int) -> None:
    frames = reply_frames(version)
    assert sum(split_frame(f)[0] == "108" for f in frames) == (1 if version >= 196 else 0)
    calls = ibapi_feed(version, frames)
    bars = [dict(date=b["date"], open=b["open"], high=b["high"], low=b["low"], close=b["close"],
                 volume=Decimal(str(b["volume"])), wap=Decimal(str(b["wap"])), barCount=b["barCount"])
            for b in BARS]
    session = {"startDateTime": "a", "endDateTime": "b", "refDate": "c"}
    assert calls[:-1] == [
        ("tickPrice", [7, 2, 1.0873, {"canAutoExecute": False, "pastLimit": True, "preOpen": True}]),
        ("tickSize", [7, 3, Decimal(str(tick_size(version)))]),
        ("tickSize", [7, 8, Decimal(31367915)]),
        ("tickGeneric", [7, 49, 1.0]),
        ("tickString", [7, 45, "1701652523"]),
        ("tickReqParams", [7, 0.00005, "9c0001", 3]),
        ("marketDataType", [7, 3]),
        ("tickSnapshotEnd", [7]),
        ("tickByTickBidAsk", [3, 1701652523, 1.08733, 1.08735, Decimal(250000), Decimal(1500000),
                              {"bidPastLow": False, "askPastHigh": True}]),
        ("tickByTickAllLast", [4, 2, 1701652524, 190.5, Decimal(100), {"pastLimit": True, "unreported": False},
                               "ARCA", " T"]),
        ("tickByTickMidPoint", [5, 1701652525, 1.08734]),
        ("historicalData", [9, bars[0]]),
        ("historicalData", [9, bars[1]]),
        ("historicalDataEnd", [9, "20231020 12:59:30", "20231020 13:00:00"]),
        ("historicalDataUpdate", [9, bars[0]]),
        ("headTimestamp", [10, "1072189800"]),
        ("realtimeBar", [11, 1701652525, 1.5, 1.75, 1.25, 1.5, Decimal(300), Decimal("1.55"), 4]),
        ("historicalSchedule", [12, "s", "e", "US/Eastern", [session, session]]),
        ("pnl", [20, -12.5, 1.7976931348623157e308, 3.25]),
        ("pnlSingle", [21, Decimal(-100), 1.5, 2.5, 0.0, 19050.0]),
    ]
    check_symbol_samples(calls[-1], version)


# --- requests, recorded from each client's own send path --------------------------------------


def insync_capture(pkg: str, version: int, action: Callable[[Any, Any], Any]) -> list[list[str]]:
    """Run ``action(ib, module)`` on an IB whose client is 'connected' to a recording socket."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    sent: list[bytes] = []
    try:
        module = importlib.import_module(pkg)
        ib = module.IB()
        client = ib.client
        client.conn = SimpleNamespace(sendMsg=sent.append, disconnect=lambda: None, numBytesSent=0, numMsgSent=0)
        client.connState, client._apiReady = client.CONNECTED, True
        client._serverVersion, client._reqIdSeq = version, 3

        async def run() -> None:
            try:
                result = action(ib, module)
                if asyncio.iscoroutine(result):
                    await result
            finally:
                pending = asyncio.all_tasks() - {asyncio.current_task()}
                for task in pending:  # requests still waiting for replies that never come
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                client.connState = client.DISCONNECTED  # IB.__del__ then leaves the stub alone

        loop.run_until_complete(run())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return [split_frame(frame) for frame in sent]


def ibapi_capture(version: int, action: Callable[[Any, Callable[..., Any]], None]) -> list[list[str]]:
    from ibapi.client import EClient
    from ibapi.contract import Contract

    def make_contract(**kw: Any) -> Any:
        contract = Contract()
        for key, value in kw.items():
            setattr(contract, key, value)
        return contract

    recorder = ibapi_recorder()
    client = EClient(recorder)
    sent: list[bytes] = []
    client.conn = SimpleNamespace(sendMsg=sent.append, isConnected=lambda: True)
    client.serverVersion_, client.connState = version, EClient.CONNECTED
    action(client, make_contract)
    assert recorder.calls == []  # no client-side error
    return [split_frame(frame) for frame in sent]


STK = dict(conId=265598, symbol="AAPL", secType="STK", exchange="SMART", primaryExchange="NASDAQ", currency="USD")
CASH = dict(conId=12087792, symbol="EUR", secType="CASH", exchange="IDEALPRO", currency="USD")
PROBE = dict(symbol="EUR", secType="CASH", exchange="IDEALPRO", currency="USD")


def ibapi_scenario(scenario: str) -> Callable[[Any, Callable[..., Any]], None]:
    def act(client: Any, make: Callable[..., Any]) -> None:
        stk, cash = make(**STK), make(**CASH)
        if scenario == "mkt":
            client.reqMktData(3, stk, "233,236", False, False, [])
            client.reqMktData(4, cash, "", True, False, [])
            client.cancelMktData(3)
            client.reqMarketDataType(3)
            client.reqTickByTickData(5, cash, "BidAsk", 0, False)
            client.cancelTickByTickData(5)
        elif scenario == "hist":
            client.reqHistoricalData(3, make(**PROBE), "", "30 S", "5 secs", "MIDPOINT", 0, 1, False, [])
            client.reqHistoricalData(4, stk, "", "1 D", "1 min", "TRADES", 1, 2, True, [])
            client.cancelHistoricalData(4)
            client.reqHeadTimeStamp(5, stk, "TRADES", 1, 1)
            client.cancelHeadTimeStamp(5)
            client.reqRealTimeBars(6, stk, 5, "TRADES", True, [])
            client.cancelRealTimeBars(6)
        else:
            client.reqMatchingSymbols(3, "AAP")
            client.reqPnL(4, "DU0000001", "")
            client.reqPnLSingle(5, "DU0000001", "", 265598)
            client.cancelPnL(4)
            client.cancelPnLSingle(5)
    return act


def insync_scenario(scenario: str) -> Callable[[Any, Any], Any]:
    """The same requests through ib_insync's / ib_async's IB methods (reqIds count from 3)."""
    def act(ib: Any, m: Any) -> Any:
        stk, cash = m.Stock("AAPL", "SMART", "USD", primaryExchange="NASDAQ"), m.Forex("EURUSD")
        stk.conId, cash.conId = 265598, 12087792
        if scenario == "mkt":
            ib.reqMktData(stk, "233,236")
            ib.reqMktData(cash, "", True)
            ib.client.cancelMktData(3)
            ib.reqMarketDataType(3)
            ib.client.reqTickByTickData(5, cash, "BidAsk", 0, False)
            ib.client.cancelTickByTickData(5)
            return None
        return (history if scenario == "hist" else search)(ib, m, stk)

    async def history(ib: Any, m: Any, stk: Any) -> None:
        # the Watchdog's probe, called exactly as ibcontroller.py calls it
        asyncio.ensure_future(ib.reqHistoricalDataAsync(m.Forex("EURUSD"), "", "30 S", "5 secs", "MIDPOINT", False))
        asyncio.ensure_future(ib.reqHistoricalDataAsync(
            stk, "", "1 D", "1 min", "TRADES", True, formatDate=2, keepUpToDate=True))
        await asyncio.sleep(0)  # each request is sent before its first await
        ib.client.cancelHistoricalData(4)
        asyncio.ensure_future(ib.reqHeadTimeStampAsync(stk, "TRADES", True, 1))
        await asyncio.sleep(0)
        ib.client.cancelHeadTimeStamp(5)
        ib.reqRealTimeBars(stk, 5, "TRADES", True)
        ib.client.cancelRealTimeBars(6)

    async def search(ib: Any, m: Any, stk: Any) -> None:
        asyncio.ensure_future(ib.reqMatchingSymbolsAsync("AAP"))
        await asyncio.sleep(0)
        ib.reqPnL("DU0000001")
        ib.reqPnLSingle("DU0000001", "", 265598)
        ib.cancelPnL("DU0000001")
        ib.cancelPnLSingle("DU0000001", "", 265598)

    return act


def record(pkg: str, version: int, scenario: str) -> list[list[str]]:
    if pkg == "ibapi":
        return ibapi_capture(version, ibapi_scenario(scenario))
    return insync_capture(pkg, version, insync_scenario(scenario))


def decode_exact(fields: list[str], version: int) -> dict[str, Any]:
    """Decode with the spec for the frame's id, insisting that every field is consumed."""
    spec = BY_ID[int(fields[0])]
    if spec.custom is not None:
        reader = FieldReader(fields, spec.name)
        spec.custom(reader, version)
        assert reader.remaining == 0
    return req.decode_strict(spec, fields, version)


def contract(**kw: Any) -> dict[str, Any]:
    return {**dict(lastTradeDateOrContractMonth="", strike=0.0, right="", multiplier="", primaryExchange="",
                   localSymbol="", tradingClass="", includeExpired=False, comboLegs=[],
                   deltaNeutralContract=None), **kw}


@pytest.mark.parametrize("pkg,version", REQUEST_CASES)
def test_market_data_requests(pkg: str, version: int) -> None:
    frames = record(pkg, version, "mkt")
    assert [f[0] for f in frames] == ["1", "1", "2", "59", "97", "98"]
    assert [decode_exact(f, version) for f in frames] == [
        dict(version=11, reqId=3, contract=contract(**STK), genericTickList="233,236",
             snapshot=False, regulatorySnapshot=False, mktDataOptions=""),
        dict(version=11, reqId=4, contract=contract(**CASH), genericTickList="",
             snapshot=True, regulatorySnapshot=False, mktDataOptions=""),
        dict(version=2, reqId=3),
        dict(version=1, marketDataType=3),
        dict(reqId=5, contract=contract(**CASH), tickType="BidAsk", numberOfTicks=0, ignoreSize=False),
        dict(reqId=5),
    ]


@pytest.mark.parametrize("pkg,version", REQUEST_CASES)
def test_historical_requests(pkg: str, version: int) -> None:
    frames = record(pkg, version, "hist")
    assert [f[0] for f in frames] == ["20", "20", "25", "87", "90", "50", "51"]
    probe = "20,3,0,EUR,CASH,,0.0,,,IDEALPRO,,USD,,,0,,5 secs,30 S,0,MIDPOINT,1,0,"  # as in ib-facts.md
    if pkg == "ibapi":  # ibapi 10.46's Contract.strike defaults to UNSET_DOUBLE, sent empty
        probe = probe.replace(",0.0,", ",,")
    assert ",".join(frames[0]) == probe
    assert [decode_exact(f, version) for f in frames] == [
        dict(reqId=3, contract=contract(conId=0, **PROBE), endDateTime="", barSizeSetting="5 secs",
             durationStr="30 S", useRTH=False, whatToShow="MIDPOINT", formatDate=1, keepUpToDate=False,
             chartOptions=""),
        dict(reqId=4, contract=contract(**STK), endDateTime="", barSizeSetting="1 min", durationStr="1 D",
             useRTH=True, whatToShow="TRADES", formatDate=2, keepUpToDate=True, chartOptions=""),
        dict(version=1, reqId=4),
        dict(reqId=5, contract=contract(**STK), useRTH=True, whatToShow="TRADES", formatDate=1),
        dict(reqId=5),
        dict(version=3, reqId=6, contract=contract(**STK), barSize=5, whatToShow="TRADES", useRTH=True,
             realTimeBarsOptions=""),
        dict(version=1, reqId=6),
    ]


@pytest.mark.parametrize("pkg,version", REQUEST_CASES)
def test_search_and_pnl_requests(pkg: str, version: int) -> None:
    frames = record(pkg, version, "search")
    assert [f[0] for f in frames] == ["81", "92", "94", "93", "95"]
    assert [decode_exact(f, version) for f in frames] == [
        dict(reqId=3, pattern="AAP"),
        dict(reqId=4, account="DU0000001", modelCode=""),
        dict(reqId=5, account="DU0000001", modelCode="", conId=265598),
        dict(reqId=4),
        dict(reqId=5),
    ]


def test_bag_and_delta_neutral_sections() -> None:
    """Conditional sections, laid out as ib_insync's and ibapi's reqMktData/reqHistoricalData send them."""
    head = ["1", "11", "8", "28812380", "SPX", "BAG", "", "0.0", "", "", "SMART", "", "USD", "", ""]
    mkt = head + ["2", "1", "1", "BUY", "SMART", "2", "2", "SELL", "CBOE",
                  "1", "756733", "0.5", "4500.25", "", "0", "0", ""]
    decoded = decode_exact(mkt, 176)
    assert decoded["contract"]["comboLegs"] == [dict(conId=1, ratio=1, action="BUY", exchange="SMART"),
                                                dict(conId=2, ratio=2, action="SELL", exchange="CBOE")]
    assert decoded["contract"]["deltaNeutralContract"] == dict(conId=756733, delta=0.5, price=4500.25)
    hist = ["20", "8", *head[3:], "0", "", "1 hour", "1 D", "1", "TRADES", "1",
            "1", "5", "1", "BUY", "SMART", "0", "XYZ=1;"]
    decoded = decode_exact(hist, 200)
    assert decoded["contract"]["comboLegs"] == [dict(conId=5, ratio=1, action="BUY", exchange="SMART")]
    assert (decoded["keepUpToDate"], decoded["chartOptions"]) == (False, "XYZ=1;")
    with pytest.raises(BadRequest):
        req.decode_strict(req.REQ_PNL, ["92", "1", "DU1", "", "extra"], 176)
    with pytest.raises(BadRequest):
        req.decode_strict(req.REQ_MKT_DATA, [*mkt, "extra"], 176)
