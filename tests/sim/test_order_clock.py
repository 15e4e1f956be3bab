"""The gateway's order timer on the virtual clock: it wakes when an order is due, not every second,
and DAY/GTD orders still end at their exact time (the week's cost was one wake per simulated second)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import ib_insync

from ib_harness import sim
from ib_harness.fake_gateway import FakeGateway

MONDAY_10AM_ET = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)
CLOSE_ET = datetime(2026, 11, 23, 21, 0, tzinfo=timezone.utc).timestamp()  # 16:00 New York


def test_a_day_order_ends_at_the_close_after_a_handful_of_wakes() -> None:
    seen: dict[str, object] = {}

    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with FakeGateway(clock=loop.wall.now, market_ticker=False, order_clock_poll=None) as gateway:
            ib = ib_insync.IB()
            await ib.connectAsync(gateway.host, gateway.port, clientId=1)
            [contract] = await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD"))
            await asyncio.sleep(3600)  # an hour with nothing timed: the timer sleeps through it
            seen["idle_wakes"] = gateway.order_clock.wakes
            ended: list[float] = []
            trade = ib.placeOrder(contract, ib_insync.LimitOrder("BUY", 1, 1.0, tif="DAY"))
            trade.cancelledEvent += lambda _: ended.append(gateway.clock())
            await asyncio.sleep(6 * 3600)
            seen["ended"], seen["wakes"] = ended, gateway.order_clock.wakes
            seen["status"] = trade.orderStatus.status
            ib.disconnect()

    sim.run(main(), start=MONDAY_10AM_ET)
    assert seen["idle_wakes"] == 0
    assert seen["status"] == "Cancelled" and seen["ended"] == [CLOSE_ET]  # to the microsecond of virtual time
    assert isinstance(seen["wakes"], int) and seen["wakes"] <= 3


def test_a_clock_moved_by_hand_is_still_noticed_within_the_poll() -> None:
    """The default (order_clock_poll 1 s) is for clocks that jump: a test setting the time forward."""
    now = [MONDAY_10AM_ET.timestamp()]
    seen: dict[str, object] = {}

    async def main() -> None:
        async with FakeGateway(clock=lambda: now[0], market_ticker=False) as gateway:
            ib = ib_insync.IB()
            await ib.connectAsync(gateway.host, gateway.port, clientId=1)
            [contract] = await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD"))
            trade = ib.placeOrder(contract, ib_insync.LimitOrder("BUY", 1, 1.0, tif="DAY"))
            await asyncio.sleep(1)
            now[0] = CLOSE_ET + 60  # the test jumps past the close
            await asyncio.sleep(1.5)
            seen["status"] = trade.orderStatus.status
            ib.disconnect()

    sim.run(main(), start=MONDAY_10AM_ET)
    assert seen["status"] == "Cancelled"



def test_a_held_order_works_at_the_open_after_a_handful_of_wakes() -> None:
    """market_hours='exchange': a GTC order placed on Saturday waits for Monday 09:30 New York; the
    timer (no poll) is woken by the placement and sleeps until the open, not every second."""
    saturday = datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)
    monday_open = datetime(2026, 11, 30, 14, 30, tzinfo=timezone.utc).timestamp()
    seen: dict[str, object] = {}

    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with FakeGateway(clock=loop.wall.now, market_ticker=False, order_clock_poll=None,
                               market_hours="exchange") as gateway:
            gateway.brokerage.set_quote(265598, 190.0, 190.02, 190.01)
            ib = ib_insync.IB()
            await ib.connectAsync(gateway.host, gateway.port, clientId=1)
            [contract] = await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD"))
            filled: list[float] = []
            trade = ib.placeOrder(contract, ib_insync.LimitOrder("BUY", 1, 191.0, tif="GTC"))
            trade.filledEvent += lambda _: filled.append(gateway.clock())
            await asyncio.sleep(3 * 86400)
            seen["filled"], seen["wakes"] = filled, gateway.order_clock.wakes
            ib.disconnect()

    sim.run(main(), start=saturday)
    assert seen["filled"] == [monday_open]
    assert isinstance(seen["wakes"], int) and seen["wakes"] <= 3
