"""Items 7 and 8 of issue 17: scanners (parameters XML, subscriptions with filters and scan codes
that refresh as the market moves, cancel) and news (providers, history, articles)."""

from __future__ import annotations

import asyncio
from xml.etree import ElementTree

import ib_insync
import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.state.scanner import shares_outstanding
from tests.ibapi_app import RecordingApp
from tests.waiting import until

US_MAJOR = dict(instrument="STK", locationCode="STK.US.MAJOR")


async def test_scanner_parameters_are_xml_programs_can_parse(ib: ib_insync.IB) -> None:
    root = ElementTree.fromstring((await ib.reqScannerParametersAsync()).split("\n", 1)[1])
    codes = {e.text for e in root.iter("scanCode")}
    assert {"TOP_PERC_GAIN", "TOP_PERC_LOSE", "MOST_ACTIVE", "HOT_BY_VOLUME", "HIGH_OPT_IMP_VOLAT"} <= codes
    assert {"STK.US", "STK.US.MAJOR", "STK.NASDAQ"} <= {e.text for e in root.iter("locationCode")}
    assert "STK" in {e.text for e in root.iter("type")}
    assert {"priceAbove", "priceBelow", "volumeAbove", "marketCapAbove1e6"} <= {e.text for e in root.iter("code")}


async def test_gainers_and_losers_rank_by_the_live_market(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    market = gateway.brokerage.market
    market.pin("AMD", 121.16 * 1.08)  # +8%
    market.pin("INTC", 44.70 * 0.90)  # -10%
    gainers = await ib.reqScannerDataAsync(ib_insync.ScannerSubscription(scanCode="TOP_PERC_GAIN", **US_MAJOR))
    losers = await ib.reqScannerDataAsync(ib_insync.ScannerSubscription(scanCode="TOP_PERC_LOSE", **US_MAJOR))
    assert gainers[0].contractDetails.contract.symbol == "AMD" and gainers[0].rank == 0
    assert losers[0].contractDetails.contract.symbol == "INTC"
    assert len(gainers) == 50  # IB's most rows


async def test_filters_are_honoured(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    cheap = await ib.reqScannerDataAsync(ib_insync.ScannerSubscription(
        scanCode="MOST_ACTIVE", abovePrice=10, belowPrice=50, numberOfRows=100, **US_MAJOR))
    market = gateway.brokerage.market
    assert cheap and all(10 < market.last(d.contractDetails.contract.conId) < 50 for d in cheap)
    nasdaq_etfs = await ib.reqScannerDataAsync(ib_insync.ScannerSubscription(
        scanCode="HIGH_OPT_IMP_VOLAT", instrument="ETF.EQ.US", locationCode="STK.NASDAQ"))
    assert {d.contractDetails.contract.symbol for d in nasdaq_etfs} == {"QQQ", "TQQQ", "SQQQ", "TLT", "SMH"}
    big = await ib.reqScannerDataAsync(ib_insync.ScannerSubscription(scanCode="HIGH_PRICE", **US_MAJOR),
                                       scannerSubscriptionFilterOptions=[ib_insync.TagValue("marketCapAbove1e6", "100000")])
    catalog = gateway.brokerage.catalog
    for row in big:
        contract = catalog.by_con_id(row.contractDetails.contract.conId)
        assert contract is not None and market.last(contract.con_id) * shares_outstanding(contract) > 1e11


async def test_a_subscription_refreshes_as_the_market_moves_and_stops_when_cancelled(
        gateway: FakeGateway, ib: ib_insync.IB) -> None:
    data = ib.reqScannerSubscription(ib_insync.ScannerSubscription(scanCode="TOP_PERC_GAIN", numberOfRows=5, **US_MAJOR))
    await until(lambda: len(data) == 5, what="the first scan")
    market, clock = gateway.brokerage.market, gateway.clock
    market.pin("F", 10.26 * 1.5)  # F jumps 50%
    clock.offset += 2  # type: ignore[attr-defined]
    market.step("AAPL")
    await until(lambda: data and data[0].contractDetails.contract.symbol == "F", what="a refreshed ranking")
    ib.cancelScannerSubscription(data)
    await ib.reqCurrentTimeAsync()  # the cancel has arrived
    assert not any(session.subscribed("scanners") for session in gateway.sessions)
    market.pin("GM", 31.60 * 2)
    clock.offset += 2  # type: ignore[attr-defined]
    market.step("AAPL")
    await ib.reqCurrentTimeAsync()
    assert data[0].contractDetails.contract.symbol == "F"


async def test_a_bad_scan_code_is_refused_naming_it(ib: ib_insync.IB) -> None:
    ib.RaiseRequestErrors = True
    with pytest.raises(ib_insync.wrapper.RequestError, match="NO_SUCH_SCAN"):
        await ib.reqScannerDataAsync(ib_insync.ScannerSubscription(scanCode="NO_SUCH_SCAN", **US_MAJOR))


async def test_news_providers_history_and_articles(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    providers = await ib.reqNewsProvidersAsync()
    assert {p.code for p in providers} == {"BRFG", "BRFUPDN", "DJNL"}
    headlines = await ib.reqHistoricalNewsAsync(4391, "BRFG+BRFUPDN", "", "", 10)
    assert headlines is not None and len(headlines) == 10
    assert {h.providerCode for h in headlines} == {"BRFG", "BRFUPDN"}
    assert [h.time for h in headlines] == sorted((h.time for h in headlines), reverse=True)
    assert all("Advanced Micro Devices" in h.headline or "AMD" in h.headline for h in headlines)
    article = await ib.reqNewsArticleAsync(headlines[0].providerCode, headlines[0].articleId)
    assert article.articleType == 0 and headlines[0].headline in article.articleText
    again = await ib.reqHistoricalNewsAsync(4391, "BRFG+BRFUPDN", "", "", 10)
    assert [h.articleId for h in again] == [h.articleId for h in headlines]  # seeded


async def test_news_for_ibapi_pages_with_has_more(gateway: FakeGateway) -> None:
    app = RecordingApp()
    await asyncio.to_thread(app.start, gateway.host, gateway.port, 2)
    try:
        app.reqHistoricalNews(3, 265598, "DJNL", "", "", 5, [])
        [end] = await asyncio.to_thread(app.wait_for, "historicalNewsEnd")
        assert end == (3, True) and len(app.calls["historicalNews"]) == 5
        app.reqNewsArticle(4, "BRFG", "DJNL$40d7e-0", [])
        [error] = await asyncio.to_thread(app.wait_for, "error", 1, 5.0, lambda c: c[0] == 4)
        assert error[2] == 10172
    finally:
        await asyncio.to_thread(app.stop)


async def test_news_ticks_arrive_on_a_market_data_line(gateway: FakeGateway, ib: ib_insync.IB) -> None:
    [amd] = await ib.qualifyContractsAsync(ib_insync.Stock("AMD", "SMART", "USD"))
    news: list[ib_insync.NewsTick] = []
    ib.tickNewsEvent += news.append
    ib.reqMktData(amd, "mdoff,292:BRFG+DJNL")
    await until(lambda: len(news) == 1, what="the newest story")
    assert news[0].providerCode in ("BRFG", "DJNL") and news[0].articleId.startswith(news[0].providerCode + "$")
    article = await ib.reqNewsArticleAsync(news[0].providerCode, news[0].articleId)
    assert news[0].headline in article.articleText
    gateway.clock.offset += 6 * 3600  # type: ignore[attr-defined]  # past the next story's slot
    gateway.brokerage.market.pin("AMD", 125.0)
    await until(lambda: len(news) == 2, what="a new story")
    assert news[1].timeStamp > news[0].timeStamp and news[1].articleId != news[0].articleId
    ib.cancelMktData(amd)
    await ib.reqCurrentTimeAsync()  # the cancel has arrived
    gateway.clock.offset += 6 * 3600  # type: ignore[attr-defined]
    gateway.brokerage.market.pin("AMD", 126.0)
    await ib.reqCurrentTimeAsync()
    assert len(news) == 2
