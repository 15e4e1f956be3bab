"""Item 4 of issue 17: index ticks without sizes, futures multipliers in P&L, CONTFUT history."""

from __future__ import annotations

import math

import ib_insync
import pytest

from ib_harness.fake_gateway import FakeGateway
from tests.waiting import until


async def test_index_ticks_carry_no_quotes_and_no_sizes(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    [spx] = await ib.qualifyContractsAsync(ib_insync.Index("SPX", "CBOE"))
    ticker = ib.reqMktData(spx)
    await until(lambda: ticker.last == ticker.last, what="the index value")
    gateway.brokerage.market.step(spx.conId, 20)
    await until(lambda: ticker.last != 4567.8, what="a moved index")
    assert math.isnan(ticker.bid) and math.isnan(ticker.ask) and math.isnan(ticker.volume)
    assert all(t.size == 0 for t in ticker.ticks) and ticker.high >= ticker.last >= ticker.low


async def test_futures_pnl_uses_the_multiplier_and_contfut_has_history(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    [cl] = await ib.qualifyContractsAsync(ib_insync.Future("CL", exchange="NYMEX"))
    assert cl.multiplier == "1000"
    market = gateway.brokerage.market
    market.pin(cl.conId, 74.00, spread=0.02)
    trade = ib.placeOrder(cl, ib_insync.MarketOrder("BUY", 2))
    await until(trade.isDone, what="the fill")
    fill_price = trade.orderStatus.avgFillPrice
    market.pin(cl.conId, 75.00, spread=0.02)
    await until(lambda: any(p.contract.conId == cl.conId and p.marketPrice == 75.0 for p in ib.portfolio()),
                what="the portfolio at the new price")
    [row] = [p for p in ib.portfolio() if p.contract.conId == cl.conId]
    assert row.marketValue == pytest.approx(2 * 75.0 * 1000)
    commission = sum(f.commissionReport.commission for f in trade.fills)
    assert row.unrealizedPNL == pytest.approx((75.0 - fill_price) * 2 * 1000 - commission, abs=0.01)
    [cont] = await ib.qualifyContractsAsync(ib_insync.ContFuture("CL", "NYMEX"))
    bars = await ib.reqHistoricalDataAsync(cont, "", "5 D", "1 hour", "TRADES", False)
    assert len(bars) > 50 and bars[-1].close == 75.0


async def test_head_timestamp_per_sec_type(ib: ib_insync.IB) -> None:
    [aapl, eurusd, es] = await ib.qualifyContractsAsync(
        ib_insync.Stock("AAPL", "SMART", "USD"), ib_insync.Forex("EURUSD"), ib_insync.Future("ES", exchange="CME"))
    stock = await ib.reqHeadTimeStampAsync(aapl, "TRADES", True, 2)
    fx = await ib.reqHeadTimeStampAsync(eurusd, "MIDPOINT", True, 2)
    future = await ib.reqHeadTimeStampAsync(es, "TRADES", True, 1)
    assert stock.year == 2004 and fx.year == 2005
    assert (future.year, future.month, future.day) == (2024, 12, 18)  # two years before it expires


async def test_contfut_history_takes_no_end_date_and_fut_contfut_lists_both(ib: ib_insync.IB) -> None:
    [cont] = await ib.qualifyContractsAsync(ib_insync.ContFuture("ES", "CME"))
    ib.RaiseRequestErrors = True
    with pytest.raises(ib_insync.wrapper.RequestError) as refused:
        await ib.reqHistoricalDataAsync(cont, "20261120 16:00:00 US/Eastern", "1 D", "1 hour", "TRADES", False)
    assert refused.value.code == 10339
    both = await ib.reqContractDetailsAsync(ib_insync.Contract(symbol="ES", secType="FUT+CONTFUT", exchange="CME"))
    assert sorted(d.contract.secType for d in both) == ["CONTFUT", "FUT"]
