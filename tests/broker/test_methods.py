"""Every BaseBroker method against the fake gateway over real TCP, with real orders that fill."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ib_harness.broker import (BrokerState, IBKRInsyncBroker, MarketDataUnavailable, Order, OrderRejected, OrderSide,
                    OrderStatus, OrderType, RequestFailed, UnknownOrder)
from ib_harness.fake_gateway import AccountConfig, FakeGateway, GatewayConfig

from .conftest import BrokerFactory, wait_event


async def test_connect_reports_ready_and_disconnect_stops(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway)
    assert broker.state == BrokerState.READY and broker.is_connected()
    assert [e.data["to"] for e in broker.events.of_kind("state")] == ["connecting", "syncing", "ready"]
    await broker.disconnect()
    assert broker.state == BrokerState.STOPPED and not broker.is_connected()
    await broker.disconnect()  # twice is safe


async def test_account_values_come_from_the_gateway(broker: IBKRInsyncBroker) -> None:
    account = await broker.get_account()
    assert account.account_id == "DU1234567"
    assert account.net_liquidation == pytest.approx(1_000_000.0)
    assert account.buying_power and account.buying_power > 0
    assert not account.stale and account.values["Currency"] == "USD"


async def test_positions_reflect_the_account_and_fills(make_broker: BrokerFactory) -> None:
    world = GatewayConfig(accounts=[AccountConfig(positions={"MSFT": 25})])
    async with FakeGateway(world) as gw:
        broker = await make_broker(gw)
        assert [(p.symbol, p.quantity) for p in await broker.get_positions()] == [("MSFT", 25)]
        filled = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=10))
        await wait_event(broker, "order", lambda e: e.data["key"] == filled.key and e.data["status"] == "FILLED")
        positions = {p.symbol: p.quantity for p in await broker.get_positions()}
        assert positions == {"MSFT": 25, "AAPL": 10}


async def test_market_order_fills_and_is_journaled_with_its_fill(broker: IBKRInsyncBroker, gateway: FakeGateway) -> None:
    gateway.brokerage.market.pin("AAPL", 150.0, spread=0.02)
    order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=10))
    assert order.order_id and order.key.startswith("ibh-")
    await wait_event(broker, "fill", lambda e: e.data["key"] == order.key)
    record = broker.journal.order(order.key)
    assert record is not None and record.status == "FILLED" and record.filled == 10 and record.perm_id
    [fill] = broker.journal.fills(order.key)
    assert fill.quantity == 10 and fill.price == pytest.approx(150.01)
    statuses = [status for _, status, _ in broker.journal.order_events(order.key)]
    assert statuses[0] == "PENDING" and statuses[-1] == "FILLED"


async def test_limit_order_works_then_is_modified_then_cancelled(broker: IBKRInsyncBroker, gateway: FakeGateway) -> None:
    gateway.brokerage.market.pin("AAPL", 150.0, spread=0.02)
    order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=5,
                                           order_type=OrderType.LIMIT, limit_price=140.0))
    assert order.status == OrderStatus.SUBMITTED
    assert [o.key for o in await broker.get_orders(OrderStatus.SUBMITTED)] == [order.key]
    modified = await broker.modify_order(order.key, quantity=7, limit_price=141.0)
    [working] = gateway.brokerage.orders.open_orders()
    assert working.order_id == order.order_id  # modified in place: never a second live order
    assert modified.quantity == 7 and modified.limit_price == 141.0
    cancelled = await broker.cancel_order(order.key)
    assert cancelled.status == OrderStatus.CANCELLED
    assert gateway.brokerage.orders.open_orders() == []
    assert await broker.get_orders(OrderStatus.SUBMITTED) == []


async def test_limit_order_fills_when_the_market_crosses(broker: IBKRInsyncBroker, gateway: FakeGateway) -> None:
    gateway.brokerage.market.pin("AAPL", 150.0, spread=0.02)
    order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.SELL, quantity=3,
                                           order_type=OrderType.LIMIT, limit_price=151.0))
    gateway.brokerage.market.pin("AAPL", 152.0, spread=0.02)
    await wait_event(broker, "order", lambda e: e.data["key"] == order.key and e.data["status"] == "FILLED")
    assert [o.key for o in await broker.get_orders(OrderStatus.FILLED)] == [order.key]


async def test_stop_and_stop_limit_orders_are_accepted(broker: IBKRInsyncBroker, gateway: FakeGateway) -> None:
    gateway.brokerage.market.pin("AAPL", 150.0, spread=0.02)
    stop = await broker.place_order(Order(symbol="AAPL", side=OrderSide.SELL, quantity=1,
                                          order_type=OrderType.STOP, stop_price=140.0))
    stop_limit = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1,
                                                order_type=OrderType.STOP_LIMIT, stop_price=160.0,
                                                limit_price=161.0))
    assert {stop.status, stop_limit.status} == {OrderStatus.SUBMITTED}
    assert len(gateway.brokerage.orders.open_orders()) == 2


async def test_cancel_of_an_unknown_order_names_it(broker: IBKRInsyncBroker) -> None:
    with pytest.raises(UnknownOrder, match="no-such-key"):
        await broker.cancel_order("no-such-key")


async def test_market_price_is_the_live_price(broker: IBKRInsyncBroker, gateway: FakeGateway) -> None:
    gateway.brokerage.market.pin("AAPL", 123.45, spread=0.1)
    price = await broker.get_market_price("AAPL")
    assert price == pytest.approx(123.45, abs=0.06)


async def test_market_price_of_an_unknown_symbol_raises(broker: IBKRInsyncBroker) -> None:
    with pytest.raises((RequestFailed, MarketDataUnavailable)) as info:
        await broker.get_market_price("NOSUCHSYM")
    assert "200" in str(info.value)


async def test_market_price_refused_by_ib_raises_instead_of_guessing(make_broker: BrokerFactory) -> None:
    async with FakeGateway(unsubscribed_symbols=["AAPL"]) as gw:
        broker = await make_broker(gw)
        with pytest.raises(MarketDataUnavailable, match="354"):
            await broker.get_market_price("AAPL")


async def test_historical_bars_are_a_dataframe(broker: IBKRInsyncBroker) -> None:
    bars = await broker.get_historical_bars("AAPL", "1 D", "1 hour", "TRADES")
    assert isinstance(bars, pd.DataFrame) and len(bars) > 5
    assert list(bars.columns) == ["time", "open", "high", "low", "close", "volume"]
    assert (bars["high"] >= bars["low"]).all() and bars["time"].is_monotonic_increasing
    assert not any(math.isnan(v) for v in bars["close"])


async def test_validate_order_lists_every_reason(make_broker: BrokerFactory, gateway: FakeGateway) -> None:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    broker = await make_broker(gateway, max_order_quantity=50, max_notional=1_000, price_band=0.05,
                               allowed_symbols=["AAPL"])
    ok = await broker.validate_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=5))
    assert ok.ok and ok.reasons == ()
    bad = await broker.validate_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=60,
                                            order_type=OrderType.LIMIT, limit_price=120.0))
    assert not bad.ok
    text = " | ".join(bad.reasons)
    assert "max_order_quantity 50" in text and "max_notional" in text and "5.0% from last price 100" in text
    other = await broker.validate_order(Order(symbol="MSFT", side=OrderSide.BUY, quantity=1))
    assert other.reasons and "MSFT is not in allowed_symbols" in other.reasons[0]
    with pytest.raises(OrderRejected, match="max_order_quantity"):
        await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=60))
    assert gateway.brokerage.orders.open_orders() == [] and broker.journal.orders() == []


async def test_buying_power_and_order_rate_limits(make_broker: BrokerFactory, gateway: FakeGateway) -> None:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    broker = await make_broker(gateway, max_orders_per_second=2)
    verdict = await broker.validate_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1_000_000))
    assert any("buying power" in r for r in verdict.reasons)
    for _ in range(2):
        await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1,
                                       order_type=OrderType.LIMIT, limit_price=90.0))
    with pytest.raises(OrderRejected, match="max_orders_per_second"):
        await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1,
                                       order_type=OrderType.LIMIT, limit_price=90.0))


async def test_a_reused_idempotency_key_is_refused(broker: IBKRInsyncBroker, gateway: FakeGateway) -> None:
    order = Order(symbol="AAPL", side=OrderSide.BUY, quantity=1, order_type=OrderType.LIMIT, limit_price=90.0)
    await broker.place_order(order)
    with pytest.raises(OrderRejected, match="already used"):
        await broker.place_order(order)  # same idempotency key: never sent twice
    assert len(gateway.brokerage.orders.open_orders()) == 1


async def test_order_ids_are_distinct_and_monotonic(broker: IBKRInsyncBroker, gateway: FakeGateway) -> None:
    ids = []
    for _ in range(3):
        order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1,
                                               order_type=OrderType.LIMIT, limit_price=1.0))
        ids.append(order.order_id)
    assert ids == sorted(set(ids)) and broker.journal.order_id_high_water() == ids[-1]


async def test_metrics_expose_state_latency_and_orders(broker: IBKRInsyncBroker) -> None:
    await broker.get_market_price("AAPL")
    await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1))
    text = broker.metrics.expose().decode()
    assert 'ib_broker_state{state="ready"} 1.0' in text
    assert 'ib_broker_request_seconds_count{method="get_market_price"} 1.0' in text
    assert 'ib_broker_orders_total{outcome="placed"} 1.0' in text
    assert "ib_broker_uptime_seconds" in text
