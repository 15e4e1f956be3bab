"""What an order waits for on the gateway clock: its expiry, or the auction it executes in.

DAY orders expire at the contract's session close; GTD orders at their goodTillDate; MOC and LOC
orders execute in the closing auction (at the close price, LOC only if it is at or better than
the limit) and OPG orders in the next opening auction; whatever is not filled there is cancelled.
"""

from __future__ import annotations

from .matching import closing_price
from .order_model import Order
from .quote import Quote
from .session_times import next_close, next_open

AUCTION_TYPES = frozenset({"MOC", "LOC"})
TRIGGERED_TYPES = frozenset({"STP", "STP LMT", "MIT", "LIT", "TRAIL", "TRAIL LIMIT"})


def expiry_for(order: Order, now: float) -> float | None:
    """When the clock acts on the order: its close (DAY), goodTillDate (GTD), next open (OPG)."""
    if order.tif == "GTD":
        return order.good_till
    if order.tif == "DAY":
        return next_close(order.contract, now)
    if order.tif == "OPG":
        return next_open(order.contract, now)
    return None


def due_action(order: Order) -> str:
    """'open' (OPG), 'close' (DAY, MOC, LOC) or 'expire' (GTD)."""
    if order.tif == "OPG":
        return "open"
    return "close" if order.tif == "DAY" else "expire"


def run_auction(order: Order, quote: Quote) -> tuple[float, float] | None:
    """(quantity, price) an auction order gets, or None when it does not execute.

    The auction prints at the last trade (the midpoint with none); a limit (LOC, OPG LMT) takes
    part only when that price is at or better than the limit.
    """
    price = closing_price(quote)
    if price is None:
        return None
    if order.order_type in ("LOC", "LMT"):
        crosses = price <= order.lmt_price if order.is_buy else price >= order.lmt_price
        if not crosses:
            return None
    return order.remaining, price


class TimedOrders:
    """The open orders with a time (an expiry, an auction, a session opening), and the earliest of
    those times: the market path asks on every quote whether something is due, so the answer is O(1)."""

    def __init__(self) -> None:
        self._orders: dict[int, Order] = {}  # permId -> order
        self._earliest = float("inf")  # nothing is due before this (may be early, never late)

    def schedule(self, order: Order, now: float) -> None:
        """(Re)compute the order's expiry from its terms; an order without a time is dropped."""
        order.expires_at = expiry_for(order, now)
        self.track(order)

    def hold(self, order: Order, opens_at: float | None) -> None:
        """The order waits for its session to open at ``opens_at`` (None: it is open)."""
        order.opens_at = opens_at
        self.track(order)

    def track(self, order: Order) -> None:
        due = order.due_at
        if due is None:
            self._orders.pop(order.perm_id, None)
        else:
            self._orders[order.perm_id] = order
            self._earliest = min(self._earliest, due)

    def forget(self, order: Order) -> None:
        self._orders.pop(order.perm_id, None)

    def due(self, now: float) -> list[Order]:
        """The orders whose time has come, taken off the schedule (empty at once when none is);
        the caller tracks again those that still have a time."""
        if not self._orders or now < self._earliest:
            return []
        due = [o for o in self._orders.values() if (o.due_at or float("inf")) <= now]
        for order in due:
            self._orders.pop(order.perm_id, None)
        self._earliest = self.next_deadline() or float("inf")
        return due

    def next_deadline(self) -> float | None:
        """The earliest time something is due (for the gateway's timer), or None."""
        times = [t for t in (o.due_at for o in self._orders.values()) if t is not None]
        return min(times) if times else None
