"""The broker's action per IB code, driven by the gateway's IB-status faults: connectivity
1100/1101/1102 (and escalation), 2100, farm blips, 10182, 10197, 100 and 326."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.broker import BrokerState, IBKRInsyncBroker, MarketDataUnavailable
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, transitions, wait_event, wait_state


async def price_moves_to(broker: IBKRInsyncBroker, gw: FakeGateway, price: float, timeout: float = 5.0) -> None:
    """The stream is live: a new gateway price reaches get_market_price."""
    gw.brokerage.market.pin("AAPL", price, spread=0.02)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            if abs(await broker.get_market_price("AAPL") - price) <= 0.05:
                return
        except MarketDataUnavailable:
            pass
        assert loop.time() < deadline, f"price never reached {price}"
        await asyncio.sleep(0.02)


async def test_1100_then_1101_resubscribes_market_data(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    await wait_state(broker, BrokerState.DEGRADED)
    gateway.faults.inject({"kind": "connectivity_restored", "data_lost": True, "client_id": 1})
    resubscribed = await wait_event(broker, "resubscribed", since=mark)
    assert resubscribed.data["cause"] == "IB 1101"
    await wait_state(broker, BrokerState.READY)
    await price_moves_to(broker, gateway, 140.0)  # the gateway dropped the old line: only the new one ticks
    assert broker.events.of_kind("reconnected") == [] and len(gateway.sessions) == 1


async def test_1100_then_1102_keeps_subscriptions_and_verifies_them(gateway: FakeGateway,
                                                                    make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, stream_check_timeout=1.0)
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    await wait_state(broker, BrokerState.DEGRADED)
    gateway.faults.inject({"kind": "connectivity_restored", "client_id": 1})
    await wait_state(broker, BrokerState.READY)
    await price_moves_to(broker, gateway, 141.0)
    gateway.brokerage.market.set_path("AAPL", [141.0 + i / 100 for i in range(40)])  # keep it ticking
    await asyncio.sleep(broker.settings.stream_check_timeout * 1.5)  # the stream check has run
    assert [e for e in broker.events.history[mark:] if e.kind == "resubscribed"] == []  # it flowed: kept
    assert transitions(broker, mark) == [("ready", "degraded"), ("degraded", "ready")]


async def test_1100_without_restore_escalates_to_a_reconnect(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    lost = gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
    escalation = await wait_event(broker, "escalation", since=mark)
    assert escalation.data == {"code": 1100, "after": broker.settings.connectivity_grace}
    assert broker.events.of_kind("probe_timeout") == []  # silence during 1100 is the grace timer's call
    lost.stop()
    await wait_event(broker, "reconnected", since=mark)
    await wait_state(broker, BrokerState.READY)


async def test_2100_rerequests_account_updates_until_fresh(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "account_unsubscribed", "client_id": 1})
    await wait_event(broker, "account_resubscribed", since=mark)
    await wait_event(broker, "account_fresh", since=mark)
    account = await broker.get_account()
    assert not account.stale and broker.state == BrokerState.READY


async def test_farm_blip_degrades_prices_only_and_revives_them_without_reconnect(
        gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    down = gateway.faults.inject({"kind": "farm_down", "farm": "market", "client_id": 1})
    await wait_event(broker, "ib_error", lambda e: e.data["code"] == 2103, since=mark)
    with pytest.raises(MarketDataUnavailable, match="2103"):
        await broker.get_market_price("AAPL")
    assert broker.state == BrokerState.READY and (await broker.get_positions()) == []
    down.stop()
    gateway.faults.inject({"kind": "farm_up", "farm": "market", "client_id": 1})
    await wait_event(broker, "ib_error", lambda e: e.data["code"] == 2104, since=mark)
    await price_moves_to(broker, gateway, 142.0)
    assert broker.events.of_kind("reconnected") == [] and transitions(broker, mark) == []


async def test_10182_rerequests_the_bar_subscription(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    stream = await broker.stream_bars("AAPL", "3600 S", "1 min")  # bars above 30 s: no identical-request pacing
    old_req_id = stream.bars.reqId
    mark = len(broker.events.history)
    down = gateway.faults.inject({"kind": "farm_down", "farm": "hmds", "client_id": 1})
    await wait_event(broker, "ib_error", lambda e: e.data["code"] == 10182, since=mark)
    down.stop()
    gateway.faults.inject({"kind": "farm_up", "farm": "hmds", "client_id": 1})
    resubscribed = await wait_event(broker, "resubscribed", lambda e: e.data["stream"] == "bars", since=mark)
    assert resubscribed.data["cause"].startswith("IB ") and stream.bars.reqId != old_req_id
    updates = stream.updates
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 10
    while stream.updates == updates:
        assert loop.time() < deadline, "the re-requested bar stream never updated"
        await asyncio.sleep(0.05)


async def test_10197_reports_market_data_unavailable(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    gateway.faults.inject({"kind": "competing_session", "client_id": 1})
    await wait_event(broker, "market_data_unavailable")
    with pytest.raises(MarketDataUnavailable, match="10197"):
        await broker.get_market_price("AAPL")
    assert broker.state == BrokerState.READY


async def test_100_slows_down_and_never_restarts(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    # IB drops what a client sends in the second that went over the rate and reports it with one
    # error 100, so a keepalive probe inside that second goes unanswered: the probe here comes
    # after more than that second of quiet (production probes after 5 s)
    broker = await make_broker(gateway, probe_interval=1.5, probe_timeout=1.0)
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "pacing", "max_messages_per_second": 3, "client_id": 1})
    symbols = ["AAPL", "MSFT", "IBM", "GOOG", "AMZN", "TSLA", "NVDA", "META"]
    await asyncio.gather(*(broker.get_market_price(s) for s in symbols), return_exceptions=True)
    slow = await wait_event(broker, "slow_down", since=mark)
    assert slow.data["max_requests_per_second"] <= broker.settings.max_requests_per_second // 2
    client = broker.ib.client
    assert client.MaxRequests / client.RequestsInterval <= slow.data["max_requests_per_second"]
    assert transitions(broker, mark) == [] and broker.events.of_kind("reconnected") == []
    assert broker.state == BrokerState.READY


async def test_326_with_a_lingering_client_id_backs_off_then_connects(gateway: FakeGateway,
                                                                      broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "linger_client_id", "client_id": 1, "duration": 1.0})
    gateway.faults.inject({"kind": "crash", "rst": True})
    backing_off = await wait_event(broker, "state", lambda e: e.data["to"] == "backing_off", since=mark)
    assert "client id in use: IB 326" in backing_off.data["cause"]
    await wait_event(broker, "reconnected", since=mark)
    assert broker.state == BrokerState.READY and broker.client_id == 1


async def test_326_switches_to_the_fallback_client_id(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    gateway.faults.inject({"kind": "client_id_in_use", "client_id": 1, "count": 5})
    broker = await make_broker(gateway, connect=False, fallback_client_id=9)
    await broker.connect(timeout=10)
    assert broker.state == BrokerState.READY and gateway.session_for(9) is not None
    assert any("next attempt uses client id 9" in e.data["cause"] for e in broker.events.of_kind("state"))


async def test_504_not_connected_reconnects(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "ib_error", "code": 504, "text": "Not connected", "client_id": 1})
    reconnected = await wait_event(broker, "reconnected", since=mark)
    assert reconnected.data["attempt"] == 1
    assert ("ready", "disconnected") in transitions(broker, mark)


async def test_nightly_reset_that_recovers_within_grace_needs_no_reconnect(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, connectivity_grace=3.0)
    await broker.get_market_price("AAPL")
    mark = len(broker.events.history)
    gateway.faults.inject({"kind": "nightly_reset", "client_id": 1, "recover_after": 0.5, "repeat_every": 0.2,
                           "outcome": "lost", "flaps": 1, "flap_seconds": 0.1})
    await wait_event(broker, "resubscribed", lambda e: e.data["cause"] == "IB 1101", since=mark)
    await wait_state(broker, BrokerState.READY)
    await price_moves_to(broker, gateway, 150.0)
    assert broker.events.of_kind("escalation") == [] and broker.events.of_kind("reconnected") == []


async def test_1100_in_the_nightly_reset_window_is_still_escalated(gateway: FakeGateway,
                                                                  broker: IBKRInsyncBroker) -> None:
    mark = len(broker.events.history)
    reset = gateway.faults.inject({"kind": "nightly_reset", "client_id": 1, "recover_after": 30,
                                   "repeat_every": 0.2})
    escalation = await wait_event(broker, "escalation", since=mark)
    assert escalation.data["code"] == 1100
    reset.stop()
    await wait_event(broker, "reconnected", since=mark)
    await wait_state(broker, BrokerState.READY)
