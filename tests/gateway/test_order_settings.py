"""Order settings from GatewayConfig: the master API client and partial fills, seen by ib_insync."""

from __future__ import annotations

import ib_insync

from ib_harness.fake_gateway import FakeGateway
from tests.waiting import until

AAPL = 265598


async def test_master_client_sees_every_clients_orders_and_fills() -> None:
    async with FakeGateway(master_client_id=9, market_ticker=False) as gw:
        trader, master = ib_insync.IB(), ib_insync.IB()
        await trader.connectAsync(gw.host, gw.port, clientId=1, timeout=5)
        await master.connectAsync(gw.host, gw.port, clientId=9, timeout=5)
        try:
            gw.brokerage.market.pin(AAPL, 190.0, spread=0.02)
            contract = ib_insync.Stock("AAPL", "SMART", "USD", conId=AAPL)
            trade = trader.placeOrder(contract, ib_insync.LimitOrder("BUY", 10, 185.0))
            await until(lambda: any(t.order.permId == trade.order.permId for t in master.openTrades()),
                        what="the master client to see client 1's order")
            gw.brokerage.market.pin(AAPL, 184.0, spread=0.02)
            await until(lambda: trade.orderStatus.status == "Filled", what="the fill")
            await until(lambda: any(f.execution.permId == trade.order.permId for f in master.fills()),
                        what="the master client to see the fill")
        finally:
            trader.disconnect()
            master.disconnect()


async def test_fill_ratio_makes_partial_fills() -> None:
    async with FakeGateway(fill_ratio=0.5, market_ticker=False) as gw:
        ib = ib_insync.IB()
        await ib.connectAsync(gw.host, gw.port, clientId=1, timeout=5)
        try:
            gw.brokerage.market.pin(AAPL, 190.0, spread=0.02)
            contract = ib_insync.Stock("AAPL", "SMART", "USD", conId=AAPL)
            trade = ib.placeOrder(contract, ib_insync.LimitOrder("BUY", 100, 185.0))
            await until(lambda: trade.orderStatus.status == "Submitted", what="the order to work")
            gw.brokerage.market.pin(AAPL, 184.0, spread=0.02)
            await until(lambda: trade.orderStatus.filled == 50, what="a first partial fill of 50")
            assert trade.orderStatus.status == "Submitted" and trade.orderStatus.remaining == 50
            gw.brokerage.market.pin(AAPL, 184.5, spread=0.02)
            await until(lambda: trade.orderStatus.status == "Filled", what="the rest")
            assert [f.execution.shares for f in trade.fills] == [50, 50]  # half of the order per quote
        finally:
            ib.disconnect()
