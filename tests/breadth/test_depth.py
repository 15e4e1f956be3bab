"""Item 5 of issue 17: market depth exchanges, exchange and SMART depth with market makers, the
inserts/updates/deletes as the market moves, and the depth-line limit (309)."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import ib_insync

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.state.depth import Level, changes
from tests.ibapi_app import RecordingApp, ibapi_contract
from tests.waiting import until

AAPL = 265598


async def test_depth_exchanges_and_books_for_ib_insync() -> None:
    async with FakeGateway(market_ticker=False) as gateway:
        ib = ib_insync.IB()
        await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=5)
        try:
            exchanges = await ib.reqMktDepthExchangesAsync()
            assert {("NASDAQ", "STK", "Deep2"), ("IDEALPRO", "CASH", "Deep"), ("CME", "FUT", "Deep")} <= {
                (d.exchange, d.secType, d.serviceDataType) for d in exchanges}
            [aapl] = await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD"))
            gateway.brokerage.market.set_quote(AAPL, 189.94, 189.96)
            smart = ib.reqMktDepth(aapl, 5, isSmartDepth=True)
            await until(lambda: len(smart.domBids) == 5 and len(smart.domAsks) == 5, what="a SMART book")
            assert smart.domBids[0].price == 189.94 and smart.domAsks[0].price == 189.96
            assert [b.price for b in smart.domBids] == sorted((b.price for b in smart.domBids), reverse=True)
            assert [a.price for a in smart.domAsks] == sorted(a.price for a in smart.domAsks)
            assert {b.marketMaker for b in smart.domBids} <= {"NASDAQ", "ARCA", "NYSE", "BATS", "IEX", "EDGX", "MEMX", "BYX"}
            gateway.brokerage.market.set_quote(AAPL, 190.10, 190.12)
            await until(lambda: smart.domBids[0].price == 190.10 and smart.domAsks[0].price == 190.12, what="moved book")
            assert len(smart.domBids) == len(smart.domAsks) == 5
            nasdaq = ib.reqMktDepth(ib_insync.Stock("AAPL", "NASDAQ", "USD", primaryExchange="NASDAQ"), 3)
            await until(lambda: len(nasdaq.domBids) == 3, what="an L2 book with market makers")
            assert all(len(b.marketMaker) == 4 for b in nasdaq.domBids)  # MPIDs: NSDQ, ARCX, GSCO...
        finally:
            ib.disconnect()


async def test_the_fourth_depth_line_is_error_309_for_ibapi() -> None:
    async with FakeGateway(market_ticker=False) as gateway:
        app = RecordingApp()
        await asyncio.to_thread(app.start, gateway.host, gateway.port, 2)
        try:
            for req_id, symbol in enumerate(("AAPL", "MSFT", "AMD", "INTC"), start=1):
                app.reqMktDepth(req_id, ibapi_contract(symbol, exchange="ARCA"), 5, False, [])
            await asyncio.to_thread(app.wait_for, "error", 1, 5.0, lambda c: c[0] == 4)
            assert [c[2] for c in app.calls["error"] if c[0] == 4] == [309]
            await asyncio.to_thread(app.wait_for, "updateMktDepth", 30, 5.0)
            rows = [c for c in app.calls["updateMktDepth"] if c[0] == 1]
            assert {(c[1], c[2]) for c in rows} == {(p, 0) for p in range(5)}  # five inserts
            assert all(isinstance(c[5], Decimal) and c[5] > 0 for c in rows)
            assert not app.calls["updateMktDepthL2"]  # an exchange without market makers: plain depth
            gateway.brokerage.market.set_quote(AAPL, 190.50, 190.52)
            await asyncio.to_thread(app.wait_for, "updateMktDepth", 1, 5.0, lambda c: c[0] == 1 and c[2] == 1)
            assert {c[2] for c in app.calls["updateMktDepth"] if c[0] == 1} == {0, 1}  # inserts, then updates
            app.cancelMktDepth(1, False)
            app.reqMktDepth(5, ibapi_contract("TSLA", exchange="ARCA"), 5, False, [])
            await asyncio.to_thread(app.wait_for, "updateMktDepth", 1, 5.0, lambda c: c[0] == 5)
        finally:
            await asyncio.to_thread(app.stop)


def test_a_shallower_book_deletes_rows_from_the_bottom() -> None:
    old = [Level(10.0, 100), Level(9.9, 200), Level(9.8, 300)]
    new = [Level(10.0, 100), Level(9.95, 50)]
    assert changes(old, new) == [(1, 1, Level(9.95, 50)), (2, 2, Level(9.8, 300))]
    assert changes([], new) == [(0, 0, new[0]), (1, 0, new[1])]
