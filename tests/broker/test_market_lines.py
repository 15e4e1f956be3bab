"""Market-data lines are a bounded resource (IB: 100 per account by default, error 101 above):
lines the broker no longer uses are released (a bound with LRU eviction and an idle TTL), 101 is a
fast clear error that frees a line, and a bar subscription ends when its consumer closes it."""

from __future__ import annotations

import asyncio
import time
from typing import AsyncIterator

import pytest

from ib_harness.broker import MarketDataUnavailable
from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.session.streams import HISTORICAL_UPDATES, MKT_DATA

from .conftest import BrokerFactory, wait_event


@pytest.fixture
async def three_lines() -> AsyncIterator[FakeGateway]:
    """A gateway that allows three market-data lines per client (IB's 100, scaled down)."""
    async with FakeGateway(max_tickers=3) as gw:
        yield gw


def gateway_lines(gateway: FakeGateway, client_id: int = 1) -> int:
    return len(gateway.session_for(client_id).subscribed(MKT_DATA))


async def test_101_is_a_fast_clear_error_and_frees_a_line(three_lines: FakeGateway,
                                                          make_broker: BrokerFactory) -> None:
    broker = await make_broker(three_lines, request_timeout=5.0)
    for symbol in ("AAPL", "MSFT", "AMZN"):
        assert await broker.get_market_price(symbol) > 0
    started = time.perf_counter()
    with pytest.raises(MarketDataUnavailable, match="IB 101"):
        await broker.get_market_price("TSLA")
    assert time.perf_counter() - started < 1.0  # not the request timeout (5 s)
    refused = await wait_event(broker, "market_line_released", lambda e: e.data["symbol"] == "AAPL")
    assert "101" in refused.data["cause"]
    assert "TSLA" not in broker.market.lines and "AAPL" not in broker.market.lines
    assert await broker.get_market_price("TSLA") > 0  # the freed line is used
    assert gateway_lines(three_lines) == 3


async def test_lines_are_bounded_and_the_least_recently_used_is_released(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, market_data_max_lines=2)
    await broker.get_market_price("AAPL")
    await broker.get_market_price("MSFT")
    await broker.get_market_price("AAPL")  # AAPL used again: MSFT is now the least recently used
    await broker.get_market_price("AMZN")
    assert sorted(broker.market.lines) == ["AAPL", "AMZN"]
    await asyncio.sleep(0.1)
    assert gateway_lines(gateway) == 2


async def test_an_idle_line_is_released_after_its_ttl(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, market_data_line_ttl=0.5)
    await broker.get_market_price("AAPL")
    assert gateway_lines(gateway) == 1
    released = await wait_event(broker, "market_line_released", lambda e: e.data["symbol"] == "AAPL", timeout=5)
    assert "idle" in released.data["cause"]
    await asyncio.sleep(0.1)
    assert broker.market.lines == {} and gateway_lines(gateway) == 0


async def test_a_bar_subscription_ends_when_its_consumer_closes_it(gateway: FakeGateway,
                                                                   make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway)
    async with await broker.stream_bars("AAPL", "3600 S", "1 min") as stream:
        assert stream.bars
        await asyncio.sleep(0.05)
        assert len(gateway.session_for(1).subscribed(HISTORICAL_UPDATES)) == 1
    await asyncio.sleep(0.1)
    assert gateway.session_for(1).subscribed(HISTORICAL_UPDATES) == {}
    assert broker.market.bar_streams == []
    mark = len(broker.events.history)
    await gateway.drop_sessions(abort=True)
    await wait_event(broker, "reconnected", since=mark)
    await asyncio.sleep(0.2)
    assert gateway.session_for(1).subscribed(HISTORICAL_UPDATES) == {}  # not re-requested after the reconnect
