"""The broker on either client library (settings.backend), each one's own behaviour handled.

Real ib_insync and real ib_async over the fake gateway's real protocol; nothing is mocked."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ib_harness.broker import IBKRInsyncBroker, Order, OrderSide, OrderStatus, OrderType, RequestFailed
from ib_harness.broker.backends import BACKENDS, load_backend
from ib_harness.broker.client_adapter import ClientAdapter
from ib_harness.broker.settings import BrokerSettings, BrokerSettingsError
from ib_harness.fake_gateway import FakeGateway
from ib_harness.scenarios.gateway_controller import InProcessGatewayController

from .conftest import BrokerFactory, wait_event

both = pytest.mark.parametrize("backend", BACKENDS)
ib_async_only = pytest.mark.parametrize("backend", ["ib_async"])


def library_of(obj: Any) -> str:
    return type(obj).__module__.split(".")[0]


def limit_buy(price: float = 90.0) -> Order:
    return Order(symbol="AAPL", side=OrderSide.BUY, quantity=2, order_type=OrderType.LIMIT, limit_price=price)


@both
async def test_each_broker_runs_on_its_own_backend_in_one_process(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str, tmp_path: Any) -> None:
    """Per instance, not process-wide: this backend's broker and one on the other side by side."""
    other = next(name for name in BACKENDS if name != backend)
    mine = await make_broker(gateway, client_id=1, backend=backend)
    theirs = await make_broker(gateway, client_id=2, backend=other, journal_path=tmp_path / "other.sqlite3")
    assert mine.backend.name == backend and theirs.backend.name == other
    for broker in (mine, theirs):  # each reads every client's orders once at connect
        await wait_event(broker, "reconcile", lambda e: "every client" in e.data["cause"])
    for broker, library in ((mine, backend), (theirs, other)):
        order = await broker.place_order(limit_buy())
        assert order.status == OrderStatus.SUBMITTED
        trade = broker.book.trade_for(order.key)
        assert isinstance(broker.ib, load_backend(library).module.IB)
        assert {library_of(trade), library_of(trade.order), library_of(trade.contract)} == {library}
    assert (await mine.get_account()).values == (await theirs.get_account()).values


def count_requests(gateway: FakeGateway, *names: str) -> dict[str, Any]:
    """Handles whose ``fault.matched`` counts the requests of each name the gateway received."""
    return {name: gateway.faults.inject({"kind": "delay_message", "message": name, "direction": "in", "delay_ms": 0})
            for name in names}


@both
async def test_the_order_lists_are_read_in_the_startup_sync_on_both_backends(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """Completed orders and executions are asked twice per connect (startup sync, then the live
    reconcile of every client's orders). ib_async could leave them out of the sync (fetchFields),
    but the sync is where an unanswered one becomes a gap asked again until verified (see
    test_connect_sync, run on both backends): the broker keeps the full sync on both."""
    counted = count_requests(gateway, "reqCompletedOrders", "reqExecutions")
    broker = await make_broker(gateway, backend=backend)
    await wait_event(broker, "reconcile", lambda e: "every client" in e.data["cause"])
    assert {name: handle.fault.matched for name, handle in counted.items()} == \
        {"reqCompletedOrders": 2, "reqExecutions": 2}


@ib_async_only
async def test_a_lean_ib_async_sync_is_followed_by_the_live_reconcile(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    """ib_async's fetchFields is honoured (its API, e.g. for a caller's own connect): the lists it
    leaves out are read by the live reconcile at connect instead of the cache reconcile."""
    counted = count_requests(gateway, "reqCompletedOrders", "reqExecutions")
    broker = await make_broker(gateway, connect=False, backend=backend)
    fetch = broker.backend.module.StartupFetch
    broker.ib.startup_fetch = broker.backend.module.StartupFetchALL & ~fetch.ORDERS_COMPLETE & ~fetch.EXECUTIONS
    await broker.connect(timeout=10)
    await wait_event(broker, "reconcile", lambda e: e.data["cause"].startswith("connect: completed orders"))
    assert {name: handle.fault.matched for name, handle in counted.items()} == \
        {"reqCompletedOrders": 1, "reqExecutions": 1}
    assert not broker.events.of_kind("reconcile_failed")


@both
def test_the_setting_is_checked(backend: str) -> None:
    assert BrokerSettings.load(backend=backend).backend == backend
    with pytest.raises(BrokerSettingsError, match="backend"):
        BrokerSettings.load(backend=backend.replace("ib_", "ibx_"))


@both
async def test_a_request_ib_refuses_with_321_fails_at_once(broker_on: Any, backend: str) -> None:
    """ib_async reads 321 as a warning and would leave the request to its timeout (BrokerTimeout)."""
    broker = await broker_on(backend, request_timeout=30.0)
    with pytest.raises(RequestFailed) as refused:
        await asyncio.wait_for(broker.get_historical_bars("AAPL", bar_size="7 mins"), 10)
    assert refused.value.code == 321 and "bar size" in str(refused.value)


@both
async def test_closing_fails_the_requests_still_pending(gateway: FakeGateway, broker_on: Any, backend: str) -> None:
    """ib_async's IB.disconnect() resets the wrapper: a request pending then would wait for ever
    unless it is failed before the reset."""
    broker = await broker_on(backend)
    await wait_event(broker, "reconcile", lambda e: "every client" in e.data["cause"])  # its requests are done
    gateway.faults.inject({"kind": "stall"})  # the gateway holds every answer
    pending = asyncio.ensure_future(broker.ib.reqCompletedOrdersAsync(False))
    await asyncio.sleep(0.05)
    assert not pending.done()
    ClientAdapter(broker.ib).close()
    with pytest.raises(ConnectionError):
        await asyncio.wait_for(pending, 5)


@ib_async_only
async def test_a_refused_message_to_a_working_order_leaves_it_working(
        gateway: FakeGateway, broker_on: Any, backend: str) -> None:
    """IB answers a message about a working order with 321: ib_async marks the trade
    ValidationError, which must not read as PENDING (nor as a cancel): the order stands."""
    broker = await broker_on(backend)
    order = await broker.place_order(limit_buy())
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "ib_error", "code": 321, "req_id": order.order_id, "client_id": 1,
                           "text": "Error validating request.-'bN' : cause - test"})
    await wait_event(broker, "ib_error", lambda e: e.data["code"] == 321, since=mark)
    await asyncio.sleep(0.05)
    record = broker.journal.order(order.key)
    assert record is not None and record.status == OrderStatus.SUBMITTED.value
    assert any("IB 321" in detail for _, _, detail in broker.journal.order_events(order.key))
    mark = len(broker.events.history)
    await broker.cancel_order(order.key)
    await wait_event(broker, "order", lambda e: e.data["key"] == order.key and e.data["status"] == "CANCELLED",
                     since=mark)


@both
async def test_the_watchdog_of_each_library_supervises_its_broker(
        gateway: FakeGateway, make_broker: BrokerFactory, backend: str) -> None:
    broker = await make_broker(gateway, connect=False, backend=backend, supervisor="watchdog",
                               controller=InProcessGatewayController(gateway), watchdog_app_startup_time=0.0,
                               watchdog_app_timeout=0.3, watchdog_retry_delay=0.05, watchdog_probe_timeout=0.3)
    await broker.connect(timeout=15)
    assert library_of(broker.supervisor.watchdog) == backend  # type: ignore[union-attr]
    assert (await broker.place_order(limit_buy())).status == OrderStatus.SUBMITTED


@both
def test_each_backend_reads_ib_codes_its_own_way(backend: str) -> None:
    """The facts the broker acts on, read from the installed library (see backends.py)."""
    loaded = load_backend(backend)
    if backend == "ib_async":
        assert {321, 329} <= loaded.refusals_as_warnings and 202 not in loaded.warning_codes
    else:
        assert loaded.refusals_as_warnings == frozenset() and 202 in loaded.warning_codes
    assert loaded.startup_fetch is None  # the full startup sync on both (see above)


@pytest.fixture
def broker_on(gateway: FakeGateway, make_broker: BrokerFactory) -> Any:
    async def make(backend: str, **settings: Any) -> IBKRInsyncBroker:
        return await make_broker(gateway, backend=backend, **settings)
    return make
