"""Item 3 of issue 17: option chains, option contracts, option market data with greeks from the
model on the seeded underlying, the option calculators and exercise, through real clients."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

import ib_insync
import pytest

from ib_harness.fake_gateway import FakeGateway
from tests.ibapi_app import RecordingApp, ibapi_contract
from tests.waiting import until

AAPL = 265598


async def _chain(ib: ib_insync.IB, symbol: str, sec_type: str, con_id: int, exchange: str = "SMART",
                 trading_class: str | None = None) -> ib_insync.OptionChain:
    chains = await ib.reqSecDefOptParamsAsync(symbol, "", sec_type, con_id)
    return next(c for c in chains if c.exchange == exchange and c.tradingClass == (trading_class or symbol))


async def test_equity_chain_by_exchange(ib: ib_insync.IB) -> None:
    chains = await ib.reqSecDefOptParamsAsync("AAPL", "", "STK", AAPL)
    assert {"SMART", "CBOE", "AMEX", "ISE", "PHLX"} <= {c.exchange for c in chains}
    assert {(c.tradingClass, c.multiplier, int(c.underlyingConId)) for c in chains} == {("AAPL", "100", AAPL)}
    chain = chains[0]
    today = datetime.now().strftime("%Y%m%d")
    assert sorted(chain.expirations) == list(chain.expirations) and chain.expirations[0] >= today
    assert len(chain.expirations) >= 8
    assert 190.0 in chain.strikes and 187.5 in chain.strikes and min(chain.strikes) < 150 < 250 < max(chain.strikes)


async def test_spx_has_the_monthly_spx_and_the_weekly_spxw_class(ib: ib_insync.IB) -> None:
    [spx] = await ib.qualifyContractsAsync(ib_insync.Index("SPX", "CBOE"))
    chains = await ib.reqSecDefOptParamsAsync("SPX", "", "IND", spx.conId)
    assert {(c.exchange, c.tradingClass) for c in chains} == {
        ("SMART", "SPX"), ("CBOE", "SPX"), ("SMART", "SPXW"), ("CBOE", "SPXW")}
    monthly = next(c for c in chains if c.tradingClass == "SPX")
    weekly = next(c for c in chains if c.tradingClass == "SPXW")
    assert len(weekly.expirations) > len(monthly.expirations)
    for expiry in monthly.expirations:  # third Fridays, a Thursday when the Friday is a holiday
        day = date(int(expiry[:4]), int(expiry[4:6]), int(expiry[6:]))
        assert (day.weekday(), 15 <= day.day <= 21) in ((4, True), (3, True))


async def test_contract_details_for_any_listed_strike_expiry_and_right(ib: ib_insync.IB) -> None:
    weekly = await _chain(ib, "SPX", "IND", 416904, "CBOE", "SPXW")
    expiry, strike = weekly.expirations[1], weekly.strikes[len(weekly.strikes) // 2]
    [put] = await ib.reqContractDetailsAsync(ib_insync.Option("SPX", expiry, strike, "P", "CBOE", tradingClass="SPXW"))
    c = put.contract
    assert (c.secType, c.right, c.strike, c.lastTradeDateOrContractMonth, c.multiplier) == ("OPT", "P", strike, expiry, "100")
    assert c.localSymbol == f"SPXW  {expiry[2:]}P{int(strike * 1000):08d}"
    assert put.underConId == 416904 and put.underSymbol == "SPX"
    [again] = await ib.qualifyContractsAsync(ib_insync.Contract(conId=c.conId))
    assert again.localSymbol == c.localSymbol
    whole_expiry = await ib.reqContractDetailsAsync(ib_insync.Option("AAPL", expiry[:6], exchange="SMART"))
    assert {d.contract.right for d in whole_expiry} == {"C", "P"} and len(whole_expiry) > 40


async def test_an_unlisted_strike_is_error_200(ib: ib_insync.IB) -> None:
    chain = await _chain(ib, "AAPL", "STK", AAPL)
    errors: list[int] = []
    ib.errorEvent += lambda req_id, code, *rest: errors.append(code)
    assert await ib.qualifyContractsAsync(ib_insync.Option("AAPL", chain.expirations[0], 190.01, "C", "SMART")) == []
    assert errors == [200]


async def test_tickers_of_many_options_carry_model_greeks(ib: ib_insync.IB) -> None:
    chain = await _chain(ib, "AAPL", "STK", AAPL)
    strikes = [k for k in chain.strikes if 170 <= k <= 210]
    options = [ib_insync.Option("AAPL", chain.expirations[2], k, r, "SMART") for k in strikes for r in "CP"]
    options = await ib.qualifyContractsAsync(*options)
    tickers = await ib.reqTickersAsync(*options)
    assert len(tickers) == len(options) >= 20
    for ticker in tickers:
        call = ticker.contract.right == "C"
        assert 0 < ticker.bid < ticker.ask
        model = ticker.modelGreeks
        assert model is not None and model.undPrice == pytest.approx(189.95)
        assert (0 < model.delta < 1) if call else (-1 < model.delta < 0)
        assert model.gamma > 0 and model.vega > 0 and model.theta < 0 and 0.1 < model.impliedVol < 1
        assert ticker.bidGreeks.impliedVol < ticker.askGreeks.impliedVol
        assert ticker.bid <= model.optPrice <= ticker.ask
    calls = [t for t in tickers if t.contract.right == "C"]
    assert [t.modelGreeks.delta for t in calls] == sorted((t.modelGreeks.delta for t in calls), reverse=True)


async def test_option_quotes_and_greeks_move_with_the_underlying(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    chain = await _chain(ib, "AAPL", "STK", AAPL)
    [call] = await ib.qualifyContractsAsync(ib_insync.Option("AAPL", chain.expirations[3], 190, "C", "SMART"))
    ticker = ib.reqMktData(call)
    await until(lambda: ticker.modelGreeks is not None, what="first computation")
    before = ticker.modelGreeks
    gateway.brokerage.market.set_path(AAPL, [191.0, 193.0, 195.0], spread=0.02)
    gateway.brokerage.market.step(AAPL, 3)
    await until(lambda: ticker.modelGreeks.undPrice == 195.0, what="greeks after the underlying moved")
    after = ticker.modelGreeks
    assert after.optPrice > before.optPrice and after.delta > before.delta
    assert ticker.bid > 0 and ticker.ask - ticker.bid > 0


async def test_calculators_are_each_others_inverse(ib: ib_insync.IB) -> None:
    chain = await _chain(ib, "AAPL", "STK", AAPL)
    [put] = await ib.qualifyContractsAsync(ib_insync.Option("AAPL", chain.expirations[4], 185, "P", "SMART"))
    priced = await ib.calculateOptionPriceAsync(put, 0.35, 188.0)
    assert priced is not None and priced.impliedVol == 0.35 and priced.undPrice == 188.0 and priced.delta < 0
    implied = await ib.calculateImpliedVolatilityAsync(put, priced.optPrice, 188.0)
    assert implied is not None and implied.impliedVol == pytest.approx(0.35, abs=1e-4)


async def test_exercise_turns_calls_into_shares(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    account = gateway.brokerage.default_account
    chain = await _chain(ib, "AAPL", "STK", AAPL)
    [call] = await ib.qualifyContractsAsync(ib_insync.Option("AAPL", chain.expirations[0], 180, "C", "SMART"))
    trade = ib.placeOrder(call, ib_insync.MarketOrder("BUY", 2))
    await until(lambda: trade.isDone(), what="option order filled")
    cash = account.cash
    ib.exerciseOptions(call, 1, 1, account.account_id, 0)
    await until(lambda: any(p.contract.conId == AAPL and p.position == 100 for p in ib.positions()), what="shares")
    assert [p.position for p in ib.positions() if p.contract.conId == call.conId] == [1]
    assert account.cash == pytest.approx(cash - 180 * 100)


async def test_exercising_more_than_held_is_refused(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    chain = await _chain(ib, "AAPL", "STK", AAPL)
    [call] = await ib.qualifyContractsAsync(ib_insync.Option("AAPL", chain.expirations[0], 180, "C", "SMART"))
    errors: list[int] = []
    ib.errorEvent += lambda req_id, code, *rest: errors.append(code)
    ib.exerciseOptions(call, 1, 5, gateway.brokerage.account_ids[0], 0)
    await until(lambda: errors, what="the refusal")
    assert errors == [322]


async def test_ibapi_option_snapshot_has_computations(gateway: FakeGateway) -> None:
    option = gateway.brokerage.catalog.find({"symbol": "SPY", "secType": "OPT", "strike": 455.0, "right": "P",
                                             "exchange": "SMART"})[0]
    app = RecordingApp()
    await asyncio.to_thread(app.start, gateway.host, gateway.port, 4)
    try:
        app.reqMktData(5, ibapi_contract("SPY", "OPT", conId=option.con_id), "", True, False, [])
        await asyncio.to_thread(app.wait_for, "tickSnapshotEnd")
        kinds = {c[1] for c in app.calls["tickOptionComputation"] if c[0] == 5}
        assert kinds == {10, 11, 12, 13}
        model = next(c for c in app.calls["tickOptionComputation"] if c[1] == 13)
        assert -1 < model[4] < 0  # delta of a put
    finally:
        await asyncio.to_thread(app.stop)


def test_an_expiry_on_an_exchange_holiday_moves_to_the_day_before() -> None:
    from ib_harness.fake_gateway.state.options import expirations
    listed = expirations("equity", date(2026, 11, 30))
    assert "20261225" not in listed and "20261224" in listed  # Christmas
    assert "20270101" not in listed and "20261231" in listed  # New Year's Day
    daily = expirations("daily", date(2026, 11, 23))
    assert "20261126" not in daily  # Thanksgiving: no SPXW expiry
