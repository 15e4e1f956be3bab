"""The control API's GET /orders (added for the load run's audit): the brokerage's book over HTTP."""

from __future__ import annotations

import httpx
from ib_insync import MarketOrder, Stock

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.control import ControlServer
from tests.faults.clients import connected


async def test_orders_and_executions_of_every_client() -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, connected(gw, 2) as me:
        gw.brokerage.market.pin("AAPL", 190.0, spread=0.02)
        [aapl] = await me.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        order = MarketOrder("BUY", 3)
        order.orderRef = "audit-1"
        trade = me.ib.placeOrder(aapl, order)
        while not trade.isDone():
            await me.ib.updateEvent
        async with httpx.AsyncClient(base_url=control.url) as http:
            book = (await http.get("/orders")).json()
    [listed] = book["orders"]
    assert (listed["order_ref"], listed["client_id"], listed["symbol"], listed["quantity"], listed["status"],
            listed["filled"]) == ("audit-1", 2, "AAPL", 3.0, "Filled", 3.0)
    [execution] = book["executions"]
    assert execution["order_ref"] == "audit-1" and execution["shares"] == 3.0 and execution["price"] > 0
