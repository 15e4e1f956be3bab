"""Connection supervision against real faults at the gateway: stall, half-open, crash (FIN, RST),
refused connects, accept-then-close, the circuit breaker, fail-fast calls and clean shutdown."""

from __future__ import annotations

import asyncio
import time

import pytest

from ib_harness.broker import BrokerState, BrokerUnavailable, IBKRInsyncBroker, Order, OrderSide
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, transitions, wait_event, wait_state


async def assert_fails_fast(broker: IBKRInsyncBroker) -> None:
    """Every call raises BrokerUnavailable with the state and the last error, at once."""
    calls = [broker.get_account(), broker.get_positions(), broker.get_orders(), broker.get_market_price("AAPL"),
             broker.get_historical_bars("AAPL"), broker.cancel_order("x"), broker.modify_order("x", quantity=1),
             broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1))]
    for call in calls:
        started = time.perf_counter()
        with pytest.raises(BrokerUnavailable) as info:
            await call
        assert time.perf_counter() - started < 0.05
        assert info.value.state == broker.state.value and info.value.state != "ready"


@pytest.mark.parametrize("kind", ["stall", "half_open"])
async def test_silence_is_probed_degraded_then_dropped_and_reconnected(
        gateway: FakeGateway, make_broker: BrokerFactory, kind: str) -> None:
    broker = await make_broker(gateway)
    stalled_session = gateway.session_for(1)
    mark = len(broker.events.history)
    handle = gateway.faults.inject({"kind": kind, "client_id": 1})
    await wait_event(broker, "probe_sent", since=mark)
    await wait_state(broker, BrokerState.DEGRADED)
    await assert_fails_fast(broker)
    timeout = await wait_event(broker, "probe_timeout", since=mark)
    handle.stop()  # the gateway answers again; the broker has already dropped the dead socket
    assert timeout.data["silence"] >= broker.settings.probe_timeout
    await wait_event(broker, "reconnected", since=mark)
    assert transitions(broker, mark)[:3] == [("ready", "degraded"), ("degraded", "disconnected"),
                                             ("disconnected", "connecting")]
    assert broker.state == BrokerState.READY
    assert await broker.get_market_price("AAPL") > 0
    assert gateway.session_for(1) is not stalled_session


async def test_an_answered_probe_keeps_the_broker_ready(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway)
    for _ in range(2):
        await wait_event(broker, "probe_sent", since=len(broker.events.history))
    assert broker.state == BrokerState.READY and broker.events.of_kind("probe_timeout") == []


async def test_an_answer_read_while_this_process_was_busy_is_not_overdue(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    """This process stalls (a burst of API requests, a GC pause) right after a probe went out, long
    past probe_overdue; the gateway answered at once. When the loop runs again it reads the answer
    and fires the overdue timer in the same turn: that is an answered probe, not a degraded link."""
    broker = await make_broker(gateway)
    loop = asyncio.get_running_loop()
    busy = 3 * broker.settings.probe_overdue
    stalls: list[float] = []

    def stall_this_process(event: object) -> None:
        if not stalls:  # once: this loop blocks; the gateway (same loop) answers right after
            stalls.append(busy)
            loop.call_soon(time.sleep, busy)
    unsubscribe = broker.events.subscribe(lambda e: stall_this_process(e) if e.kind == "probe_sent" else None)
    mark = len(broker.events.history)
    try:
        await wait_event(broker, "probe_sent", since=mark)
        for _ in range(2):
            await wait_event(broker, "probe_sent", since=len(broker.events.history))
    finally:
        unsubscribe()
    assert stalls == [busy]
    assert transitions(broker, mark) == [] and broker.state == BrokerState.READY


@pytest.mark.parametrize("abort", [False, True], ids=["FIN", "RST"])
async def test_crash_reconnects_and_restores_market_data(
        gateway: FakeGateway, make_broker: BrokerFactory, abort: bool) -> None:
    broker = await make_broker(gateway)
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "crash", "rst": abort})
    await wait_event(broker, "reconnected", since=mark)
    resubscribed = await wait_event(broker, "resubscribed", since=mark)
    assert resubscribed.data == {"symbol": "AAPL", "stream": "market", "cause": "reconnect"}
    gateway.brokerage.market.pin("AAPL", 111.0, spread=0.02)
    await wait_event(broker, "state", lambda e: e.data["to"] == "ready", since=mark)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 5
    while abs(await broker.get_market_price("AAPL") - 111.0) > 0.05:  # the new stream delivers
        assert loop.time() < deadline, "the restored stream never delivered the new price"
        await asyncio.sleep(0.05)


async def test_gateway_restart_keeps_orders_and_reconnects(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    working = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=2, order_type="LIMIT",
                                             limit_price=90.0))
    mark = len(broker.events.history)
    await gateway.restart()
    reconcile = await wait_event(broker, "reconcile", since=mark)
    assert reconcile.data["results"]["matched"] == 1
    await wait_state(broker, BrokerState.READY)
    assert [o.key for o in await broker.get_orders()] == [working.key]


async def test_refused_connects_back_off_until_the_gateway_returns(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway)
    mark = len(broker.events.history)
    down = gateway.faults.inject({"kind": "down"})
    gateway.faults.inject({"kind": "crash"})
    await wait_state(broker, BrokerState.BACKING_OFF)
    await assert_fails_fast(broker)
    await wait_event(broker, "state", lambda e: e.data["to"] == "backing_off", since=mark + 4)
    backoffs = [e for e in broker.events.of_kind("state")[-4:] if e.data["to"] == "backing_off"]
    assert backoffs and "Connect call failed" in backoffs[-1].data["cause"]
    down.stop()
    reconnected = await wait_event(broker, "reconnected", since=mark)
    assert reconnected.data["attempt"] >= 2


@pytest.mark.parametrize("rst", [False, True], ids=["FIN", "RST"])
async def test_accept_then_close_is_retried(gateway: FakeGateway, make_broker: BrokerFactory, rst: bool) -> None:
    broker = await make_broker(gateway)
    mark = len(broker.events.history)
    closing = gateway.faults.inject({"kind": "accept_then_close", "rst": rst})
    gateway.faults.inject({"kind": "crash"})
    for _ in range(3):
        await wait_event(broker, "state", lambda e: e.data["to"] == "backing_off", since=len(broker.events.history))
    closing.stop()
    reconnected = await wait_event(broker, "reconnected", since=mark)
    assert reconnected.data["attempt"] >= 4


async def test_circuit_opens_after_n_failures_and_half_opens(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, circuit_failures=3, circuit_half_open_after=0.3)
    mark = len(broker.events.history)
    down = gateway.faults.inject({"kind": "down"})
    gateway.faults.inject({"kind": "crash", "rst": True})
    await wait_state(broker, BrokerState.CIRCUIT_OPEN)
    await assert_fails_fast(broker)
    half_open = await wait_event(broker, "state", lambda e: e.data["cause"] == "half-open probe", since=mark)
    assert half_open.data["from"] == "circuit_open"
    # the half-open probe fails: open again, without backing off in between
    await wait_event(broker, "state", lambda e: e.data["to"] == "circuit_open", since=broker.events.history.index(half_open))
    failed_connects = [t for t in transitions(broker, mark) if t[1] in ("backing_off", "circuit_open")]
    assert failed_connects[:3] == [("connecting", "backing_off"), ("connecting", "backing_off"),
                                   ("connecting", "circuit_open")]
    down.stop()
    await wait_event(broker, "reconnected", since=mark)
    assert broker.supervisor.circuit.state == "closed"  # type: ignore[union-attr]


async def test_a_call_in_flight_fails_typed_when_the_connection_dies(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    gateway.faults.inject({"kind": "drop_message", "message": "reqHistoricalData", "direction": "in"})
    call = asyncio.ensure_future(broker.get_historical_bars("AAPL", "1 D", "1 hour"))
    await asyncio.sleep(0.05)
    gateway.faults.inject({"kind": "crash", "rst": True})
    with pytest.raises(BrokerUnavailable, match="connection lost"):
        await asyncio.wait_for(call, 2)


async def test_connect_to_nothing_raises_unavailable_and_disconnect_leaves_no_tasks(
        make_broker: BrokerFactory) -> None:
    before = asyncio.all_tasks()
    async with FakeGateway() as gw:
        port = gw.port
    gw.port = port
    broker = await make_broker(gw, connect=False)
    with pytest.raises(BrokerUnavailable) as info:
        await broker.connect(timeout=0.5)
    assert info.value.state in ("backing_off", "connecting")
    assert f"connect to 127.0.0.1:{port} failed" in (info.value.last_error or "")
    await broker.disconnect()
    await asyncio.sleep(0)
    assert {t for t in asyncio.all_tasks() - before if not t.get_name().startswith("fake-gateway")} == set()


async def test_disconnect_leaves_no_orphaned_tasks(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    before = asyncio.all_tasks()
    broker = await make_broker(gateway)
    await broker.get_market_price("AAPL")
    await broker.stream_bars("AAPL")
    await gateway.drop_sessions(abort=True)
    await wait_event(broker, "reconnected")
    gateway.faults.inject({"kind": "drop_message", "message": "reqHistoricalData", "direction": "in"})
    pending = asyncio.ensure_future(broker.get_historical_bars("AAPL", "1 D", "1 hour"))
    await asyncio.sleep(0.05)
    await broker.disconnect()
    with pytest.raises(BrokerUnavailable):
        await pending
    await asyncio.sleep(0)
    leftover = {t for t in asyncio.all_tasks() - before if not t.get_name().startswith("fake-gateway")}
    assert leftover == set()
    assert broker.state == BrokerState.STOPPED
    assert all(future.done() for future in broker.ib.wrapper._futures.values())

