"""Pre-trade risk checks: every placement passes validate_order, each rejection names its reason."""

from __future__ import annotations

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
        reasons: list[str] = []
        if s.allowed_symbols is not None and order.symbol not in s.allowed_symbols:
            reasons.append(f"symbol {order.symbol} is not in allowed_symbols")
        if s.max_order_quantity is not None and order.quantity > s.max_order_quantity:
            reasons.append(f"quantity {order.quantity:g} exceeds max_order_quantity {s.max_order_quantity:g}")
        price = _reference_price(order, last_price)
        if price is not None:
            notional = price * order.quantity
            if s.max_notional is not None and notional > s.max_notional:
                reasons.append(f"notional {notional:,.2f} exceeds max_notional {s.max_notional:,.2f}")
            if s.check_buying_power and order.side.value == "BUY" and buying_power is not None \
                    and notional > buying_power:
                reasons.append(f"notional {notional:,.2f} exceeds buying power {buying_power:,.2f}")
        elif s.max_notional is not None or s.check_buying_power:
            reasons.append("no price to check notional against (no last price and no limit)")
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

    def record_placement(self) -> None:
        self._recent.append(self._clock())


def _reference_price(order: Order, last_price: float | None) -> float | None:
    if order.order_type in (OrderType.LIMIT, OrderType.STOP_LIMIT):
        return order.limit_price
    if order.order_type == OrderType.STOP:
        return order.stop_price
    return last_price
