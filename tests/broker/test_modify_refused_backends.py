"""A modify IB refuses, on both client libraries, for every refusal the fake gateway gives a modify
of a working LIMIT order: the original order keeps working at IB, so the broker must keep it
working too (journal and get_orders), raise IB's code to the caller, journal the later fill, and
agree with the gateway (the audit behind the orders_agree invariant and journal_matches_gateway).

ib_insync's Wrapper.error marks a trade Cancelled on any non-warning error to its order id (201
here; 110 is a warning to it), ib_async likewise; neither may reach the journal as CANCELLED.
Real ib_insync / ib_async over the fake's real protocol; nothing is mocked.

The other codes a modify can get from the fake (order_checks.py, state/orders.py) cannot come
from ``modify_order``, which changes only quantity and prices of an order the broker still holds
open: 105 (another contract, account or parent), 321 (exchange, account), 200/387 (contract,
order type), 103/104 (an order already done: the broker refuses those itself, before sending).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ib_harness.broker import BrokerTimeout, IBKRInsyncBroker, Order, OrderRejected, OrderSide, OrderStatus, OrderType
from ib_harness.broker.backends import BACKENDS
from ib_harness.fake_gateway import FakeGateway
from ib_harness.scenarios.order_audit import agreement, audit_orders

from .conftest import BrokerFactory, wait_event

LIMIT = 90.0
WORKING = 100.0  # AAPL well above the buy limit: the order works without filling
CROSSING = 89.5  # below the limit: the order fills


@dataclass(frozen=True)
class Refusal:
    """One way the fake refuses a modify: the terms asked, IB's code and a piece of its text."""
    name: str
    code: int
    text: str
    change: dict[str, float]
    partly_filled: bool = False  # 2 of 4 filled before the modify


REFUSALS = [
    Refusal("margin", 201, "Order rejected", {"quantity": 10_000_000}),
    Refusal("below-filled", 201, "below the quantity already filled", {"quantity": 1}, partly_filled=True),
    Refusal("bad-price", 201, "is not a valid price", {"limit_price": 5e12}),
    Refusal("off-tick", 110, "minimum price variation", {"limit_price": 90.003}),
]


def at_gateway(gateway: FakeGateway, key: str) -> list[tuple[str, float, float, float]]:
    return [(o.status, o.total_quantity, o.filled, o.lmt_price) for o in gateway.brokerage.orders.orders.values()
            if o.order_ref == key]


def disagreements(gateway: FakeGateway, broker: IBKRInsyncBroker) -> list[str]:
    return agreement(broker.journal.orders(), gateway.brokerage.orders.orders.values(), 1)


def audit(gateway: FakeGateway, broker: IBKRInsyncBroker, order: Order) -> dict[str, Any]:
    book = gateway.brokerage.orders
    return audit_orders(broker.journal.orders(), broker.journal.fills(), book.orders.values(), book.executions,
                        {"order": order.key}, [order.key])


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: f"{r.code}-{r.name}")
@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_refused_modify_leaves_the_order_working_and_its_fill_journaled(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str, refusal: Refusal) -> None:
    # wide enough that the fake, not the broker's own bounds, judges the price
    broker = await make_broker(gateway, backend=backend, order_price_range=(1e-6, 1e13))
    book = gateway.brokerage.orders
    gateway.brokerage.market.pin("AAPL", WORKING, spread=0.02)
    quantity = 4.0 if refusal.partly_filled else 2.0
    order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=quantity,
                                           order_type=OrderType.LIMIT, limit_price=LIMIT))
    filled, status = 0.0, OrderStatus.SUBMITTED
    if refusal.partly_filled:
        book.fill_ratio = 0.5
        gateway.brokerage.market.pin("AAPL", CROSSING, spread=0.02)  # one quote: half the order
        gateway.brokerage.market.pin("AAPL", WORKING, spread=0.02)
        book.fill_ratio = 1.0
        filled, status = 2.0, OrderStatus.PARTIALLY_FILLED
        await wait_event(broker, "order", lambda e: e.data["key"] == order.key and e.data["status"] == status.value)
    working = [("Submitted", quantity, filled, LIMIT)]
    assert at_gateway(gateway, order.key) == working

    with pytest.raises(OrderRejected) as refused:
        await broker.modify_order(order.key, **refusal.change)
    assert refused.value.code == refusal.code and refusal.text in refused.value.reason

    assert at_gateway(gateway, order.key) == working  # IB keeps the original order working
    record = broker.journal.order(order.key)
    assert record is not None
    assert (record.status, record.quantity, record.filled, record.limit_price) == \
        (status.value, quantity, filled, LIMIT)
    listed = [(o.status, o.quantity, o.limit_price) for o in await broker.get_orders() if o.key == order.key]
    assert listed == [(status, quantity, LIMIT)]
    assert disagreements(gateway, broker) == []
    details = [d for _, _, d in broker.journal.order_events(order.key)]
    assert any(f"modify refused: IB {refusal.code}" in d for d in details)
    published = [e.data["status"] for e in broker.events.of_kind("order") if e.data["key"] == order.key]
    assert not {"CANCELLED", "REJECTED"} & set(published), published  # never ended, not even for a moment

    gateway.brokerage.market.pin("AAPL", CROSSING, spread=0.02)  # the order it still works fills
    await wait_event(broker, "order", lambda e: e.data["key"] == order.key and e.data["status"] == "FILLED")
    assert at_gateway(gateway, order.key) == [("Filled", quantity, quantity, LIMIT)]
    record = broker.journal.order(order.key)
    assert record is not None and (record.status, record.filled) == ("FILLED", quantity)
    assert sum(f.quantity for f in broker.journal.fills(order.key)) == quantity
    result = audit(gateway, broker, order)
    assert (result["lost"], result["duplicated"], result["details"]) == (0, 0, [])
    assert result["statuses"] == result["gateway_statuses"] == {"order": "FILLED"}  # journal_matches_gateway
    assert disagreements(gateway, broker) == []


@pytest.mark.parametrize("refusal", [REFUSALS[0], REFUSALS[-1]], ids=lambda r: f"{r.code}-{r.name}")
@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_refusal_that_comes_after_the_modify_timed_out_leaves_the_order_working(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str, refusal: Refusal) -> None:
    """IB's refusal of a modify arrives after ``request_timeout`` (the modify raised BrokerTimeout):
    on 201 the libraries mark the trade Cancelled then, with no modify in flight any more; the
    order still works at IB. Before the fix the journal and get_orders said REJECTED until its
    fill; the late refusal (110 as much as 201) was reported nowhere."""
    broker = await make_broker(gateway, backend=backend, request_timeout=0.5)
    gateway.brokerage.market.pin("AAPL", WORKING, spread=0.02)
    order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=2,
                                           order_type=OrderType.LIMIT, limit_price=LIMIT))
    gateway.faults.inject({"kind": "delay_message", "message": "errMsg", "req_id": order.order_id,
                           "delay_ms": 1500, "count": 1})
    mark = len(broker.events.history)
    with pytest.raises(BrokerTimeout):
        await broker.modify_order(order.key, **refusal.change)
    await wait_event(broker, "ib_error", lambda e: e.data["code"] == refusal.code, since=mark)
    assert at_gateway(gateway, order.key) == [("Submitted", 2.0, 0.0, LIMIT)]
    record = broker.journal.order(order.key)
    assert record is not None and (record.status, record.quantity) == ("SUBMITTED", 2.0)
    listed = [(o.status, o.quantity) for o in await broker.get_orders() if o.key == order.key]
    assert listed == [(OrderStatus.SUBMITTED, 2.0)]
    assert disagreements(gateway, broker) == []
    published = [e.data["status"] for e in broker.events.of_kind("order") if e.data["key"] == order.key]
    assert not {"CANCELLED", "REJECTED"} & set(published), published
    late = [e.data for e in broker.events.history[mark:] if e.kind == "modify_refused"]
    assert [(d["key"], d["code"], d["late"]) for d in late] == [(order.key, refusal.code, True)]
    assert any(f"modify refused after its timeout: IB {refusal.code}" in d for _, _, d in broker.journal.order_events(order.key))

    gateway.brokerage.market.pin("AAPL", CROSSING, spread=0.02)
    await wait_event(broker, "order", lambda e: e.data["key"] == order.key and e.data["status"] == "FILLED")
    result = audit(gateway, broker, order)
    assert (result["lost"], result["duplicated"], result["statuses"]) == (0, 0, {"order": "FILLED"})
    assert disagreements(gateway, broker) == []
    cancelled = await broker.cancel_order(order.key)  # done: the answer is the filled order, nothing sent
    assert cancelled.status == OrderStatus.FILLED


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_modify_left_unanswered_by_a_lost_session_waits_for_nothing_after_the_reconnect(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """IB answers a message only on the session that sent it: once the broker has a new session,
    an error to the order is no longer a late answer to that modify (it is read as IB means it)."""
    broker = await make_broker(gateway, backend=backend, request_timeout=0.5)
    gateway.brokerage.market.pin("AAPL", WORKING, spread=0.02)
    order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=2,
                                           order_type=OrderType.LIMIT, limit_price=LIMIT))
    gateway.faults.inject({"kind": "delay_message", "message": "errMsg", "req_id": order.order_id,
                           "delay_ms": 60_000, "count": 1})  # the answer is lost with the session
    with pytest.raises(BrokerTimeout):
        await broker.modify_order(order.key, quantity=10_000_000)
    assert order.key in broker.book.modifies.unanswered
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "crash"})
    await wait_event(broker, "reconnected", since=mark)
    assert broker.book.modifies.unanswered == {}
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "SUBMITTED"
