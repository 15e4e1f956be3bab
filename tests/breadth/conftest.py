"""Fixtures of the breadth tests: a gateway whose market moves only when the test moves it, on a
clock the test can move forward, and ib_insync connected to it."""

from __future__ import annotations

from typing import AsyncIterator

import ib_insync
import pytest

from ib_harness.fake_gateway import FakeGateway
from tests.breadth.walk_asyncio import ManualClock


@pytest.fixture
async def gateway() -> AsyncIterator[FakeGateway]:
    # Several tests send dozens of requests at once (qualify and snapshot 40 options). ib_insync
    # paces itself at 45/s, but on a loaded machine a burst can still pass IB's 50/s in the
    # gateway's second, and error 100 drops a request by design: a library call with no timeout
    # would then wait forever. Pacing has its own tests; here the limit is out of the way.
    async with FakeGateway(market_ticker=False, clock=ManualClock(), max_messages_per_second=1000) as gw:
        yield gw


@pytest.fixture
async def ib(gateway: FakeGateway) -> AsyncIterator[ib_insync.IB]:
    client = ib_insync.IB()
    await client.connectAsync(gateway.host, gateway.port, clientId=1, timeout=5)
    try:
        yield client
    finally:
        client.disconnect()
