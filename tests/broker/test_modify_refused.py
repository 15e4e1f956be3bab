"""A modify IB refuses leaves the original order working at IB: the broker must say so at once
(IB's code and text), keep tracking the order as it is at the gateway, and cancel it afterwards."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.broker import IBKRInsyncBroker, Order, OrderRejected, OrderSide, OrderStatus, OrderType
from ib_harness.fake_gateway import FakeGateway

from .conftest import wait_event


def limit_buy(price: float = 90.0, quantity: float = 2) -> Order:
    return Order(symbol="AAPL", side=OrderSide.BUY, quantity=quantity, order_type=OrderType.LIMIT, limit_price=price)


def live_at_gateway(gateway: FakeGateway, key: str) -> list[tuple[float, float, str]]:
    return [(o.total_quantity, o.lmt_price, o.status) for o in gateway.brokerage.orders.open_orders()
            if o.order_ref == key]


async def assert_still_working_and_cancellable(gateway: FakeGateway, broker: IBKRInsyncBroker, order: Order) -> None:
    assert live_at_gateway(gateway, order.key) == [(2, 90.0, "Submitted")]
    record = broker.journal.order(order.key)
    assert record is not None
    assert (record.status, record.quantity, record.limit_price, record.order_id, record.perm_id) == \
        ("SUBMITTED", 2, 90.0, order.order_id, order.perm_id)
    listed = [o for o in await broker.get_orders() if o.key == order.key]
    assert [(o.status, o.quantity, o.limit_price) for o in listed] == [(OrderStatus.SUBMITTED, 2, 90.0)]
    cancelled = await broker.cancel_order(order.key)
    assert cancelled.status == OrderStatus.CANCELLED
    assert live_at_gateway(gateway, order.key) == []


async def test_a_modify_refused_with_201_raises_and_the_order_keeps_working(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    order = await broker.place_order(limit_buy())
    with pytest.raises(OrderRejected) as refused:
        await broker.modify_order(order.key, quantity=10_000_000)  # far above the account's margin
    assert refused.value.code == 201 and "Order rejected" in refused.value.reason
    await assert_still_working_and_cancellable(gateway, broker, order)
    details = [d for _, _, d in broker.journal.order_events(order.key)]
    assert any(d.startswith("modify requested") for d in details)
    assert any("modify refused: IB 201" in d for d in details)


async def test_a_modify_refused_with_110_off_tick_raises_at_once_not_at_the_timeout(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    order = await broker.place_order(limit_buy())
    with pytest.raises(OrderRejected) as refused:  # before the fix: BrokerTimeout after request_timeout
        await broker.modify_order(order.key, limit_price=90.003)  # AAPL's tick is 0.01
    assert refused.value.code == 110
    await assert_still_working_and_cancellable(gateway, broker, order)


async def test_a_modify_refused_after_a_reconnect_raises_too(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    order = await broker.place_order(limit_buy())
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "crash"})
    await wait_event(broker, "reconnected", since=mark)
    with pytest.raises(OrderRejected) as refused:  # before the fix: returned as if it had worked
        await broker.modify_order(order.key, quantity=10_000_000)
    assert refused.value.code == 201
    await assert_still_working_and_cancellable(gateway, broker, order)


async def test_an_accepted_modify_is_journaled_as_the_gateway_echoes_it(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    order = await broker.place_order(limit_buy())
    modified = await broker.modify_order(order.key, quantity=3, limit_price=91.0)
    assert (modified.quantity, modified.limit_price, modified.status) == (3, 91.0, OrderStatus.SUBMITTED)
    assert live_at_gateway(gateway, order.key) == [(3, 91.0, "Submitted")]


async def test_a_modify_answered_while_an_open_orders_request_is_running_is_seen(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    """ib_insync files every openOrder with a running reqOpenOrders/reqAllOpenOrders answer (no
    openOrderEvent then), as when 1102's live reconcile overlaps a modify."""
    order = await broker.place_order(limit_buy())
    gateway.faults.inject({"kind": "delay_message", "message": "openOrderEnd", "delay_ms": 1500, "count": 1})
    broker.reconcile_orders("test")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while "openOrders" not in broker.ib.wrapper._results:  # the open-orders request is running
        assert loop.time() < deadline
        await asyncio.sleep(0.005)
    modified = await broker.modify_order(order.key, limit_price=91.0)  # before: BrokerTimeout
    assert modified.limit_price == 91.0 and live_at_gateway(gateway, order.key) == [(2, 91.0, "Submitted")]
