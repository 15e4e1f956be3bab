"""Market data, historical data, contract search and PnL requests, as the real clients send them.

Each request is recorded from the client's own send path at a server version it supports and
decoded back with our request specs, insisting that every field is consumed: a request decoded
with the wrong layout either leaves fields over or reads the wrong values.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import pytest

from ib_harness.fake_gateway.wire import in_market as req
from ib_harness.fake_gateway.wire.reading import BadRequest

from tests.ibapi_app import ibapi_contract
from tests.wire.client_wire import record_ibapi, record_insync

REQUEST_CASES = ([("ib_insync", v) for v in (157, 176)] + [("ib_async", v) for v in (157, 176, 178)]
                 + [("ibapi", v) for v in (157, 176, 200)])
BY_ID = {spec.msg_id: spec for spec in req.REQUESTS}

STK = dict(conId=265598, symbol="AAPL", secType="STK", exchange="SMART", primaryExchange="NASDAQ", currency="USD")
CASH = dict(conId=12087792, symbol="EUR", secType="CASH", exchange="IDEALPRO", currency="USD")
PROBE = dict(symbol="EUR", secType="CASH", exchange="IDEALPRO", currency="USD")


def ibapi_scenario(scenario: str) -> Callable[[Any], None]:
    """The requests of one scenario through ibapi's EClient methods."""
    def act(client: Any) -> None:
        stk, cash = ibapi_contract(**STK), ibapi_contract(**CASH)
        if scenario == "mkt":
            client.reqMktData(3, stk, "233,236", False, False, [])
            client.reqMktData(4, cash, "", True, False, [])
            client.cancelMktData(3)
            client.reqMarketDataType(3)
            client.reqTickByTickData(5, cash, "BidAsk", 0, False)
            client.cancelTickByTickData(5)
        elif scenario == "hist":
            client.reqHistoricalData(3, ibapi_contract(**PROBE), "", "30 S", "5 secs", "MIDPOINT", 0, 1, False, [])
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
    """The fields of every frame the client sends for ``scenario``."""
    if pkg == "ibapi":
        return record_ibapi(version, ibapi_scenario(scenario))
    return record_insync(pkg, version, insync_scenario(scenario))


def decode_exact(fields: list[str], version: int) -> dict[str, Any]:
    """Decode with the spec for the frame's id, insisting that every field is consumed."""
    return BY_ID[int(fields[0])].decode(fields, version, exact=True)


def contract(**kw: Any) -> dict[str, Any]:
    """A decoded contract: the given fields over the defaults of every other one."""
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
        req.REQ_PNL.decode(["92", "1", "DU1", "", "extra"], 176, exact=True)
    with pytest.raises(BadRequest):
        req.REQ_MKT_DATA.decode([*mkt, "extra"], 176, exact=True)
