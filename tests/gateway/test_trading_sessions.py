"""Orders work only while their instrument's session is open (GatewayConfig.market_hours='exchange').

Real ib_insync over the fake's protocol, on a pinned gateway clock the test moves. IB holds an
order accepted outside its session (PreSubmitted, warning 399 naming the next open) and works it
when the session opens; outsideRth lets a limit order execute 04:00-20:00 Eastern; forex trades
Sunday 17:15 to Friday 17:00 Eastern. The facts and their sources: docs/fake-gateway-fidelity.md.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import datetime
from typing import AsyncIterator

from ib_insync import IB, Forex, LimitOrder, MarketOrder
from zoneinfo import ZoneInfo

from ib_harness.fake_gateway import FakeGateway, GatewayConfig
from ib_harness.fake_gateway.state.brokerage import Brokerage

from tests.gateway.ib_clients import ib_and_errors
from tests.gateway.order_requests import ES, order
from tests.gateway.test_orders_features_clients import STOCK, codes
from tests.gateway.test_orders_types import Clock
from tests.waiting import until

EASTERN = ZoneInfo("US/Eastern")
AAPL, EURUSD = 265598, 12087792
HELD_UNTIL = "Warning: Your order will not be placed at the exchange until {} US/Eastern."


def eastern(*when: int) -> float:
    return datetime(*when, tzinfo=EASTERN).timestamp()  # type: ignore[misc]


@asynccontextmanager
async def gateway_and_client(clock: Clock, market_hours: str = "exchange") -> AsyncIterator[
        tuple[FakeGateway, IB, list[tuple[int, int, str]]]]:
    """A still market (no ticker: only the gateway's own timer can notice the open) and ib_insync."""
    async with FakeGateway(market_ticker=False, clock=clock, market_hours=market_hours) as gateway:
        gateway.brokerage.set_quote(AAPL, 190.0, 190.02, 190.01)
        gateway.brokerage.set_quote(EURUSD, 1.0873, 1.0874, 1.08735)
        async with ib_and_errors(gateway) as (ib, errors):
            yield gateway, ib, errors


@asynccontextmanager
async def session(clock: Clock, market_hours: str = "exchange") -> AsyncIterator[tuple[IB, list[tuple[int, int, str]]]]:
    async with gateway_and_client(clock, market_hours) as (_, ib, errors):
        yield ib, errors


def warnings_399(errors: list[tuple[int, int, str]], order_id: int) -> list[str]:
    return [text for req_id, code, text in errors if code == 399 and req_id == order_id]


async def test_an_order_placed_on_a_weekend_is_held_with_399_and_fills_at_the_monday_open() -> None:
    clock = Clock(eastern(2026, 12, 5, 12, 0))  # Saturday
    async with session(clock) as (ib, errors):
        trade = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 191.0, tif="GTC"))  # marketable: ask 190.02
        await until(lambda: warnings_399(errors, trade.order.orderId), what="399")
        assert trade.orderStatus.status == "PreSubmitted" and trade.orderStatus.filled == 0
        assert warnings_399(errors, trade.order.orderId) == [
            "Order Message:\nBUY 10 AAPL NASDAQ.NMS\n" + HELD_UNTIL.format("2026-12-07 09:30:00")]
        clock.now = eastern(2026, 12, 7, 9, 29, 59)
        clock.now = eastern(2026, 12, 7, 9, 30)
        await until(lambda: trade.orderStatus.status == "Filled", timeout=5, what="fill at the open")
        assert trade.orderStatus.avgFillPrice == 190.02
        assert trade.fills[0].execution.time.timestamp() >= eastern(2026, 12, 7, 9, 30)


async def test_a_day_order_placed_after_the_close_is_for_the_next_session() -> None:
    clock = Clock(eastern(2026, 12, 1, 22, 0))  # Tuesday night
    async with session(clock) as (ib, errors):
        trade = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 191.0))  # DAY
        await until(lambda: warnings_399(errors, trade.order.orderId), what="399")
        assert HELD_UNTIL.format("2026-12-02 09:30:00") in warnings_399(errors, trade.order.orderId)[0]
        clock.now = eastern(2026, 12, 2, 9, 0)  # still before the open: neither cancelled nor filled
        ib.placeOrder(STOCK, LimitOrder("BUY", 1, 100.0))  # a placement runs the book's clock at 09:00
        await ib.reqOpenOrdersAsync()
        assert trade.orderStatus.status == "PreSubmitted" and not trade.fills
        clock.now = eastern(2026, 12, 2, 9, 30)
        await until(lambda: trade.orderStatus.status == "Filled", timeout=5, what="fill at the open")


async def test_a_holiday_order_waits_for_the_next_trading_day() -> None:
    clock = Clock(eastern(2026, 11, 26, 11, 0))  # Thanksgiving, a Thursday
    async with session(clock) as (ib, errors):
        trade = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 191.0))
        await until(lambda: warnings_399(errors, trade.order.orderId), what="399")
        assert HELD_UNTIL.format("2026-11-27 09:30:00") in warnings_399(errors, trade.order.orderId)[0]
        assert trade.orderStatus.status == "PreSubmitted"
        clock.now = eastern(2026, 11, 27, 9, 30)  # Friday, a half day
        await until(lambda: trade.orderStatus.status == "Filled", timeout=5, what="fill on Friday")


async def test_outside_rth_lets_a_limit_fill_in_the_pre_market_but_not_a_market_order() -> None:
    clock = Clock(eastern(2026, 12, 1, 7, 0))  # Tuesday pre-market
    async with session(clock) as (ib, errors):
        extended = LimitOrder("BUY", 10, 191.0, outsideRth=True)
        limit = ib.placeOrder(STOCK, extended)
        regular = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 191.0))
        market = ib.placeOrder(STOCK, MarketOrder("BUY", 10, outsideRth=True))
        await until(lambda: limit.orderStatus.status == "Filled", what="pre-market fill")
        await until(lambda: warnings_399(errors, market.order.orderId), what="399 for the market order")
        assert regular.orderStatus.status == market.orderStatus.status == "PreSubmitted"
        assert warnings_399(errors, regular.order.orderId)
        assert 2109 in codes(errors)  # outsideRth ignored for a market order, as IB warns
        clock.now = eastern(2026, 12, 1, 9, 30)
        await until(lambda: regular.orderStatus.status == market.orderStatus.status == "Filled", timeout=5)


async def test_forex_trades_on_a_weekday_night_and_waits_for_sunday_evening() -> None:
    clock = Clock(eastern(2026, 12, 1, 22, 0))  # Tuesday night: IDEALPRO is open
    async with session(clock) as (ib, errors):
        night = ib.placeOrder(Forex("EURUSD"), LimitOrder("BUY", 20000, 1.09))
        await until(lambda: night.orderStatus.status == "Filled", what="forex fill at night")
        clock.now = eastern(2026, 12, 5, 12, 0)  # Saturday: closed until Sunday 17:15
        weekend = ib.placeOrder(Forex("EURUSD"), LimitOrder("BUY", 20000, 1.09, tif="GTC"))
        await until(lambda: warnings_399(errors, weekend.order.orderId), what="399")
        assert "2026-12-06 17:15:00 US/Eastern." in warnings_399(errors, weekend.order.orderId)[0]
        clock.now = eastern(2026, 12, 6, 17, 15)
        await until(lambda: weekend.orderStatus.status == "Filled", timeout=5, what="fill on Sunday evening")


async def test_always_open_fills_at_any_hour() -> None:
    clock = Clock(eastern(2026, 12, 5, 12, 0))  # Saturday
    async with session(clock, market_hours="always_open") as (ib, errors):
        trade = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 191.0))
        await until(lambda: trade.orderStatus.status == "Filled", what="fill")
        assert 399 not in codes(errors)


async def test_a_working_order_is_not_matched_after_the_close_and_meets_the_market_at_the_open() -> None:
    clock = Clock(eastern(2026, 12, 1, 15, 0))  # Tuesday afternoon
    async with gateway_and_client(clock) as (gateway, ib, errors):
        trade = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 189.0, tif="GTC"))  # below the ask: rests
        await until(lambda: trade.orderStatus.status == "Submitted", what="working")
        clock.now = eastern(2026, 12, 1, 17, 0)
        gateway.brokerage.set_quote(AAPL, 187.9, 188.0, 187.95)  # the price falls after the close
        await ib.reqOpenOrdersAsync()
        assert trade.orderStatus.filled == 0 and not trade.fills
        clock.now = eastern(2026, 12, 2, 9, 30)
        await until(lambda: trade.orderStatus.status == "Filled", timeout=5, what="fill at the open")
        assert trade.orderStatus.avgFillPrice == 188.0


async def test_after_a_half_day_close_the_order_waits_for_monday() -> None:
    clock = Clock(eastern(2026, 11, 27, 14, 0))  # the Friday after Thanksgiving closed at 13:00
    async with session(clock) as (ib, errors):
        trade = ib.placeOrder(STOCK, LimitOrder("BUY", 10, 191.0))
        await until(lambda: warnings_399(errors, trade.order.orderId), what="399")
        assert HELD_UNTIL.format("2026-11-30 09:30:00") in warnings_399(errors, trade.order.orderId)[0]


async def test_a_modify_that_sets_outside_rth_lets_a_held_limit_fill_in_the_pre_market() -> None:
    clock = Clock(eastern(2026, 12, 1, 7, 0))
    async with session(clock) as (ib, errors):
        order = LimitOrder("BUY", 10, 191.0)
        trade = ib.placeOrder(STOCK, order)
        await until(lambda: warnings_399(errors, trade.order.orderId), what="399")
        assert trade.orderStatus.status == "PreSubmitted"
        order.outsideRth = True
        ib.placeOrder(STOCK, order)
        await until(lambda: trade.orderStatus.status == "Filled", what="pre-market fill after the modify")


def test_futures_trade_in_their_globex_session_not_on_saturday() -> None:
    """The book on its own (no sockets): CME futures trade 17:00-16:00 Central, Sunday evening to Friday."""
    now = [eastern(2026, 12, 1, 22, 0)]  # Tuesday night: Globex is open
    brokerage = Brokerage(GatewayConfig(market_hours="exchange"))
    brokerage.use_clock(lambda: now[0])
    brokerage.set_quote(ES, 6000.0, 6000.25, 6000.0)
    night = brokerage.orders.place(order(1, quantity=1, contract={"conId": ES, "exchange": "CME"}), client_id=1)
    assert night.status == "Filled"
    now[0] = eastern(2026, 12, 5, 12, 0)  # Saturday
    held = brokerage.orders.place(order(2, quantity=1, contract={"conId": ES, "exchange": "CME"}, tif="GTC"),
                                  client_id=1)
    assert held.status == "PreSubmitted" and held.opens_at == eastern(2026, 12, 6, 18, 0)  # 17:00 Chicago
    now[0] = eastern(2026, 12, 6, 18, 0)
    brokerage.orders.check_time()
    assert held.status == "Filled"
