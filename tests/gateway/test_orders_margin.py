"""Margin: Reg-T for stocks, fixed rates for futures and forex, IB's refusal beyond buying power,
and the account values that move with positions and prices."""

from __future__ import annotations

import pytest

from ib_harness.fake_gateway.state.brokerage import Brokerage
from ib_harness.fake_gateway.state.orders import OrderRejected
from tests.gateway.order_requests import AAPL, ES, EURUSD, order


@pytest.fixture
def brokerage() -> Brokerage:
    broker = Brokerage()
    broker.set_quote(AAPL, 190.0, 190.02, 190.01)
    return broker


def values(brokerage: Brokerage) -> dict[str, float]:
    account = brokerage.default_account
    rows = account.values(brokerage.mark)
    return {key: float(value) for key, value, currency in rows if currency == "USD" and key in (
        "AvailableFunds", "ExcessLiquidity", "BuyingPower", "InitMarginReq", "MaintMarginReq",
        "EquityWithLoanValue", "NetLiquidation")}


def test_an_order_beyond_the_equity_is_refused_with_ibs_wording(brokerage: Brokerage) -> None:
    cash = brokerage.default_account.cash
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, quantity=500_000), client_id=1)
    assert caught.value.code == 201
    initial = 500_000 * 190.02 * 0.5
    equity = cash - 2500.0  # the commission (0.005/share) comes off the equity with loan
    assert caught.value.message == (
        "Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR "
        f"EQUITY WITH LOAN VALUE [{equity:.2f} USD] MUST EXCEED THE INITIAL MARGIN [{initial:.2f} USD]")
    assert not brokerage.orders.orders and brokerage.default_account.cash == cash
    assert AAPL not in brokerage.default_account.positions


def test_reg_t_allows_twice_the_equity_in_stock(brokerage: Brokerage) -> None:
    brokerage.orders.place(order(1, quantity=10_000), client_id=1)  # 1.9M of stock on 1M equity
    assert brokerage.default_account.positions[AAPL].quantity == 10_000
    with pytest.raises(OrderRejected):
        brokerage.orders.place(order(2, quantity=600), client_id=1)  # beyond 2x now
    closing = brokerage.orders.place(order(3, "SELL", quantity=10_000), client_id=1)
    assert closing.status == "Filled"  # an order that lowers the margin always passes


@pytest.mark.parametrize("contract,quantity,price,initial,maintenance", [
    ({"symbol": "AAPL", "secType": "STK", "exchange": "SMART", "currency": "USD"}, 100, 190.02, 0.50, 0.25),
    ({"conId": ES, "exchange": "CME"}, 2, None, 0.06, 0.05),
    ({"conId": EURUSD, "exchange": "IDEALPRO"}, 100_000, None, 0.03, 0.025),
])
def test_what_if_uses_the_rates_of_the_security_type(brokerage: Brokerage, contract: dict, quantity: float,
                                                     price: float | None, initial: float, maintenance: float) -> None:
    preview, figures = brokerage.orders.what_if(order(1, quantity=quantity, contract=contract), client_id=1)
    quote = brokerage.quote(preview.con_id)
    assert quote is not None
    value = quantity * (price or quote.ask) * preview.contract.multiplier
    assert figures["initMarginChange"] == pytest.approx(value * initial, abs=0.01)
    assert figures["maintMarginChange"] == pytest.approx(value * maintenance, abs=0.01)
    assert figures["equityWithLoanBefore"] == pytest.approx(brokerage.default_account.cash)


def test_account_values_move_with_positions_and_prices(brokerage: Brokerage) -> None:
    before = values(brokerage)
    assert before["InitMarginReq"] == before["MaintMarginReq"] == 0
    assert before["AvailableFunds"] == before["ExcessLiquidity"] == before["EquityWithLoanValue"] == 1_000_000
    assert before["BuyingPower"] == 4_000_000
    brokerage.orders.place(order(1, quantity=1000), client_id=1)  # at 190.02, commission 5.00
    brokerage.set_quote(AAPL, 199.99, 200.01, 200.0)
    after = values(brokerage)
    equity = 1_000_000 - 1000 * 190.02 - 5.0 + 1000 * 200.0
    assert after["EquityWithLoanValue"] == pytest.approx(equity, abs=0.01)
    assert after["InitMarginReq"] == pytest.approx(100_000, abs=0.01)
    assert after["MaintMarginReq"] == pytest.approx(50_000, abs=0.01)
    assert after["AvailableFunds"] == pytest.approx(equity - 100_000, abs=0.01)
    assert after["ExcessLiquidity"] == pytest.approx(equity - 50_000, abs=0.01)
    assert after["BuyingPower"] == pytest.approx(4 * (equity - 100_000), abs=0.05)


def test_growing_an_order_beyond_the_margin_is_refused(brokerage: Brokerage) -> None:
    working = brokerage.orders.place(order(1, order_type="LMT", lmt=150.0, quantity=100), client_id=1)
    with pytest.raises(OrderRejected) as caught:
        brokerage.orders.place(order(1, order_type="LMT", lmt=150.0, quantity=20_000), client_id=1)
    assert caught.value.code == 201 and "MUST EXCEED THE INITIAL MARGIN" in caught.value.message
    assert working.total_quantity == 100 and working.status == "Submitted"
