"""Order safety under faults: nothing lost, nothing sent twice, ids never reused."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest
from ib_insync import IB, LimitOrder, Stock

from ib_harness.broker import (BrokerState, BrokerUnavailable, IBKRInsyncBroker, Order, OrderSide,
                    OrderStatus, OrderType)
from ib_harness.broker.orders import DUPLICATE_ID_RETRIES
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, wait_event, wait_state

ROOT = Path(__file__).resolve().parents[2]


def limit_buy(price: float = 90.0, quantity: float = 2, key: str | None = None) -> Order:
    extra = {"key": key} if key else {}
    return Order(symbol="AAPL", side=OrderSide.BUY, quantity=quantity, order_type=OrderType.LIMIT,
                 limit_price=price, **extra)


# a swallowed placeOrder: tests/broker/test_unconfirmed_orders.py (unconfirmed first, NOT_SENT once proved)


async def test_lost_acknowledgement_is_recovered_from_the_gateway(gateway: FakeGateway,
                                                                  broker: IBKRInsyncBroker) -> None:
    for message in ("openOrder", "orderStatus"):  # the acknowledgement is lost on the way back
        gateway.faults.inject({"kind": "drop_message", "message": message, "count": 1})
    order = await broker.place_order(limit_buy())
    assert order.status == OrderStatus.SUBMITTED and order.perm_id
    assert broker.events.of_kind("order_unacknowledged")
    assert len(gateway.brokerage.orders.open_orders()) == 1  # found, never resent


async def test_fill_while_disconnected_is_recorded_after_reconnect(gateway: FakeGateway,
                                                                   broker: IBKRInsyncBroker) -> None:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    order = await broker.place_order(limit_buy(price=95.0))
    mark = len(broker.events.history)
    down = gateway.faults.inject({"kind": "down"})
    gateway.faults.inject({"kind": "crash"})
    await wait_state(broker, BrokerState.BACKING_OFF)
    gateway.brokerage.market.pin("AAPL", 94.0, spread=0.02)  # fills while the broker is away
    assert gateway.brokerage.orders.open_orders() == []
    down.stop()
    reconcile = await wait_event(broker, "reconcile", since=mark)
    assert reconcile.data["results"]["fills_recorded"] == 1 and reconcile.data["results"]["matched"] == 1
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "FILLED" and record.filled == 2
    assert [f.quantity for f in broker.journal.fills(order.key)] == [2]


async def test_duplicated_exec_details_are_recorded_once(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    gateway.faults.inject({"kind": "duplicate_message", "message": "execDetails"})
    order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=4))
    await wait_event(broker, "order", lambda e: e.data["key"] == order.key and e.data["status"] == "FILLED")
    await broker.get_orders()
    assert len(broker.journal.fills(order.key)) == 1
    assert len([e for e in broker.events.of_kind("fill") if e.data["key"] == order.key]) == 1


async def test_modify_during_1100_is_refused_and_never_leaves_two_live_orders(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    order = await broker.place_order(limit_buy())
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    await wait_state(broker, BrokerState.DEGRADED)
    with pytest.raises(BrokerUnavailable, match="1100"):
        await broker.modify_order(order.key, limit_price=91.0)
    gateway.faults.inject({"kind": "connectivity_restored", "client_id": 1})
    await wait_state(broker, BrokerState.READY)
    await broker.modify_order(order.key, limit_price=92.0)
    [live] = gateway.brokerage.orders.open_orders()
    assert live.order_id == order.order_id and live.lmt_price == 92.0


async def test_order_ids_stay_above_the_high_water_mark_after_a_rollback(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    first = await broker.place_order(limit_buy())
    restart = gateway.faults.inject({"kind": "daily_restart", "down_seconds": 0.3, "order_id_rollback": 50})
    await wait_event(broker, "reconnected")
    await restart.wait_stopped()
    second = await broker.place_order(limit_buy())
    assert second.order_id is not None and first.order_id is not None and second.order_id > first.order_id
    assert len(gateway.brokerage.orders.open_orders()) == 2
    assert [e for e in broker.events.of_kind("ib_error") if e.data["code"] == 103] == []  # no id reused


async def test_a_new_broker_on_the_journal_keeps_the_high_water_mark(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    first = await make_broker(gateway)
    placed = await first.place_order(limit_buy())
    await first.disconnect()
    gateway.brokerage.roll_back_order_ids(50)
    second = await make_broker(gateway)
    again = await second.place_order(limit_buy())
    assert placed.order_id is not None and again.order_id is not None and again.order_id > placed.order_id


async def test_intent_journaled_but_never_sent_is_marked_not_sent_on_restart(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    """The process died between the intent and the send (or just after it: no one can tell): the
    order is unconfirmed after the restart, and NOT_SENT once the gateway's answers prove it absent."""
    crashed = await make_broker(gateway)
    crashed.journal.record_intent("ibh-crash-1", 500, "AAPL", "BUY", 1, "LIMIT", 90.0, None)
    await crashed.disconnect()  # the process "died" before the send
    restarted = await make_broker(gateway, order_absent_after=1.0)
    results = restarted.events.of_kind("reconcile")[0].data["results"]
    assert results["unconfirmed"] == 1 and results["not_sent"] == 0
    await wait_event(restarted, "order", lambda e: e.data["key"] == "ibh-crash-1" and e.data["status"] == "NOT_SENT")
    record = restarted.journal.order("ibh-crash-1")
    assert record is not None and record.status == "NOT_SENT"
    assert gateway.brokerage.orders.open_orders() == []


@pytest.mark.parametrize("mode,expected", [("after-journal", "NOT_SENT"), ("after-send", "SUBMITTED")])
async def test_broker_process_killed_mid_order_recovers_the_same_truth(
        gateway: FakeGateway, make_broker: BrokerFactory, tmp_path: Path, mode: str, expected: str) -> None:
    journal = tmp_path / "journal.sqlite3"
    key = f"ibh-killed-{mode}"
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.broker.killed_broker", gateway.host, str(gateway.port), str(journal), mode, key,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(child.communicate(), 30)
    assert child.returncode == -signal.SIGKILL, (out, err[-2000:])
    assert b"connected" in out and b"placed" not in out
    restarted = await make_broker(gateway, journal_path=journal, order_absent_after=1.0)
    if expected == "NOT_SENT":  # proved once three answers over order_absent_after lack it
        await wait_event(restarted, "order", lambda e: e.data["key"] == key and e.data["status"] == "NOT_SENT")
    record = restarted.journal.order(key)
    assert record is not None and record.status == expected
    live = gateway.brokerage.orders.open_orders()
    assert len(live) == (1 if expected == "SUBMITTED" else 0)  # never sent twice
    if live:
        assert live[0].order_id == record.order_id


async def test_an_order_id_refused_as_duplicate_is_retried_under_a_higher_id(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    other = IB()
    await other.connectAsync(gateway.host, gateway.port, clientId=2)
    try:
        [aapl] = await other.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        await broker.market.contract("AAPL", 5)  # qualified first: the look-up takes no request id meanwhile
        taken = broker.ib.client._reqIdSeq  # the id the broker will try first
        other.client.updateReqId(taken)
        for _ in range(DUPLICATE_ID_RETRIES):  # the ids the broker is about to use are taken by another client
            other.placeOrder(aapl, LimitOrder("BUY", 1, 80.0))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while len(gateway.brokerage.orders.open_orders()) < DUPLICATE_ID_RETRIES:
            assert loop.time() < deadline
            await asyncio.sleep(0.01)
        # cancelled, so the broker's look-up of its key (all open orders) does not show their ids:
        # IB still refuses them as duplicates
        other.reqGlobalCancel()
        while gateway.brokerage.orders.open_orders():
            assert loop.time() < deadline
            await asyncio.sleep(0.01)
        order = await broker.place_order(limit_buy())
        assert order.order_id is not None and order.order_id >= taken + DUPLICATE_ID_RETRIES and order.status == OrderStatus.SUBMITTED
        details = [d for _, _, d in broker.journal.order_events(order.key)]
        assert any("IB 103 duplicate id: retry 1" in d for d in details)
        assert len(gateway.brokerage.orders.open_orders()) == 1
    finally:
        other.disconnect()
