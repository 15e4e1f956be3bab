"""The working-orders check: while orders work, IB's orders and executions are read again on a live
session (IB never sends again what it lost), every order_check_interval at first, the wait doubling
up to order_check_max while the same orders keep working, and starting over when they change."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ib_harness.broker.reconcile import watch_working_orders
from ib_harness.broker.settings import BrokerSettings


class Journal:
    """Only what the watch reads: the unfinished orders, changing as the test says."""

    def __init__(self, keys_at: list[set[str]]) -> None:
        self.keys_at = keys_at
        self.reads = 0

    def orders(self, statuses: Any) -> list[Any]:
        keys = self.keys_at[min(self.reads, len(self.keys_at) - 1)]
        self.reads += 1
        return [type("Record", (), {"key": key}) for key in sorted(keys)]


async def _waits(journal: Journal, rounds: int, **kw: Any) -> tuple[list[float], list[str]]:
    waits: list[float] = []
    causes: list[str] = []
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) > rounds:
            raise asyncio.CancelledError
        await real_sleep(0)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(asyncio, "sleep", sleep)
        with pytest.raises(asyncio.CancelledError):
            await watch_working_orders(journal, 30.0, causes.append, "check", **kw)  # type: ignore[arg-type]
    return waits[:rounds], causes


async def test_the_wait_doubles_while_the_same_orders_work_and_starts_over_when_they_change() -> None:
    same, other = {"a"}, {"a", "b"}
    waits, causes = await _waits(Journal([same] * 7 + [other] * 3), 10, longest=900.0)
    assert waits == [30, 30, 60, 120, 240, 480, 900, 900, 30, 60]  # new orders are first seen once
    assert len(causes) == 10


async def test_no_orders_no_reads_and_the_fallback_id_polls_at_once_at_a_fixed_interval() -> None:
    waits, causes = await _waits(Journal([set()]), 3, longest=900.0)
    assert waits == [30, 30, 30] and causes == []
    waits, causes = await _waits(Journal([{"a"}]), 3, at_once=True)
    assert waits == [30, 30, 30] and len(causes) == 4  # once before the first wait


def test_the_settings_are_consistent() -> None:
    assert BrokerSettings().order_check_interval == 30 and BrokerSettings().order_check_max == 900
    with pytest.raises(ValueError, match="order_check_max must be >= order_check_interval"):
        BrokerSettings(order_check_interval=60, order_check_max=30)
