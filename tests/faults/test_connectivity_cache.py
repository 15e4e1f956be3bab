"""connectivity_lost_cached: an 1100 during which a client that connects still gets its startup sync
(positions, open orders, executions, account) from the gateway's cache, while market data and every
other request waits for connectivity; real ib_insync."""

from __future__ import annotations

import asyncio

import pytest
from ib_insync import LimitOrder, Stock

from ib_harness.fake_gateway import FakeGateway
from tests.faults.clients import answers, connected
from tests.waiting import until


@pytest.fixture
async def pinned(gateway: FakeGateway) -> FakeGateway:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    return gateway


async def test_a_client_connecting_in_the_outage_gets_the_cached_sync_and_no_market_data(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as first:
        [aapl] = await first.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        bought = first.ib.placeOrder(aapl, LimitOrder("BUY", 3, 101.0))
        working = first.ib.placeOrder(aapl, LimitOrder("BUY", 2, 90.0))
        await until(lambda: bought.orderStatus.status == "Filled" and working.orderStatus.status == "Submitted",
                    what="a fill and a working order")
    handle = pinned.faults.inject({"kind": "connectivity_lost_cached"})
    async with connected(pinned, 1, timeout=3.0) as client:  # the startup sync finishes in the outage
        assert [(p.contract.symbol, p.position) for p in client.ib.positions()] == [("AAPL", 3.0)]
        assert [t.order.orderId for t in client.ib.openTrades()] == [working.order.orderId]
        assert [f.execution.orderId for f in client.ib.fills()] == [bought.order.orderId]
        assert 1100 in client.codes()
        ticker = client.ib.reqMktData(aapl)
        await asyncio.sleep(0.3)
        assert ticker.bid != ticker.bid  # nan: market data needs IB's servers
        details = asyncio.ensure_future(client.ib.reqContractDetailsAsync(Stock("MSFT", "SMART", "USD")))
        await asyncio.sleep(0.3)
        assert not details.done()  # contract details need IB's servers: held
        handle.stop()
        await until(lambda: ticker.bid == pytest.approx(99.99), what="market data after 1102")
        assert [d.contract.symbol for d in await details] == ["MSFT"]  # the held request is answered
        assert await answers(client.ib)
    assert pinned.events.of_kind("answered_from_cache")


async def test_with_plain_connectivity_lost_the_new_client_cannot_finish_its_sync(pinned: FakeGateway) -> None:
    """The difference the new kind makes, on the same client: the targeted 1100 holds the startup sync."""
    pinned.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    with pytest.raises((asyncio.TimeoutError, TimeoutError, ConnectionError)):
        async with connected(pinned, 1, timeout=1.0):
            pass
