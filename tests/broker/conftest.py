"""Broker test helpers: a broker factory, closed after each test. On the wall clock its brokers get
fast supervision settings (FAST); in a test on the virtual clock (``@pytest.mark.virtual_clock``)
they run at production timings, the broker's defaults: a shortcut in time is the clock's job."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

import pytest

from ib_harness.broker import BrokerEvent, BrokerState, IBKRInsyncBroker
from ib_harness.fake_gateway import FakeGateway

FAST = dict(probe_interval=0.3, probe_timeout=0.3, probe_overdue=0.1, connect_timeout=2.0,
            backoff_initial=0.05, backoff_max=0.2, backoff_seed=7, request_timeout=3.0,
            order_ack_timeout=1.0, stream_check_timeout=0.3, connectivity_grace=0.5,
            circuit_failures=50, circuit_half_open_after=0.5)

BrokerFactory = Callable[..., Awaitable[IBKRInsyncBroker]]


# on the virtual clock: the broker's default settings, only the backoff's draws seeded
PRODUCTION = dict(backoff_seed=7)


@pytest.fixture
async def make_broker(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[BrokerFactory]:
    """``await make_broker(gw, client_id=1, connect=True, **settings)``; every broker is closed at the end."""
    made: list[IBKRInsyncBroker] = []
    base = PRODUCTION if request.node.get_closest_marker("virtual_clock") else FAST

    async def make(gw: FakeGateway, client_id: int = 1, connect: bool = True, **settings: Any) -> IBKRInsyncBroker:
        values: dict[str, Any] = {**base, "journal_path": tmp_path / "journal.sqlite3", **settings}
        broker = IBKRInsyncBroker(gw.host, gw.port, client_id, **values)
        made.append(broker)
        if connect:
            await broker.connect(timeout=10)
        return broker

    yield make
    for broker in made:
        await broker.disconnect()
    for broker in made:
        assert_legal_transitions(broker)


@pytest.fixture
async def broker(gateway: FakeGateway, make_broker: BrokerFactory) -> IBKRInsyncBroker:
    return await make_broker(gateway)


async def wait_event(broker: IBKRInsyncBroker, kind: str, where: Callable[[BrokerEvent], bool] = lambda e: True,
                     timeout: float = 10.0, since: int = 0) -> BrokerEvent:
    """The first event of ``kind`` (from history index ``since`` on) matching ``where``; waits for it."""
    loop = asyncio.get_running_loop()
    found: asyncio.Future[BrokerEvent] = loop.create_future()

    def check(event: BrokerEvent) -> None:
        if event.kind == kind and where(event) and not found.done():
            found.set_result(event)

    for event in broker.events.history[since:]:
        check(event)
    unsubscribe = broker.events.subscribe(check)
    try:
        return await asyncio.wait_for(found, timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"no {kind!r} event within {timeout} s; state={broker.state}, "
                             f"last events={[(e.kind, e.data) for e in broker.events.history[-8:]]}") from None
    finally:
        unsubscribe()


async def wait_state(broker: IBKRInsyncBroker, *states: BrokerState, timeout: float = 10.0) -> None:
    try:
        await broker.machine.wait_for(*states, timeout=timeout)
    except asyncio.TimeoutError:
        raise AssertionError(f"state {broker.state} never became {states} within {timeout} s; "
                             f"transitions={[e.data for e in broker.events.of_kind('state')][-8:]}") from None


def transitions(broker: IBKRInsyncBroker, since: int = 0) -> list[tuple[str, str]]:
    return [(e.data["from"], e.data["to"]) for e in broker.events.history[since:] if e.kind == "state"]


def assert_legal_transitions(broker: IBKRInsyncBroker) -> None:
    """Every broker a test made stayed inside the transition table."""
    illegal = [e.data for e in broker.events.of_kind("illegal_transition")]
    assert illegal == [], f"illegal broker state transitions: {illegal}"
