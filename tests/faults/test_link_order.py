"""Through any mix of link-shaping faults, the client receives exactly the frames, in order."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ib_harness.fake_gateway import FakeGateway
from tests.faults.clients import raw_ready

SCRIPT = [["49", "1"], ["61", "1"], ["8", "1", "1"], ["6", "2", "1", "DU1234567"], ["99", "0"], ["49", "1"]]
ENDS = ["49", "62", "9", "54", "102", "49"]  # the last frame of each request's answer

SHAPERS = st.lists(st.one_of(
    st.builds(lambda ms, jitter, direction: {"kind": "latency", "ms": ms, "jitter_ms": jitter, "direction": direction},
              st.integers(0, 15), st.integers(0, 15), st.sampled_from(["in", "out", "both"])),
    st.builds(lambda size, gap: {"kind": "slicer", "max_bytes": size, "delay_ms": gap},
              st.integers(1, 400), st.sampled_from([0, 0.2])),
    st.builds(lambda rate: {"kind": "bandwidth", "bytes_per_s": rate}, st.integers(200_000, 2_000_000)),
), min_size=1, max_size=3)


async def _answers(faults: list[dict[str, Any]], seed: int) -> list[list[str]]:
    async with FakeGateway(market_ticker=False) as gateway:
        client = await raw_ready(gateway, 1)
        for spec in faults:
            gateway.faults.inject({**spec, "seed": seed})
        for request in SCRIPT:
            client.send(request)
        frames = []
        for end in ENDS:
            frames += await client.read_until(end, timeout=5)
        await client.close()
    return [frame[:2] if frame[0] in ("49", "8") else frame for frame in frames]  # times are not seeded


def test_shaped_link_loses_and_reorders_nothing() -> None:
    plain = asyncio.run(_answers([], 0))

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(faults=SHAPERS, seed=st.integers(0, 1000))
    def shaped(faults: list[dict[str, Any]], seed: int) -> None:
        assert asyncio.run(_answers(faults, seed)) == plain

    shaped()
