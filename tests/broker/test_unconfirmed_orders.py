"""Orders sent but never confirmed: NOT_SENT only when provable (found-lost-acks-and-lookup-order-
declared-not-sent in scenarios/library/found/).

A complete answer of the gateway without the order is no proof: the order's openOrder and
orderStatus frames may be lost in that answer too. The broker says so (OrderUnconfirmed, journal
PENDING), keeps asking, and settles the order on what the gateway shows: the order itself, or its
absence from three complete answers over ``order_absent_after``. Real ib_insync and ib_async over
the fake's wire; the faults drop frames on the way out (or the placeOrder on the way in).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ib_harness.broker import BrokerState, BrokerTimeout, Order, OrderSide, OrderStatus, OrderType, OrderUnconfirmed
from ib_harness.broker.backends import BACKENDS
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, wait_event

pytestmark = pytest.mark.parametrize("backend", BACKENDS)

ABSENT_AFTER = 2.0  # order_absent_after for these tests (production: 30 s)


def _order() -> Order:
    return Order(symbol="AAPL", side=OrderSide.BUY, quantity=7, order_type=OrderType.LIMIT, limit_price=90.0)


def _at_gateway(gateway: FakeGateway, key: str) -> list[Any]:
    book = gateway.brokerage.orders
    return [o for o in [*book.open_orders(), *book.completed_orders(False)] if o.order_ref == key]


async def test_an_order_whose_acks_and_look_up_answer_are_lost_is_unconfirmed_then_found(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """The found file's faults: the openOrder of the ack and of the look-up's answer are lost, so
    are the orderStatus frames. Before the fix: OrderNotSent, the journal NOT_SENT, the order
    working at IB."""
    broker = await make_broker(gateway, backend=backend, order_absent_after=ABSENT_AFTER)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    gateway.faults.inject({"kind": "drop_message", "message": "openOrder", "count": 2})
    gateway.faults.inject({"kind": "drop_message", "message": "orderStatus", "count": 3})
    order = _order()
    with pytest.raises(OrderUnconfirmed, match="unconfirmed") as raised:
        await broker.place_order(order)
    assert raised.value.key == order.key
    record = broker.journal.order(order.key)
    assert record is not None and record.status == OrderStatus.PENDING.value and not record.acknowledged
    [at_ib] = _at_gateway(gateway, order.key)  # it reached IB, once
    await wait_event(broker, "order", lambda e: e.data["key"] == order.key and e.data["status"] == "SUBMITTED",
                     timeout=4 * ABSENT_AFTER)
    record = broker.journal.order(order.key)
    assert record is not None and record.status == OrderStatus.SUBMITTED.value and record.acknowledged
    assert record.perm_id == at_ib.perm_id and len(_at_gateway(gateway, order.key)) == 1
    assert not [e for e in broker.events.of_kind("order") if e.data["status"] == "NOT_SENT"]


async def test_a_swallowed_order_is_not_sent_only_after_three_answers_over_the_absence_window(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """The placeOrder never reaches IB: the caller is told unconfirmed, then the journal says
    NOT_SENT once three complete answers spread over order_absent_after lack the order."""
    broker = await make_broker(gateway, backend=backend, order_absent_after=ABSENT_AFTER)
    gateway.faults.inject({"kind": "drop_message", "message": "placeOrder", "direction": "in", "count": 1})
    order = _order()
    with pytest.raises(OrderUnconfirmed):
        await broker.place_order(order)
    record = broker.journal.order(order.key)
    assert record is not None and record.status == OrderStatus.PENDING.value
    settled = await wait_event(broker, "order", lambda e: e.data["key"] == order.key and e.data["status"] != "SENT",
                               timeout=5 * ABSENT_AFTER)
    assert settled.data["status"] == OrderStatus.NOT_SENT.value
    absences = [(at, d) for at, _, d in broker.journal.order_events(order.key) if d.startswith("unconfirmed")]
    assert len(absences) >= 3 and absences[-1][0] - absences[0][0] >= ABSENT_AFTER * 0.9
    assert _at_gateway(gateway, order.key) == []
    assert broker.state == BrokerState.READY


async def test_a_modify_whose_echo_is_lost_is_looked_up_until_the_gateway_shows_its_terms(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """IB applies the modify, its orderStatus arrives, the openOrder echoing the new limit is lost:
    BrokerTimeout, and the broker looks the order up again (found-lost-modify-echo-keeps-old-limit).
    Before the fix the journal kept the old limit until a reconnect."""
    broker = await make_broker(gateway, backend=backend, order_absent_after=ABSENT_AFTER)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    placed = await broker.place_order(_order())
    gateway.faults.inject({"kind": "drop_message", "message": "openOrder", "count": 1})
    with pytest.raises(BrokerTimeout):
        await broker.modify_order(placed.key, limit_price=91.0)
    [at_ib] = _at_gateway(gateway, placed.key)
    assert at_ib.lmt_price == 91.0
    await wait_event(broker, "reconcile", lambda e: str(e.data["cause"]).startswith("unconfirmed"),
                     timeout=4 * ABSENT_AFTER)
    record = broker.journal.order(placed.key)
    assert record is not None and record.limit_price == 91.0 and record.status == OrderStatus.SUBMITTED.value


async def test_a_filled_order_whose_execution_is_lost_gets_it_asked_for_again(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """orderStatus says Filled, the execDetails is lost: the broker asks for the executions again
    (found-lost-execution-of-filled-order-never-journaled). Before the fix the journal lacked the
    fill until a reconnect."""
    broker = await make_broker(gateway, backend=backend, order_absent_after=ABSENT_AFTER)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    gateway.faults.inject({"kind": "drop_message", "message": "execDetails", "count": 1})
    order = Order(symbol="AAPL", side=OrderSide.BUY, quantity=7, order_type=OrderType.LIMIT, limit_price=101.0)
    placed = await broker.place_order(order)
    assert placed.status == OrderStatus.FILLED and broker.journal.fills(order.key) == []
    await wait_event(broker, "fill", lambda e: e.data["key"] == order.key, timeout=4 * ABSENT_AFTER)
    executions = [e for e in gateway.brokerage.orders.executions if e.order.order_ref == order.key]
    assert sorted(f.exec_id for f in broker.journal.fills(order.key)) == sorted(e.exec_id for e in executions)
    assert sum(f.quantity for f in broker.journal.fills(order.key)) == 7


async def test_a_modify_seen_applied_only_in_a_look_up_answer_is_journaled_with_its_terms(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """The modify's own openOrder and orderStatus are lost; an open-orders look-up running meanwhile
    carries the order at the new limit in an openOrder (which the library files with the answer,
    no event), its orderStatus lost again (found-modify-applied-in-look-up-answer-keeps-old-limit).
    Before the fix modify_order returned with the old limit in the journal."""
    broker = await make_broker(gateway, backend=backend)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    placed = await broker.place_order(_order())
    lost_open = gateway.faults.inject({"kind": "drop_message", "message": "openOrder", "count": 1})
    lost_status = gateway.faults.inject({"kind": "drop_message", "message": "orderStatus", "count": 2})
    modifying = asyncio.ensure_future(broker.modify_order(placed.key, limit_price=91.0))
    await asyncio.wait_for(lost_open.wait_stopped(), 5)  # the modify went out and its answer was lost
    await broker.book.gateway_orders()  # the look-up's answer carries the modified order
    modified = await modifying
    assert lost_status.active is False  # both orderStatus frames were lost
    [at_ib] = _at_gateway(gateway, placed.key)
    assert at_ib.lmt_price == 91.0 and modified.limit_price == 91.0
    record = broker.journal.order(placed.key)
    assert record is not None and record.limit_price == 91.0


async def test_a_fill_known_only_from_an_open_order_is_settled_from_the_gateway(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """A resting order fills while every orderStatus and execDetails is lost; the openOrder says
    Filled. The broker asks the gateway (found-fill-with-status-and-execution-lost-stays-submitted).
    Before the fix the journal kept it SUBMITTED with no fill."""
    broker = await make_broker(gateway, backend=backend, order_absent_after=ABSENT_AFTER)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    placed = await broker.place_order(_order())
    drops = [gateway.faults.inject({"kind": "drop_message", "message": message})
             for message in ("orderStatus", "execDetails")]
    gateway.brokerage.market.pin("AAPL", 89.0, spread=0.02)  # it fills at IB
    while not [o for o in _at_gateway(gateway, placed.key) if o.status == "Filled"]:
        await asyncio.sleep(0.01)
    for drop in drops:  # the fill's frames went out (and were lost) as it filled
        drop.stop()
    await wait_event(broker, "reconcile", lambda e: str(e.data["cause"]).startswith("unconfirmed"),
                     timeout=4 * ABSENT_AFTER)
    [at_ib] = _at_gateway(gateway, placed.key)
    record = broker.journal.order(placed.key)
    assert record is not None and (record.status, record.filled) == ("FILLED", at_ib.filled)
    assert sum(f.quantity for f in broker.journal.fills(placed.key)) == at_ib.filled


async def test_a_cancel_whose_answer_is_lost_is_looked_up_until_the_gateway_shows_it(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """IB cancels the order; its openOrder and orderStatus frames are lost: BrokerTimeout, and the
    broker asks the gateway (found-lost-cancel-answer-keeps-order-working). Before the fix the
    journal kept the order SUBMITTED until a reconnect."""
    broker = await make_broker(gateway, backend=backend, order_absent_after=ABSENT_AFTER)
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    placed = await broker.place_order(_order())
    drops = [gateway.faults.inject({"kind": "drop_message", "message": message})
             for message in ("openOrder", "orderStatus")]
    try:
        cancelled = await broker.cancel_order(placed.key)
    except BrokerTimeout:  # ib_insync: no status came (ib_async reads IB's 202 as the cancel)
        assert backend == "ib_insync"
        for drop in drops:
            drop.stop()
        await wait_event(broker, "reconcile", lambda e: str(e.data["cause"]).startswith("unconfirmed"),
                         timeout=4 * ABSENT_AFTER)
    else:
        assert backend == "ib_async" and cancelled.status == OrderStatus.CANCELLED
    [at_ib] = _at_gateway(gateway, placed.key)
    assert at_ib.status == "Cancelled"
    record = broker.journal.order(placed.key)
    assert record is not None and record.status == OrderStatus.CANCELLED.value
