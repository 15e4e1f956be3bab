"""The order features through ib_insync over real TCP, on a gateway clock the test moves.

Brackets (ib_insync's own bracketOrder), transmit=False, OCA groups 1-3, TRAIL and TRAIL LIMIT,
MIT and LIT, MOC and LOC, GTD, OPG and DAY expiry by the gateway's own timer, minTick (110),
margin (201 with IB's wording, what-if, account values), and a field the engine does not model.
The official ibapi runs brackets and OCA in tests/gateway/test_orders_groups_ibapi.py.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime
from typing import AsyncIterator
from zoneinfo import ZoneInfo

import ib_insync
import pytest
from ib_insync import IB, LimitOrder, MarketOrder, Order, Stock

from ib_harness.fake_gateway import FakeGateway

from tests.gateway.ib_clients import ib_and_errors
from tests.gateway.test_orders_types import CLOSE, MONDAY_10AM, NEXT_OPEN, Clock
from tests.waiting import until

AAPL = 265598
FARM_NOTICES = {2104, 2106, 2158}


@asynccontextmanager
async def session(clock: Clock | None = None) -> AsyncIterator[tuple[FakeGateway, IB, list[tuple[int, int, str]]]]:
    """A gateway (market still unless the test moves it) and a connected ib_insync with its errors."""
    gateway = FakeGateway(market_ticker=False, clock=clock or Clock(MONDAY_10AM))
    async with gateway:
        gateway.brokerage.set_quote(AAPL, 190.0, 190.02, 190.01)
        async with ib_and_errors(gateway) as (ib, errors):
            yield gateway, ib, errors


STOCK = Stock("AAPL", "SMART", "USD")


def codes(errors: list[tuple[int, int, str]]) -> list[int]:
    return [code for _, code, _ in errors if code not in FARM_NOTICES]


async def test_bracket_children_wait_for_the_parent_and_one_exit_cancels_the_other() -> None:
    async with session() as (gateway, ib, errors):
        broker = gateway.brokerage
        parent, profit, loss = ib.bracketOrder("BUY", 100, 185.0, 195.0, 180.0)
        trades = [ib.placeOrder(STOCK, o) for o in (parent, profit, loss)]
        await until(lambda: [t.orderStatus.status for t in trades] == ["Submitted", "PreSubmitted", "PreSubmitted"])
        assert trades[1].orderStatus.parentId == parent.orderId
        broker.set_quote(AAPL, 196.0, 196.02, 196.01)  # through the take-profit, parent unfilled
        broker.set_quote(AAPL, 190.0, 190.02, 190.01)
        assert not ib.fills() and broker.orders.get(profit.orderId).filled == 0
        broker.set_quote(AAPL, 184.9, 184.95, 184.95)
        await until(lambda: trades[0].orderStatus.status == "Filled" and trades[1].orderStatus.status == "Submitted")
        broker.set_quote(AAPL, 195.0, 195.02, 195.01)
        await until(lambda: trades[1].orderStatus.status == "Filled" and trades[2].orderStatus.status == "Cancelled")
        await until(lambda: len(ib.fills()) == 2)
        assert [f.execution.side for f in ib.fills()] == ["BOT", "SLD"]
        assert broker.default_account.positions[AAPL].quantity == 0
        assert codes(errors) == [202]  # the stop-loss, cancelled by the system


async def test_cancelling_a_bracket_parent_cancels_the_children() -> None:
    async with session() as (gateway, ib, errors):
        trades = [ib.placeOrder(STOCK, o) for o in ib.bracketOrder("BUY", 100, 185.0, 195.0, 180.0)]
        await until(lambda: trades[2].orderStatus.status == "PreSubmitted")
        ib.cancelOrder(trades[0].order)
        await until(lambda: all(t.orderStatus.status == "Cancelled" for t in trades))
        assert codes(errors) == [202, 202, 202]


async def test_transmit_false_holds_the_order_until_it_is_sent_with_transmit() -> None:
    async with session() as (gateway, ib, errors):
        held = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 195.0, transmit=False))  # marketable
        probe = ib.placeOrder(STOCK, LimitOrder("BUY", 1, 150.0))
        await until(lambda: probe.orderStatus.status == "Submitted")  # the gateway has read both
        assert held.orderStatus.status == "PendingSubmit" and not ib.fills()
        assert [t.order.orderId for t in await ib.reqAllOpenOrdersAsync()] == [probe.order.orderId]
        held.order.transmit = True
        ib.placeOrder(STOCK, held.order)
        await until(lambda: held.orderStatus.status == "Filled")
        assert codes(errors) == []


@pytest.mark.parametrize("oca_type,filled", [(1, 1), (2, 1), (3, 2)])
async def test_oca_groups_by_type(oca_type: int, filled: int) -> None:
    async with session() as (gateway, ib, errors):
        orders = ib.oneCancelsAll([LimitOrder("BUY", 100, 186.0), LimitOrder("BUY", 100, 186.0)], "exit-1", oca_type)
        trades = [ib.placeOrder(STOCK, o) for o in orders]
        await until(lambda: all(t.orderStatus.status == "Submitted" for t in trades))
        gateway.brokerage.set_quote(AAPL, 185.8, 185.9, 185.85)  # both marketable on one quote
        await until(lambda: all(t.isDone() for t in trades))
        statuses = sorted(t.orderStatus.status for t in trades)
        assert statuses.count("Filled") == filled and len(statuses) == 2
        await until(lambda: [p.position for p in ib.positions()] == [100 * filled])


async def test_trailing_stop_and_trailing_limit() -> None:
    async with session() as (gateway, ib, errors):
        broker = gateway.brokerage
        trail = ib.placeOrder(STOCK, Order(action="SELL", totalQuantity=10, orderType="TRAIL", trailingPercent=1.0))
        trail_limit = ib.placeOrder(STOCK, Order(action="SELL", totalQuantity=5, orderType="TRAIL LIMIT",
                                                 auxPrice=3.0, lmtPriceOffset=0.5))
        await until(lambda: trail.orderStatus.status == trail_limit.orderStatus.status == "PreSubmitted")
        assert broker.orders.get(trail.order.orderId).trail_stop_price == 188.1  # 190.01 less 1 %, on the grid
        broker.set_quote(AAPL, 199.99, 200.01, 200.0)  # the stops follow the price up
        broker.set_quote(AAPL, 197.5, 197.52, 197.5)
        assert broker.orders.get(trail.order.orderId).trail_stop_price == 198.0
        await until(lambda: trail.orderStatus.status == "Filled")
        assert trail.orderStatus.avgFillPrice == 197.5 and trail_limit.orderStatus.status == "PreSubmitted"
        broker.set_quote(AAPL, 196.9, 196.92, 196.9)  # trail limit: stop 197.00, limit 196.50
        await until(lambda: trail_limit.orderStatus.status == "Filled")
        assert trail_limit.orderStatus.avgFillPrice == 196.9


async def test_market_and_limit_if_touched() -> None:
    async with session() as (gateway, ib, errors):
        broker = gateway.brokerage
        mit = ib.placeOrder(STOCK, Order(action="BUY", totalQuantity=10, orderType="MIT", auxPrice=188.0))
        lit = ib.placeOrder(STOCK, Order(action="SELL", totalQuantity=10, orderType="LIT", auxPrice=192.0, lmtPrice=192.5))
        await until(lambda: mit.orderStatus.status == lit.orderStatus.status == "PreSubmitted")
        broker.set_quote(AAPL, 187.98, 188.0, 188.0)
        await until(lambda: mit.orderStatus.status == "Filled")
        broker.set_quote(AAPL, 192.0, 192.02, 192.0)
        await until(lambda: lit.orderStatus.status == "Submitted")
        broker.set_quote(AAPL, 192.5, 192.52, 192.5)
        await until(lambda: lit.orderStatus.status == "Filled")
        assert lit.orderStatus.avgFillPrice == 192.5


async def test_moc_loc_and_day_orders_at_the_close_by_the_gateway_timer() -> None:
    clock = Clock(MONDAY_10AM)
    async with session(clock) as (gateway, ib, errors):
        moc = ib.placeOrder(STOCK, Order(action="BUY", totalQuantity=10, orderType="MOC"))
        loc = ib.placeOrder(STOCK, Order(action="BUY", totalQuantity=10, orderType="LOC", lmtPrice=189.0))
        day = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 150.0))
        gtc = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 150.0, tif="GTC"))
        await until(lambda: gtc.orderStatus.status == "Submitted" and moc.orderStatus.status == "PreSubmitted")
        clock.now = CLOSE  # no market update: the gateway's own timer runs the close
        await until(lambda: moc.isDone() and loc.isDone() and day.isDone(), timeout=5)
        assert moc.orderStatus.status == "Filled" and moc.orderStatus.avgFillPrice == 190.01
        assert loc.orderStatus.status == day.orderStatus.status == "Cancelled"
        assert gtc.orderStatus.status == "Submitted"


async def test_gtd_expires_and_opg_executes_at_the_open() -> None:
    clock = Clock(MONDAY_10AM)
    async with session(clock) as (gateway, ib, errors):
        gtd = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 150.0, tif="GTD", goodTillDate="20261130 11:00:00 US/Eastern"))
        opg = ib.placeOrder(STOCK, MarketOrder("BUY", 10, tif="OPG"))
        await until(lambda: gtd.orderStatus.status == "Submitted" and opg.orderStatus.status == "PreSubmitted")
        clock.now = datetime(2026, 11, 30, 11, 0, tzinfo=ZoneInfo("US/Eastern")).timestamp()
        await until(lambda: gtd.orderStatus.status == "Cancelled", timeout=5)
        assert opg.orderStatus.status == "PreSubmitted"
        clock.now = NEXT_OPEN
        await until(lambda: opg.orderStatus.status == "Filled", timeout=5)
        assert opg.orderStatus.avgFillPrice == 190.01
        assert CLOSE < NEXT_OPEN


async def test_off_tick_prices_unmodelled_fields_and_margin_are_refused() -> None:
    async with session() as (gateway, ib, errors):
        off_tick = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 190.005))
        hidden = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 150.0, hidden=True))
        too_big = ib.placeOrder(STOCK, MarketOrder("BUY", 500_000))
        await until(lambda: len(codes(errors)) == 3)
        by_id = {req_id: (code, text) for req_id, code, text in errors}
        assert by_id[off_tick.order.orderId] == (
            110, "The price does not conform to the minimum price variation for this contract.")
        assert by_id[hidden.order.orderId][0] == 201 and "hidden=True" in by_id[hidden.order.orderId][1]
        code, text = by_id[too_big.order.orderId]
        assert code == 201 and text.startswith("Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER "
                                               "TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [")
        assert "MUST EXCEED THE INITIAL MARGIN [47505000.00 USD]" in text
        assert too_big.orderStatus.status == hidden.orderStatus.status == "Cancelled"
        assert not gateway.brokerage.orders.orders


async def test_margin_account_values_follow_positions_and_prices() -> None:
    async with session() as (gateway, ib, errors):
        account = ib.managedAccounts()[0]

        def value(tag: str) -> float:
            return next(float(v.value) for v in ib.accountValues(account) if v.tag == tag and v.currency == "USD")

        state = await ib.whatIfOrderAsync(STOCK, MarketOrder("BUY", 1000))
        assert float(state.initMarginChange) == pytest.approx(1000 * 190.02 * 0.5, abs=0.01)
        assert float(state.maintMarginChange) == pytest.approx(1000 * 190.02 * 0.25, abs=0.01)
        trade = ib.placeOrder(STOCK, MarketOrder("BUY", 1000))
        await until(lambda: trade.isDone())
        await until(lambda: value("InitMarginReq") == pytest.approx(1000 * 190.01 * 0.5, abs=0.01))
        gateway.brokerage.set_quote(AAPL, 199.99, 200.01, 200.0)
        # IB pushes account values on fills (and every few minutes); the summary is current at once.
        summary = {v.tag: float(v.value) for v in await ib.accountSummaryAsync(account) if v.currency == "USD"}
        assert summary["InitMarginReq"] == pytest.approx(100_000, abs=0.01)
        assert summary["MaintMarginReq"] == pytest.approx(50_000, abs=0.01)
        equity = summary["EquityWithLoanValue"]
        assert equity == pytest.approx(1_000_000 - 1000 * 190.02 - 5.0 + 200_000, abs=0.01)
        assert summary["AvailableFunds"] == pytest.approx(equity - 100_000, abs=0.01)
        assert summary["ExcessLiquidity"] == pytest.approx(equity - 50_000, abs=0.01)
        assert summary["BuyingPower"] == pytest.approx(4 * (equity - 100_000), abs=0.05)

assert ib_insync.__version__ == "0.9.86"
