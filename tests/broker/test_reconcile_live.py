"""Fills the broker never got a status for: executions settle the order, and after 1101/1102 the
broker reconciles on the live session from open orders, completed orders and executions."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.broker import BrokerState, IBKRInsyncBroker, Order, OrderSide, OrderStatus, OrderType
from ib_harness.fake_gateway import FakeGateway

from .conftest import wait_event, wait_state

pytestmark = pytest.mark.virtual_clock  # production timings: the broker's defaults


def limit_buy(price: float, quantity: float = 10) -> Order:
    return Order(symbol="AAPL", side=OrderSide.BUY, quantity=quantity, order_type=OrderType.LIMIT, limit_price=price)


async def test_a_fill_settles_the_order_when_its_status_is_lost(gateway: FakeGateway,
                                                                broker: IBKRInsyncBroker) -> None:
    gateway.brokerage.market.pin("AAPL", 188.0, spread=0.02)
    order = await broker.place_order(limit_buy(187.0))
    assert order.status == OrderStatus.SUBMITTED
    gateway.faults.inject({"kind": "drop_message", "message": "orderStatus", "client_id": 1})
    gateway.faults.inject({"kind": "drop_message", "message": "openOrder", "client_id": 1})
    gateway.brokerage.market.pin("AAPL", 186.0, spread=0.02)
    await wait_event(broker, "fill", lambda e: e.data["key"] == order.key)
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "FILLED" and record.filled == 10
    assert record.avg_fill_price is not None and record.avg_fill_price <= 187.0
    [placed] = [o for o in await broker.get_orders(OrderStatus.FILLED) if o.key == order.key]
    assert placed.filled == 10


async def test_1102_delivers_the_fill_held_during_the_loss_and_reconcile_agrees(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    gateway.brokerage.market.pin("AAPL", 188.0, spread=0.02)
    order = await broker.place_order(limit_buy(187.0))
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    await wait_state(broker, BrokerState.DEGRADED)
    gateway.brokerage.market.pin("AAPL", 186.0, spread=0.02)  # filled at IB; the gateway relays nothing yet
    assert gateway.brokerage.orders.open_orders() == []
    await asyncio.sleep(0.1)
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "SUBMITTED" and broker.journal.fills(order.key) == []
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "connectivity_restored", "client_id": 1})
    reconciled = await wait_event(broker, "reconcile", since=mark)
    assert reconciled.data["cause"] == "IB 1102"
    # the held fill arrived right after the 1102 and settled the order before reconcile looked:
    # nothing was left to reconcile
    assert reconciled.data["results"] == {"matched": 0, "not_sent": 0, "unconfirmed": 0, "missing": 0, "fills_recorded": 0, "adopted": 0}
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "FILLED" and record.filled == 10
    assert [f.quantity for f in broker.journal.fills(order.key)] == [10]


def lose_the_held_order_events(gateway: FakeGateway) -> None:
    """Drop the next openOrder, orderStatus, execDetails and commissionReport of client 1: the
    order events the gateway held during an 1100 and relays when connectivity returns."""
    for message in ("orderStatus", "openOrder", "execDetails", "commissionReport"):
        gateway.faults.inject({"kind": "drop_message", "message": message, "client_id": 1, "count": 1})


async def test_1102_reconciles_a_fill_whose_status_and_execution_were_both_lost(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    gateway.brokerage.market.pin("AAPL", 188.0, spread=0.02)
    order = await broker.place_order(limit_buy(187.0))
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    await wait_state(broker, BrokerState.DEGRADED)
    lose_the_held_order_events(gateway)
    gateway.brokerage.market.pin("AAPL", 186.0, spread=0.02)  # fills at the gateway; the broker hears nothing
    assert gateway.brokerage.orders.open_orders() == []
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "SUBMITTED"
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "connectivity_restored", "client_id": 1})
    reconciled = await wait_event(broker, "reconcile", since=mark)
    assert reconciled.data["cause"] == "IB 1102"
    assert len(gateway.events.of_kind("message_dropped")) == 4  # the relayed events were the ones lost
    assert reconciled.data["results"]["fills_recorded"] == 1 and reconciled.data["results"]["matched"] == 1
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "FILLED" and record.filled == 10
    assert [f.quantity for f in broker.journal.fills(order.key)] == [10]
    assert broker.events.of_kind("reconnected") == []  # all on the live session


async def test_1101_reconciles_too(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    gateway.brokerage.market.pin("AAPL", 188.0, spread=0.02)
    order = await broker.place_order(limit_buy(187.0, quantity=3))
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    await wait_state(broker, BrokerState.DEGRADED)
    lose_the_held_order_events(gateway)
    gateway.brokerage.market.pin("AAPL", 186.0, spread=0.02)
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "connectivity_restored", "data_lost": True, "client_id": 1})
    reconciled = await wait_event(broker, "reconcile", since=mark)
    assert reconciled.data["cause"] == "IB 1101"
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "FILLED" and record.filled == 3
