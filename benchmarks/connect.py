"""ib_insync connectAsync (full startup sync) against the fake and against a minimal gateway.

Both are measured in the same run, alternating, so machine noise hits both alike.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from dataclasses import dataclass

from ib_insync import IB

from ib_harness.fake_gateway import AccountConfig, FakeGateway, GatewayConfig
from ib_harness.fake_gateway.faults.base import Fault

from .minimal_gateway import MinimalGateway

REALISTIC = GatewayConfig(accounts=[AccountConfig(positions={"AAPL": 100, "MSFT": -50, "EUR": 25000, "ES": 2})])


@dataclass
class ConnectFigures:
    connects: int
    fake_median_ms: float
    fake_p95_ms: float
    minimal_median_ms: float
    minimal_p95_ms: float
    account_values: int

    @property
    def ratio(self) -> float:
        return self.fake_median_ms / self.minimal_median_ms


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


async def _connect_once(port: int, client_id: int) -> tuple[float, int]:
    ib = IB()
    started = time.perf_counter()
    await ib.connectAsync("127.0.0.1", port, clientId=client_id, timeout=5)
    elapsed = time.perf_counter() - started
    values = len(ib.accountValues())
    ib.disconnect()
    return elapsed, values


async def measure(connects: int = 60, warmup: int = 5) -> ConnectFigures:
    logging.getLogger("ib_insync").setLevel(logging.CRITICAL)
    fake: list[float] = []
    minimal: list[float] = []
    values = 0
    async with FakeGateway(REALISTIC) as gateway, MinimalGateway() as reference:
        for number in range(warmup + connects):
            fake_time, values = await _connect_once(gateway.port, 1000 + number)
            minimal_time, _ = await _connect_once(reference.port, 1000 + number)
            if number >= warmup:
                fake.append(fake_time * 1000)
                minimal.append(minimal_time * 1000)
    return ConnectFigures(connects, statistics.median(fake), _p95(fake), statistics.median(minimal), _p95(minimal), values)




class _Recorder(Fault):
    """A pass-through fault that keeps a copy of every frame the gateway sends."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def on_outbound(self, session, msg_id, frame):  # type: ignore[no-untyped-def]
        self.frames.append(frame)
        return [frame]


async def client_decode_floor(repeats: int = 200) -> tuple[float, int]:
    """ib_insync's own cost (ms) to decode one startup sync's bytes from the fake, with no socket."""
    recorder = _Recorder()
    async with FakeGateway(REALISTIC) as gateway:
        gateway.faults.add(recorder)
        await _connect_once(gateway.port, 1)
    payload = b"".join(recorder.frames[1:])  # without the handshake reply
    samples = []
    for _ in range(repeats):
        ib = IB()
        ib.client._serverVersion = ib.client.decoder.serverVersion = 176
        ib.client._apiReady = True
        started = time.perf_counter()
        ib.client._onSocketHasData(payload)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), len(recorder.frames) - 1


if __name__ == "__main__":
    print(asyncio.run(measure()))
    print(asyncio.run(client_decode_floor()))
