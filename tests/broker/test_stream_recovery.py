"""Data that stops without IB saying it is back: a stream out of sync (garbage on the wire, a frame
that does not decode) is dropped and reconnected; a 10197 pause ends when ticks flow again."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.broker import BrokerState, IBKRInsyncBroker, MarketDataUnavailable
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, wait_event, wait_state


async def price_reaches(broker: IBKRInsyncBroker, price: float, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last: object = None
    while loop.time() < deadline:
        try:
            last = await broker.get_market_price("AAPL")
            if abs(float(last) - price) <= 0.05:  # type: ignore[arg-type]
                return
        except MarketDataUnavailable as exc:
            last = exc
        await asyncio.sleep(0.02)
    raise AssertionError(f"get_market_price never reached {price} within {timeout} s (last: {last!r})")


async def test_garbage_on_the_wire_drops_and_reconnects(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    gateway.brokerage.market.pin("AAPL", 120.0, spread=0.02)
    await price_reaches(broker, 120.0)
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "garbage", "bytes": 64, "client_id": 1, "seed": 51})
    out_of_sync = await wait_event(broker, "stream_out_of_sync", since=mark)
    assert "frame" in out_of_sync.data["problem"]
    await wait_event(broker, "reconnected", since=mark)
    await wait_state(broker, BrokerState.READY)
    gateway.brokerage.market.pin("AAPL", 121.0, spread=0.02)
    await price_reaches(broker, 121.0)  # prices flow on the new socket, not frozen at 120


async def test_a_frame_that_does_not_decode_drops_and_reconnects(gateway: FakeGateway,
                                                                 broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    # a well-formed frame whose price field is junk: ib_insync's decoder logs it and carries on
    gateway.faults.inject({"kind": "corrupt_field", "message": "tickPrice", "field": 4, "count": 1, "client_id": 1})
    gateway.brokerage.market.pin("AAPL", 131.0, spread=0.02)
    out_of_sync = await wait_event(broker, "stream_out_of_sync", since=mark)
    assert out_of_sync.data["problem"].startswith("a frame did not decode")
    await wait_event(broker, "reconnected", since=mark)
    assert len(broker.events.of_kind("reconnected")) == 1


async def test_a_healthy_stream_is_never_taken_for_out_of_sync(gateway: FakeGateway,
                                                               broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "slicer", "max_bytes": 3, "client_id": 1})  # frames in 3-byte pieces
    for price in (150.0, 150.5, 151.0):
        gateway.brokerage.market.pin("AAPL", price, spread=0.02)
        await price_reaches(broker, price)
    assert [e.kind for e in broker.events.history[mark:] if e.kind in ("stream_out_of_sync", "reconnected")] == []


async def test_10197_ends_when_ticks_flow_again(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    gateway.brokerage.market.pin("AAPL", 140.0, spread=0.02)
    await price_reaches(broker, 140.0)
    mark = len(broker.events.history)
    competing = gateway.faults.inject({"kind": "competing_session", "client_id": 1})
    await wait_event(broker, "market_data_unavailable", since=mark)
    gateway.brokerage.market.pin("AAPL", 141.0, spread=0.02)  # not streamed during the pause
    with pytest.raises(MarketDataUnavailable, match="10197"):
        await broker.get_market_price("AAPL")  # never the frozen 140
    competing.stop()  # IB sends no notice; only the ticks resume
    available = await wait_event(broker, "market_data_available", since=mark)
    assert "10197" in available.data["after"]
    await price_reaches(broker, 141.0)
    assert broker.state == BrokerState.READY and broker.events.of_kind("reconnected") == []


async def test_10197_is_requested_again_until_the_pause_ends(gateway: FakeGateway,
                                                             make_broker: BrokerFactory) -> None:
    """A quiet market sends no tick when the pause ends: the periodic re-request brings the quote."""
    broker = await make_broker(gateway, stream_check_timeout=0.2)
    gateway.brokerage.market.pin("AAPL", 142.0, spread=0.02)
    await price_reaches(broker, 142.0)
    mark = len(broker.events.history)
    competing = gateway.faults.inject({"kind": "competing_session", "client_id": 1})
    await wait_event(broker, "market_data_unavailable", since=mark)
    again = await wait_event(broker, "resubscribed", lambda e: "10197" in e.data["cause"], since=mark)
    await wait_event(broker, "market_data_unavailable", since=broker.events.history.index(again))
    with pytest.raises(MarketDataUnavailable, match="10197"):  # the re-request is refused: still paused
        await broker.get_market_price("AAPL")
    competing.stop()
    await wait_event(broker, "market_data_available", since=mark)
    assert await broker.get_market_price("AAPL") == pytest.approx(142.0, abs=0.05)
    settled = len(broker.events.history)
    await asyncio.sleep(0.5)  # the re-request loop has ended with the pause
    assert [e for e in broker.events.history[settled:] if e.kind == "resubscribed"] == []
