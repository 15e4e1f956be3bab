"""Same seed and same traffic give the same injected timeline; another seed gives another."""

from __future__ import annotations

import asyncio
from typing import Any

from ib_harness.fake_gateway import FakeGateway
from tests.faults.clients import raw_ready


async def _run(seed: int) -> tuple[list[tuple[Any, ...]], list[list[str]], bytes]:
    """One scripted run: seeded corruption, jitter, truncation and garbage on a fixed request script."""
    async with FakeGateway(market_ticker=False) as gateway:
        client = await raw_ready(gateway, 1)
        gateway.faults.inject({"kind": "latency", "ms": 5, "jitter_ms": 5, "seed": seed})
        gateway.faults.inject({"kind": "corrupt_field", "message": "positionEnd", "count": 3, "seed": seed})
        gateway.faults.inject({"kind": "drop_message", "message": "currentTime", "count": 1, "seed": seed})
        frames = []
        for round_number in range(4):
            client.send(["49", "1"])
            client.send(["61", "1"])
            # Read every answer of the round (the first currentTime is dropped), so nothing is
            # still in flight when the garbage below goes out: the bytes read are then seeded only.
            for _ in range(1 if round_number == 0 else 2):
                frame = await client.read()
                frames.append(frame[:2] if frame[0] == "49" else frame)  # the server time is not seeded
        gateway.faults.inject({"kind": "garbage", "bytes": 24, "seed": seed})
        client.send(["49", "1"])
        noise = await asyncio.wait_for(client.reader.readexactly(24), 2)
        await client.close()
    timeline = [(e.kind, e.client_id, e.session, tuple(sorted((k, str(v)) for k, v in e.data.items()
                                                              if k not in ("port", "peer"))))
                for e in gateway.events]
    return timeline, frames, noise


async def test_same_seed_same_timeline_and_bytes() -> None:
    first, second = await _run(11), await _run(11)
    assert first == second
    other = await _run(12)
    assert other[1] != first[1] and other[2] != first[2]  # the seed really drives the choices
    assert [kind for kind, *_ in other[0]] == [kind for kind, *_ in first[0]]
