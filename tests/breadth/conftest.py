"""Fixtures of the breadth tests: a gateway whose market moves only when the test moves it, on a
clock the test can move forward, and ib_insync connected to it."""

from __future__ import annotations

from typing import AsyncIterator

import ib_insync
import pytest

from fake_gateway import FakeGateway
from tests.breadth.walk_asyncio import ManualClock


@pytest.fixture
async def gateway() -> AsyncIterator[FakeGateway]:
    async with FakeGateway(market_ticker=False, clock=ManualClock()) as gw:
        yield gw


@pytest.fixture
async def ib(gateway: FakeGateway) -> AsyncIterator[ib_insync.IB]:
    client = ib_insync.IB()
    await client.connectAsync(gateway.host, gateway.port, clientId=1, timeout=5)
    try:
        yield client
    finally:
        client.disconnect()
