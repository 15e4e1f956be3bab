"""IB's own fields come back (issue 23 item 3): reconnect -> modify -> cancel, every order type.

After a reconnect a client knows its working orders only from openOrder, which carries IB's own
defaults (``deltaNeutralOrderType='None'``, ``clearingIntent='IB'``, ``adjustedOrderType='None'``
...). ib_insync and ib_async rebuild the order from it and send it back unchanged on a modify;
ibapi users do the same with the Order their openOrder callback got. IB accepts it, so the fake
must too: every value the fake sends in openOrder is accepted back.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from ibapi.order import Order as IbapiOrder

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.state.order_checks import ORDER_TYPES
from tests.clients.lifecycle import LIBRARIES, asyncio_client, ibapi_client, wait
from tests.ibapi_app import ibapi_contract
from tests.waiting import until

AAPL = 265598

# type -> (BUY order fields that keep it working at bid 190.00 / ask 190.02, the field a modify changes)
WORKING: dict[str, tuple[dict[str, Any], str]] = {
    "LMT": ({"lmtPrice": 150.0}, "lmtPrice"),
    "STP": ({"auxPrice": 250.0}, "auxPrice"),
    "STP LMT": ({"auxPrice": 250.0, "lmtPrice": 251.0}, "lmtPrice"),
    "TRAIL": ({"auxPrice": 60.0}, "auxPrice"),
    "TRAIL LIMIT": ({"auxPrice": 60.0, "lmtPriceOffset": 1.0}, "auxPrice"),
    "MIT": ({"auxPrice": 150.0}, "auxPrice"),
    "LIT": ({"auxPrice": 150.0, "lmtPrice": 150.0}, "auxPrice"),
    "LOC": ({"lmtPrice": 150.0}, "lmtPrice"),
    "MOC": ({}, "totalQuantity"),
}
TYPES = sorted(ORDER_TYPES - {"MKT"})  # a market order fills at once: there is nothing left to modify


def test_every_modelled_type_but_mkt_is_taken_through_the_flow() -> None:
    assert set(TYPES) | {"MKT"} == ORDER_TYPES and set(TYPES) <= set(WORKING)


def gateway() -> FakeGateway:
    gw = FakeGateway(market_ticker=False)
    gw.brokerage.set_quote(AAPL, 190.0, 190.02, 190.01)
    return gw


def modified_at_ib(gw: FakeGateway, order_id: int, order_type: str, field: str) -> Any:
    """The gateway's view of the field a modify changes."""
    order = gw.brokerage.orders.get(order_id)
    assert order is not None
    if field == "auxPrice" and order_type.startswith("TRAIL"):
        return order.trailing_amount
    return {"lmtPrice": order.lmt_price, "auxPrice": order.aux_price, "totalQuantity": order.total_quantity}[field]


def _changed(field: str, value: Any) -> Any:
    return value + 1 if field == "totalQuantity" else round(float(value) - 1.0, 2)


@pytest.mark.parametrize("library", ["ib_insync", "ib_async"])
@pytest.mark.parametrize("order_type", TYPES)
async def test_reconnect_modify_cancel_with_an_asyncio_client(library: str, order_type: str) -> None:
    lib = LIBRARIES[library]
    fields, modified = WORKING[order_type]
    async with gateway() as gw:
        async with asyncio_client(lib, gw, 3) as (ib, _):
            stock = lib.Stock("AAPL", "SMART", "USD")
            order = lib.Order(action="BUY", totalQuantity=5, orderType=order_type, tif="DAY", **fields)
            trade = ib.placeOrder(stock, order)
            await until(lambda: trade.orderStatus.status in ("Submitted", "PreSubmitted"), what="a working order")
            order_id = order.orderId
        await until(lambda: gw.session_for(3) is None, what="the first connection to end")
        async with asyncio_client(lib, gw, 3, expected=[202]) as (ib, errors):  # the same client id reconnects
            [rebuilt] = [t for t in ib.openTrades() if t.order.orderId == order_id]
            value = _changed(modified, getattr(rebuilt.order, modified))
            setattr(rebuilt.order, modified, value)
            ib.placeOrder(rebuilt.contract, rebuilt.order)  # IB's own fields go back as they came
            def refused() -> list[tuple[int, int, str]]:
                return [e for e in errors if e[0] == order_id]

            await until(lambda: modified_at_ib(gw, order_id, order_type, modified) == value or refused(),
                        what="the modify's answer")
            assert not refused(), f"the modify was refused: {refused()}"
            ib.cancelOrder(rebuilt.order)
            await until(lambda: rebuilt.orderStatus.status == "Cancelled", what="the cancel")


def _ibapi_order(order_type: str, fields: dict[str, Any]) -> IbapiOrder:
    order = IbapiOrder()
    order.action, order.totalQuantity, order.orderType, order.tif = "BUY", Decimal(5), order_type, "DAY"
    for key, value in fields.items():
        setattr(order, key, value)
    return order


@pytest.mark.parametrize("order_type", TYPES)
async def test_reconnect_modify_cancel_with_ibapi(order_type: str) -> None:
    fields, modified = WORKING[order_type]
    stock = ibapi_contract("AAPL")
    async with gateway() as gw:
        async with ibapi_client(gw, 4) as app:
            order_id = app.calls["nextValidId"][0][0]
            app.placeOrder(order_id, stock, _ibapi_order(order_type, fields))
            await wait(app, "orderStatus", 1, 3.0, lambda c: c[0] == order_id)
        await until(lambda: gw.session_for(4) is None, what="the first connection to end")
        async with ibapi_client(gw, 4, expected=[202]) as app:
            app.reqOpenOrders()
            [(_, contract, echoed, _)] = await wait(app, "openOrder", 1, 3.0, lambda c: c[0] == order_id)
            setattr(echoed, modified, _changed(modified, getattr(echoed, modified)))
            app.placeOrder(order_id, contract, echoed)  # everything IB sent, sent back
            app.reqCurrentTime()
            await wait(app, "currentTime")
            await asyncio.sleep(0.1)
            refused = [c for c in app.calls["error"] if c[0] == order_id and c[2] != 202]
            assert not refused, f"the modify was refused: {refused}"
            assert modified_at_ib(gw, order_id, order_type, modified) == getattr(echoed, modified)
            app.cancelOrder(order_id, _cancel())
            await wait(app, "orderStatus", 1, 3.0, lambda c: c[0] == order_id and c[1] == "Cancelled")


def _cancel() -> Any:
    try:
        from ibapi.order_cancel import OrderCancel
    except ImportError:  # older ibapi: cancelOrder(orderId, manualCancelOrderTime)
        return ""
    return OrderCancel()
