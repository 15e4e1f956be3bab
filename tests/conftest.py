"""Shared fixtures: a fresh in-process gateway per test (port 0, real TCP)."""

from __future__ import annotations

from typing import AsyncIterator

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient


@pytest.fixture
async def gateway() -> AsyncIterator[FakeGateway]:
    async with FakeGateway() as gw:
        yield gw


@pytest.fixture
async def raw_client(gateway: FakeGateway) -> AsyncIterator[RawTwsClient]:
    """A raw connection that has done the handshake and startApi as client 0 and drained the greeting."""
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    await client.handshake()
    await client.start_api(client_id=0)
    await client.read_until("9")
    for _ in range(11):  # farm notices
        await client.read()
    yield client
    await client.close()


async def served(client: RawTwsClient) -> bool:
    """True when the connection still answers reqCurrentTime."""
    client.send(["49", "1"])
    frame = await client.read()
    return frame[0] == "49"
