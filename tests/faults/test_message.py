"""Message faults (drop, delay, duplicate, reorder, corrupt; in and out) as real clients see them."""

from __future__ import annotations

import asyncio

import pytest
from ib_insync import LimitOrder, Stock

from ib_harness.fake_gateway import FakeGateway
from tests.conftest import served
from tests.faults.clients import answers, connected, raw_ready
from tests.waiting import until


@pytest.fixture
async def pinned(gateway: FakeGateway) -> FakeGateway:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    return gateway


async def test_inbound_place_order_swallowed_before_the_brokerage(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as lost, connected(pinned, 2) as other:
        pinned.faults.inject({"kind": "drop_message", "client_id": 1, "message": "placeOrder",
                              "direction": "in", "count": 1})
        [aapl] = await lost.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trade = lost.ib.placeOrder(aapl, LimitOrder("BUY", 1, 90.0))
        await asyncio.sleep(0.2)
        assert trade.orderStatus.status == "PendingSubmit"  # never acknowledged
        assert pinned.brokerage.orders.get(trade.order.orderId) is None  # the brokerage never saw it
        second = lost.ib.placeOrder(aapl, LimitOrder("BUY", 1, 90.0))  # count 1: the next one goes through
        await until(lambda: second.orderStatus.status == "Submitted", what="the second order")
        [aapl2] = await other.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        other_trade = other.ib.placeOrder(aapl2, LimitOrder("BUY", 1, 90.0))
        await until(lambda: other_trade.orderStatus.status == "Submitted", what="the other client's order")


async def test_acknowledgement_lost_after_the_brokerage_took_the_order(pinned: FakeGateway) -> None:
    """The send-interrupted case: the order fills, but this client hears nothing of it."""
    async with connected(pinned, 1) as client:
        handles = [pinned.faults.inject({"kind": "drop_message", "client_id": 1, "message": message})
                   for message in ("openOrder", "orderStatus", "execDetails", "commissionReport")]
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trade = client.ib.placeOrder(aapl, LimitOrder("BUY", 1, 101.0))
        await until(lambda: pinned.brokerage.orders.get(trade.order.orderId) is not None
                    and pinned.brokerage.orders.get(trade.order.orderId).status == "Filled", what="the fill")
        await asyncio.sleep(0.1)
        assert trade.orderStatus.status == "PendingSubmit" and not trade.fills
    pinned.faults.stop_all()
    assert all(h.stopped_at is not None for h in handles)
    async with connected(pinned, 1) as again:  # the startup sync finds the fill
        assert [f.execution.orderId for f in again.ib.fills()] == [trade.order.orderId]


async def test_duplicate_exec_details_are_deduplicated_by_ib_insync(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        pinned.faults.inject({"kind": "duplicate_message", "message": "execDetails", "client_id": 1})
        fills = []
        client.ib.execDetailsEvent += lambda trade, fill: fills.append(fill)
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trade = client.ib.placeOrder(aapl, LimitOrder("BUY", 1, 101.0))
        await until(lambda: trade.orderStatus.status == "Filled", what="the fill")
        assert await answers(client.ib)
        assert len(fills) == 1 and len(trade.fills) == 1  # the second copy (same execId) is ignored
    duplicated = pinned.events.of_kind("message_duplicated")
    assert [e.data["message"] for e in duplicated] == [11]


async def test_inbound_duplicate_place_order_is_one_order(pinned: FakeGateway) -> None:
    """A placeOrder that arrives twice carries the same id: IB takes the second as a modify."""
    async with connected(pinned, 1) as client:
        pinned.faults.inject({"kind": "duplicate_message", "message": "placeOrder", "direction": "in", "count": 1})
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trade = client.ib.placeOrder(aapl, LimitOrder("BUY", 1, 90.0))
        await until(lambda: trade.orderStatus.status == "Submitted", what="the order")
        assert await answers(client.ib)
        assert len(pinned.brokerage.orders.open_orders()) == 1 and client.codes() == [2104] * 7 + [2106] * 3 + [2158]
    [duplicated] = pinned.events.of_kind("message_duplicated")
    assert duplicated.data["direction"] == "in" and duplicated.data["message"] == 3


async def test_delayed_order_status_is_overtaken(pinned: FakeGateway) -> None:
    async with connected(pinned, 1) as client:
        handle = pinned.faults.inject({"kind": "delay_message", "message": "orderStatus", "delay_ms": 1000})
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trade = client.ib.placeOrder(aapl, LimitOrder("BUY", 1, 90.0))
        await until(lambda: trade.isActive() and trade.order.permId != 0, what="the openOrder")
        assert await answers(client.ib)  # currentTime overtakes the delayed status
        assert trade.orderStatus.status == "PendingSubmit"
        await until(lambda: trade.orderStatus.status == "Submitted", timeout=3, what="the late orderStatus")
        handle.stop()


async def test_inbound_delay(gateway: FakeGateway) -> None:
    client = await raw_ready(gateway, 1)
    gateway.faults.inject({"kind": "delay_message", "message": "reqCurrentTime", "direction": "in", "delay_ms": 300})
    client.send(["49", "1"])
    client.send(["61", "1"])
    assert (await client.read())[0] == "62"  # positionEnd overtakes the delayed request's answer
    assert (await client.read())[0] == "49"
    await client.close()


@pytest.mark.parametrize("direction", ["out", "in"])
async def test_reorder_swaps_with_the_next_message(gateway: FakeGateway, direction: str) -> None:
    client = await raw_ready(gateway, 1)
    message = "currentTime" if direction == "out" else "reqCurrentTime"
    handle = gateway.faults.inject({"kind": "reorder_message", "message": message, "direction": direction, "count": 1})
    client.send(["49", "1"])
    client.send(["8", "1", "1"])
    first, second = await client.read(), await client.read()
    assert (first[0], second[0]) == ("9", "49")
    assert handle.stopped_at is not None
    assert await served(client)
    await client.close()


async def test_corrupt_outbound_field_reaches_the_client(gateway: FakeGateway) -> None:
    client = await raw_ready(gateway, 1)
    gateway.faults.inject({"kind": "corrupt_field", "message": "currentTime", "field": 2, "seed": 4, "count": 1})
    client.send(["49", "1"])
    frame = await client.read()
    assert frame[:2] == ["49", "1"] and not frame[2].isdigit()
    assert await served(client)  # count 1: the next one is intact
    await client.close()


async def test_corrupt_outbound_field_seen_by_ib_insync(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as client, connected(gateway, 2) as other:
        gateway.faults.inject({"kind": "corrupt_field", "client_id": 1, "message": "currentTime", "field": 2})
        assert not await answers(client.ib, 0.3)  # ib_insync cannot decode it; the request times out
        assert client.ib.isConnected() and await answers(other.ib)


async def test_corrupt_inbound_field_gets_ibs_error(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as client:
        gateway.faults.inject({"kind": "corrupt_field", "message": "reqContractDetails", "direction": "in",
                               "field": 2, "count": 1})
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD")), 0.5)
        assert 320 in client.codes()
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        assert aapl.conId == 265598



async def test_frames_after_a_message_fault_ends_mid_batch_are_not_lost() -> None:
    """A bulk reply (send_rows) holds the session's write route; when the fault ends inside it
    (the count is reached), every later row of that batch still goes out."""
    from ib_harness.fake_gateway import FakeGateway
    from tests.faults.clients import raw_ready

    async with FakeGateway(market_ticker=False) as gateway:
        client = await raw_ready(gateway, 1)
        handle = gateway.faults.inject({"kind": "drop_message", "message": "accountSummary", "count": 2})
        client.send(["62", "1", "7", "All", "NetLiquidation,TotalCashValue,BuyingPower,AvailableFunds"])
        frames = []
        while not frames or frames[-1][0] != "64":  # accountSummaryEnd
            frames.append(await client.read())
        assert [frame[0] for frame in frames] == ["63"] * 2 + ["64"]  # 4 rows, the first 2 dropped
        assert not handle.active
        await client.close()
