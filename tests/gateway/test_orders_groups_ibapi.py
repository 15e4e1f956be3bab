"""Brackets and OCA groups through the official ibapi client (its own thread, real TCP)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any, AsyncIterator, Iterable

from ibapi.order import Order as IbapiOrder

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.state.brokerage import Brokerage
from tests.clients.lifecycle import ibapi_client, wait
from tests.ibapi_app import RecordingApp, ibapi_contract

AAPL = 265598


def make_order(action: str, quantity: int, order_type: str, price: float = 0.0, **fields: Any) -> IbapiOrder:
    order = IbapiOrder()
    order.action, order.totalQuantity, order.orderType = action, Decimal(quantity), order_type
    if order_type == "LMT":
        order.lmtPrice = price
    elif order_type == "STP":
        order.auxPrice = price
    for key, value in fields.items():
        setattr(order, key, value)
    return order


@asynccontextmanager
async def session(client_id: int, expected: Iterable[int] = ()) -> AsyncIterator[tuple[Brokerage, RecordingApp, int]]:
    """A still market (AAPL 190.00/190.02) and a connected ibapi app with its first order id."""
    async with FakeGateway(market_ticker=False) as gateway:
        gateway.brokerage.set_quote(AAPL, 190.0, 190.02, 190.01)
        async with ibapi_client(gateway, client_id, expected=expected) as app:
            yield gateway.brokerage, app, app.calls["nextValidId"][0][0]


STOCK = ibapi_contract("AAPL")


def last_status(app: RecordingApp, order_id: int) -> str:
    statuses = [c[1] for c in app.calls["orderStatus"] if c[0] == order_id]
    return statuses[-1] if statuses else ""


async def until_status(app: RecordingApp, order_id: int, status: str) -> None:
    await wait(app, "orderStatus", 1, 3.0, lambda c: c[0] == order_id and c[1] == status)


async def test_ibapi_bracket_children_wait_for_the_parent() -> None:
    async with session(11, expected=[202]) as (broker, app, parent_id):
        app.placeOrder(parent_id, STOCK, make_order("BUY", 50, "LMT", 185.0, transmit=False))
        app.placeOrder(parent_id + 1, STOCK, make_order("SELL", 50, "LMT", 195.0, parentId=parent_id, transmit=False))
        app.reqCurrentTime()  # answered after both held orders were read
        await wait(app, "currentTime")
        assert not app.calls["openOrder"] and not app.calls["orderStatus"]  # held orders are not reported
        app.placeOrder(parent_id + 2, STOCK, make_order("SELL", 50, "STP", 180.0, parentId=parent_id))
        await until_status(app, parent_id, "Submitted")
        await until_status(app, parent_id + 2, "PreSubmitted")
        assert last_status(app, parent_id + 1) == "PreSubmitted"
        children = [c for c in app.calls["orderStatus"] if c[0] in (parent_id + 1, parent_id + 2)]
        assert {c[6] for c in children} == {parent_id}  # orderStatus.parentId
        broker.set_quote(AAPL, 196.0, 196.02, 196.01)  # the take-profit cannot trade before the parent
        broker.set_quote(AAPL, 184.9, 184.95, 184.95)
        await until_status(app, parent_id, "Filled")
        await until_status(app, parent_id + 1, "Submitted")
        broker.set_quote(AAPL, 195.0, 195.02, 195.01)
        await until_status(app, parent_id + 1, "Filled")
        await until_status(app, parent_id + 2, "Cancelled")
        sides = [c[2].side for c in app.calls["execDetails"]]
        assert sides == ["BOT", "SLD"] and broker.default_account.positions[AAPL].quantity == 0


async def test_ibapi_cancelling_the_parent_cancels_the_children() -> None:
    async with session(12, expected=[202]) as (broker, app, parent_id):
        app.placeOrder(parent_id, STOCK, make_order("BUY", 50, "LMT", 185.0, transmit=False))
        app.placeOrder(parent_id + 1, STOCK, make_order("SELL", 50, "LMT", 195.0, parentId=parent_id))
        await until_status(app, parent_id + 1, "PreSubmitted")
        from ibapi.order_cancel import OrderCancel
        app.cancelOrder(parent_id, OrderCancel())
        await until_status(app, parent_id, "Cancelled")
        await until_status(app, parent_id + 1, "Cancelled")


async def test_ibapi_oca_group_a_fill_cancels_the_other() -> None:
    async with session(13, expected=[202]) as (broker, app, first):
        for offset, limit in ((0, 186.0), (1, 185.0)):
            app.placeOrder(first + offset, STOCK, make_order("BUY", 100, "LMT", limit, ocaGroup="exit", ocaType=1))
        await until_status(app, first + 1, "Submitted")
        broker.set_quote(AAPL, 185.8, 185.9, 185.85)
        await until_status(app, first, "Filled")
        await until_status(app, first + 1, "Cancelled")
        opened = [c for c in app.calls["openOrder"] if c[0] == first]
        assert opened[0][2].ocaGroup == "exit" and opened[0][2].ocaType == 1
        assert broker.default_account.positions[AAPL].quantity == 100


async def test_ibapi_oca_group_type_3_can_overfill() -> None:
    async with session(14) as (broker, app, first):
        for offset in (0, 1):
            app.placeOrder(first + offset, STOCK, make_order("BUY", 100, "LMT", 186.0, ocaGroup="x3", ocaType=3))
        await until_status(app, first + 1, "Submitted")
        broker.set_quote(AAPL, 185.8, 185.9, 185.85)
        await until_status(app, first, "Filled")
        await until_status(app, first + 1, "Filled")
        assert broker.default_account.positions[AAPL].quantity == 200
