"""Shared pieces of the three-client lifecycle tests: gateways, clients, orders, error checks.

ib_insync 0.9.86, ib_async 2.1.0 and the official ibapi each: fill a limit order when the market
crosses it, cancel a resting order, modify one (new price and size) and see it fill at the new
limit, ask a what-if, stream 10,000 ticks, fetch bars (and ib_insync's Watchdog probe), and find
a fill that happened while they were away across a gateway restart. Every test is parametrized
over the three clients (the id names the client), runs against its own port-0 gateway with the
market pinned by hand, and checks that no error arrived beyond the farm notices and the codes
that step expects.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any, AsyncIterator, Callable, Iterable

import ib_async
import ib_insync
import pytest
from ibapi.order import Order as IbapiOrder

from ib_harness.fake_gateway import FakeGateway
from tests.ibapi_app import RecordingApp

AAPL = 265598
EURUSD = 12087792
FARM_NOTICES = frozenset({2104, 2106, 2158})
ORDER_CANCELED = 202  # IB's "Order Canceled - reason:" that accompanies a cancel

LIBRARIES = {"ib_insync": ib_insync, "ib_async": ib_async}
CLIENTS = pytest.mark.parametrize("client", ["ib_insync", "ib_async", "ibapi"])

TICKS = 10_000
STEPS = 3_400  # each scripted step moves bid, ask and last: three tickPrice messages (plus volume, time)


# ----- sessions -------------------------------------------------------------------------------


def _only_expected(errors: Iterable[tuple[int, int, str]], expected: Iterable[int]) -> None:
    allowed = FARM_NOTICES | set(expected)
    unexpected = [e for e in errors if e[1] not in allowed]
    assert not unexpected, f"unexpected error callbacks: {unexpected}"


@asynccontextmanager
async def asyncio_client(library: Any, gateway: FakeGateway, client_id: int,
                         expected: Iterable[int] = ()) -> AsyncIterator[tuple[Any, list[tuple[int, int, str]]]]:
    """ib_insync / ib_async connected with the full startup sync; errors are checked on a clean exit."""
    ib = library.IB()
    errors: list[tuple[int, int, str]] = []
    ib.errorEvent += lambda req_id, code, text, *rest: errors.append((req_id, code, text))
    try:
        await ib.connectAsync(gateway.host, gateway.port, clientId=client_id, timeout=2)
        yield ib, errors
        _only_expected(errors, expected)
    finally:
        ib.disconnect()


@asynccontextmanager
async def ibapi_client(gateway: FakeGateway, client_id: int, expected: Iterable[int] = ()) -> AsyncIterator[RecordingApp]:
    """The official client on its own thread; always disconnected and its thread joined."""
    app = RecordingApp()
    try:
        await asyncio.to_thread(app.start, gateway.host, gateway.port, client_id)
        yield app
        _only_expected(((c[0], c[2], c[3]) for c in app.calls["error"]), expected)
    finally:
        await asyncio.to_thread(app.stop)


async def wait(app: RecordingApp, name: str, count: int = 1, timeout: float = 2.0,
               where: Callable[[tuple[Any, ...]], bool] | None = None) -> list[tuple[Any, ...]]:
    """RecordingApp.wait_for off the event loop, so the gateway keeps serving meanwhile."""
    return await asyncio.to_thread(app.wait_for, name, count, timeout, where)


def first_order_id(app: RecordingApp) -> int:
    return app.calls["nextValidId"][0][0]


def ibapi_order(action: str, quantity: float, order_type: str = "LMT", limit: float = 0.0,
                what_if: bool = False) -> IbapiOrder:
    order = IbapiOrder()
    order.action, order.totalQuantity, order.orderType = action, Decimal(str(quantity)), order_type
    if order_type == "LMT":
        order.lmtPrice = limit
    order.whatIf = what_if
    return order


def own_gateway() -> FakeGateway:
    """A gateway of its own (port 0) whose market moves only when the test moves it."""
    return FakeGateway(market_ticker=False)
