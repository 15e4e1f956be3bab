"""Leaks under churn: 200 forced reconnect cycles of the real broker against the fake gateway, then
sockets, file descriptors, asyncio tasks and the gateway's sessions are back to their baseline and
RSS has grown by less than 5 MB."""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import pytest

from ib_harness.broker import BrokerEvent, IBKRInsyncBroker
from ib_harness.fake_gateway import FakeGateway
from ib_harness.scenarios import leaks

CYCLES = 200
WARMUP = 5  # first cycles allocate caches and pools for good; the baseline is taken after them
RSS_GROWTH_LIMIT = 5 * 1024 * 1024
CHURN = dict(probe_interval=5.0, probe_timeout=2.0, connect_timeout=2.0, request_timeout=2.0,
             backoff_initial=0.005, backoff_max=0.01, backoff_reset_after=0.0, backoff_seed=1,
             circuit_failures=1000, circuit_half_open_after=0.1)


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


async def reconnect_cycle(gateway: FakeGateway, broker: IBKRInsyncBroker, reconnected: asyncio.Queue[BrokerEvent],
                          abort: bool) -> None:
    """Drop every session (RST or FIN), wait for the broker's next 'reconnected' and one answered call."""
    await gateway.drop_sessions(abort=abort)
    await asyncio.wait_for(reconnected.get(), 10)
    await broker.get_positions()


async def test_200_forced_reconnects_leave_nothing_behind(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # pytest keeps every captured INFO record of the test in memory: that is not the broker's RSS
    caplog.set_level(logging.WARNING)
    async with FakeGateway(market_ticker=False) as gateway:
        broker = IBKRInsyncBroker(gateway.host, gateway.port, 1, journal_path=tmp_path / "journal.sqlite3", **CHURN)
        reconnected: asyncio.Queue[BrokerEvent] = asyncio.Queue()
        broker.events.subscribe(lambda e: reconnected.put_nowait(e) if e.kind == "reconnected" else None)
        await broker.connect(timeout=10)
        for cycle in range(WARMUP):
            await reconnect_cycle(gateway, broker, reconnected, abort=cycle % 2 == 0)
        baseline = leaks.census()
        fds, rss = open_fds(), rss_bytes()
        sessions = len(gateway.sessions)

        for cycle in range(CYCLES):
            await reconnect_cycle(gateway, broker, reconnected, abort=cycle % 2 == 0)

        after = await leaks.settle(baseline, timeout=5.0)
        assert (after.sockets, after.tasks) <= (baseline.sockets, baseline.tasks), (
            f"after {CYCLES} reconnects: sockets {baseline.sockets} -> {after.sockets}, "
            f"tasks {baseline.tasks} -> {after.tasks} ({leaks.leaked_task_names()})")
        assert open_fds() <= fds, f"file descriptors {fds} -> {open_fds()}"
        assert len(gateway.sessions) == sessions == 1
        growth = rss_bytes() - rss
        assert growth < RSS_GROWTH_LIMIT, f"RSS grew {growth / 2**20:.1f} MB over {CYCLES} reconnects"
        assert len(broker.events.of_kind("reconnected")) == WARMUP + CYCLES
        await broker.disconnect()
    final = await leaks.settle(leaks.Census(0, 0), timeout=5.0)
    assert final.tasks == 0, leaks.leaked_task_names()
