"""Orders whose orderStatus frames are lost (the two bugs explore found, scenarios/library/found/).

IB sends more than orderStatus: openOrder (with IB's status in its orderState), execDetails, and
completedOrder (with the filled quantity). With every orderStatus lost, the journal must still
agree with the gateway field for field: status, filled quantity, average price. Real ib_insync
and ib_async over the fake's wire; the fault drops the frames on the way out.
"""

from __future__ import annotations

from typing import Any

import pytest

from ib_harness.broker import Order, OrderSide, OrderStatus, OrderType
from ib_harness.broker.backends import BACKENDS
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory

pytestmark = [pytest.mark.parametrize("backend", BACKENDS), pytest.mark.virtual_clock]  # production timings


def _order(price: float, quantity: float = 11, side: OrderSide = OrderSide.BUY) -> Order:
    return Order(symbol="AAPL", side=side, quantity=quantity, order_type=OrderType.LIMIT, limit_price=price)


def _at_gateway(gateway: FakeGateway, key: str) -> Any:
    book = gateway.brokerage.orders
    found = [o for o in [*book.open_orders(), *book.completed_orders(False)] if o.order_ref == key]
    assert len(found) == 1, f"{key} is at the gateway {len(found)} times"
    return found[0]


async def test_an_order_seen_only_in_open_order_is_working_not_unsent(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """Every orderStatus lost: IB's openOrder (PreSubmitted/Submitted) is its acknowledgement.
    Before the fix the broker declared the working order NOT_SENT (OrderNotSent)."""
    broker = await make_broker(gateway, backend=backend)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    drop = gateway.faults.inject({"kind": "drop_message", "message": "orderStatus"})
    placed = await broker.place_order(_order(price=90.0))
    drop.stop()
    record = broker.journal.order(placed.key)
    assert record is not None and record.status == OrderStatus.SUBMITTED.value and record.acknowledged
    at_ib = _at_gateway(gateway, placed.key)
    assert at_ib.status in ("PreSubmitted", "Submitted") and record.perm_id == at_ib.perm_id
    assert record.filled == at_ib.filled == 0


async def test_an_unacknowledged_order_found_in_the_open_orders_answer_is_adopted(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """The placement's openOrder lost too: the open-orders answer carries the order (openOrder)
    but its orderStatus is lost again. Found, not NOT_SENT, and never resent."""
    broker = await make_broker(gateway, backend=backend)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    gateway.faults.inject({"kind": "drop_message", "message": "openOrder", "count": 1})
    drop = gateway.faults.inject({"kind": "drop_message", "message": "orderStatus"})
    placed = await broker.place_order(_order(price=90.0))
    drop.stop()
    assert broker.events.of_kind("order_unacknowledged")
    record = broker.journal.order(placed.key)
    assert record is not None and record.status == OrderStatus.SUBMITTED.value and record.acknowledged
    assert _at_gateway(gateway, placed.key).status in ("PreSubmitted", "Submitted")


@pytest.mark.parametrize("lost", [("orderStatus",), ("orderStatus", "openOrder")], ids="+".join)
async def test_a_fill_whose_order_status_is_lost_is_journaled_with_its_quantity_and_price(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str, lost: tuple[str, ...]) -> None:
    """A marketable order fills at IB; every orderStatus (and openOrder) is lost, the executions
    arrive and acknowledge it. Before the fix the journal said FILLED with filled 0 (the
    completed order's copy found after the ack timeout overwrote it)."""
    broker = await make_broker(gateway, backend=backend)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    drops = [gateway.faults.inject({"kind": "drop_message", "message": message}) for message in lost]
    placed = await broker.place_order(_order(price=101.0))
    for drop in drops:
        drop.stop()
    assert not broker.events.of_kind("order_unacknowledged")
    at_ib = _at_gateway(gateway, placed.key)
    assert at_ib.status == "Filled" and at_ib.filled == 11
    record = broker.journal.order(placed.key)
    assert record is not None
    assert (record.status, record.filled) == (OrderStatus.FILLED.value, at_ib.filled)
    assert record.avg_fill_price == pytest.approx(at_ib.avg_fill_price)
    assert (placed.status, placed.filled) == (OrderStatus.FILLED, 11)


async def test_a_fill_with_its_status_and_executions_lost_takes_the_completed_orders_quantity(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """Neither orderStatus nor execDetails arrive: the completed order's filled quantity and the
    executions asked for again (reqExecutions) settle the journal."""
    broker = await make_broker(gateway, backend=backend)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    for message in ("execDetails", "openOrder"):  # the live ones: asked for again, they arrive
        gateway.faults.inject({"kind": "drop_message", "message": message, "count": 1})
    drop = gateway.faults.inject({"kind": "drop_message", "message": "orderStatus"})
    placed = await broker.place_order(_order(price=101.0))
    drop.stop()
    assert broker.events.of_kind("order_unacknowledged")
    at_ib = _at_gateway(gateway, placed.key)
    assert at_ib.status == "Filled"
    record = broker.journal.order(placed.key)
    assert record is not None
    assert (record.status, record.filled) == (OrderStatus.FILLED.value, at_ib.filled)
    assert record.avg_fill_price == pytest.approx(at_ib.avg_fill_price)
