"""Stale data: after IB's 2108 (farm inactive) a line can go silent while every farm reports OK.
A price older than its freshness bound is never returned as current: the line is requested
again, and without a fresh tick the call fails as unavailable."""

from __future__ import annotations

import asyncio
import time

import pytest

from ib_harness.broker import MarketDataUnavailable
from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.faults.handle import FaultHandle

from .conftest import BrokerFactory, wait_event

TICKS = ("tickPrice", "tickSize", "tickString", "tickGeneric")


def silence_the_line(gateway: FakeGateway) -> list[FaultHandle]:
    """Every tick to client 1 is lost: its lines are silent while the farms report OK."""
    return [gateway.faults.inject({"kind": "drop_message", "message": tick, "client_id": 1}) for tick in TICKS]


INACTIVE = "Market data farm connection is inactive but should be available upon demand.:usfarm"


async def test_a_silent_line_is_requested_again_and_its_frozen_price_never_served(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, market_data_max_age=0.5, request_timeout=1.0)
    gateway.brokerage.market.pin("AAPL", 188.0, spread=0.02)
    assert await broker.get_market_price("AAPL") == pytest.approx(188.0, abs=0.02)
    mark = len(broker.events.history)
    silent = silence_the_line(gateway)
    gateway.faults.inject({"kind": "ib_error", "code": 2108, "text": INACTIVE, "client_id": 1})
    gateway.brokerage.market.pin("AAPL", 190.0, spread=0.02)  # IB's price moves on; this line is silent
    again = await wait_event(broker, "resubscribed", lambda e: e.data["symbol"] == "AAPL", since=mark)
    assert again.data["cause"].startswith("IB 2108")  # silent for stream_check_timeout after 2108
    await asyncio.sleep(0.6)
    started = time.perf_counter()
    with pytest.raises(MarketDataUnavailable, match="no fresh price"):
        await broker.get_market_price("AAPL")  # before: 188.0, frozen, served as current
    assert time.perf_counter() - started < 2.0
    stale = await wait_event(broker, "resubscribed", lambda e: "stale" in e.data["cause"], since=mark)
    assert stale.data["symbol"] == "AAPL"
    for handle in silent:
        handle.stop()
    assert await broker.get_market_price("AAPL") == pytest.approx(190.0, abs=0.02)


async def test_a_fresh_bound_can_be_given_per_call(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, market_data_max_age=60, request_timeout=1.0)
    gateway.brokerage.market.pin("AAPL", 188.0, spread=0.02)
    assert await broker.get_market_price("AAPL") > 0
    silence_the_line(gateway)
    await asyncio.sleep(0.3)
    assert await broker.get_market_price("AAPL") == pytest.approx(188.0, abs=0.02)  # within 60 s: current
    with pytest.raises(MarketDataUnavailable, match="no fresh price"):
        await broker.get_market_price("AAPL", max_age=0.2)
