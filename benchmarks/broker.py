"""The broker on each client library against the raw client, and its detection and recovery against the Watchdog.

Every figure is taken on both backends (ib_insync and ib_async, ``settings.backend``), side by side.

- Overhead: the same gateway, the same run, alternating rounds: get_positions vs ``ib.positions()``,
  get_market_price on a live stream vs ``ticker.marketPrice()``, place_order -> Submitted vs
  ``ib.placeOrder`` and waiting for Submitted (the broker also journals, risk-checks and waits).
- Detection: a ``stall`` (socket open, silent) and a ``half_open`` socket are injected on an idle
  link; detection is fault start -> the broker drops the socket (``probe_timeout`` event) or the
  Watchdog's ``hardTimeoutEvent``, at equal small settings.
- Journal durability: the intent commit alone and place_order -> Submitted with the journal at
  ``synchronous=NORMAL`` (before: survives a killed process) and ``FULL`` (now: every commit
  fsynced, survives an OS crash), alternating rounds in one run, journals on the same file system.
- Recovery: stall detected and then the gateway answers at once -> ready; a ``down`` outage of
  OUTAGE_S seconds -> time from the gateway listening again to ready, with the backoff step then.

``python -m benchmarks.broker`` measures only these and replaces their section in BENCHMARKS.md
(``--update BENCHMARKS.md``); ``make bench`` includes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

from ib_harness.broker import IBKRInsyncBroker, Order, OrderSide, OrderType
from ib_harness.broker.backends import BACKENDS, load_backend
from ib_harness.broker.journal import Journal
from ib_harness.fake_gateway import AccountConfig, FakeGateway, GatewayConfig
from benchmarks.broker_section import (HEADING, OUTAGE_S, PROBE_INTERVAL, PROBE_TIMEOUT, SETTINGS, BackendFigures,
                                       Overhead, Timing, section)
from benchmarks.sections import measure_and_update
from ib_harness.scenarios.gateway_controller import InProcessGatewayController


WORLD = GatewayConfig(accounts=[AccountConfig(positions={"MSFT": 10, "IBM": 5, "AAPL": 7, "SPY": 3})])


def settle(future: "asyncio.Future[Any]", value: Any) -> None:
    """Resolve ``future`` with the first value only (event callbacks may fire again)."""
    if not future.done():
        future.set_result(value)


def median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


async def _time(call: Callable[[], Awaitable[Any]], n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        await call()
        out.append(time.perf_counter() - started)
    return out


async def overhead(rounds: int = 8, per_round: int = 400, orders: int = 15,
                   backend: str = "ib_insync") -> list[Overhead]:
    """The broker on ``backend`` against a raw ``IB()`` of the same library."""
    lib = load_backend(backend).module
    async with FakeGateway(WORLD) as gw:
        gw.brokerage.market.pin("AAPL", 100.0, spread=0.02)
        raw = lib.IB()
        await raw.connectAsync(gw.host, gw.port, clientId=2)
        [aapl] = await raw.qualifyContractsAsync(lib.Stock("AAPL", "SMART", "USD"))
        ticker = raw.reqMktData(aapl)
        raw.client.updateReqId(1_000_000)  # its own order-id range: the fake's ids are shared by clients
        journal = Path(tempfile.mkdtemp()) / "journal.sqlite3"
        broker = IBKRInsyncBroker(gw.host, gw.port, 1, journal_path=journal, backend=backend, **SETTINGS)
        await broker.connect()
        # the fake's order ids are shared by clients, and the broker's key look-up (every client's
        # open orders) moves ib_insync's next id past the ids it sees: the broker above the raw range
        broker.ib.client.updateReqId(10_000_000)
        await broker.get_market_price("AAPL")
        while ticker.marketPrice() != ticker.marketPrice():  # NaN until the first tick
            await asyncio.sleep(0.01)

        async def raw_positions() -> Any:
            return raw.positions()

        async def raw_price() -> Any:
            return ticker.marketPrice()

        async def raw_order() -> None:
            trade = raw.placeOrder(aapl, lib.LimitOrder("BUY", 1, 90.0))
            while trade.orderStatus.status not in ("Submitted", "PreSubmitted"):
                await trade.statusEvent

        async def broker_order() -> None:
            await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1,
                                           order_type=OrderType.LIMIT, limit_price=90.0))

        keys = iter(range(10**9))

        async def broker_order_own_key() -> None:  # a caller's key: looked up at the gateway first
            await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1, key=f"bench-{next(keys)}",
                                           order_type=OrderType.LIMIT, limit_price=90.0))

        pairs = [("get_positions (cached)", raw_positions, broker.get_positions, per_round),
                 ("get_market_price (live stream)", raw_price, lambda: broker.get_market_price("AAPL"), per_round),
                 ("place_order -> Submitted", raw_order, broker_order, orders),
                 ("place_order, caller's key (looked up first) -> Submitted", raw_order, broker_order_own_key,
                  orders)]
        samples: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, *_ in pairs}
        for _ in range(rounds):
            for name, raw_call, broker_call, n in pairs:
                samples[name][0].extend(await _time(raw_call, n))
                samples[name][1].extend(await _time(broker_call, n))
            await asyncio.sleep(1.1)  # both clients' request throttles (45/s) start each round empty
        raw.disconnect()
        await broker.disconnect()
    return [Overhead(name, median_us(r), median_us(b)) for name, (r, b) in samples.items()]


@dataclass
class JournalCost:
    what: str
    normal_us: float
    full_us: float


def _intent_commits(journal: Journal, prefix: str, n: int) -> list[float]:
    out = []
    for i in range(n):
        started = time.perf_counter()
        journal.record_intent(f"{prefix}-{i}", 10_000 + i, "AAPL", "BUY", 1, "LIMIT", 90.0, None)
        out.append(time.perf_counter() - started)
    return out


async def journal_cost(rounds: int = 6, per_round: int = 15) -> tuple[str, list[JournalCost]]:
    """(the journals' directory, costs): NORMAL (before) against FULL (now), alternating rounds."""
    directory = Path(tempfile.mkdtemp(prefix="ibh-bench-journal-"))
    journals = {mode: Journal(directory / f"commits-{mode}.sqlite3", synchronous=mode) for mode in ("NORMAL", "FULL")}
    commits: dict[str, list[float]] = {mode: [] for mode in journals}
    for r in range(rounds):
        for mode, journal in journals.items():
            commits[mode] += _intent_commits(journal, f"{mode}-{r}", per_round * 4)
    for journal in journals.values():
        journal.close()
    placements: dict[str, list[float]] = {"NORMAL": [], "FULL": []}
    async with FakeGateway(WORLD) as gw_normal, FakeGateway(WORLD) as gw_full:  # separate order-id spaces
        brokers = {}
        for gw, mode in ((gw_normal, "NORMAL"), (gw_full, "FULL")):
            gw.brokerage.market.pin("AAPL", 100.0, spread=0.02)
            path = directory / f"broker-{mode}.sqlite3"
            broker = IBKRInsyncBroker(gw.host, gw.port, 1, journal_path=path, **SETTINGS)
            if mode != "FULL":  # the broker's own journal is always FULL: swap in the old setting
                broker.journal.close()
                broker.journal = broker.book.journal = Journal(path, synchronous=mode)
            await broker.connect()
            await broker.get_market_price("AAPL")
            brokers[mode] = broker
        for _ in range(rounds):
            for mode, broker in brokers.items():
                placements[mode].extend(await _time(lambda b=broker: b.place_order(  # type: ignore[misc]
                    Order(symbol="AAPL", side=OrderSide.BUY, quantity=1, order_type=OrderType.LIMIT,
                          limit_price=90.0)), per_round))
            await asyncio.sleep(1.1)  # ib_insync's request throttle starts each round empty
        for broker in brokers.values():
            await broker.disconnect()
    return str(directory), [
        JournalCost("journal intent commit (record_intent)", median_us(commits["NORMAL"]), median_us(commits["FULL"])),
        JournalCost("place_order -> Submitted", median_us(placements["NORMAL"]), median_us(placements["FULL"])),
    ]


def journal_section(directory: str, costs: list[JournalCost]) -> list[str]:
    lines = [
        "### Journal durability: synchronous=NORMAL (before) against FULL (now)",
        "",
        "Alternating rounds in one run, the two journals side by side in one directory "
        f"(`{directory}`, {_filesystem(directory)}); median per call.",
        "",
        "| call | NORMAL (survives a killed process) | FULL (intent and fills fsynced) | cost of FULL |",
        "|---|---|---|---|",
    ]
    lines += [f"| {c.what} | {c.normal_us:,.1f} us | {c.full_us:,.1f} us | +{c.full_us - c.normal_us:,.0f} us "
              f"({c.full_us / c.normal_us:.2f}x) |" for c in costs]
    lines += ["", "The fsync's price depends on the disk under the journal and on what else writes to it: measure on",
              "the production volume.", ""]
    return lines


def _filesystem(directory: str) -> str:
    """The mount's type (ext4, tmpfs, ...) from /proc/mounts: an fsync on tmpfs costs nothing."""
    best, kind = "", "file system unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and directory.startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], f"{parts[2]} at {parts[1]}"
    return kind


async def _broker_detection(kind: str, backend: str) -> tuple[float, float]:
    """(fault start -> socket dropped, drop -> ready again with the gateway answering at once)."""
    async with FakeGateway(WORLD, market_ticker=False) as gw:
        broker = IBKRInsyncBroker(gw.host, gw.port, 1, journal_path=Path(tempfile.mkdtemp()) / "j.sqlite3",
                                  backend=backend, **SETTINGS)
        await broker.connect()
        await asyncio.sleep(0.2)
        loop = asyncio.get_running_loop()
        dropped: asyncio.Future[float] = loop.create_future()
        ready: asyncio.Future[float] = loop.create_future()

        def watch(event: Any) -> None:
            if event.kind == "probe_timeout" and not dropped.done():
                handle.stop()  # the gateway answers again at once
                dropped.set_result(time.perf_counter())
            elif event.kind == "reconnected" and not ready.done():
                ready.set_result(time.perf_counter())

        broker.events.subscribe(watch)
        started = time.perf_counter()
        handle = gw.faults.inject({"kind": kind, "client_id": 1})
        drop_at = await asyncio.wait_for(dropped, 30)
        ready_at = await asyncio.wait_for(ready, 30)
        await broker.disconnect()
    return drop_at - started, ready_at - drop_at


async def _watchdog_detection(kind: str, app_timeout: float, probe_timeout: float, backend: str) -> float:
    """Fault start -> the library's own Watchdog's hard timeout, at the given settings."""
    lib = load_backend(backend).module
    async with FakeGateway(WORLD, market_ticker=False) as gw:
        ib = lib.IB()
        controller = InProcessGatewayController(gw)
        watchdog = lib.Watchdog(controller, ib, host=gw.host, port=gw.port, clientId=3,  # type: ignore[arg-type]
                            appStartupTime=0, appTimeout=app_timeout, probeTimeout=probe_timeout, retryDelay=0.1)
        loop = asyncio.get_running_loop()
        connected: asyncio.Future[None] = loop.create_future()
        hard: asyncio.Future[float] = loop.create_future()
        watchdog.startedEvent += lambda _w: settle(connected, None)
        watchdog.hardTimeoutEvent += lambda _w: settle(hard, time.perf_counter())
        runner = watchdog.start()
        await asyncio.wait_for(connected, 10)
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        handle = gw.faults.inject({"kind": kind, "client_id": 3})
        try:
            detected = await asyncio.wait_for(hard, 60) - started
        finally:
            handle.stop()
            with contextlib.suppress(OSError):  # the socket may already be reset
                watchdog.stop()
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
            ib.disconnect()
    return detected


async def outage_recovery(repeats: int = 3, backend: str = "ib_insync") -> list[tuple[float, float]]:
    """(gateway listening again -> broker ready, the backoff ceiling at that moment)."""
    results = []
    for _ in range(repeats):
        async with FakeGateway(WORLD, market_ticker=False) as gw:
            broker = IBKRInsyncBroker(gw.host, gw.port, 1, journal_path=Path(tempfile.mkdtemp()) / "j.sqlite3",
                                      backend=backend, **SETTINGS)
            await broker.connect()
            down = gw.faults.inject({"kind": "down"})
            gw.faults.inject({"kind": "crash", "rst": True})
            await asyncio.sleep(OUTAGE_S)
            loop = asyncio.get_running_loop()
            ready: asyncio.Future[float] = loop.create_future()
            broker.events.subscribe(lambda e: settle(ready, time.perf_counter()) if e.kind == "reconnected" else None)
            step = broker.supervisor.backoff.ceiling()  # type: ignore[union-attr]
            back = time.perf_counter()
            down.stop()
            results.append((await asyncio.wait_for(ready, 30) - back, step))
            await broker.disconnect()
    return results


async def detection(repeats: int = 3, backend: str = "ib_insync") -> tuple[list[Timing], list[float]]:
    timings, recoveries = [], []
    for kind in ("stall", "half_open"):
        broker_s, watchdog_s = [], []
        for _ in range(repeats):
            detect, recover = await _broker_detection(kind, backend)
            broker_s.append(detect)
            recoveries.append(recover)
            watchdog_s.append(await _watchdog_detection(kind, PROBE_INTERVAL, PROBE_TIMEOUT, backend))
        timings.append(Timing(kind, broker_s, watchdog_s))
    return timings, recoveries


OVERHEAD_RUNS = 3


def order_ratio(costs: list[Overhead]) -> float:
    return next(c for c in costs if c.name.startswith("place_order")).ratio


async def figures(backend: str) -> BackendFigures:
    # the place_order ratio moves by +-0.2 from run to run on a shared machine: report the run with
    # the median ratio, and every run's ratio beside it
    runs = sorted([await overhead(backend=backend) for _ in range(OVERHEAD_RUNS)], key=order_ratio)
    timings, recoveries = await detection(backend=backend)
    outages = await outage_recovery(backend=backend)
    return BackendFigures(backend, runs[len(runs) // 2], [order_ratio(r) for r in runs], timings, recoveries, outages)


async def collect() -> list[str]:
    measured = [await figures(backend) for backend in BACKENDS]
    journal = await journal_cost()
    return section(measured, journal_section(*journal))


def main(argv: list[str] | None = None) -> int:
    return measure_and_update(__doc__.splitlines()[0], HEADING, collect, argv)


if __name__ == "__main__":
    sys.exit(main())
