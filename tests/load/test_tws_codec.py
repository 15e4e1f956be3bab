"""The TWS user's requests are laid out by the gateway's own table: the gateway decodes each one
exactly (no field left over) at every version gate, placeOrder included."""

from __future__ import annotations

import pytest

from ib_harness.fake_gateway.wire.table import INCOMING
from ib_harness.load.tws_codec import BY_NAME, request_fields

ORDER = {"orderId": 7, "symbol": "AAPL", "secType": "STK", "exchange": "SMART", "currency": "USD", "action": "BUY",
         "totalQuantity": "3", "orderType": "LMT", "lmtPrice": "101.5", "tif": "DAY", "orderRef": "k-1",
         "transmit": True}


@pytest.mark.parametrize("version", [157, 163, 176, 187, 192, 200])
def test_place_order_round_trips_through_the_gateway_decoder(version: int) -> None:
    fields = request_fields("placeOrder", version, ORDER)
    decoded = INCOMING[3].decode(fields, version, exact=True)
    assert (decoded["orderId"], decoded["contract"]["symbol"], decoded["action"], decoded["totalQuantity"],
            decoded["orderType"], decoded["lmtPrice"], decoded["orderRef"], decoded["transmit"]) == \
        (7, "AAPL", "BUY", 3.0, "LMT", 101.5, "k-1", True)


@pytest.mark.parametrize("version", [157, 176, 200])
@pytest.mark.parametrize("name, values", [
    ("reqCurrentTime", {"version": 1}),
    ("reqAccountSummary", {"version": 1, "reqId": 4, "groupName": "All", "tags": "NetLiquidation"}),
    ("cancelOrder", {"version": 1, "orderId": 9}),
    ("reqExecutions", {"version": 3, "reqId": 2}),
])
def test_slot_requests_decode_exactly(name: str, values: dict[str, object], version: int) -> None:
    spec = BY_NAME[name]
    decoded = spec.decode(request_fields(name, version, values), version, exact=True)
    assert all(decoded[k] == v for k, v in values.items() if k in decoded and k != "version")


def test_an_unknown_request_is_named() -> None:
    with pytest.raises(KeyError, match="reqNothing"):
        request_fields("reqNothing", 176, {})
