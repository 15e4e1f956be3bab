"""Before/after figures for issue 22 items 7, 8, 10 and 12, with production settings:

    python -m tests.broker.supervision_figures 101|exec|hot|slow

Run it with PYTHONPATH pointing at another checkout to measure that code (e.g. main)."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path
from ib_insync import IB
from ib_harness.broker import IBKRInsyncBroker
from ib_harness.broker.connection import BuiltinSupervisor
from ib_harness.broker.events import EventBus
from ib_harness.broker.metrics import BrokerMetrics
from ib_harness.broker.settings import BrokerSettings
from ib_harness.broker.supervision import StateMachine
from ib_harness.fake_gateway import FakeGateway
from tests.broker.test_connect_sync import FailingSync  # the same failing hooks as the test

def jp() -> Path:
    return Path(tempfile.mkdtemp()) / "j.sqlite3"

async def lines_101():
    async with FakeGateway(max_tickers=3) as gw:
        b = IBKRInsyncBroker(gw.host, gw.port, 1, journal_path=jp())
        await b.connect(timeout=20)
        for s in ("AAPL", "MSFT", "AMZN"):
            await b.get_market_price(s)
        t = time.perf_counter()
        try:
            await b.get_market_price("TSLA")
            r = "ok"
        except Exception as e:
            r = type(e).__name__ + ": " + str(e)[:80]
        print(f"101: 4th symbol answered in {time.perf_counter()-t:.3f} s -> {r}")
        await b.disconnect()

async def exec_end():
    async with FakeGateway() as gw:
        gw.faults.inject({"kind": "drop_message", "message": "execDetailsEnd", "client_id": 1})
        b = IBKRInsyncBroker(gw.host, gw.port, 1, journal_path=jp())
        t = time.perf_counter()
        try:
            await b.connect(timeout=30)
            print(f"no execDetailsEnd: {b.state} after {time.perf_counter()-t:.2f} s, gaps={getattr(b, 'sync_gaps', None)}")
        except Exception as e:
            print(f"no execDetailsEnd: {type(e).__name__} after {time.perf_counter()-t:.2f} s: {str(e)[:100]}")
        await b.disconnect()

async def hot_loop():
    async with FakeGateway() as gw:
        s = BrokerSettings(journal_path=jp())  # production defaults
        ev = EventBus()
        m = StateMachine(ev, BrokerMetrics())
        h = FailingSync()
        sup = BuiltinSupervisor(IB(), s, m, ev, BrokerMetrics(), gw.host, gw.port, 1, h)
        sup.start()
        await asyncio.sleep(2.0)
        print(f"failing sync, production settings: {h.syncs} sessions in 2 s, circuit {sup.circuit.state}, failures {sup.circuit.failures}")
        await sup.stop()

async def slow_link():
    async with FakeGateway() as gw:
        gw.faults.inject({"kind": "latency", "ms": 550, "jitter_ms": 250, "direction": "both", "seed": 3})
        b = IBKRInsyncBroker(gw.host, gw.port, 1, journal_path=jp(), connect_timeout=10, request_timeout=10)
        await b.connect(timeout=60)
        mark = len(b.events.history)
        refused = calls = 0
        end = time.monotonic() + 30
        while time.monotonic() < end:
            calls += 1
            try:
                await b.get_positions()
            except Exception:
                refused += 1
            await asyncio.sleep(0.25)
        windows = sum(1 for e in b.events.history[mark:] if e.kind == "state" and e.data["to"] == "degraded")
        print(f"slow link 300-800 ms each way, 30 s, production probe timings: {windows} degraded windows, {refused}/{calls} calls refused")
        await b.disconnect()

asyncio.run({"101": lines_101, "exec": exec_end, "hot": hot_loop, "slow": slow_link}[sys.argv[1]]())
