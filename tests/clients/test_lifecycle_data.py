"""One trading lifecycle, step by step, through each real client over real TCP (market data part).

Steps 1-4 and 7 (orders) are in test_lifecycle_orders.py.

The shared pieces and what every test checks are described in tests/clients/lifecycle.py.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo


from ib_harness.fake_gateway import FakeGateway
from tests.ibapi_app import ibapi_contract
from tests.waiting import until
from tests.clients.lifecycle import AAPL, CLIENTS, EURUSD, LIBRARIES, STEPS, TICKS, asyncio_client, ibapi_client, own_gateway, wait



# ----- 5. 10,000 ticks ---------------------------------------------------------------------------


def _script(gateway: FakeGateway) -> float:
    """Bid, ask and last move on every step; the path ends on a price seen nowhere before."""
    final = 191.0
    gateway.brokerage.market.set_path(AAPL, [190.0 + 0.01 * (i % 2) for i in range(STEPS)] + [final], spread=0.02)
    return final


async def _drive(gateway: FakeGateway) -> None:
    market = gateway.brokerage.market
    for _ in range(0, STEPS + 1, 100):
        market.step(AAPL, 100)
        await asyncio.sleep(0)  # let the gateway write (and in-loop clients read) between batches


@CLIENTS
async def test_ten_thousand_ticks_reach_the_client(client: str) -> None:
    async with own_gateway() as gateway:
        market = gateway.brokerage.market
        market.set_quote(AAPL, 189.99, 190.01, last=190.0)
        if client == "ibapi":
            async with ibapi_client(gateway, 5) as app:
                app.reqMktData(1001, ibapi_contract("AAPL"), "", False, False, [])
                await until(lambda: {1, 2, 4} <= {c[1] for c in app.calls["tickPrice"]}, what="bid/ask/last")
                prices, sizes = len(app.calls["tickPrice"]), len(app.calls["tickSize"])
                final = _script(gateway)
                await _drive(gateway)
                quote = market.quote(AAPL)
                assert quote.last == final
                await until(lambda: any(c[:3] == (1001, 4, final) for c in app.calls["tickPrice"][-10:])
                            and any(c[:3] == (1001, 8, Decimal(str(quote.volume))) for c in app.calls["tickSize"][-10:]),
                            timeout=3, what=f"the final ticks (saw {len(app.calls['tickPrice'])} tickPrice)")
                new_prices = len(app.calls["tickPrice"]) - prices
                new_sizes = len(app.calls["tickSize"]) - sizes
                assert new_prices >= TICKS  # one tickPrice message each, so >= 10,000 messages
                assert new_prices + new_sizes >= 2 * TICKS
                assert {c[0] for c in app.calls["tickPrice"]} == {1001}
                bids = [c[2] for c in app.calls["tickPrice"] if c[1] == 1]
                assert bids[-1] == quote.bid == 190.99
                app.cancelMktData(1001)
                await until(lambda: not market.watched, what="the line to be released")
        else:
            library = LIBRARIES[client]
            async with asyncio_client(library, gateway, 5) as (ib, _):
                [stock] = await ib.qualifyContractsAsync(library.Stock("AAPL", "SMART", "USD"))  # ib_async needs a conId
                ticker = ib.reqMktData(stock)
                await until(lambda: ticker.last == 190.0 and ticker.bid == 189.99, what="first ticks")
                seen = [0]
                ib.pendingTickersEvent += lambda tickers: seen.__setitem__(0, seen[0] + sum(len(t.ticks) for t in tickers))
                received = ib.client._numMsgRecv
                final = _script(gateway)
                await _drive(gateway)
                quote = market.quote(AAPL)
                await until(lambda: ticker.last == final and ticker.volume == quote.volume, timeout=3,
                            what=f"the final ticks (saw {seen[0]})")
                assert seen[0] >= TICKS
                assert ib.client._numMsgRecv - received >= TICKS
                assert (ticker.bid, ticker.ask, ticker.high) == (quote.bid, quote.ask, final)
                ib.cancelMktData(ticker.contract)
                await until(lambda: not market.watched, what="the line to be released")


# ----- 6. bars and the Watchdog probe ---------------------------------------------------------


def _ibapi_bar_time(text: str) -> float:
    stamp, zone = text.rsplit(" ", 1)
    return datetime.strptime(stamp, "%Y%m%d %H:%M:%S").replace(tzinfo=ZoneInfo(zone)).timestamp()


@CLIENTS
async def test_bars_and_the_watchdog_probe_end_at_the_market(client: str) -> None:
    async with own_gateway() as gateway:
        market = gateway.brokerage.market
        market.pin(AAPL, 191.23, spread=0.02)
        market.pin(EURUSD, 1.0875, spread=0.0001)
        price, mid = market.last(AAPL), market.quote(EURUSD).mid
        assert (price, mid) == (191.23, 1.0875)
        asked = gateway.clock()  # the last bar is the one in progress when the request arrives
        if client == "ibapi":
            async with ibapi_client(gateway, 6) as app:
                app.reqHistoricalData(61, ibapi_contract("AAPL"), "", "1 D", "5 mins", "TRADES", 0, 1, False, [])
                app.reqHistoricalData(62, ibapi_contract("EUR", "CASH", "IDEALPRO"), "", "30 S", "5 secs",
                                      "MIDPOINT", 0, 1, False, [])
                await wait(app, "historicalDataEnd", 2)
                bars = [c[1] for c in app.calls["historicalData"] if c[0] == 61]
                probe = [c[1] for c in app.calls["historicalData"] if c[0] == 62]
                now = gateway.clock()
                assert len(bars) == 288 and bars[-1].close == price
                assert asked - 300 < _ibapi_bar_time(bars[-1].date) <= now
                assert all(b.low <= min(b.open, b.close) and b.high >= max(b.open, b.close) for b in bars)
                assert len(probe) == 6 and probe[-1].close == mid
                assert all(b.volume == Decimal(-1) for b in probe)
                assert asked - 5 < _ibapi_bar_time(probe[-1].date) <= now
        else:
            library = LIBRARIES[client]
            async with asyncio_client(library, gateway, 6) as (ib, _):
                stock = library.Stock("AAPL", "SMART", "USD")
                bars = await asyncio.wait_for(ib.reqHistoricalDataAsync(stock, "", "1 D", "5 mins", "TRADES", False), 2)
                probe = await asyncio.wait_for(ib.reqHistoricalDataAsync(
                    library.Watchdog.probeContract, "", "30 S", "5 secs", "MIDPOINT", False), 2)
                now = gateway.clock()
                assert len(bars) == 288 and bars[-1].close == price
                assert asked - 300 < bars[-1].date.timestamp() <= now
                assert all(b.low <= min(b.open, b.close) and b.high >= max(b.open, b.close) for b in bars)
                assert len(probe) == 6 and probe[-1].close == mid
                assert all(b.volume == -1 for b in probe)
                assert asked - 5 < probe[-1].date.timestamp() <= now
