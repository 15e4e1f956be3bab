"""The control API's GET /orders (added for the load run's audit): the brokerage's book over HTTP."""

from __future__ import annotations

import httpx
from ib_insync import MarketOrder, Stock

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.control import ControlServer
from ib_harness.load.audit import book_from_json
from ib_harness.scenarios.order_audit import audit_orders
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


async def test_the_load_audit_judges_the_book_the_control_api_serves() -> None:
    """The load run's audit reads GET /orders and hands it to the scenario runner's audit, which
    tells a partly filled order from a submitted one by its remaining quantity: the book must
    carry it (without it every load run with chaos crashed in its audit)."""
    async with FakeGateway() as gw, ControlServer(gw) as control, connected(gw, 2) as me:
        gw.brokerage.market.pin("AAPL", 190.0, spread=0.02)
        [aapl] = await me.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        order = MarketOrder("BUY", 3)
        order.orderRef = "audit-2"
        trade = me.ib.placeOrder(aapl, order)
        while not trade.isDone():
            await me.ib.updateEvent
        async with httpx.AsyncClient(base_url=control.url) as http:
            body = (await http.get("/orders")).json()
    [listed] = body["orders"]
    assert listed["remaining"] == 0.0
    orders, executions = book_from_json(body)
    journal = [{"key": "audit-2", "status": "FILLED"}]
    fills = [{"exec_id": e.exec_id} for e in executions]
    result = audit_orders(journal, fills, orders, executions, {"place": "audit-2"}, {"audit-2"})
    assert (result["lost"], result["duplicated"], result["fills"]) == (0, 0, 1)
    assert result["gateway_statuses"] == {"place": "FILLED"}
    # the same book without a journal: the fill is lost, the audit says so instead of crashing
    missing = audit_orders([], [], orders, executions, {}, {"audit-2"})
    assert missing["lost"] == 2
