"""A slow but healthy link: 300-800 ms on every frame each way, production probe timings (the
broker's defaults). The probe judges the link by the round trips it measures: no false degraded
window, no refused call. On the virtual clock: the three probes at the production interval cost
no wall time."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.broker import BrokerState
from ib_harness.broker.settings import BrokerSettings
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, transitions, wait_event

pytestmark = pytest.mark.virtual_clock

PRODUCTION_PROBE = {name: BrokerSettings.model_fields[name].default
                    for name in ("probe_interval", "probe_timeout", "probe_overdue")}


async def test_a_slow_healthy_link_is_never_degraded(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    gateway.faults.inject({"kind": "latency", "ms": 550, "jitter_ms": 250, "direction": "both", "seed": 3})
    broker = await make_broker(gateway, connect=False, connect_timeout=10, request_timeout=10, **PRODUCTION_PROBE)
    await broker.connect(timeout=60)
    mark = len(broker.events.history)
    for _ in range(3):  # three probes at the production interval, each answered 0.6-1.6 s later
        await wait_event(broker, "probe_sent", since=len(broker.events.history), timeout=20)
        await asyncio.sleep(0.7)  # past the fixed 0.5 s overdue threshold, the answer still on its way
        await broker.get_positions()  # never refused: the link is healthy
    await asyncio.sleep(2.0)
    assert broker.state == BrokerState.READY
    assert transitions(broker, mark) == []
    assert broker.events.of_kind("probe_timeout") == []
    rtts = [e.data["rtt"] for e in broker.events.of_kind("probe_answered")]
    assert all(0.3 <= rtt <= 3.0 for rtt in rtts), rtts
