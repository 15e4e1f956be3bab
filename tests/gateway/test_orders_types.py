"""Order types and times in force in the order book on its own, on a clock the test moves.

TRAIL and TRAIL LIMIT follow the price, MIT/LIT trigger when touched, MOC/LOC execute at the
session close and OPG at the next open, DAY and GTD orders expire on the gateway clock; prices off
the tick grid get 110, orders beyond the account's margin IB's 201, unmodelled fields a 201.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ib_harness.fake_gateway.state.brokerage import Brokerage
from ib_harness.fake_gateway.state.orders import OrderRejected
from tests.gateway.order_requests import AAPL, ES, EURUSD, order

EASTERN = ZoneInfo("US/Eastern")
MONDAY_10AM = datetime(2026, 11, 30, 10, 0, tzinfo=EASTERN).timestamp()
CLOSE = datetime(2026, 11, 30, 16, 0, tzinfo=EASTERN).timestamp()
NEXT_OPEN = datetime(2026, 12, 1, 9, 30, tzinfo=EASTERN).timestamp()


class Clock:
    """The gateway clock, moved by the test."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_10AM)


@pytest.fixture
def brokerage(clock: Clock) -> Brokerage:
    broker = Brokerage()
    broker.use_clock(clock)
    broker.set_quote(AAPL, 190.0, 190.02, 190.0)
    return broker


def test_a_trailing_sell_stop_follows_the_price_up_and_triggers_on_the_way_down(brokerage: Brokerage) -> None:
    trail = brokerage.orders.place(order(1, "SELL", order_type="TRAIL", aux=2.0), client_id=1)
    assert trail.status == "PreSubmitted" and trail.trail_stop_price == 188.0
    brokerage.set_quote(AAPL, 194.99, 195.01, 195.0)
    assert trail.trail_stop_price == 193.0 and trail.filled == 0
    brokerage.set_quote(AAPL, 191.99, 192.01, 192.0)  # falls back: the stop stays at 193.00 and triggers
    assert trail.trail_stop_price == 193.0
    assert trail.status == "Filled" and trail.avg_fill_price == 191.99


def test_a_trailing_buy_by_percent_follows_the_price_down(brokerage: Brokerage) -> None:
    trail = brokerage.orders.place(order(1, "BUY", order_type="TRAIL", trailingPercent=1.0), client_id=1)
    assert trail.trail_stop_price == 191.9  # 190.00 + 1 %, rounded up to the tick
    brokerage.set_quote(AAPL, 179.99, 180.01, 180.0)
    assert trail.trail_stop_price == 181.8 and trail.filled == 0
    brokerage.set_quote(AAPL, 181.8, 181.82, 181.81)
    assert trail.status == "Filled" and trail.avg_fill_price == 181.82


def test_a_trailing_stop_starts_from_trail_stop_price_when_given(brokerage: Brokerage) -> None:
    trail = brokerage.orders.place(order(1, "SELL", order_type="TRAIL", aux=5.0, trailStopPrice=187.5), client_id=1)
    assert trail.trail_stop_price == 187.5  # above 190 - 5: the given stop holds until the trail passes it
    brokerage.set_quote(AAPL, 187.4, 187.45, 187.4)
    assert trail.status == "Filled"


def test_trail_limit_becomes_a_limit_at_the_stop_minus_the_offset(brokerage: Brokerage) -> None:
    trail = brokerage.orders.place(order(1, "SELL", order_type="TRAIL LIMIT", aux=2.0, lmtPriceOffset=0.5), client_id=1)
    brokerage.set_quote(AAPL, 186.0, 186.02, 186.0)  # gaps through stop 188 and the limit 187.50
    assert trail.triggered and trail.lmt_price == 187.5 and trail.filled == 0
    brokerage.set_quote(AAPL, 187.6, 187.62, 187.6)
    assert trail.status == "Filled" and trail.avg_fill_price == 187.6


@pytest.mark.parametrize("changes,reason", [
    ({"aux": 2.0, "trailingPercent": 1.0}, "exactly one of a trailing amount"),
    ({}, "exactly one of a trailing amount"),
    ({"trailingPercent": 150.0}, "must be below 100"),
])
def test_trailing_orders_need_one_distance(brokerage: Brokerage, changes: dict, reason: str) -> None:
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, "SELL", order_type="TRAIL", **changes), client_id=1)
    assert caught.value.code == 201 and reason in caught.value.message


def test_trail_limit_needs_an_offset(brokerage: Brokerage) -> None:
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, "SELL", order_type="TRAIL LIMIT", aux=2.0), client_id=1)
    assert "needs lmtPriceOffset" in caught.value.message


def test_market_if_touched_buys_when_the_price_falls_to_the_trigger(brokerage: Brokerage) -> None:
    mit = brokerage.orders.place(order(1, "BUY", order_type="MIT", aux=185.0), client_id=1)
    assert mit.status == "PreSubmitted"
    brokerage.set_quote(AAPL, 195.0, 195.02, 195.0)  # a rise never touches a buy MIT
    assert not mit.triggered
    brokerage.set_quote(AAPL, 184.98, 185.0, 185.0)
    assert mit.status == "Filled" and mit.avg_fill_price == 185.0


def test_limit_if_touched_sells_at_its_limit_once_touched(brokerage: Brokerage) -> None:
    lit = brokerage.orders.place(order(1, "SELL", order_type="LIT", aux=192.0, lmt=192.5), client_id=1)
    brokerage.set_quote(AAPL, 192.0, 192.02, 192.0)
    assert lit.triggered and lit.status == "Submitted" and lit.filled == 0
    brokerage.set_quote(AAPL, 192.5, 192.52, 192.5)
    assert lit.status == "Filled" and lit.avg_fill_price == 192.5


def test_moc_waits_for_the_close_then_fills_at_the_closing_price(brokerage: Brokerage, clock: Clock) -> None:
    moc = brokerage.orders.place(order(1, "BUY", order_type="MOC"), client_id=1)
    assert moc.status == "PreSubmitted" and moc.expires_at == CLOSE
    brokerage.set_quote(AAPL, 191.0, 191.02, 191.01)
    assert moc.filled == 0
    clock.now = CLOSE
    brokerage.orders.check_time()
    assert moc.status == "Filled" and moc.avg_fill_price == 191.01


def test_loc_fills_at_the_close_only_within_its_limit(brokerage: Brokerage, clock: Clock) -> None:
    inside = brokerage.orders.place(order(1, "BUY", order_type="LOC", lmt=191.0), client_id=1)
    outside = brokerage.orders.place(order(2, "BUY", order_type="LOC", lmt=189.0), client_id=1)
    brokerage.set_quote(AAPL, 189.5, 189.52, 189.5)  # marketable for a limit order, not for LOC
    assert inside.filled == outside.filled == 0
    clock.now = CLOSE + 1
    brokerage.orders.check_time()
    assert inside.status == "Filled" and inside.avg_fill_price == 189.5
    assert outside.status == "Cancelled" and outside.filled == 0


def test_moc_must_be_a_day_order_and_is_not_offered_for_forex(brokerage: Brokerage) -> None:
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, order_type="MOC", tif="GTC"), client_id=1)
    assert caught.value.code == 201 and "must be a DAY order" in caught.value.message
    forex = {"conId": EURUSD, "exchange": "IDEALPRO"}
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(2, order_type="MOC", contract=forex, quantity=20000), client_id=1)
    assert caught.value.code == 387


def test_day_orders_expire_at_the_session_close_on_the_gateway_clock(brokerage: Brokerage, clock: Clock) -> None:
    day = brokerage.orders.place(order(1, order_type="LMT", lmt=180.0), client_id=1)
    gtc = brokerage.orders.place(order(2, order_type="LMT", lmt=180.0, tif="GTC"), client_id=1)
    clock.now = CLOSE - 1
    brokerage.orders.check_time()
    assert day.status == "Submitted"
    clock.now = CLOSE
    brokerage.set_quote(AAPL, 190.1, 190.12)  # a market update runs the clock too
    assert day.status == "Cancelled" and day.completed_status == "Cancelled by System"
    assert gtc.status == "Submitted"


def test_futures_day_orders_expire_at_their_own_exchange_close(brokerage: Brokerage, clock: Clock) -> None:
    future = {"conId": ES, "exchange": "CME"}
    day = brokerage.orders.place(order(1, order_type="LMT", lmt=4000.0, quantity=1, contract=future), client_id=1)
    assert day.expires_at == datetime(2026, 11, 30, 16, 0, tzinfo=ZoneInfo("US/Central")).timestamp()


def test_gtd_orders_expire_at_their_good_till_date(brokerage: Brokerage, clock: Clock) -> None:
    gtd = brokerage.orders.place(order(1, order_type="LMT", lmt=180.0, tif="GTD",
                                       goodTillDate="20261202 12:00:00 US/Eastern"), client_id=1)
    clock.now = CLOSE + 3600
    brokerage.orders.check_time()
    assert gtd.status == "Submitted"
    clock.now = datetime(2026, 12, 2, 12, 0, tzinfo=EASTERN).timestamp()
    brokerage.orders.check_time()
    assert gtd.status == "Cancelled"


@pytest.mark.parametrize("changes,reason", [
    ({"tif": "GTD"}, "needs goodTillDate"),
    ({"tif": "GTD", "goodTillDate": "20261130 09:00:00 US/Eastern"}, "is in the past"),
    ({"tif": "GTC", "goodTillDate": "20261202 12:00:00"}, "only valid with the time in force GTD"),
    ({"tif": "OPG", "order_type": "STP", "aux": 195.0}, "OPG is only valid for MKT and LMT"),
    ({"tif": "FOK"}, "time in force 'FOK' is not modelled"),
])
def test_bad_times_in_force_are_refused(brokerage: Brokerage, changes: dict, reason: str) -> None:
    values = {"order_type": "LMT", "lmt": 180.0, **changes}
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, **values), client_id=1)
    assert caught.value.code == 201 and reason in caught.value.message


def test_opg_orders_execute_at_the_next_open(brokerage: Brokerage, clock: Clock) -> None:
    opening = brokerage.orders.place(order(1, order_type="MKT", tif="OPG"), client_id=1)
    limited = brokerage.orders.place(order(2, order_type="LMT", lmt=185.0, tif="OPG"), client_id=1)
    assert opening.status == limited.status == "PreSubmitted" and opening.expires_at == NEXT_OPEN
    brokerage.set_quote(AAPL, 186.0, 186.02, 186.01)
    assert opening.filled == 0
    clock.now = NEXT_OPEN
    brokerage.orders.check_time()
    assert opening.status == "Filled" and opening.avg_fill_price == 186.01
    assert limited.status == "Cancelled"


@pytest.mark.parametrize("changes", [
    {"order_type": "LMT", "lmt": 190.005},
    {"order_type": "STP", "aux": 190.001},
    {"order_type": "TRAIL", "aux": 1.0, "trailStopPrice": 188.123, "action": "SELL"},
])
def test_prices_off_the_tick_grid_get_110(brokerage: Brokerage, changes: dict) -> None:
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, **changes), client_id=1)
    assert caught.value.code == 110
    assert caught.value.message == "The price does not conform to the minimum price variation for this contract."
    assert not brokerage.orders.orders


def test_prices_on_the_grid_pass_for_every_tick_size(brokerage: Brokerage) -> None:
    future = {"conId": ES, "exchange": "CME"}
    forex = {"conId": EURUSD, "exchange": "IDEALPRO"}
    brokerage.orders.place(order(1, order_type="LMT", lmt=4000.25, quantity=1, contract=future), client_id=1)
    brokerage.orders.place(order(2, order_type="LMT", lmt=1.08735, quantity=20000, contract=forex), client_id=1)
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(3, order_type="LMT", lmt=4000.1, quantity=1, contract=future), client_id=1)
    assert caught.value.code == 110


@pytest.mark.parametrize("field,value", [
    ("hidden", True), ("allOrNone", True), ("algoStrategy", "Adaptive"), ("displaySize", 100),
    ("goodAfterTime", "20261201 09:30:00"), ("discretionaryAmt", 0.1), ("conditions", [{"condType": 3}]),
    ("cashQty", 1000.0), ("origin", 1),
])
def test_fields_the_engine_does_not_model_are_refused_by_name(brokerage: Brokerage, field: str, value: object) -> None:
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, order_type="LMT", lmt=180.0, **{field: value}), client_id=1)
    assert caught.value.code == 201
    assert caught.value.message.startswith("Order rejected - reason:The fake gateway does not model these order fields: ")
    assert f"{field}={value!r}" in caught.value.message


def test_the_defaults_ib_echoes_in_open_order_are_accepted_back_but_other_values_are_not(
        brokerage: Brokerage) -> None:
    echoed = {"deltaNeutralOrderType": "None", "clearingIntent": "IB", "adjustedOrderType": "None"}
    placed = brokerage.orders.place(order(1, order_type="LMT", lmt=180.0, **echoed), client_id=1)
    assert placed.status == "Submitted"
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(2, order_type="LMT", lmt=180.0, clearingIntent="Away"), client_id=1)
    assert "clearingIntent='Away'" in caught.value.message


def test_trailing_fields_on_other_order_types_are_refused(brokerage: Brokerage) -> None:
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, order_type="LMT", lmt=180.0, trailingPercent=1.0), client_id=1)
    assert caught.value.code == 201 and "apply only to TRAIL and TRAIL LIMIT orders, not LMT" in caught.value.message


def test_modifying_a_trailing_order_trails_afresh(brokerage: Brokerage) -> None:
    trail = brokerage.orders.place(order(1, "SELL", order_type="TRAIL LIMIT", aux=2.0, lmtPriceOffset=0.5), client_id=1)
    brokerage.set_quote(AAPL, 186.0, 186.02, 186.0)
    assert trail.triggered and trail.lmt_price == 187.5
    brokerage.orders.place(order(1, "SELL", order_type="TRAIL LIMIT", aux=1.0, lmtPriceOffset=0.5), client_id=1)
    assert not trail.triggered and trail.trail_stop_price == 185.0 and trail.filled == 0
