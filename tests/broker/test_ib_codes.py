"""The broker's action per IB code: connectivity 1100/1101/1102, 2100, farm blips, 10182, 10197,
326 with a lingering client id, and 100 (slow down, never restart)."""

from __future__ import annotations

import asyncio

from ib_insync import IB

from broker import BrokerState, IBKRInsyncBroker, MarketDataUnavailable
from fake_gateway import FakeGateway

from .conftest import BrokerFactory, transitions, wait_event, wait_state
from .local_faults import send_ib_error

import pytest

LOST = "Connectivity between IB and Trader Workstation has been lost."


async def price_moves_to(broker: IBKRInsyncBroker, gw: FakeGateway, price: float, timeout: float = 5.0) -> None:
    """The stream is live: a new gateway price reaches get_market_price."""
    gw.brokerage.market.pin("AAPL", price, spread=0.02)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while abs(await broker.get_market_price("AAPL") - price) > 0.05:
        assert loop.time() < deadline, f"price never reached {price}"
        await asyncio.sleep(0.02)


async def test_1100_then_1101_resubscribes_market_data(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    send_ib_error(gateway, 1, 1100, LOST)
    await wait_state(broker, BrokerState.DEGRADED)
    send_ib_error(gateway, 1, 1101, "Connectivity restored - data lost.")
    resubscribed = await wait_event(broker, "resubscribed", since=mark)
    assert resubscribed.data["cause"] == "IB 1101"
    await wait_state(broker, BrokerState.READY)
    await price_moves_to(broker, gateway, 140.0)
    assert broker.events.of_kind("reconnected") == [] and len(gateway.sessions) == 1


async def test_1100_then_1102_keeps_subscriptions_and_verifies_them(gateway: FakeGateway,
                                                                    broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    send_ib_error(gateway, 1, 1100, LOST)
    await wait_state(broker, BrokerState.DEGRADED)
    send_ib_error(gateway, 1, 1102, "Connectivity restored - data maintained.")
    await wait_state(broker, BrokerState.READY)
    await price_moves_to(broker, gateway, 141.0)
    await asyncio.sleep(broker.settings.stream_check_timeout * 2)  # the stream check has run
    assert [e for e in broker.events.history[mark:] if e.kind == "resubscribed"] == []  # it flowed: kept
    assert transitions(broker, mark) == [("ready", "degraded"), ("degraded", "ready")]


async def test_1100_without_restore_escalates_to_a_reconnect(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    send_ib_error(gateway, 1, 1100, LOST)
    escalation = await wait_event(broker, "escalation", since=mark)
    assert escalation.data == {"code": 1100, "after": broker.settings.connectivity_grace}
    await wait_event(broker, "reconnected", since=mark)


async def test_2100_rerequests_account_updates_until_fresh(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    send_ib_error(gateway, 1, 2100, "API client has been unsubscribed from account data.")
    await wait_event(broker, "account_resubscribed", since=mark)
    await wait_event(broker, "account_fresh", since=mark)
    account = await broker.get_account()
    assert not account.stale and broker.state == BrokerState.READY


async def test_farm_blip_degrades_prices_only_and_revives_them_without_reconnect(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    send_ib_error(gateway, 1, 2103, "Market data farm connection is broken:usfarm")
    await wait_event(broker, "ib_error", lambda e: e.data["code"] == 2103, since=mark)
    with pytest.raises(MarketDataUnavailable, match="2103"):
        await broker.get_market_price("AAPL")
    assert broker.state == BrokerState.READY and (await broker.get_positions()) == []
    send_ib_error(gateway, 1, 2104, "Market data farm connection is OK:usfarm")
    await wait_event(broker, "ib_error", lambda e: e.data["code"] == 2104, since=mark)
    await price_moves_to(broker, gateway, 142.0)
    assert broker.events.of_kind("reconnected") == [] and transitions(broker, mark) == []


async def test_10182_rerequests_the_bar_subscription(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    stream = await broker.stream_bars("AAPL", "3600 S", "1 min")  # bars above 30 s: no 15 s identical-request pacing
    old_req_id = stream.bars.reqId
    mark = len(broker.events.history)
    send_ib_error(gateway, 1, 10182, "Failed to request live updates (disconnected).", req_id=old_req_id)
    resubscribed = await wait_event(broker, "resubscribed", lambda e: e.data["stream"] == "bars", since=mark)
    assert resubscribed.data["cause"] == "IB 10182" and stream.bars.reqId != old_req_id
    updates = stream.updates
    gateway.brokerage.market.pin("AAPL", 150.0)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while stream.updates == updates:
        assert loop.time() < deadline, "the re-requested bar stream never updated"
        await asyncio.sleep(0.05)


async def test_10197_reports_market_data_unavailable(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    req_id = broker.market.lines["AAPL"].req_id
    send_ib_error(gateway, 1, 10197, "No market data during competing live session", req_id=req_id)
    await wait_event(broker, "market_data_unavailable")
    with pytest.raises(MarketDataUnavailable, match="10197"):
        await broker.get_market_price("AAPL")
    assert broker.state == BrokerState.READY


async def test_100_slows_down_and_never_restarts(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    send_ib_error(gateway, 1, 100, "Max rate of messages per second has been exceeded.")
    slow = await wait_event(broker, "slow_down", since=mark)
    assert slow.data["max_requests_per_second"] == broker.settings.max_requests_per_second // 2
    assert broker.ib.client.MaxRequests == slow.data["max_requests_per_second"]
    assert await broker.get_market_price("AAPL") > 0
    assert transitions(broker, mark) == [] and broker.events.of_kind("reconnected") == []


async def test_326_with_a_lingering_client_id_backs_off_then_connects(gateway: FakeGateway,
                                                                      make_broker: BrokerFactory) -> None:
    squatter = IB()
    await squatter.connectAsync(gateway.host, gateway.port, clientId=1)
    broker = await make_broker(gateway, connect=False, connect_timeout=0.5)
    connecting = asyncio.ensure_future(broker.connect(timeout=10))
    backing_off = await wait_event(broker, "state", lambda e: e.data["to"] == "backing_off")
    assert "client id in use: IB 326" in backing_off.data["cause"]
    assert broker.state != BrokerState.STOPPED
    squatter.disconnect()  # the lingering session finally goes away
    await connecting
    assert broker.state == BrokerState.READY


async def test_326_switches_to_the_fallback_client_id(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    squatter = IB()
    await squatter.connectAsync(gateway.host, gateway.port, clientId=1)
    try:
        broker = await make_broker(gateway, connect=False, connect_timeout=0.5, fallback_client_id=9)
        await broker.connect(timeout=10)
        assert broker.state == BrokerState.READY and gateway.session_for(9) is not None
        assert any("next attempt uses client id 9" in e.data["cause"] for e in broker.events.of_kind("state"))
    finally:
        squatter.disconnect()
