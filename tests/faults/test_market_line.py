"""md_line_inactive (2108): a market-data line goes silent until the client requests it again,
as real ib_insync sees it."""

from __future__ import annotations

import asyncio

import pytest
from ib_insync import Stock

from ib_harness.fake_gateway import FakeGateway
from tests.faults.clients import connected
from tests.waiting import until


@pytest.fixture
async def pinned(gateway: FakeGateway) -> FakeGateway:
    gateway.config.market_ticker = False  # prices move only when the test pins them
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    gateway.brokerage.market.pin("MSFT", 400.0, spread=0.02)
    return gateway


async def test_the_line_stays_silent_until_requested_again(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        aapl, msft = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"),
                                                            Stock("MSFT", "SMART", "USD"))
        ticker = client.ib.reqMktData(aapl)
        other = client.ib.reqMktData(msft)
        await until(lambda: ticker.bid == pytest.approx(99.99) and other.bid == pytest.approx(399.99), what="bids")
        pinned.faults.inject({"kind": "md_line_inactive", "symbol": "AAPL"})
        await until(lambda: 2108 in client.codes(), what="the 2108 notice")
        pinned.brokerage.market.pin("AAPL", 110.0, spread=0.02)
        pinned.brokerage.market.pin("MSFT", 410.0, spread=0.02)
        await until(lambda: other.bid == pytest.approx(409.99), what="MSFT still ticking")
        await asyncio.sleep(0.3)
        assert ticker.bid == pytest.approx(99.99)  # AAPL's line is silent: the socket is fine, no error on it
        assert [code for _, code, _ in client.errors if code not in (2104, 2106, 2158)] == [2108]
        client.ib.cancelMktData(aapl)
        again = client.ib.reqMktData(aapl)
        await until(lambda: again.bid == pytest.approx(109.99), what="the re-requested line")
    assert [e.kind for e in pinned.events.of_kind("md_line_inactive", "md_line_revived")] == \
        ["md_line_inactive", "md_line_revived"]


async def test_a_line_opened_after_the_notice_ticks_and_the_end_of_the_fault_revives_the_rest(
        pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        ticker = client.ib.reqMktData(aapl)
        await until(lambda: ticker.bid == pytest.approx(99.99), what="the bid")
        handle = pinned.faults.inject({"kind": "md_line_inactive"})
        await until(lambda: 2108 in client.codes(), what="2108")
        pinned.brokerage.market.pin("AAPL", 105.0, spread=0.02)
        await asyncio.sleep(0.2)
        assert ticker.bid == pytest.approx(99.99)
        handle.stop()  # the farm wakes: 2104, the silent line resumes with what changed
        pinned.brokerage.market.pin("AAPL", 106.0, spread=0.02)
        await until(lambda: ticker.bid == pytest.approx(105.99), what="the line after the farm woke")
        assert client.codes()[-1] == 2104
