"""Market data, history, contract search and PnL through real clients over real TCP.

ib_insync, ib_async and the official ibapi each stream ticks, take a snapshot and fetch bars; the
error cases check the codes and texts IB sends (101, 354, 162, 100, 200, 300, 366) and that the
gateway keeps serving. Prices are driven through the market API, so nothing waits on timing.
"""

from __future__ import annotations

import asyncio
import math
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

import ib_async
import pytest
from ib_insync import IB, Forex, Stock

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.config import AccountConfig, HistoricalPacingConfig
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.wire.spec import frame_fields
from tests.ibapi_app import RecordingApp, ibapi_contract
from tests.waiting import until

AAPL = 265598
ACCOUNT = "DU1234567"


@asynccontextmanager
async def insync(gateway: FakeGateway, client_id: int = 1) -> AsyncIterator[IB]:
    ib = IB()
    await ib.connectAsync(gateway.host, gateway.port, clientId=client_id, timeout=4)
    try:
        yield ib
    finally:
        ib.disconnect()


def errors_of(ib: Any) -> list[tuple[int, int, str]]:
    seen: list[tuple[int, int, str]] = []
    ib.errorEvent += lambda req_id, code, text, *rest: seen.append((req_id, code, text))
    return seen


def aapl() -> Stock:
    return Stock("AAPL", "SMART", "USD")


# ----- ib_insync ----------------------------------------------------------------------------


async def test_ib_insync_streams_ticks_that_follow_the_market() -> None:
    async with FakeGateway(market_ticker=False) as gw, insync(gw) as ib:
        market = gw.brokerage.market
        ticker = ib.reqMktData(aapl())
        await until(lambda: not math.isnan(ticker.last), what="first ticks")
        first = market.quote(AAPL)
        assert (ticker.bid, ticker.ask, ticker.last, ticker.volume) == (first.bid, first.ask, first.last, first.volume)
        assert ticker.close == 189.95 and ticker.minTick == 0.01 and ticker.halted == 0
        market.set_quote(AAPL, 190.10, 190.12, last=190.11, bid_size=700)
        await until(lambda: ticker.bid == 190.10, what="the new bid")
        assert (ticker.ask, ticker.last, ticker.bidSize) == (190.12, 190.11, 700)
        market.unpin(AAPL)
        quote = market.step(AAPL, 25)
        await until(lambda: (ticker.bid, ticker.ask, ticker.volume) == (quote.bid, quote.ask, quote.volume), what="the walk")
        ib.cancelMktData(ticker.contract)
        await until(lambda: not gw.brokerage.market.watched, what="the line to be released")


async def test_background_ticker_moves_subscribed_contracts_only() -> None:
    async with FakeGateway(market_tick_interval=0.005, volatility={"AAPL": 0.01}) as gw, insync(gw) as ib:
        ticker = ib.reqMktData(aapl())
        await until(lambda: not math.isnan(ticker.bid), what="first bid")
        bids = {ticker.bid}
        ticker.updateEvent += lambda t: bids.add(t.bid)
        await until(lambda: len(bids) >= 3, what="the ticker to move the bid")
        assert gw.brokerage.market.ticking and gw.brokerage.market.watched == [AAPL]
        ib.cancelMktData(ticker.contract)
        await until(lambda: not gw.brokerage.market.ticking, what="the ticker to stop")


async def test_ib_insync_snapshot_takes_no_line() -> None:
    async with FakeGateway(market_ticker=False) as gw, insync(gw) as ib:
        [ticker] = await ib.reqTickersAsync(Stock("MSFT", "SMART", "USD"))
        quote = gw.brokerage.market.quote(272093)
        assert (ticker.bid, ticker.ask, ticker.last) == (quote.bid, quote.ask, quote.last)
        session = gw.session_for(1)
        assert session is not None and not session.subscribed("mkt_data") and not gw.brokerage.market.watched


async def test_ib_insync_bars_and_the_watchdog_probe() -> None:
    async with FakeGateway(market_ticker=False) as gw, insync(gw) as ib:
        bars = await ib.reqHistoricalDataAsync(aapl(), "", "1 D", "5 mins", "TRADES", False)
        assert len(bars) == 288 and bars[-1].close == gw.brokerage.market.last(AAPL)
        assert bars[0].date.tzinfo is not None and bars[0].volume > 0
        probe = await ib.reqHistoricalDataAsync(Forex("EURUSD"), "", "30 S", "5 secs", "MIDPOINT", False)
        assert len(probe) == 6 and all(b.volume == -1 for b in probe)
        daily = await ib.reqHistoricalDataAsync(aapl(), "", "5 D", "1 day", "BID", True, formatDate=2)
        assert len(daily) == 5 and all(type(b.date).__name__ == "date" for b in daily)


async def test_ib_insync_keep_up_to_date_bars_follow_the_market() -> None:
    async with FakeGateway(market_ticker=False) as gw, insync(gw) as ib:
        bars = await ib.reqHistoricalDataAsync(aapl(), "", "3600 S", "1 min", "MIDPOINT", False, keepUpToDate=True)
        count = len(bars)
        updates: list[bool] = []
        bars.updateEvent += lambda bar_list, has_new_bar: updates.append(has_new_bar)
        gw.brokerage.market.pin(AAPL, 195.0)
        await until(lambda: bars[-1].close == 195.0, what="a keepUpToDate update")
        gw.brokerage.market.pin(AAPL, 185.0)
        await until(lambda: bars[-1].low == 185.0, what="a second update")
        assert updates and len(bars) in (count, count + 1) and bars[-1].high >= 195.0
        ib.cancelHistoricalData(bars)
        await until(lambda: not gw.brokerage.market.watched, what="the stream to be released")


async def test_ib_insync_head_timestamp_symbols_and_pnl() -> None:
    accounts = [AccountConfig(account_id=ACCOUNT, positions={"AAPL": 100})]
    async with FakeGateway(market_ticker=False, accounts=accounts) as gw, insync(gw) as ib:
        head = await ib.reqHeadTimeStampAsync(aapl(), "TRADES", True, 1)
        assert (head.year, head.month, head.day) == (2004, 1, 23)
        [found] = await ib.reqMatchingSymbolsAsync("AAP")
        assert (found.contract.conId, found.contract.primaryExchange, found.contract.description) == (AAPL, "NASDAQ", "APPLE INC")
        pnl = ib.reqPnL(ACCOUNT)
        single = ib.reqPnLSingle(ACCOUNT, "", AAPL)
        await until(lambda: single.value == 100 * gw.brokerage.mark(AAPL), what="pnlSingle")
        gw.brokerage.market.pin(AAPL, 200.0)
        await until(lambda: pnl.unrealizedPnL == pytest.approx(100 * (200.0 - 189.95)), what="pnl update")
        await until(lambda: single.value == 20_000.0 and single.position == 100, what="pnlSingle update")
        ib.cancelPnL(ACCOUNT)
        ib.cancelPnLSingle(ACCOUNT, "", AAPL)


async def test_ten_thousand_ticks_reach_ib_insync() -> None:
    async with FakeGateway(market_ticker=False) as gw, insync(gw) as ib:
        seen = [0]
        ib.pendingTickersEvent += lambda tickers: seen.__setitem__(0, seen[0] + sum(len(t.ticks) for t in tickers))
        ticker = ib.reqMktData(aapl())
        await until(lambda: not math.isnan(ticker.last), what="first ticks")
        market = gw.brokerage.market
        for _ in range(100):
            market.step(AAPL, 100)
            await asyncio.sleep(0)
        final = market.quote(AAPL)
        await until(lambda: seen[0] >= 10_000 and ticker.volume == final.volume and ticker.bid == final.bid,
                    timeout=3, what=f"10k ticks (saw {seen[0]})")


async def test_ib_insync_tick_by_tick_bid_ask_last_and_midpoint() -> None:
    async with FakeGateway(market_ticker=False) as gw, insync(gw) as ib:
        seen: list[Any] = []
        ib.pendingTickersEvent += lambda tickers: seen.extend(tick for t in tickers for tick in t.tickByTicks)
        bid_ask = ib.reqTickByTickData(aapl(), "BidAsk")
        last = ib.reqTickByTickData(Stock("MSFT", "SMART", "USD"), "Last")
        ib.reqTickByTickData(Forex("EURUSD"), "MidPoint")
        await until(lambda: not math.isnan(bid_ask.bid), what="the first BidAsk tick")
        market = gw.brokerage.market
        market.set_quote(AAPL, 150.0, 150.02)
        market.pin(272093, 380.0)
        market.set_quote(12087792, 1.1, 1.1001)
        await until(lambda: bid_ask.ask == 150.02 and last.last == 380.0, what="BidAsk and Last ticks")
        await until(lambda: any(getattr(t, "midPoint", 0) == 1.10005 for t in seen), what="a MidPoint tick")
        ib.cancelTickByTickData(bid_ask.contract, "BidAsk")
        await until(lambda: AAPL not in gw.brokerage.market.watched, what="the BidAsk line to be released")


# ----- errors as IB sends them --------------------------------------------------------------


async def test_max_tickers_and_unsubscribed_market_data() -> None:
    async with FakeGateway(market_ticker=False, max_tickers=2, unsubscribed_symbols=["TSLA"]) as gw, insync(gw) as ib:
        errors = errors_of(ib)
        first = ib.reqMktData(aapl())
        tsla = ib.reqMktData(Stock("TSLA", "SMART", "USD"))
        ib.reqMktData(Stock("MSFT", "SMART", "USD"))
        ib.reqMktData(Stock("IBM", "SMART", "USD"))
        await until(lambda: len(errors) >= 2, what="errors 354 and 101")
        assert [code for _, code, _ in errors] == [354, 101]
        assert errors[0][2].startswith("Requested market data is not subscribed.")
        assert errors[1][2] == "Max number of tickers has been reached"
        ib.cancelMktData(first.contract)
        ib.reqMarketDataType(3)
        delayed = ib.reqMktData(tsla.contract)
        await until(lambda: not math.isnan(delayed.bid) and delayed.marketDataType == 3, what="delayed data")
        assert any(code == 10167 for _, code, _ in errors)


async def test_unknown_contract_and_unknown_ids() -> None:
    async with FakeGateway(market_ticker=False) as gw, insync(gw) as ib:
        errors = errors_of(ib)
        ghost = ib.reqMktData(Stock("NOSUCH", "SMART", "USD"))
        bars = await ib.reqHistoricalDataAsync(Stock("NOSUCH", "SMART", "USD"), "", "1 D", "1 hour", "TRADES", True)
        assert len(bars) == 0 and math.isnan(ghost.bid)
        ib.client.cancelMktData(4242)
        ib.client.cancelHistoricalData(4343)
        ib.client.cancelPnL(4444)
        await until(lambda: len(errors) >= 4, what="errors 200, 200, 300, 366")
        codes = [(req_id, code) for req_id, code, _ in errors]
        assert [code for _, code in codes].count(200) == 2
        assert (4242, 300) in codes and (4343, 366) in codes and len(codes) == 4, "cancelPnL of an unknown id is silent"
        assert "Can't find EId with tickerId:4242" in [text for _, _, text in errors]
        [ticker] = await ib.reqTickersAsync(aapl())
        assert not math.isnan(ticker.bid)


async def test_invalid_bar_size_and_historical_pacing() -> None:
    pacing = HistoricalPacingConfig(burst_count=3, burst_window=2.0)
    async with FakeGateway(market_ticker=False, historical_pacing=pacing) as gw, insync(gw) as ib:
        errors = errors_of(ib)
        assert len(await ib.reqHistoricalDataAsync(aapl(), "", "1 D", "1 sec", "TRADES", False)) == 0
        assert errors[-1][1] == 321 and "bar size setting is invalid" in errors[-1][2]
        first = await ib.reqHistoricalDataAsync(aapl(), "", "60 S", "5 secs", "TRADES", False)
        again = await ib.reqHistoricalDataAsync(aapl(), "", "60 S", "5 secs", "TRADES", False)
        assert len(first) == 12 and len(again) == 0
        assert errors[-1][1:] == (162, "Historical Market Data Service error message:Historical data request pacing violation")
        assert len(await ib.reqHistoricalDataAsync(aapl(), "", "90 S", "5 secs", "TRADES", False)) == 18
        assert len(await ib.reqHistoricalDataAsync(aapl(), "", "120 S", "5 secs", "TRADES", False)) == 0
        assert errors[-1][1] == 162
        assert len(await ib.reqHistoricalDataAsync(aapl(), "", "120 S", "1 min", "TRADES", False)) == 2, "large bars are not paced"


async def test_message_rate_error_100_then_disconnect() -> None:
    clock = [1_700_000_000.0]
    async with FakeGateway(clock=lambda: clock[0], disconnect_on_message_rate=True) as gw:
        client = await RawTwsClient.connect(gw.host, gw.port)
        await client.handshake()
        await client.start_api(5)
        await client.read_until("9")
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(60)))
        frames = []
        try:
            while True:
                frames.append(await client.read())
        except EOFError:
            pass
        errors = [f for f in frames if f[0] == "4" and f[3] == "100"]
        # one error 100 for the second, counting every request received in it (startApi too)
        assert [f[4] for f in errors] == ["Max rate of messages per second has been exceeded:max=50 rec=61 (1)"]
        assert sum(1 for f in frames if f[0] == "49") == 49
        async with insync(gw, client_id=6) as ib:
            assert (await ib.reqCurrentTimeAsync()).year >= 2023


async def test_message_rate_limit_without_disconnect_drops_only_the_excess() -> None:
    clock = [1_700_000_000.0]
    async with FakeGateway(clock=lambda: clock[0], max_messages_per_second=10, farm_notices=False) as gw:
        client = await RawTwsClient.connect(gw.host, gw.port)
        await client.handshake()
        await client.start_api(5)
        await client.read_until("9")
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(12)))
        replies = [await client.read() for _ in range(10)]
        assert sum(1 for f in replies if f[0] == "49") == 9
        assert [f[4] for f in replies if f[0] == "4" and f[3] == "100"] == [
            "Max rate of messages per second has been exceeded:max=10 rec=13 (1)"]  # one for the second
        with pytest.raises(asyncio.TimeoutError):
            await client.read(timeout=0.3)  # the two above the rate get nothing
        clock[0] += 1.0
        client.send(["49", "1"])
        assert (await client.read(timeout=2))[0] == "49"
        await client.close()


async def test_garbage_market_requests_never_stop_the_gateway() -> None:
    async with FakeGateway(market_ticker=False, farm_notices=False) as gw:
        client = await RawTwsClient.connect(gw.host, gw.port)
        await client.handshake()
        await client.start_api(9)
        await client.read_until("9")
        client.send(["1", "11", "x", "0", "AAPL"])  # reqMktData with a broken reqId
        client.send(["20", "7", "0", "AAPL", "STK", "", "0", "", "", "SMART", "", "USD", "", "", "0", "",
                     "1 min", "1 D", "0", "TRADES", "9", "0", ""])  # formatDate 9
        client.send(["87", "8"])  # reqHeadTimeStamp cut short
        replies = [await client.read() for _ in range(3)]
        assert [r[3] for r in replies] == ["320", "321", "320"]
        assert "Date formatting selection of 9 rejected." in replies[1][4]
        async with insync(gw, client_id=10) as ib:
            [ticker] = await ib.reqTickersAsync(aapl())
            assert not math.isnan(ticker.last)
        await client.close()


# ----- ib_async -----------------------------------------------------------------------------


async def test_ib_async_streams_ticks_and_fetches_bars() -> None:
    async with FakeGateway(market_ticker=False) as gw:
        ib = ib_async.IB()
        await ib.connectAsync(gw.host, gw.port, clientId=2, timeout=4)
        try:
            [contract] = await ib.qualifyContractsAsync(ib_async.Stock("AAPL", "SMART", "USD"))
            ticker = ib.reqMktData(contract)
            await until(lambda: not math.isnan(ticker.last), what="ib_async ticks")
            gw.brokerage.market.pin(AAPL, 191.5, spread=0.02)
            await until(lambda: (ticker.bid, ticker.ask, ticker.last) == (191.49, 191.51, 191.5), what="pinned quote")
            bars = await ib.reqHistoricalDataAsync(contract, "", "1 D", "1 hour", "TRADES", False)
            assert len(bars) == 24 and bars[-1].close == 191.5
            [snapshot] = await ib.reqTickersAsync(contract)
            assert snapshot.last == 191.5
        finally:
            ib.disconnect()


# ----- the official ibapi -------------------------------------------------------------------


async def test_official_ibapi_ticks_and_bars() -> None:
    contract = ibapi_contract("AAPL")
    async with FakeGateway(market_ticker=False) as gw:
        app = await asyncio.to_thread(RecordingApp().start, gw.host, gw.port, 3)
        try:
            app.reqMktData(1001, contract, "", False, False, [])
            await until(lambda: {1, 2, 4} <= {c[1] for c in app.calls["tickPrice"]}, what="bid/ask/last")
            gw.brokerage.market.pin(AAPL, 188.0)
            await until(lambda: any(c[:3] == (1001, 4, 188.0) for c in app.calls["tickPrice"]), what="the pinned last")
            app.reqHistoricalData(1002, contract, "", "1 D", "1 hour", "TRADES", 0, 1, False, [])
            await until(lambda: app.calls["historicalDataEnd"], what="historicalDataEnd")
            bars = [c[1] for c in app.calls["historicalData"]]
            assert len(bars) == 24 and bars[-1].close == 188.0
            assert " US/Eastern" in bars[0].date
            app.cancelMktData(999)
            await until(lambda: any(c[0] == 999 and c[2] == 300 for c in app.calls["error"]), what="error 300")
        finally:
            await asyncio.to_thread(app.stop)


async def test_a_disconnecting_client_releases_its_lines_and_the_ticker_stops() -> None:
    async with FakeGateway(market_tick_interval=0.005) as gw:
        async with insync(gw) as ib:
            ticker = ib.reqMktData(aapl())
            await until(lambda: not math.isnan(ticker.bid), what="first bid")
            assert gw.brokerage.market.ticking
        await until(lambda: not gw.brokerage.market.watched and not gw.brokerage.market.ticking,
                    what="the closed session to release its line")
