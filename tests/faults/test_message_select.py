"""Message faults narrowed to one order, one contract or one request, as real ib_insync sees them."""

from __future__ import annotations

import asyncio

import pytest
from ib_insync import LimitOrder, Stock

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.faults import FaultSpecError, parse_fault_spec
from tests.faults.clients import connected
from tests.waiting import until


@pytest.fixture
async def pinned(gateway: FakeGateway) -> FakeGateway:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    gateway.brokerage.market.pin("MSFT", 400.0, spread=0.02)
    return gateway


async def test_order_status_of_one_order_is_lost_the_other_order_is_heard(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        first_id = client.ib.client._reqIdSeq  # the id the next placeOrder takes (ib_insync counts them)
        pinned.faults.inject({"kind": "drop_message", "message": "orderStatus", "order_id": first_id + 1})
        pinned.faults.inject({"kind": "drop_message", "message": "openOrder", "order_id": first_id + 1})
        kept = client.ib.placeOrder(aapl, LimitOrder("BUY", 1, 90.0))
        lost = client.ib.placeOrder(aapl, LimitOrder("BUY", 2, 90.0))
        assert lost.order.orderId == first_id + 1
        await until(lambda: kept.orderStatus.status == "Submitted", what="the first order's status")
        await asyncio.sleep(0.2)
        assert lost.orderStatus.status == "PendingSubmit"  # never heard, though the brokerage has it
        assert pinned.brokerage.orders.get(lost.order.orderId).status == "Submitted"
    dropped = pinned.events.of_kind("message_dropped")
    assert dropped and all(e.data["message"] in (3, 5) for e in dropped)


async def test_ticks_of_one_symbol_are_dropped_the_other_line_ticks(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        aapl, msft = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"),
                                                            Stock("MSFT", "SMART", "USD"))
        pinned.faults.inject({"kind": "drop_message", "message": "tickPrice", "symbol": "AAPL"})
        silent = client.ib.reqMktData(aapl)
        ticking = client.ib.reqMktData(msft)
        await until(lambda: ticking.bid == pytest.approx(399.99), what="MSFT bid")
        await asyncio.sleep(0.2)
        assert silent.bid != silent.bid or silent.bid in (-1, None)  # nan: no price reached the client


async def test_a_request_selected_by_req_id_on_the_way_in(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        next_req = client.ib.client._reqIdSeq
        pinned.faults.inject({"kind": "drop_message", "message": "reqMktData", "direction": "in",
                              "req_id": next_req})
        swallowed = client.ib.reqMktData(aapl)
        await asyncio.sleep(0.2)
        assert swallowed.bid != swallowed.bid  # nan: the gateway never saw the request
        client.ib.cancelMktData(aapl)
        again = client.ib.reqMktData(aapl)  # a new request id: it goes through
        await until(lambda: again.bid == pytest.approx(99.99), what="the next request's bid")


def test_selectors_are_checked_like_any_other_field() -> None:
    with pytest.raises(FaultSpecError, match="order_id"):
        parse_fault_spec({"kind": "drop_message", "message": "orderStatus", "order_id": "first"})
    spec = parse_fault_spec({"kind": "delay_message", "message": "tickPrice", "delay_ms": 5, "symbol": "AAPL"})
    assert spec.symbol == "AAPL"  # type: ignore[attr-defined]
