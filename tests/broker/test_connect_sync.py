"""The connect and its startup sync under incidents: IB's 1100 arriving before the broker is
ready, a sync that never ends (no execDetailsEnd), and a session that dies in its sync."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ib_insync import IB

from ib_harness.broker import BrokerState, BrokerUnavailable, Order, OrderSide, OrderType
from ib_harness.broker.connection import BuiltinSupervisor
from ib_harness.broker.events import EventBus
from ib_harness.broker.metrics import BrokerMetrics
from ib_harness.broker.settings import BrokerSettings
from ib_harness.broker.supervision import StateMachine
from ib_harness.fake_gateway import FakeGateway
from ib_harness.scenarios.gateway_controller import InProcessGatewayController

from .conftest import FAST, BrokerFactory, transitions, wait_event, wait_state


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



class FailingSync:
    """The broker's session hooks with a post-connect sync that always fails (the journal is
    locked by another process, say): everything else is the real supervisor over real ib_insync."""

    def __init__(self) -> None:
        self.syncs = 0

    async def on_session_up(self) -> None:
        self.syncs += 1
        raise RuntimeError("database is locked")

    def on_session_down(self, cause: str) -> None:
        pass

    def settled_state(self) -> BrokerState:
        return BrokerState.READY

    def on_probe_overdue(self) -> None:
        pass

    def on_probe_answered(self) -> None:
        pass


async def test_a_connect_whose_sync_fails_is_a_failure_paced_by_backoff_and_the_circuit(
        gateway: FakeGateway, tmp_path: Path) -> None:
    """Success is counted only after the sync: before, each such session was a 'success' for the
    circuit breaker and the loop reconnected at once (20 sessions in 2 s, the circuit never opened)."""
    settings = BrokerSettings(**{**FAST, "journal_path": tmp_path / "j.sqlite3", "circuit_failures": 3,
                                 "circuit_half_open_after": 30, "backoff_initial": 0.3, "backoff_max": 0.3})
    events = EventBus()
    machine = StateMachine(events, BrokerMetrics())
    hooks = FailingSync()
    supervisor = BuiltinSupervisor(IB(), settings, machine, events, BrokerMetrics(), gateway.host, gateway.port, 1,
                                   hooks)
    supervisor.start()
    try:
        await machine.wait_for(BrokerState.CIRCUIT_OPEN, timeout=10)
        await asyncio.sleep(1.0)  # open: no further session
        assert hooks.syncs == 3
    finally:
        await supervisor.stop()
    steps = [(e.data["from"], e.data["to"]) for e in events.of_kind("state")]
    assert steps.count(("connecting", "syncing")) == 3
    assert len([s for s in steps if s[1] == "backing_off"]) == 2, steps
    assert supervisor.circuit.failures == 3 and supervisor.circuit.state == "open"
    assert "database is locked" in (machine.last_error or "")


async def test_a_startup_sync_without_execdetailsend_reaches_ready_and_says_what_it_could_not_verify(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    """ib_insync#638 / ib_async#82: reqExecutions answered without execDetailsEnd. ib_insync's own
    connect raises TimeoutError on it and a broker relying on it never gets a session. The broker
    gets to READY with what it has, learns the fill from completed orders, says that executions
    are unverified, and verifies them later with another reqExecutions."""
    gateway.brokerage.market.pin("AAPL", 188.0, spread=0.02)
    first = await make_broker(gateway)
    order = await first.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=10,
                                          order_type=OrderType.LIMIT, limit_price=187.0))
    await first.disconnect()
    gateway.brokerage.market.pin("AAPL", 186.0, spread=0.02)  # fills at IB while no broker is connected
    withheld = gateway.faults.inject({"kind": "drop_message", "message": "execDetailsEnd", "client_id": 1})
    broker = await make_broker(gateway, connect=False, sync_retry_interval=0.5)
    await broker.connect(timeout=10)
    assert broker.state == BrokerState.READY
    [incomplete] = broker.events.of_kind("sync_incomplete")
    assert incomplete.data["unverified"] == ["executions"]
    assert broker.sync_gaps == ("executions",)
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "FILLED" and record.filled == 10
    mark = len(broker.events.history)
    await wait_event(broker, "sync_retry_failed", since=mark)  # still withheld: still unverified
    assert broker.sync_gaps == ("executions",)
    withheld.stop()
    verified = await wait_event(broker, "sync_verified", since=mark)
    assert verified.data["verified"] == ["executions"]
    assert broker.sync_gaps == ()
    assert [f.quantity for f in broker.journal.fills(order.key)] == [10]


async def test_orders_are_not_judged_absent_while_the_order_lists_are_unverified(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    """An intent the journal holds but never saw acknowledged is NOT_SENT only when the gateway's
    order lists prove it absent. With completed orders unanswered at startup that proof is
    missing: the order stays as it is until the lists are verified, then it is settled (three
    complete answers over order_absent_after)."""
    lost = [gateway.faults.inject({"kind": "drop_message", "message": message, "client_id": 1})
            for message in ("completedOrder", "completedOrdersEnd")]
    broker = await make_broker(gateway, connect=False, sync_retry_interval=0.5, order_absent_after=1.0)
    broker.journal.record_intent("ibh-crashed-before-ack", 900, "AAPL", "BUY", 1, "MKT", None, None)
    await broker.connect(timeout=15)
    assert broker.sync_gaps == ("completed orders",)
    record = broker.journal.order("ibh-crashed-before-ack")
    assert record is not None and record.status == "PENDING"  # not NOT_SENT: it may have filled at IB
    mark = len(broker.events.history)
    for handle in lost:
        handle.stop()
    await wait_event(broker, "sync_verified", since=mark)
    await wait_event(broker, "order", lambda e: e.data["key"] == "ibh-crashed-before-ack", since=mark)
    record = broker.journal.order("ibh-crashed-before-ack")
    assert record is not None and record.status == "NOT_SENT"


WATCHDOG_FAST = dict(supervisor="watchdog", watchdog_app_startup_time=0.0, watchdog_app_timeout=0.3,
                     watchdog_retry_delay=0.05, watchdog_probe_timeout=0.3)


async def test_under_the_watchdog_too_1100_in_the_startup_sync_degrades_and_the_cached_answers_complete_it(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    """ib_insync's Watchdog calls the broker's IB.connectAsync: the same startup sync, the same rules."""
    # IB loses its connectivity as the startup sync asks for executions: TWS answers it from its own
    # copy (IBC#251; docs/fake-gateway-fidelity.md), so the sync completes, and the 1100 degrades
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1, "after": {"request": "reqExecutions"}})
    broker = await make_broker(gateway, connect=False, controller=InProcessGatewayController(gateway),
                               connectivity_grace=30, sync_retry_interval=0.5, **WATCHDOG_FAST)
    await broker.connect(timeout=15)
    assert broker.state == BrokerState.DEGRADED and broker.sync_gaps == ()
    gateway.faults.inject({"kind": "connectivity_restored", "client_id": 1})
    await wait_state(broker, BrokerState.READY)
    assert broker.sync_gaps == ()
