"""The connect and its startup sync under incidents: IB's 1100 arriving before the broker is
ready, a sync that never ends (no execDetailsEnd), and a session that dies in its sync."""

from __future__ import annotations

import asyncio

from ib_harness.broker import BrokerState, BrokerUnavailable, Order, OrderSide
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, transitions, wait_event, wait_state


async def test_1100_during_the_startup_sync_keeps_the_broker_degraded_until_restored(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    """IB loses its connectivity while the broker syncs: the broker must not report READY nor take
    an order until 1101/1102 says IB is back."""
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1, "after": {"response": "execDetailsEnd"}})
    broker = await make_broker(gateway, connect=False, connectivity_grace=30)
    await broker.connect(timeout=10)
    assert broker.state == BrokerState.DEGRADED
    assert ("syncing", "ready") not in transitions(broker)
    assert any(e.data["code"] == 1100 for e in broker.events.of_kind("ib_error"))
    try:
        await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1))
        raise AssertionError("an order was accepted during IB 1100")
    except BrokerUnavailable as exc:
        assert exc.state == "degraded" and "1100" in str(exc)
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "connectivity_restored", "client_id": 1})
    await wait_state(broker, BrokerState.READY)
    assert transitions(broker, mark)[-1] == ("degraded", "ready")


async def test_1100_in_a_failed_attempt_does_not_outlive_it(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    """The next session starts clean: an 1100 of a session that ended says nothing about the next."""
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1, "after": {"response": "execDetailsEnd"}})
    broker = await make_broker(gateway, connect=False, connectivity_grace=30)
    await broker.connect(timeout=10)
    assert broker.state == BrokerState.DEGRADED
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "connectivity_restored", "client_id": 1})
    await wait_state(broker, BrokerState.READY)
    gateway.faults.inject({"kind": "crash"})
    await wait_event(broker, "reconnected", since=mark)
    await asyncio.sleep(0)
    assert broker.state == BrokerState.READY
