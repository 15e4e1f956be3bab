"""Item 6 of issue 17 (part): trading hours per secType in contract details, with the exchange
holidays and half days of exchange_calendars (Thanksgiving week 2026 here)."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import ib_insync

from ib_harness.fake_gateway import FakeGateway

THANKSGIVING_WEEK = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("US/Eastern")).timestamp()


def _days(hours: str) -> dict[str, str]:
    return {part.split(":")[0]: part for part in hours.split(";")}


async def test_trading_hours_by_sec_type_with_holidays() -> None:
    offset = THANKSGIVING_WEEK - time.time()
    async with FakeGateway(market_ticker=False, clock=lambda: time.time() + offset) as gateway:
        ib = ib_insync.IB()
        await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=5)
        try:
            [stock] = await ib.reqContractDetailsAsync(ib_insync.Stock("AAPL", "SMART", "USD"))
            trading, liquid = _days(stock.tradingHours), _days(stock.liquidHours)
            assert trading["20261125"] == "20261125:0400-20261125:2000"
            assert liquid["20261125"] == "20261125:0930-20261125:1600"
            assert trading["20261126"] == "20261126:CLOSED"  # Thanksgiving
            assert liquid["20261127"] == "20261127:0930-20261127:1300"  # the half day after
            assert trading["20261128"] == trading["20261128"].split(":")[0] + ":CLOSED"  # Saturday
            [fx] = await ib.reqContractDetailsAsync(ib_insync.Forex("EURUSD"))
            fx_days = _days(fx.tradingHours)
            assert fx_days["20261125"] == "20261125:1715-20261126:1700"  # FX trades on Thanksgiving
            assert fx_days["20261129"] == "20261129:1715-20261130:1700"  # the week opens Sunday evening
            assert fx_days["20261128"] == "20261128:CLOSED"
            [future] = await ib.reqContractDetailsAsync(ib_insync.Future("ES", exchange="CME"))
            assert future.timeZoneId == "US/Central"
            assert _days(future.tradingHours)["20261129"] == "20261129:1700-20261130:1600"
            assert _days(future.liquidHours)["20261130"] == "20261130:0830-20261130:1600"
        finally:
            ib.disconnect()


async def test_daily_bars_skip_exchange_holidays_but_forex_trades_through() -> None:
    offset = THANKSGIVING_WEEK + 3 * 86400 - time.time()  # Saturday after Thanksgiving
    async with FakeGateway(market_ticker=False, clock=lambda: time.time() + offset) as gateway:
        ib = ib_insync.IB()
        await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=5)
        try:
            [aapl, eurusd] = await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD"), ib_insync.Forex("EURUSD"))
            stock = await ib.reqHistoricalDataAsync(aapl, "", "5 D", "1 day", "TRADES", True)
            fx = await ib.reqHistoricalDataAsync(eurusd, "", "5 D", "1 day", "MIDPOINT", False)
            stock_days = [b.date.strftime("%Y%m%d") for b in stock]
            assert "20261126" not in stock_days and stock_days[-1] == "20261127" and len(stock_days) == 5
            assert "20261126" in [b.date.strftime("%Y%m%d") for b in fx]
        finally:
            ib.disconnect()
