"""Real clients for the fault tests: ib_insync / ib_async connected over TCP, with what they observe."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, AsyncIterator

import ib_async
import ib_insync

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from tests.waiting import until

LIBRARIES = {"ib_insync": ib_insync, "ib_async": ib_async}


@dataclass
class Observed:
    """What one client saw: error callbacks and disconnects."""

    ib: Any
    library: str
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    disconnected: asyncio.Event = field(default_factory=asyncio.Event)

    def codes(self) -> list[int]:
        return [code for _, code, _ in self.errors]


@asynccontextmanager
async def connected(gateway: FakeGateway, client_id: int, library: str = "ib_insync",
                    timeout: float = 3.0) -> AsyncIterator[Observed]:
    """A real client after the full startup sync; disconnected on exit."""
    ib = LIBRARIES[library].IB()
    seen = Observed(ib, library)
    ib.errorEvent += lambda req_id, code, text, *rest: seen.errors.append((req_id, code, text))
    ib.disconnectedEvent += seen.disconnected.set
    try:
        await ib.connectAsync(gateway.host, gateway.port, clientId=client_id, timeout=timeout)
        yield seen
    finally:
        ib.disconnect()


async def answers(ib: Any, timeout: float = 1.0) -> bool:
    """True when reqCurrentTime is answered within ``timeout``."""
    try:
        await asyncio.wait_for(ib.reqCurrentTimeAsync(), timeout)
        return True
    except asyncio.TimeoutError:
        return False


async def raw_ready(gateway: FakeGateway, client_id: int) -> RawTwsClient:
    """A raw connection past the greeting (managedAccounts, nextValidId and the 11 farm notices)."""
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    await client.handshake()
    await client.start_api(client_id)
    for _ in range(13):
        await client.read()
    return client


async def closed_with(client: RawTwsClient, rst: bool) -> None:
    """The server closed ``client``: a reset (ConnectionResetError) with ``rst``, else end of stream."""
    try:
        while True:
            await client.read()
    except ConnectionResetError:
        assert rst, "the connection was reset, expected a clean close (FIN)"
    except EOFError:
        assert not rst, "the connection closed cleanly (FIN), expected a reset (RST)"


class TickCounter:
    """Counts a ticker's updates (ticks that stop and come back)."""

    def __init__(self, ticker: Any) -> None:
        self.updates = 0
        ticker.updateEvent += self._counted

    def _counted(self, _: object) -> None:
        self.updates += 1


async def streaming(client: Observed, symbol: str = "AAPL") -> TickCounter:
    """Subscribe the client to a stock's market data; returns the counter once the first tick arrived."""
    stock = LIBRARIES[client.library].Stock(symbol, "SMART", "USD")
    [contract] = await client.ib.qualifyContractsAsync(stock)
    ticker = client.ib.reqMktData(contract)
    counter = TickCounter(ticker)
    await until(lambda: counter.updates >= 1, what=f"the first {symbol} tick")
    return counter
