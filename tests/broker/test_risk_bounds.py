"""Risk checks that hold under a concurrent burst, and default bounds that stop absurd values
before they reach the journal or the gateway, each rejection naming its reason."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.broker import IBKRInsyncBroker, Order, OrderRejected, OrderSide, OrderType
from ib_harness.broker.settings import BrokerSettings, BrokerSettingsError
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory


def limit(side: OrderSide = OrderSide.BUY, quantity: float = 1, price: float = 90.0) -> Order:
    return Order(symbol="AAPL", side=side, quantity=quantity, order_type=OrderType.LIMIT, limit_price=price)


async def test_a_concurrent_burst_passes_max_orders_per_second_no_more_than_allowed(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, max_orders_per_second=3)
    await broker.get_market_price("AAPL")  # a live price: the check needs no request
    # the contract lookup awaits the gateway between the check and the send (as after a cache
    # eviction or a reconnect), which opened the window the whole burst went through
    broker.market.contracts.clear()
    results = await asyncio.gather(*(broker.place_order(limit()) for _ in range(8)), return_exceptions=True)
    placed = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, OrderRejected)]
    assert len(placed) == 3 and len(refused) == 5, results
    assert all("max_orders_per_second 3" in r.reason for r in refused)
    assert len(gateway.brokerage.orders.open_orders()) == 3


@pytest.mark.parametrize("order,reason", [
    (limit(quantity=1e-9), "quantity 1e-09 is below the minimum order quantity 0.0001"),
    (Order(symbol="AAPL", side=OrderSide.SELL, quantity=1e308), "quantity 1e+308 exceeds the maximum order quantity"),
    (limit(price=5e-324), "limit_price 4.94066e-324 is below the minimum price 1e-06"),
    (Order(symbol="AAPL", side=OrderSide.BUY, quantity=1, order_type=OrderType.STOP, stop_price=float("inf")),
     "stop_price inf is not a finite number"),
])
async def test_absurd_values_are_refused_with_their_reason_before_the_journal(
        gateway: FakeGateway, broker: IBKRInsyncBroker, order: Order, reason: str) -> None:
    with pytest.raises(OrderRejected) as refused:
        await broker.place_order(order)
    assert reason in refused.value.reason
    assert broker.journal.order(order.key) is None  # never journaled, never sent
    assert gateway.brokerage.orders.open_orders() == []


async def test_a_modify_to_absurd_values_is_refused_before_the_send(gateway: FakeGateway,
                                                                    broker: IBKRInsyncBroker) -> None:
    order = await broker.place_order(limit(quantity=2))
    with pytest.raises(OrderRejected, match="quantity 1e\\+308 exceeds the maximum order quantity"):
        await broker.modify_order(order.key, quantity=1e308)
    with pytest.raises(OrderRejected, match="limit_price 1e-09 is below the minimum price"):
        await broker.modify_order(order.key, limit_price=1e-9)
    assert not any(d.startswith("modify") for _, _, d in broker.journal.order_events(order.key))
    [live] = gateway.brokerage.orders.open_orders()
    assert (live.total_quantity, live.lmt_price) == (2, 90.0)


@pytest.mark.parametrize("name,value", [("order_quantity_range", (5.0, 1.0)), ("order_price_range", (0.0, 10.0)),
                                        ("order_price_range", (1.0, float("inf")))])
def test_a_bad_bound_setting_is_refused_by_name(name: str, value: tuple[float, float]) -> None:
    with pytest.raises(BrokerSettingsError, match=name):
        BrokerSettings.load(**{name: value})
