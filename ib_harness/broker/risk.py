"""Pre-trade risk checks: every placement passes them, each rejection names its reason.

``check`` only reads (validate_order, a dry run); ``admit`` checks and, when the order passes,
counts it against max_orders_per_second in the same synchronous call, so a concurrent burst can
never pass the rate check before any of it is counted. The sanity bounds
(order_quantity_range, order_price_range, finite numbers) hold whatever limits are configured.
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

from .models import Order, OrderType
from .settings import BrokerSettings


@dataclass(frozen=True)
class RiskVerdict:
    ok: bool
    reasons: tuple[str, ...] = ()


class RiskChecker:
    def __init__(self, settings: BrokerSettings, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._recent: deque[float] = deque()

    def check(self, order: Order, last_price: float | None, buying_power: float | None) -> RiskVerdict:
        """All limits at once, so a caller sees every reason, not just the first."""
        s = self.settings
        reasons = self.term_reasons(order.quantity, order.limit_price, order.stop_price)
        if s.allowed_symbols is not None and order.symbol not in s.allowed_symbols:
            reasons.append(f"symbol {order.symbol} is not in allowed_symbols")
        price = _reference_price(order, last_price)
        if price is None:
            if s.max_notional is not None or s.check_buying_power:
                reasons.append("no price to check notional against (no last price and no limit)")
        elif math.isfinite(price * order.quantity):  # not finite: the bounds above said why
            notional = price * order.quantity
            if s.max_notional is not None and notional > s.max_notional:
                reasons.append(f"notional {notional:,.2f} exceeds max_notional {s.max_notional:,.2f}")
            if s.check_buying_power and order.side.value == "BUY" and buying_power is not None \
                    and notional > buying_power:
                reasons.append(f"notional {notional:,.2f} exceeds buying power {buying_power:,.2f}")
        if s.price_band is not None and last_price:
            for label, value in (("limit_price", order.limit_price), ("stop_price", order.stop_price)):
                if value is not None and abs(value - last_price) / last_price > s.price_band:
                    reasons.append(f"{label} {value:g} is more than {s.price_band:.1%} from last price "
                                   f"{last_price:g}")
        if s.max_orders_per_second is not None:
            now = self._clock()
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= s.max_orders_per_second:
                reasons.append(f"order rate above max_orders_per_second {s.max_orders_per_second:g}")
        return RiskVerdict(not reasons, tuple(reasons))

    def admit(self, order: Order, last_price: float | None, buying_power: float | None) -> RiskVerdict:
        """``check``, and count the order against the rate limit when it passes (one step, no await)."""
        verdict = self.check(order, last_price, buying_power)
        if verdict.ok:
            self._recent.append(self._clock())
        return verdict

    def term_reasons(self, quantity: float | None, limit_price: float | None,
                     stop_price: float | None) -> list[str]:
        """The sanity bounds and max_order_quantity on an order's (or a modify's) terms."""
        s = self.settings
        reasons: list[str] = []
        low, high = s.order_quantity_range
        if quantity is not None:
            if not math.isfinite(quantity):
                reasons.append(f"quantity {quantity:g} is not a finite number")
            elif quantity < low:
                reasons.append(f"quantity {quantity:g} is below the minimum order quantity {low:g} (order_quantity_range)")
            elif quantity > high:
                reasons.append(f"quantity {quantity:g} exceeds the maximum order quantity {high:g} (order_quantity_range)")
            if s.max_order_quantity is not None and quantity > s.max_order_quantity:
                reasons.append(f"quantity {quantity:g} exceeds max_order_quantity {s.max_order_quantity:g}")
        low, high = s.order_price_range
        for label, value in (("limit_price", limit_price), ("stop_price", stop_price)):
            if value is None:
                continue
            if not math.isfinite(value):
                reasons.append(f"{label} {value:g} is not a finite number")
            elif value < low:
                reasons.append(f"{label} {value:g} is below the minimum price {low:g} (order_price_range)")
            elif value > high:
                reasons.append(f"{label} {value:g} exceeds the maximum price {high:g} (order_price_range)")
        return reasons


def _reference_price(order: Order, last_price: float | None) -> float | None:
    if order.order_type in (OrderType.LIMIT, OrderType.STOP_LIMIT):
        return order.limit_price
    if order.order_type == OrderType.STOP:
        return order.stop_price
    return last_price
