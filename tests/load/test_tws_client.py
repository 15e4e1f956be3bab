"""TwsConnection (the Locust TWS user's blocking socket client) against the real fake gateway."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.load.tws_client import ORDER_CANCELLED, TwsConnection, TwsError


def round_trip(host: str, port: int) -> dict[str, object]:
    connection = TwsConnection(host, port, client_id=41)
    try:
        time_frames = connection.request("reqCurrentTime", {"version": 1}, "currentTime")
        positions = connection.request("reqPositions", {"version": 1}, "positionEnd")
        order_id = connection.next_order_id
        connection.request("placeOrder", {"orderId": order_id, "symbol": "AAPL", "secType": "STK", "exchange": "SMART",
                                          "currency": "USD", "action": "BUY", "totalQuantity": "2", "orderType": "LMT",
                                          "lmtPrice": "1", "tif": "DAY", "orderRef": "tws-test", "transmit": True},
                           "orderStatus", req_id=order_id, where=lambda s: s["orderId"] == order_id)
        connection.request("cancelOrder", {"version": 1, "orderId": order_id}, "orderStatus", req_id=order_id,
                           where=lambda s: s["orderId"] == order_id and s["status"] == "Cancelled",
                           expected_codes=frozenset({ORDER_CANCELLED}))
        with pytest.raises(TwsError, match="IB error 200"):
            connection.request("reqContractDetails", {"version": 8, "reqId": 5, "symbol": "NOSUCH", "secType": "STK",
                                                      "exchange": "SMART", "currency": "USD"},
                               "contractDataEnd", req_id=5)
        return {"time": time_frames[-1], "positions": len(positions), "order_id": order_id,
                "version": connection.version}
    finally:
        connection.close()


async def test_requests_orders_and_errors_over_a_plain_socket(gateway: FakeGateway) -> None:
    result = await asyncio.to_thread(round_trip, gateway.host, gateway.port)
    assert result["version"] == 176 and result["time"][0] == "49"
    assert result["positions"] == 1 + sum(len(a.positions) for a in gateway.brokerage.accounts.values())  # each, then positionEnd
    [order] = gateway.brokerage.orders.orders.values()
    assert (order.order_id, order.order_ref, order.status, order.client_id) == (result["order_id"], "tws-test",
                                                                                 "Cancelled", 41)


def connect_twice(host: str, port: int) -> str:
    first = TwsConnection(host, port, client_id=5)
    try:
        TwsConnection(host, port, client_id=5)
    except TwsError as exc:
        return f"{exc.code}"
    finally:
        first.close()
    return "connected twice"


async def test_a_client_id_in_use_raises_326(gateway: FakeGateway) -> None:
    assert await asyncio.to_thread(connect_twice, gateway.host, gateway.port) == "326"


async def test_the_round_trip_on_a_weekend_at_ibs_hours() -> None:
    """`ib-harness gateway` trades only in IB's sessions: on a Saturday the order is held (399,
    a warning) and the cancel still ends it; the load user must not count the warning as a failure."""
    from datetime import datetime
    from zoneinfo import ZoneInfo
    saturday = datetime(2026, 12, 5, 11, 0, tzinfo=ZoneInfo("US/Eastern")).timestamp()
    start = asyncio.get_running_loop().time()
    async with FakeGateway(market_hours="exchange", market_ticker=False,
                           clock=lambda: saturday + asyncio.get_running_loop().time() - start) as gateway:
        result = await asyncio.to_thread(round_trip, gateway.host, gateway.port)
        [order] = gateway.brokerage.orders.orders.values()
        assert order.order_id == result["order_id"] and order.status == "Cancelled"
