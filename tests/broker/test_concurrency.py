"""Hundreds of concurrent calls on one loop: distinct order ids, one subscription per symbol, and
under a crash every call either succeeds or fails typed within its timeout."""

from __future__ import annotations

import asyncio
from collections import Counter

from ib_harness.broker import BrokerError, IBKRInsyncBroker, Order, OrderSide, OrderType
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, wait_event
from .recorder import RecordRequests


async def test_concurrent_price_requests_share_one_subscription(gateway: FakeGateway, broker: IBKRInsyncBroker) -> None:
    subscribed = []
    gateway.faults.add(RecordRequests(subscribed))
    prices = await asyncio.gather(*(broker.get_market_price("AAPL") for _ in range(200)))
    assert all(p > 0 for p in prices)
    assert subscribed.count("1") == 1  # one reqMktData for 200 callers
    assert subscribed.count("9") == 1  # one contract lookup


async def test_concurrent_orders_get_distinct_ids(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    broker = await make_broker(gateway, order_ack_timeout=5.0)
    results = await asyncio.gather(*(broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1,
                                                              order_type=OrderType.LIMIT, limit_price=90.0))
                                     for _ in range(40)), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    assert failures == []
    ids = [o.order_id for o in results if isinstance(o, Order)]
    assert len(set(ids)) == 40
    assert len(gateway.brokerage.orders.open_orders()) == 40


async def test_500_concurrent_calls_while_the_gateway_crashes(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    broker = await make_broker(gateway, request_timeout=2.0, order_ack_timeout=1.0)
    await broker.get_market_price("AAPL")
    loop = asyncio.get_running_loop()

    async def one(i: int) -> tuple[str, float]:
        started = loop.time()
        try:
            kind = i % 5
            if kind == 0:
                await broker.get_market_price("AAPL")
            elif kind == 1:
                await broker.get_positions()
            elif kind == 2:
                await broker.get_account()
            elif kind == 3:
                await broker.get_orders()
            else:
                await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1,
                                               order_type=OrderType.LIMIT, limit_price=90.0))
            outcome = "ok"
        except BrokerError as exc:
            outcome = type(exc).__name__
        return outcome, loop.time() - started

    calls = [asyncio.ensure_future(one(i)) for i in range(500)]
    await asyncio.sleep(0.01)
    await gateway.drop_sessions(abort=True)  # the fault fires while the calls are in flight
    results = await asyncio.wait_for(asyncio.gather(*calls), 30)
    outcomes = Counter(outcome for outcome, _ in results)
    limit = broker.settings.order_ack_timeout + 2 * broker.settings.request_timeout
    assert max(elapsed for _, elapsed in results) <= limit + 1.0
    assert set(outcomes) <= {"ok", "BrokerUnavailable", "BrokerTimeout", "OrderUnconfirmed", "OrderNotSent"}
    assert outcomes["ok"] > 0 and outcomes["BrokerUnavailable"] > 0
    await wait_event(broker, "reconnected")
    live_ids = [o.order_id for o in gateway.brokerage.orders.open_orders()]
    assert len(live_ids) == len(set(live_ids))


async def test_a_burst_of_requests_stays_under_ibs_message_rate(gateway: FakeGateway,
                                                                make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, request_timeout=15.0)  # the last ones queue ~1.5 s in the throttle
    durations = [f"{days} D" for days in range(1, 11)]
    results = await asyncio.gather(*(broker.get_historical_bars("AAPL", durations[i % 10], "1 hour")
                                     for i in range(70)), return_exceptions=True)
    assert [r for r in results if isinstance(r, BaseException)] == []
    assert [e for e in broker.events.of_kind("ib_error") if e.data["code"] == 100] == []
