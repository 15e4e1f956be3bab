"""placeOrder requests as the decoder hands them to the book, and a recorder of brokerage events."""

from __future__ import annotations

from typing import Any

from ib_harness.fake_gateway.state.brokerage import Brokerage
from ib_harness.fake_gateway.wire.fields import UNSET_DOUBLE

AAPL = 265598
EURUSD = 12087792
ES = 495512563
STOCK = {"symbol": "AAPL", "secType": "STK", "exchange": "SMART", "currency": "USD"}


def order(order_id: int, action: str = "BUY", quantity: float = 100, order_type: str = "MKT",
          lmt: float = UNSET_DOUBLE, aux: float = UNSET_DOUBLE, tif: str = "", **more: Any) -> dict[str, Any]:
    """A placeOrder request as the decoder hands it to the book."""
    values = {"orderId": order_id, "contract": dict(STOCK), "action": action, "totalQuantity": quantity,
              "orderType": order_type, "lmtPrice": lmt, "auxPrice": aux, "tif": tif, "account": "",
              "orderRef": "", "triggerMethod": 0}
    values.update(more)
    return values


class Recorder:
    """Brokerage events as (name, status, filled) so later mutations do not rewrite history."""

    def __init__(self, brokerage: Brokerage) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        brokerage.events.subscribe(self)

    def __call__(self, event: str, payload: dict[str, Any]) -> None:
        snapshot = dict(payload)
        if "order" in payload:
            snapshot["status"] = payload["order"].status
            snapshot["filled"] = payload["order"].filled
        self.events.append((event, snapshot))

    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def statuses(self) -> list[tuple[str, float]]:
        return [(p["status"], p["filled"]) for name, p in self.events if name == "order_updated"]
