"""Broker fuzz: malformed frames reach the real broker through the gateway's message and link
faults (a corrupted field in any message it reads, garbage bytes, frames cut short with a reset).
Whatever arrives, the broker never crashes: every call succeeds or raises a BrokerError, no task
dies with an unhandled exception, and it is ready again (reconnecting when the stream broke)."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path
from typing import Any

from ib_harness.broker import BrokerError, BrokerState, IBKRInsyncBroker, Order, OrderSide, OrderType
from ib_harness.fake_gateway import FakeGateway

ROUNDS = 16
SEED = 20261130
READ_BY_THE_BROKER = ["tickPrice", "tickSize", "orderStatus", "openOrder", "execDetails", "commissionReport",
                      "position", "positionEnd", "acctValue", "portfolioValue", "currentTime", "errMsg",
                      "contractData", "historicalData", "managedAccounts", "nextValidId", "openOrderEnd"]
FUZZ = dict(probe_interval=0.3, probe_timeout=0.5, probe_overdue=0.2, connect_timeout=1.5, request_timeout=0.5,
            order_ack_timeout=0.5, backoff_initial=0.02, backoff_max=0.1, backoff_seed=3, stream_check_timeout=0.3,
            circuit_failures=1000, circuit_half_open_after=0.1, connectivity_grace=0.5)


def fault_for(rng: random.Random, round_number: int) -> dict[str, Any]:
    kind = rng.choice(["corrupt_field", "corrupt_field", "corrupt_field", "garbage", "truncate"])
    if kind == "corrupt_field":
        return {"kind": kind, "message": rng.choice(READ_BY_THE_BROKER), "count": rng.randint(1, 3),
                "seed": round_number, "duration": 1.0}
    if kind == "garbage":
        return {"kind": kind, "bytes": rng.randint(1, 300), "seed": round_number}
    return {"kind": kind, "rst": True, "seed": round_number}


async def exercise(broker: IBKRInsyncBroker) -> list[str]:
    """A burst of calls of every kind; the outcome of each (ok or its BrokerError type)."""
    calls = [broker.get_market_price("AAPL"), broker.get_positions(), broker.get_account(), broker.get_orders(),
             broker.get_historical_bars("AAPL", "1800 S", "1 min"),
             broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1, order_type=OrderType.LIMIT,
                                      limit_price=90.0))]
    outcomes = await asyncio.gather(*calls, return_exceptions=True)
    unexpected = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, BrokerError)]
    assert not unexpected, f"calls raised untyped errors: {unexpected!r}"
    return ["ok" if not isinstance(o, BaseException) else type(o).__name__ for o in outcomes]


async def test_malformed_frames_never_crash_the_broker(tmp_path: Path) -> None:
    loop = asyncio.get_running_loop()
    unhandled: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: unhandled.append(context))
    rng = random.Random(SEED)
    async with FakeGateway(seed=SEED) as gateway:
        gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
        broker = IBKRInsyncBroker(gateway.host, gateway.port, 1, journal_path=tmp_path / "journal.sqlite3", **FUZZ)
        await broker.connect(timeout=10)
        injected = []
        try:
            for round_number in range(ROUNDS):
                spec = fault_for(rng, round_number)
                injected.append(spec)
                handle = gateway.faults.inject(spec)
                await exercise(broker)
                handle.stop()
                await broker.machine.wait_for(BrokerState.READY, timeout=10)
                assert broker.supervisor._task is not None and not broker.supervisor._task.done(), \
                    f"the supervisor died after {spec}"
            await broker.machine.wait_for(BrokerState.READY, timeout=10)
            assert (await exercise(broker))[:2] == ["ok", "ok"], "not serving after the fuzz"
        finally:
            await broker.disconnect()
    assert not unhandled, [c.get("message") for c in unhandled]
    cut = sum(1 for spec in injected if spec["kind"] == "truncate")
    assert cut > 0 and len(broker.events.of_kind("reconnected")) >= cut, (
        f"{cut} cut frames, {len(broker.events.of_kind('reconnected'))} reconnects")
