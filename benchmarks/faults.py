"""The fault layer's cost with no active fault, and the delay a ``latency`` fault really adds.

- Layer cost: tickPrice frames through a real session's write path to a reader in another
  process (as in ``ticks.gateway_alone``): with the session's write replaced by the same path
  minus the fault layer's check (the reference: no fault layer at all), with the layer and no
  fault, and with a fault active on another client. Runs are interleaved in rotating order and
  the best run of each variant is compared, because this machine is shared and noisy.
- Latency: reqCurrentTime round trips of one raw client, first plain, then with
  ``{"kind": "latency", "ms": 50, "direction": "out"}``; the added delay of each faulted round
  trip is its time minus the plain median.

``python -m benchmarks.faults`` measures only these and replaces their section in BENCHMARKS.md;
``make bench`` includes them.
"""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
from dataclasses import dataclass

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.session.session import Session, wire_log

from .sections import measure_and_update
from .ticks import start_drain_client, stream_ticks

HEADING = "## Fault layer"
LATENCY_MS = 50.0


@dataclass
class LayerFigures:
    messages: int
    rounds: int
    disabled: float  # best tick frames per CPU-second over the runs, no fault layer in the write path
    idle: float  # enabled, no fault
    elsewhere: float  # enabled, a fault active on another client
    disabled_wall: float
    idle_wall: float
    elsewhere_wall: float

    @property
    def ratio(self) -> float:
        return self.idle / self.disabled

    @property
    def ratio_elsewhere(self) -> float:
        return self.elsewhere / self.disabled


@dataclass
class LatencyFigures:
    samples: int
    baseline_ms: float
    added_p50_ms: float
    added_p99_ms: float
    load: float  # 1-minute load average at the end of the measurement

    @property
    def within_target(self) -> bool:
        return abs(self.added_p50_ms - LATENCY_MS) <= 5 and abs(self.added_p99_ms - LATENCY_MS) <= 5


class _ReferenceSession(Session):
    """The write path as it would be with no fault layer at all, called the same way (a method of
    the session's class), so the comparison measures the layer, not how Python binds the call."""

    def write(self, frame: bytes, msg_id: int | None) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self._trace:
            wire_log.debug("client %s <- %s", self.client_id, frame)
        self.raw_write(frame)


def _without_fault_layer(session: Session) -> None:
    """The reference: this session writes through :class:`_ReferenceSession`'s path."""
    session.__class__ = _ReferenceSession


async def _tick_rates(messages: int, batch: int, variant: str) -> tuple[float, float]:
    async with FakeGateway(market_ticker=False) as gateway:
        if variant == "elsewhere":
            gateway.faults.inject({"kind": "latency", "ms": 50, "client_id": 98})
        reader = await start_drain_client(gateway)
        if variant == "disabled":
            _without_fault_layer(next(iter(gateway.sessions)))
        wall, cpu = await stream_ticks(gateway, messages, batch)
        await gateway.close()
        await reader.communicate()
    return messages / cpu, messages / wall


async def layer_cost(messages: int = 200_000, batch: int = 2_000, rounds: int = 9) -> LayerFigures:
    cpu: dict[str, list[float]] = {"disabled": [], "idle": [], "elsewhere": []}
    wall: dict[str, list[float]] = {key: [] for key in cpu}
    variants = list(cpu)
    for number in range(rounds):
        shift = number % len(variants)  # rotate the order: no variant always runs first
        for variant in variants[shift:] + variants[:shift]:
            gc.collect()
            cpu_rate, wall_rate = await _tick_rates(messages, batch, variant)
            cpu[variant].append(cpu_rate)
            wall[variant].append(wall_rate)
    # best of N: on a shared machine other work only ever slows a run down
    med = {key: max(values) for key, values in cpu.items()}
    med_wall = {key: max(values) for key, values in wall.items()}
    return LayerFigures(messages, rounds, med["disabled"], med["idle"], med["elsewhere"],
                        med_wall["disabled"], med_wall["idle"], med_wall["elsewhere"])


async def _round_trips(client: RawTwsClient, samples: int) -> list[float]:
    loop = asyncio.get_running_loop()
    times = []
    for _ in range(samples):
        started = loop.time()
        client.send(["49", "1"])
        await client.read()
        times.append((loop.time() - started) * 1000)
    return times


async def latency_added(samples: int = 200) -> LatencyFigures:
    async with FakeGateway(market_ticker=False) as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        await client.handshake()
        await client.start_api(1)
        await client.read_until("9")
        for _ in range(11):  # farm notices
            await client.read()
        await _round_trips(client, 20)  # warm-up
        plain = await _round_trips(client, samples)
        gateway.faults.inject({"kind": "latency", "ms": LATENCY_MS, "direction": "out"})
        faulted = await _round_trips(client, samples)
        await client.close()
    baseline = statistics.median(plain)
    added = sorted(t - baseline for t in faulted)
    return LatencyFigures(samples, baseline, added[len(added) // 2], added[min(len(added) - 1, int(len(added) * 0.99))],
                          os.getloadavg()[0])


def section(layer: LayerFigures, latency: LatencyFigures) -> list[str]:
    """The BENCHMARKS.md section (shared by ``make bench`` and ``python -m benchmarks.faults``)."""
    mark = (lambda ok: "met" if ok else "NOT met")
    return [
        HEADING,
        "",
        f"Tick frames through a session's write path ({layer.messages:,} per run, {layer.rounds} interleaved runs",
        "per variant in rotating order, best run of each: other load on a shared machine only slows a run), read",
        "by a client in another process (`benchmarks/faults.py`).",
        "",
        "| fault layer | per CPU-second | per second (wall) | vs absent (CPU) |",
        "|---|---|---|---|",
        f"| absent (reference: the write path without the layer's check) | {layer.disabled:,.0f} | "
        f"{layer.disabled_wall:,.0f} | 1.00 |",
        f"| enabled, no fault | {layer.idle:,.0f} | {layer.idle_wall:,.0f} | {layer.ratio:.3f} |",
        f"| enabled, a fault active on another client | {layer.elsewhere:,.0f} | {layer.elsewhere_wall:,.0f} | "
        f"{layer.ratio_elsewhere:.3f} |",
        "",
        f"- With the layer and no active fault, at least 0.98 of the throughput without it: "
        f"**{mark(layer.ratio >= 0.98)}** ({layer.ratio:.3f}).",
        "",
        f"A `latency` fault of {LATENCY_MS:.0f} ms (direction out) on reqCurrentTime round trips of one raw client",
        f"({latency.samples} sequential samples; the plain round trip's median, {latency.baseline_ms:.2f} ms, is subtracted):",
        "",
        "| added delay | p50 | p99 |",
        "|---|---|---|",
        f"| latency {LATENCY_MS:.0f} ms | {latency.added_p50_ms:.2f} ms | {latency.added_p99_ms:.2f} ms |",
        "",
        f"- p50 and p99 within 5 ms of {LATENCY_MS:.0f} ms: **{mark(latency.within_target)}**.",
        f"- Load average while measuring: {latency.load:.1f} on {os.cpu_count()} cores (other jobs share this",
        "  machine; a late wake-up of the gateway's process shows up directly in the p99).",
        "",
    ]


async def collect() -> list[str]:
    return section(await layer_cost(), await latency_added())


def main(argv: list[str] | None = None) -> int:
    return measure_and_update(__doc__.splitlines()[0], HEADING, collect, argv)


if __name__ == "__main__":
    sys.exit(main())
