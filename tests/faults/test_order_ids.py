"""order_id_rollback: nextValidId goes back on its own (no restart); a real ib_insync client that
reconnects trusts it, reuses an id and gets 103, as in Lean.Brokerages.IB#242. (ib_insync moves its
id counter past every openOrder it hears, so only ids of orders no longer open are reused.)"""

from __future__ import annotations

import pytest
from ib_insync import LimitOrder, Stock

from ib_harness.fake_gateway import FakeGateway
from tests.faults.clients import connected
from tests.waiting import until


@pytest.fixture
async def pinned(gateway: FakeGateway) -> FakeGateway:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    return gateway


async def test_a_client_that_reconnects_after_the_rollback_reuses_an_id_and_gets_103(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trades = [client.ib.placeOrder(aapl, LimitOrder("BUY", 1, 90.0)) for _ in range(5)]
        await until(lambda: all(t.orderStatus.status == "Submitted" for t in trades), what="five orders")
        for trade in trades:
            client.ib.cancelOrder(trade.order)
        await until(lambda: all(t.orderStatus.status == "Cancelled" for t in trades), what="five cancels")
        used = [t.order.orderId for t in trades]
    handle = pinned.faults.inject({"kind": "order_id_rollback", "by": 5})
    assert handle.stopped_at is not None  # one-shot: it only arms the next nextValidId
    [event] = pinned.events.of_kind("order_id_rollback")
    assert event.data == {"by": 5}
    async with connected(pinned, 1) as again:  # told nextValidId = max(used) - 5; its startup sync takes a few ids
        assert again.ib.client._reqIdSeq <= max(used)
        [aapl] = await again.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trade = again.ib.placeOrder(aapl, LimitOrder("SELL", 1, 120.0))
        await until(lambda: 103 in again.codes(), what="103 Duplicate order id")
        assert trade.order.orderId in used
    async with connected(pinned, 2) as later:  # only the next nextValidId was rolled back
        assert later.ib.client._reqIdSeq > max(used)


async def test_without_the_fault_the_next_client_gets_a_fresh_id(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trade = client.ib.placeOrder(aapl, LimitOrder("BUY", 1, 90.0))
        await until(lambda: trade.orderStatus.status == "Submitted", what="the order")
    async with connected(pinned, 1) as again:
        assert again.ib.client._reqIdSeq > trade.order.orderId
