"""The order book on its own: matching, partial fills, stops, IOC, validation codes, what-if.

No sockets here: orders go straight into ``Brokerage.orders`` and the market moves through
``Brokerage.set_quote``; every assertion reads the book, the account and the emitted events.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from ib_harness.fake_gateway.config import AccountConfig, GatewayConfig
from ib_harness.fake_gateway.state.brokerage import Brokerage
from ib_harness.fake_gateway.state.orders import ExecutionFilter, Order, OrderRejected
from ib_harness.fake_gateway.wire.fields import UNSET_DOUBLE
from tests.gateway.order_requests import AAPL, EURUSD, ES, Recorder, order



@pytest.fixture
def brokerage() -> Brokerage:
    broker = Brokerage()
    broker.set_quote(AAPL, 190.0, 190.02, 190.01)
    return broker


def test_market_order_fills_at_the_touch_and_books_the_account(brokerage: Brokerage) -> None:
    events = Recorder(brokerage)
    account = brokerage.default_account
    cash = account.cash
    buy = brokerage.orders.place(order(1), client_id=3)
    assert buy.status == "Filled" and buy.avg_fill_price == 190.02
    assert events.names() == ["order_updated", "order_executed", "order_updated", "order_commission", "account_changed"]
    assert events.statuses() == [("Submitted", 0), ("Filled", 100)]
    execution = buy.executions[0]
    assert (execution.side, execution.shares, execution.cum_qty, execution.commission) == ("BOT", 100, 100, 1.0)
    assert execution.last_liquidity == 2 and execution.realized_pnl == UNSET_DOUBLE
    assert re.fullmatch(r"[0-9a-f]{8}\.[0-9a-f]{8}\.01\.01", execution.exec_id)
    assert re.fullmatch(r"\d{8} \d\d:\d\d:\d\d US/Eastern", execution.time_text)
    assert account.positions[AAPL].quantity == 100
    assert account.cash == pytest.approx(cash - 100 * 190.02 - 1.0)
    assert events.events[-1][1] == {"account_id": account.account_id, "contract": buy.contract.contract_fields()}

    sell = brokerage.orders.place(order(2, "SELL", 40), client_id=3)
    assert sell.executions[0].side == "SLD" and sell.avg_fill_price == 190.0
    # IB's average cost includes the opening commission; realized PnL is net of both commissions.
    assert account.positions[AAPL].avg_cost == pytest.approx(190.02 + 1.0 / 100)
    assert sell.executions[0].realized_pnl == pytest.approx(40 * (190.0 - 190.03) - 1.0)
    assert account.positions[AAPL].quantity == 60
    assert buy.perm_id != sell.perm_id and brokerage.next_order_id() == 3


def test_limit_order_rests_until_the_market_crosses_it(brokerage: Brokerage) -> None:
    buy = brokerage.orders.place(order(1, order_type="LMT", lmt=189.0), client_id=1)
    sell = brokerage.orders.place(order(2, "SELL", order_type="LMT", lmt=191.0), client_id=1)
    assert buy.status == sell.status == "Submitted" and not buy.executions
    brokerage.set_quote(AAPL, 189.2, 189.5)
    assert buy.filled == 0
    events = Recorder(brokerage)
    brokerage.set_quote(AAPL, 188.7, 188.9)  # ask through the limit: filled at the better price
    assert buy.status == "Filled" and buy.avg_fill_price == 188.9 and buy.executions[0].last_liquidity == 1
    assert events.names()[-1] == "price_marked"  # orders are matched before the price is announced
    brokerage.set_quote(AAPL, 191.0, 191.05)
    assert sell.status == "Filled" and sell.avg_fill_price == 191.0


def test_partial_fills_follow_fill_ratio_and_cap(brokerage: Brokerage) -> None:
    book = brokerage.orders
    book.fill_ratio = 0.25
    events = Recorder(brokerage)
    buy = book.place(order(1, quantity=100), client_id=1)
    assert buy.filled == 25 and buy.status == "Submitted"
    for step in range(1, 4):  # each quote differs: a market model only publishes changes
        brokerage.set_quote(AAPL, 190.0 + step / 100, 190.02 + step / 100)
    assert buy.status == "Filled"
    assert [e.cum_qty for e in buy.executions] == [25, 50, 75, 100]
    assert events.statuses()[-1] == ("Filled", 100)
    # IB's minimum applies per order: 100 shares cost 1.00 in all, not 1.00 per fill.
    assert sum(e.commission for e in buy.executions) == pytest.approx(1.0)
    book.fill_ratio, book.max_fill_size = 1.0, 30
    sell = book.place(order(2, "SELL", 100), client_id=1)
    assert [e.shares for e in sell.executions] == [30]


def test_stop_orders_trigger_then_trade_as_market(brokerage: Brokerage) -> None:
    book = brokerage.orders
    buy_stop = book.place(order(1, order_type="STP", aux=192.0), client_id=1)
    sell_stop = book.place(order(2, "SELL", order_type="STP", aux=188.0), client_id=1)
    assert buy_stop.status == sell_stop.status == "PreSubmitted"
    brokerage.set_quote(AAPL, 191.9, 191.95, 191.9)
    assert not buy_stop.triggered
    events = Recorder(brokerage)
    brokerage.set_quote(AAPL, 192.0, 192.05, 192.0)
    assert buy_stop.status == "Filled" and buy_stop.avg_fill_price == 192.05
    assert events.statuses() == [("Submitted", 0), ("Filled", 100)]
    brokerage.set_quote(AAPL, 187.9, 188.0, 187.95)
    assert sell_stop.status == "Filled" and sell_stop.avg_fill_price == 187.9


def test_stop_limit_becomes_a_limit_order(brokerage: Brokerage) -> None:
    stop_limit = brokerage.orders.place(order(1, "SELL", order_type="STP LMT", aux=189.0, lmt=188.5), client_id=1)
    brokerage.set_quote(AAPL, 188.0, 188.1, 188.0)  # triggered, but the bid is below the limit
    assert stop_limit.triggered and stop_limit.status == "Submitted" and stop_limit.filled == 0
    brokerage.set_quote(AAPL, 188.6, 188.7, 188.6)
    assert stop_limit.status == "Filled" and stop_limit.avg_fill_price == 188.6


def test_ioc_fills_what_it_can_and_cancels_the_rest(brokerage: Brokerage) -> None:
    book = brokerage.orders
    away = book.place(order(1, order_type="LMT", lmt=150.0, tif="IOC"), client_id=1)
    assert away.status == "Cancelled" and away.filled == 0
    book.fill_ratio = 0.5
    partial = book.place(order(2, order_type="LMT", lmt=191.0, tif="IOC"), client_id=1)
    assert partial.status == "Cancelled" and partial.filled == 50
    brokerage.set_quote(AAPL, 190.0, 190.01)
    assert partial.filled == 50  # a cancelled remainder never fills later


def test_futures_and_fx_commissions(brokerage: Brokerage) -> None:
    book = brokerage.orders
    future = book.place(order(1, quantity=2, contract={"conId": ES, "exchange": "CME"}), client_id=1)
    assert future.executions[0].commission == 4.5 and future.executions[0].exchange == "CME"
    fx = book.place(order(2, quantity=20000, contract={"conId": EURUSD, "exchange": "IDEALPRO"}), client_id=1)
    assert fx.executions[0].commission == 2.0
    big_fx = book.place(order(3, quantity=1_000_000, contract={"conId": EURUSD, "exchange": "IDEALPRO"}), client_id=1)
    assert big_fx.executions[0].commission == pytest.approx(0.00002 * 1_000_000 * big_fx.avg_fill_price)


@pytest.mark.parametrize(("changes", "code", "text"), [
    ({"totalQuantity": -5.0}, 201, "quantity"),
    ({"totalQuantity": 0.0}, 201, "quantity"),
    ({"totalQuantity": math.nan}, 201, "quantity"),
    ({"totalQuantity": UNSET_DOUBLE}, 201, "quantity"),
    ({"totalQuantity": 1e15}, 201, "exceeds"),
    ({"orderType": "FOO"}, 387, "Unsupported order type for this exchange and security type."),
    ({"orderType": "LMT"}, 201, "limit price"),
    ({"orderType": "LMT", "lmtPrice": math.nan}, 201, "limit price"),
    ({"orderType": "LMT", "lmtPrice": -3.0}, 201, "limit price"),
    ({"orderType": "STP"}, 201, "stop price"),
    ({"orderType": "STP LMT", "auxPrice": 190.0}, 201, "limit price"),
    ({"tif": "FOREVER"}, 201, "time in force"),
    ({"action": "HOLD"}, 201, "action"),
    ({"contract": {"symbol": "NOPE", "secType": "STK", "exchange": "SMART"}}, 200,
     "No security definition has been found for the request"),
    ({"contract": {"symbol": "AAPL", "secType": "STK"}}, 321,
     "Error validating request.-'bN' : cause - Missing order exchange."),
    ({"account": "DU9999999"}, 321, "Invalid account code"),
    ({"orderId": 0}, 10149, "Invalid order id"),
])
def test_bad_orders_get_ibs_codes_and_nothing_is_booked(
    brokerage: Brokerage, changes: dict[str, Any], code: int, text: str
) -> None:
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(7, **changes), client_id=1)
    assert caught.value.code == code and text in caught.value.message
    if code == 201:
        assert caught.value.message.startswith("Order rejected - reason:")
    assert not brokerage.orders.orders and not brokerage.orders.executions


def test_order_id_rules(brokerage: Brokerage) -> None:
    book = brokerage.orders
    book.place(order(5, order_type="LMT", lmt=100.0), client_id=1)
    with pytest.raises(OrderRejected) as caught:
        book.place(order(5, order_type="LMT", lmt=100.0), client_id=2)
    assert caught.value.code == 103 and caught.value.message == "Duplicate order id"
    filled = book.place(order(6), client_id=1)
    with pytest.raises(OrderRejected) as caught:
        book.place(order(6, order_type="LMT", lmt=100.0), client_id=1)
    assert caught.value.code == 104
    with pytest.raises(OrderRejected) as caught:
        book.cancel(6, client_id=1)
    assert caught.value.code == 10148 and "state: Filled" in caught.value.message
    with pytest.raises(OrderRejected) as caught:
        book.cancel(999, client_id=1)
    assert (caught.value.code, caught.value.message) == (10147, "OrderId 999 that needs to be cancelled is not found.")
    with pytest.raises(OrderRejected):
        book.cancel(5, client_id=2)  # another client's order is not found either
    assert brokerage.next_order_id() == 7 and filled.status == "Filled"


def test_an_account_must_be_named_when_there_are_several() -> None:
    broker = Brokerage(GatewayConfig(accounts=[AccountConfig(account_id="DU1"), AccountConfig(account_id="DU2")]))
    with pytest.raises(OrderRejected) as caught:
        broker.orders.place(order(1), client_id=1)
    assert caught.value.code == 321 and "You must specify an account" in caught.value.message
    placed = broker.orders.place(order(2, account="DU2"), client_id=1)
    assert placed.account == "DU2" and broker.accounts["DU2"].positions[AAPL].quantity == 100
    assert AAPL not in broker.accounts["DU1"].positions


def test_modify_changes_price_and_size_and_can_make_it_marketable(brokerage: Brokerage) -> None:
    book = brokerage.orders
    working = book.place(order(1, order_type="LMT", lmt=180.0), client_id=1)
    events = Recorder(brokerage)
    same = book.place(order(1, quantity=150, order_type="LMT", lmt=181.0), client_id=1)
    assert same is working and working.lmt_price == 181.0 and working.total_quantity == 150
    assert events.statuses() == [("Submitted", 0)]
    with pytest.raises(OrderRejected) as caught:
        book.place(order(1, order_type="LMT", lmt=181.0, contract={"conId": EURUSD, "exchange": "IDEALPRO"}), client_id=1)
    assert caught.value.code == 105
    book.place(order(1, quantity=150, order_type="LMT", lmt=195.0), client_id=1)
    assert working.status == "Filled" and working.filled == 150 and working.avg_fill_price == 190.02


def test_cancel_and_global_cancel(brokerage: Brokerage) -> None:
    book = brokerage.orders
    first = book.place(order(1, order_type="LMT", lmt=100.0), client_id=1)
    second = book.place(order(2, order_type="LMT", lmt=100.0), client_id=2)
    third = book.place(order(3, order_type="LMT", lmt=100.0, tif="GTC"), client_id=3)
    events = Recorder(brokerage)
    book.cancel(1, client_id=1)
    assert first.status == "Cancelled" and first.completed_status == "Cancelled by Trader"
    assert events.names() == ["order_error", "order_updated"]
    assert events.events[0][1] == {"client_id": 1, "order_id": 1, "code": 202, "message": "Order Canceled - reason:"}
    assert book.global_cancel() == [second, third]
    assert second.status == third.status == "Cancelled" and not book.open_orders()
    brokerage.set_quote(AAPL, 99.0, 99.5)
    assert not book.executions


def test_day_orders_expire_and_gtc_orders_keep_working(brokerage: Brokerage) -> None:
    book = brokerage.orders
    day = book.place(order(1, order_type="LMT", lmt=100.0), client_id=1)
    gtc = book.place(order(2, order_type="LMT", lmt=100.0, tif="GTC"), client_id=1)
    assert book.end_of_day() == [day]
    assert day.status == "Cancelled" and gtc.status == "Submitted"


def test_what_if_reports_margin_and_commission_and_books_nothing(brokerage: Brokerage) -> None:
    book = brokerage.orders
    preview, figures = book.what_if(order(9, quantity=100), client_id=1)
    assert preview.status == "PreSubmitted" and preview.perm_id > 0
    assert not book.orders and not brokerage.default_account.positions
    assert figures["initMarginBefore"] == 0.0
    assert figures["initMarginChange"] == pytest.approx(100 * 190.02 * 0.50, abs=0.01)
    assert figures["initMarginAfter"] == pytest.approx(figures["initMarginBefore"] + figures["initMarginChange"])
    assert figures["maintMarginAfter"] == pytest.approx(100 * 190.02 * 0.25, abs=0.01)
    assert figures["equityWithLoanChange"] == -1.0 and figures["commission"] == 1.0
    assert figures["commissionCurrency"] == "USD"
    assert brokerage.next_order_id() == 10
    with pytest.raises(OrderRejected):
        book.what_if(order(10, quantity=-1), client_id=1)


def test_orders_are_owned_by_client_ids_and_outlive_their_clients(brokerage: Brokerage) -> None:
    book = brokerage.orders
    mine = book.place(order(1, order_type="LMT", lmt=185.0), client_id=1)
    theirs = book.place(order(2, "SELL", order_type="LMT", lmt=195.0), client_id=2)
    done = book.place(order(3), client_id=2)
    assert book.open_orders(1) == [mine] and book.open_orders(2) == [theirs]
    assert book.open_orders() == [mine, theirs] and book.completed_orders() == [done]
    assert book.recipients(mine) == {1}
    book.master_client_id = 9
    assert book.recipients(mine) == {1, 9}
    brokerage.set_quote(AAPL, 184.0, 184.5)  # nobody connected: it fills all the same
    assert mine.status == "Filled" and book.completed_orders() == [mine, done]


def test_execution_filter(brokerage: Brokerage) -> None:
    book = brokerage.orders
    book.place(order(1), client_id=1)
    book.place(order(2, "SELL", 50), client_id=2)
    book.place(order(3, contract={"conId": EURUSD, "exchange": "IDEALPRO"}, quantity=20000), client_id=2)

    def ids(**wanted: Any) -> list[int]:
        return [e.order.order_id for e in book.find_executions(ExecutionFilter(**wanted))]

    assert ids() == [1, 2, 3]
    assert ids(client_id=2) == [2, 3]
    assert ids(symbol="AAPL") == [1, 2] and ids(sec_type="CASH") == [3]
    assert ids(side="SELL") == [2] and ids(side="BUY") == [1, 3]
    assert ids(account="DU1234567") == [1, 2, 3] and ids(account="DU0") == []
    assert ids(exchange="IDEALPRO") == [3]
    assert ids(time="20000101 00:00:00") == [1, 2, 3] and ids(time="29990101 00:00:00") == []


def test_manual_orders_bind_to_client_zero(brokerage: Brokerage) -> None:
    book = brokerage.orders
    manual = book.place_manual(order(0, order_type="LMT", lmt=100.0))
    assert manual.order_id == 0 and manual.client_id == 0 and manual.manual
    events = Recorder(brokerage)
    assert book.bind_manual_orders() == [manual] and manual.order_id == -1
    assert events.names() == ["order_bound"]
    book.auto_bind = True
    bound = book.place_manual(order(0, order_type="LMT", lmt=100.0))
    assert bound.order_id == -2 and book.get(-2) is bound
    book.place(order(-2, "BUY", 5, order_type="LMT", lmt=101.0), client_id=0)  # client 0 may modify it
    assert bound.total_quantity == 5 and bound.lmt_price == 101.0
    with pytest.raises(OrderRejected):
        book.cancel(-1, client_id=1)
    book.cancel(-1, client_id=0)
    assert manual.status == "Cancelled"


def test_state_lives_in_the_brokerage_not_in_orders_of_one_session(brokerage: Brokerage) -> None:
    book = brokerage.orders
    placed: Order = book.place(order(1, order_type="LMT", lmt=185.0, orderRef="keep-me"), client_id=4)
    assert book.get(1) is placed and placed.order_ref == "keep-me"
    assert brokerage.quote(AAPL).ask == 190.02
    fresh = Brokerage()
    assert fresh.quote(AAPL).last == fresh.catalog.by_con_id(AAPL).price
    assert fresh.quote(12345) is None


def test_average_cost_carries_the_commission_for_longs_and_shorts(brokerage: Brokerage) -> None:
    account = brokerage.default_account
    brokerage.orders.place(order(1, "SELL", 10), client_id=3)  # short 10 at the bid, 190.0, fee 1.0
    assert account.positions[AAPL].quantity == -10
    assert account.positions[AAPL].avg_cost == pytest.approx(190.0 - 0.1)
    flip = brokerage.orders.place(order(2, "BUY", 30), client_id=3)  # cover 10 and go long 20 at 190.02
    assert account.positions[AAPL].quantity == 20
    assert account.positions[AAPL].avg_cost == pytest.approx(190.02 + 1.0 / 30)
    assert flip.executions[0].realized_pnl == pytest.approx(10 * (189.9 - 190.02) - 10 * (1.0 / 30))
