"""Tick throughput: the gateway alone, and end to end through ib_insync against its own ceiling.

- Gateway alone: tick frames encoded by the layout table and written through a real session to
  a reader in another process; reported per second of wall time and of gateway CPU (one core).
- End to end: a gateway process streams market ticks to ib_insync; the bytes ib_insync received
  are then fed again, in the same chunks, straight into its decoder with no socket. The ratio of
  the two rates is what the socket path costs the client.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import sys
import time
from dataclasses import dataclass

from ib_insync import IB, Stock

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.session.market_ticks import encoders
from ib_harness.fake_gateway.session.streams import MKT_DATA

PYTHON = sys.executable


@dataclass
class GatewayAloneFigures:
    messages: int
    wall_rate: float
    cpu_rate: float
    market_messages: int
    market_wall_rate: float
    market_cpu_rate: float


@dataclass
class EndToEndFigures:
    path: str
    messages: int
    e2e_rate: float
    ceiling_rate: float
    chunks: int
    median_chunk: int
    max_chunk: int

    @property
    def ratio(self) -> float:
        return self.e2e_rate / self.ceiling_rate


async def _timed(gateway: FakeGateway, produce, batches: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    [session] = list(gateway.sessions)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(batches):
        produce(session)
        await session.drain()
    session.flush()
    await session.drain()
    return time.perf_counter() - wall, time.process_time() - cpu


async def start_drain_client(gateway: FakeGateway) -> asyncio.subprocess.Process:
    """The frame-counting reader in its own process, subscribed to AAPL (client id 99)."""
    reader = await asyncio.create_subprocess_exec(
        PYTHON, "-m", "benchmarks.drain_client", str(gateway.port), stdout=asyncio.subprocess.PIPE)
    while not any(s.subscriptions.get(MKT_DATA) for s in gateway.sessions):
        await asyncio.sleep(0.01)
    return reader


async def stream_ticks(gateway: FakeGateway, messages: int, batch: int) -> tuple[float, float]:
    """Write ``messages`` tickPrice frames through the one session's write path: (wall, cpu) seconds."""
    [session] = list(gateway.sessions)
    price = encoders(session.version).price
    write = session.write

    def ticks(session) -> None:  # type: ignore[no-untyped-def]
        for number in range(batch):
            write(price(1, 1 + (number & 1), 100.0 + number * 0.01, 100 + number, 0), 1)

    return await _timed(gateway, ticks, messages // batch)


async def gateway_alone(messages: int = 400_000, batch: int = 2_000) -> GatewayAloneFigures:
    async with FakeGateway(market_ticker=False) as gateway:
        reader = await start_drain_client(gateway)
        wall, cpu = await stream_ticks(gateway, messages, batch)
        market = gateway.brokerage.market
        steps = messages // 20
        market_wall, market_cpu = await _timed(gateway, lambda s: market.advance(100), steps // 100)
        await gateway.close()
        out, _ = await reader.communicate()
    received = int(out.split()[0])
    market_messages = received - messages - 20  # minus the greeting and the first snapshot of the line
    return GatewayAloneFigures(messages, messages / wall, messages / cpu,
                               market_messages, market_messages / market_wall, market_messages / market_cpu)


async def end_to_end(command: str = "ticks", count: int = 100_000) -> EndToEndFigures:
    logging.getLogger("ib_insync").setLevel(logging.CRITICAL)
    server = await asyncio.create_subprocess_exec(
        PYTHON, "-m", "benchmarks.tick_server", stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
    assert server.stdin is not None and server.stdout is not None
    commands, replies = server.stdin, server.stdout
    port = int((await replies.readline()).decode())
    ib = IB()
    await ib.connectAsync("127.0.0.1", port, clientId=5, timeout=10)
    try:
        [aapl] = await ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        ticker = ib.reqMktData(aapl)
        while ticker.last != ticker.last:  # NaN until the first last price
            await asyncio.sleep(0.001)
        chunks: list[bytes] = []
        original = ib.client._onSocketHasData

        def recording(data: bytes) -> None:
            chunks.append(data)
            original(data)

        ib.client.conn.hasData.disconnect(original)
        ib.client.conn.hasData += recording
        before = ib.client._numMsgRecv
        started = time.perf_counter()
        commands.write(f"{command} {count}\n".encode())
        await commands.drain()
        assert (await replies.readline()).strip() == b"done"
        await ib.reqCurrentTimeAsync()
        elapsed = time.perf_counter() - started
        messages = ib.client._numMsgRecv - before - 1
        ib.client.conn.hasData -= recording
        ib.client.conn.hasData += original
        replay_started = time.perf_counter()
        for chunk in chunks:
            original(chunk)
        replay = time.perf_counter() - replay_started
    finally:
        ib.disconnect()
        commands.write(b"quit\n")
        await commands.drain()
        await server.wait()
    sizes = [len(c) for c in chunks]
    return EndToEndFigures(command, messages, messages / elapsed, (messages + 1) / replay, len(chunks),
                           int(statistics.median(sizes)), max(sizes))


if __name__ == "__main__":
    print(asyncio.run(gateway_alone()))
    print(asyncio.run(end_to_end("ticks", 100_000)))
    print(asyncio.run(end_to_end("market", 20_000)))
