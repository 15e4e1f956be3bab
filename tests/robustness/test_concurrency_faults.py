"""500 concurrent broker calls (prices, positions, account, orders, bars) while the fault layer fires
one fault after another under them: each call succeeds or raises a typed BrokerError, and none
outlives its own timeout. (tests/broker/test_concurrency.py covers a plain crash; this is the same
promise under the fault vocabulary: latency, dropped answers, 1100, a reset.)"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any, Awaitable, Callable

from ib_harness.broker import BrokerError, IBKRInsyncBroker, Order, OrderSide, OrderType
from ib_harness.fake_gateway import FakeGateway

CALLS = 500
SETTINGS = dict(probe_interval=0.3, probe_timeout=0.5, probe_overdue=0.2, connect_timeout=1.5, request_timeout=1.0,
                order_ack_timeout=0.5, backoff_initial=0.02, backoff_max=0.1, backoff_seed=5, connectivity_grace=0.4,
                circuit_failures=1000, circuit_half_open_after=0.1, max_orders_per_second=None)
FAULTS = [  # (delay before it fires, spec)
    (0.00, {"kind": "latency", "ms": 80, "jitter_ms": 40, "direction": "both", "duration": 0.6}),
    (0.05, {"kind": "drop_message", "message": "orderStatus", "count": 5}),
    (0.10, {"kind": "drop_message", "message": "position", "count": 3}),
    (0.20, {"kind": "connectivity_lost", "duration": 0.3}),
    (0.60, {"kind": "crash", "rst": True}),
]


def buy() -> Order:
    return Order(symbol="AAPL", side=OrderSide.BUY, quantity=1, order_type=OrderType.LIMIT, limit_price=90.0)


def call_table(broker: IBKRInsyncBroker) -> list[tuple[str, Callable[[], Awaitable[Any]], float]]:
    """(name, call, the longest it may take): the broker's own timeouts plus scheduling slack."""
    s = broker.settings
    slack = 1.0
    return [
        ("price", lambda: broker.get_market_price("AAPL"), s.request_timeout + slack),
        ("positions", broker.get_positions, slack),
        ("account", broker.get_account, slack),
        ("orders", broker.get_orders, slack),
        ("bars", lambda: broker.get_historical_bars("AAPL", "1800 S", "1 min"), s.request_timeout + slack),
        ("place", lambda: broker.place_order(buy()), s.order_ack_timeout + 2 * s.request_timeout + slack),
    ]


async def test_500_concurrent_calls_while_faults_fire(tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    async with FakeGateway(seed=500, max_messages_per_second=100_000) as gateway:
        gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
        broker = IBKRInsyncBroker(gateway.host, gateway.port, 1, journal_path=tmp_path / "journal.sqlite3",
                                  max_requests_per_second=50, **SETTINGS)
        await broker.connect(timeout=10)
        await broker.get_market_price("AAPL")
        table = call_table(broker)

        async def one(index: int) -> tuple[str, str, float, float]:
            name, call, limit = table[index % len(table)]
            started = loop.time()
            try:
                await call()
                outcome = "ok"
            except BrokerError as exc:
                outcome = type(exc).__name__
            return name, outcome, loop.time() - started, limit

        async def fire() -> None:
            for delay, spec in FAULTS:
                await asyncio.sleep(delay)
                gateway.faults.inject(spec)

        try:
            calls = [asyncio.ensure_future(one(i)) for i in range(CALLS)]
            await fire()
            results = await asyncio.wait_for(asyncio.gather(*calls), 60)
        finally:
            gateway.faults.stop_all()
            await broker.disconnect()
    late = [(name, round(took, 2), limit) for name, _, took, limit in results if took > limit]
    assert not late, f"calls past their timeout: {late[:10]}"
    outcomes = Counter(outcome for _, outcome, _, _ in results)
    assert outcomes["ok"] > 0, outcomes
    assert len(outcomes) > 1, f"the faults never reached a call: {outcomes}"
    assert sum(outcomes.values()) == CALLS
