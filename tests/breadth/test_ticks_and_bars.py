"""Item 6 of issue 17 (part): 5-second real-time bars that agree with the ticks, and historical
ticks (TRADES, BID_ASK, MIDPOINT) with IB's 1000-tick cap."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import ib_insync
import pytest

from ib_harness.fake_gateway import FakeGateway
from tests.breadth.walk_asyncio import ManualClock
from tests.ibapi_app import RecordingApp, ibapi_contract
from tests.waiting import until

AAPL = 265598


async def test_real_time_bars_agree_with_the_ticks() -> None:
    clock = ManualClock()
    clock.offset = 5 - time.time() % 5 + 0.5  # start just inside a 5-second window
    async with FakeGateway(market_ticker=False, clock=clock) as gateway:
        ib = ib_insync.IB()
        await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=5)
        try:
            [aapl] = await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD"))
            ticker = ib.reqMktData(aapl)
            bars = ib.reqRealTimeBars(aapl, 5, "TRADES", False)
            await until(lambda: ticker.last == ticker.last, what="first ticks")  # not NaN
            market = gateway.brokerage.market
            market.set_path(AAPL, [190.0, 190.5, 189.5, 190.2, 191.0], spread=0.02)
            seen: list[float] = []
            volume_before = market.quote(AAPL).volume
            for _ in range(4):  # four trades inside the window
                market.step(AAPL)
                seen.append(market.quote(AAPL).last)
            volume = market.quote(AAPL).volume - volume_before
            clock.offset += 5  # the next trade opens the next window and closes this bar
            market.step(AAPL)
            await until(lambda: len(bars) == 1, what="the first 5-second bar")
            bar = bars[0]
            assert (bar.open_, bar.high, bar.low, bar.close) == (seen[0], max(seen), min(seen), seen[-1])
            assert bar.volume == volume and bar.count == 4 and min(seen) <= bar.wap <= max(seen)
            assert bar.time.timestamp() % 5 == 0
            await until(lambda: ticker.last == 191.0, what="the tick that opened the next bar")
        finally:
            ib.disconnect()


async def test_historical_ticks_of_each_kind_with_the_cap(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    [aapl] = await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD"))
    end = datetime.fromtimestamp(gateway.clock(), timezone.utc)
    trades = await ib.reqHistoricalTicksAsync(aapl, "", end, 5000, "TRADES", False)
    assert len(trades) == 1000  # IB's cap
    assert all(isinstance(t, ib_insync.HistoricalTickLast) and t.size > 0 and t.exchange == "NASDAQ" for t in trades)
    assert [t.time for t in trades] == sorted(t.time for t in trades) and trades[-1].time <= end
    bid_ask = await ib.reqHistoricalTicksAsync(aapl, "", end, 50, "BID_ASK", False)
    assert len(bid_ask) == 50 and all(t.priceBid < t.priceAsk for t in bid_ask)
    start = datetime.fromtimestamp(int(gateway.clock()) - 3600, timezone.utc)
    mids = await ib.reqHistoricalTicksAsync(aapl, start, "", 20, "MIDPOINT", False)
    assert len(mids) == 20 and mids[0].time >= start
    again = await ib.reqHistoricalTicksAsync(aapl, "", end, 50, "BID_ASK", False)
    assert again == bid_ask  # deterministic from the seed


@pytest.mark.parametrize("what,start,end,code", [
    ("TRADES", "", "", 321), ("BID", "", "20261130 10:00:00 US/Eastern", 321), ("TRADES", "", "yesterday", 10314),
])
async def test_bad_historical_tick_requests_get_ibs_errors(what: str, start: str, end: str, code: int) -> None:
    async with FakeGateway(market_ticker=False) as gateway:
        app = RecordingApp()
        await asyncio.to_thread(app.start, gateway.host, gateway.port, 2)
        try:
            app.reqHistoricalTicks(9, ibapi_contract("AAPL"), start, end, 10, what, 0, True, [])
            [error] = await asyncio.to_thread(app.wait_for, "error", 1, 5.0, lambda c: c[0] == 9)
            assert error[2] == code
        finally:
            await asyncio.to_thread(app.stop)
