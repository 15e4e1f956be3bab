"""Orders at the gateway that the journal does not know (intent row lost, another journal file,
another process): adopted at reconcile when they carry the broker's orderRef prefix, and found
before a key the journal does not hold is placed, so one key is never two orders."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from ib_insync import IB, LimitOrder, Stock

from ib_harness.broker import BROKER_KEY_PREFIX, Order, OrderRejected, OrderSide, OrderStatus, OrderType
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, wait_event


def limit_buy(key: str, quantity: float = 2, price: float = 90.0) -> Order:
    return Order(symbol="AAPL", side=OrderSide.BUY, quantity=quantity, order_type=OrderType.LIMIT,
                 limit_price=price, key=key)


def at_gateway(gateway: FakeGateway, key: str) -> list[int]:
    return [o.perm_id for o in gateway.brokerage.orders.orders.values() if o.order_ref == key]


async def test_reconcile_adopts_an_order_of_ours_that_another_journal_placed(
        gateway: FakeGateway, make_broker: BrokerFactory, tmp_path: Path) -> None:
    first = await make_broker(gateway, journal_path=tmp_path / "first.sqlite3")
    placed = await first.place_order(limit_buy(BROKER_KEY_PREFIX + "lost-intent"))
    await first.disconnect()
    second = await make_broker(gateway, journal_path=tmp_path / "second.sqlite3")  # same client id, new journal
    reconciled = second.events.of_kind("reconcile")[0].data["results"]
    assert reconciled["adopted"] == 1
    record = second.journal.order(placed.key)
    assert record is not None
    assert (record.status, record.order_id, record.perm_id, record.symbol, record.side, record.quantity,
            record.order_type, record.limit_price, record.acknowledged) == \
        ("SUBMITTED", placed.order_id, placed.perm_id, "AAPL", "BUY", 2, "LIMIT", 90.0, True)
    assert any("adopted" in d for _, _, d in second.journal.order_events(placed.key))
    cancelled = await second.cancel_order(placed.key)  # tracked like any order it placed itself
    assert cancelled.status == OrderStatus.CANCELLED


async def test_reconcile_leaves_orders_without_the_prefix_alone(
        gateway: FakeGateway, make_broker: BrokerFactory, tmp_path: Path) -> None:
    other = IB()
    await other.connectAsync(gateway.host, gateway.port, clientId=1)
    [aapl] = await other.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
    other.placeOrder(aapl, LimitOrder("BUY", 1, 80.0, orderRef="someone-else"))
    while not at_gateway(gateway, "someone-else"):
        await asyncio.sleep(0.01)
    other.disconnect()
    broker = await make_broker(gateway)
    assert broker.events.of_kind("reconcile")[0].data["results"]["adopted"] == 0
    assert broker.journal.order("someone-else") is None


async def test_one_key_placed_through_two_journals_is_one_order(
        gateway: FakeGateway, make_broker: BrokerFactory, tmp_path: Path) -> None:
    first = await make_broker(gateway, client_id=1, journal_path=tmp_path / "first.sqlite3")
    second = await make_broker(gateway, client_id=2, journal_path=tmp_path / "second.sqlite3")
    key = "shared-idempotency-key"  # any key, prefixed or not
    placed = await first.place_order(limit_buy(key))
    again = await second.place_order(limit_buy(key))
    assert len(at_gateway(gateway, key)) == 1
    assert (again.key, again.perm_id, again.status) == (key, placed.perm_id, OrderStatus.SUBMITTED)
    record = second.journal.order(key)
    assert record is not None and record.perm_id == placed.perm_id and record.quantity == 2
    assert second.events.of_kind("order_adopted")


async def test_a_key_used_at_the_gateway_for_a_different_order_is_refused(
        gateway: FakeGateway, make_broker: BrokerFactory, tmp_path: Path) -> None:
    first = await make_broker(gateway, client_id=1, journal_path=tmp_path / "first.sqlite3")
    second = await make_broker(gateway, client_id=2, journal_path=tmp_path / "second.sqlite3")
    await first.place_order(limit_buy("key-1"))
    with pytest.raises(OrderRejected, match="key-1 .*quantity 2 (at the gateway|in the journal), 5 asked"):
        await second.place_order(limit_buy("key-1", quantity=5))
    assert len(at_gateway(gateway, "key-1")) == 1


async def test_a_key_of_a_completed_order_is_found_too(gateway: FakeGateway, make_broker: BrokerFactory,
                                                      tmp_path: Path) -> None:
    first = await make_broker(gateway, client_id=1, journal_path=tmp_path / "first.sqlite3")
    placed = await first.place_order(limit_buy("done-key"))
    await first.cancel_order(placed.key)
    second = await make_broker(gateway, client_id=2, journal_path=tmp_path / "second.sqlite3")
    again = await second.place_order(limit_buy("done-key"))
    assert again.status == OrderStatus.CANCELLED and again.perm_id == placed.perm_id
    assert len(at_gateway(gateway, "done-key")) == 1


async def test_the_live_reconcile_adopts_another_clients_order_of_ours(
        gateway: FakeGateway, make_broker: BrokerFactory, tmp_path: Path) -> None:
    broker = await make_broker(gateway, client_id=1)
    other = await make_broker(gateway, client_id=2, journal_path=tmp_path / "other.sqlite3")
    placed = await other.place_order(limit_buy(BROKER_KEY_PREFIX + "from-client-2"))
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    gateway.faults.inject({"kind": "connectivity_restored", "client_id": 1})
    reconciled = await wait_event(broker, "reconcile", since=mark)
    assert reconciled.data["results"]["adopted"] == 1
    record = broker.journal.order(placed.key)
    assert record is not None and record.perm_id == placed.perm_id and record.status == "SUBMITTED"


async def test_an_order_of_the_replaced_client_id_that_fills_under_the_fallback_is_journaled(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    broker = await make_broker(gateway, fallback_client_id=9, fallback_poll_interval=0.3)
    order = await broker.place_order(limit_buy(BROKER_KEY_PREFIX + "old-id", price=95.0))
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "linger_client_id", "client_id": 1, "duration": 60})
    gateway.faults.inject({"kind": "crash", "rst": True})
    await wait_event(broker, "reconnected", since=mark)
    assert gateway.session_for(9) is not None and gateway.session_for(1) is None
    await wait_event(broker, "reconcile", lambda e: e.data["cause"].startswith("fallback client id 9"), since=mark)
    filled_from = len(broker.events.history)  # the reconciles at connect are over: only the poll remains
    gateway.brokerage.market.pin("AAPL", 94.0, spread=0.02)  # fills at IB; IB tells client 1 only
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while (record := broker.journal.order(order.key)) is None or record.status != "FILLED":
        assert loop.time() < deadline, f"the fill never reached the journal: {record}"
        await asyncio.sleep(0.05)
    assert record.filled == 2 and [f.quantity for f in broker.journal.fills(order.key)] == [2]
    polled = [e for e in broker.events.history[filled_from:] if e.kind == "reconcile"]
    assert polled and all(e.data["cause"] == "fallback client id 9: orders of client 1" for e in polled)


async def test_cancel_or_modify_of_the_replaced_client_ids_order_is_refused_at_once(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, fallback_client_id=9, fallback_poll_interval=0.3)
    order = await broker.place_order(limit_buy(BROKER_KEY_PREFIX + "owned-by-1"))
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "linger_client_id", "client_id": 1, "duration": 60})
    gateway.faults.inject({"kind": "crash", "rst": True})
    await wait_event(broker, "reconnected", since=mark)
    await wait_event(broker, "reconcile", lambda e: e.data["cause"].startswith("fallback"), since=mark)
    with pytest.raises(OrderRejected, match="placed by client id 1; this session is client id 9"):
        await broker.cancel_order(order.key)  # before: IB's 10147 went unnoticed, BrokerTimeout
    with pytest.raises(OrderRejected, match="placed by client id 1"):
        await broker.modify_order(order.key, limit_price=91.0)
    assert [o.status for o in gateway.brokerage.orders.open_orders()] == ["Submitted"]


async def test_one_minted_order_placed_through_two_brokers_of_one_process_is_one_order(
        gateway: FakeGateway, make_broker: BrokerFactory, tmp_path: Path) -> None:
    first = await make_broker(gateway, client_id=1, journal_path=tmp_path / "first.sqlite3")
    second = await make_broker(gateway, client_id=2, journal_path=tmp_path / "second.sqlite3")
    order = Order(symbol="AAPL", side=OrderSide.BUY, quantity=2, order_type=OrderType.LIMIT, limit_price=90.0)
    placed = await first.place_order(order)  # a key minted here: no look-up needed the first time
    again = await second.place_order(order)
    assert again.perm_id == placed.perm_id and len(at_gateway(gateway, order.key)) == 1


async def test_after_connect_another_clients_open_order_of_ours_is_adopted(
        gateway: FakeGateway, make_broker: BrokerFactory, tmp_path: Path) -> None:
    other = await make_broker(gateway, client_id=2, journal_path=tmp_path / "other.sqlite3")
    placed = await other.place_order(limit_buy(BROKER_KEY_PREFIX + "open-at-client-2"))
    broker = await make_broker(gateway, client_id=1)
    await wait_event(broker, "reconcile", lambda e: e.data["results"]["adopted"] == 1)
    record = broker.journal.order(placed.key)
    assert record is not None and record.perm_id == placed.perm_id and record.status == "SUBMITTED"
