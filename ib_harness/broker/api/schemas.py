"""Request and response schemas of the HTTP API: what the OpenAPI document promises.

Responses reuse the broker's own models (Order, Position, Account), so the API cannot drift
from what the broker returns; only the shapes the broker has no model for are defined here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..journal import FillRecord, OrderRecord
from ..models import Bar, Order, OrderSide, OrderType
from ..supervision import BrokerState

SYMBOL_PATTERN = r"^[A-Z0-9][A-Z0-9.]{0,11}$"
# IB's duration strings ("30 D", "3600 S") and the bar sizes reqHistoricalData accepts.
DURATION_PATTERN = r"^[1-9][0-9]{0,5} [SDWMY]$"
# IB's ceilings per unit (error 321 beyond them: "... must be made in years"), at least 30 S, and a
# ceiling on years of our own: IB documents none, its history holds less, and 9999 Y crashed a
# gateway session (the broker reconnected; every other client got 503 meanwhile).
DURATION_LIMITS = {"S": (30, 86400), "D": (1, 365), "W": (1, 52), "M": (1, 12), "Y": (1, 50)}
# Prices and sizes: finite (JSON as Python parses it takes Infinity and NaN), and far below
# IB's UNSET_DOUBLE (1.8e308, "no value" on the wire). No instrument trades near 1e9 a unit.
MAX_PRICE = 1e9
MAX_QUANTITY = 1e9
BarSize = Literal["1 secs", "5 secs", "10 secs", "15 secs", "30 secs", "1 min", "2 mins", "3 mins", "5 mins",
                  "10 mins", "15 mins", "20 mins", "30 mins", "1 hour", "2 hours", "3 hours", "4 hours",
                  "8 hours", "1 day", "1 week", "1 month"]


def within_ib_duration_limits(duration: str) -> str:
    """A duration IB accepts for the unit given (the pattern has already checked the form)."""
    count, unit = int(duration.split()[0]), duration.split()[1]
    low, high = DURATION_LIMITS[unit]
    if not low <= count <= high:
        raise ValueError(f"{duration!r} is outside IB's limits for {unit}: {low}..{high} {unit}"
                         + ("; longer spans must be given in years" if unit in "DWM" else ""))
    return duration


class OrderRequest(BaseModel):
    """POST /orders body; the idempotency key travels in the Idempotency-Key header."""

    model_config = ConfigDict(extra="forbid")

    symbol: str = Field(pattern=SYMBOL_PATTERN, examples=["AAPL"])
    side: OrderSide
    quantity: float = Field(gt=0, le=MAX_QUANTITY, allow_inf_nan=False, examples=[10])
    order_type: OrderType = OrderType.LIMIT
    limit_price: float | None = Field(None, gt=0, le=MAX_PRICE, allow_inf_nan=False)
    stop_price: float | None = Field(None, gt=0, le=MAX_PRICE, allow_inf_nan=False)
    tif: str = Field("DAY", pattern=r"^(DAY|GTC|IOC)$")

    @model_validator(mode="after")
    def _prices_match_type(self) -> "OrderRequest":
        if self.order_type in (OrderType.LIMIT, OrderType.STOP_LIMIT) and self.limit_price is None:
            raise ValueError(f"limit_price is required for a {self.order_type.value} order")
        if self.order_type in (OrderType.STOP, OrderType.STOP_LIMIT) and self.stop_price is None:
            raise ValueError(f"stop_price is required for a {self.order_type.value} order")
        return self

    def to_order(self, key: str) -> Order:
        return Order(key=key, **self.model_dump())

    def differences(self, order: Order) -> list[str]:
        """What differs from an order already placed under the same key (empty: the same order).
        Every field of the request is compared (a hand-kept list once left ``tif`` out)."""
        return [f"{name} {getattr(self, name)!r} != {getattr(order, name)!r} (first request)"
                for name in type(self).model_fields if getattr(self, name) != getattr(order, name)]


class ErrorDetail(BaseModel):
    field: str = Field(description="where the problem is, e.g. body.quantity or header.Idempotency-Key")
    message: str


class ErrorBody(BaseModel):
    detail: str
    errors: list[ErrorDetail] = Field(default_factory=list)
    state: BrokerState | None = None


class RiskRejection(BaseModel):
    detail: str
    reasons: list[str]
    errors: list[ErrorDetail] = Field(default_factory=list, description="each reason with the field it is about")
    code: int | None = Field(None, description="IB's error code when IB refused the order")


class MarketDataHealth(BaseModel):
    fresh: bool
    farms_down: list[str]
    age_seconds: dict[str, float | None] = Field(description="seconds since each subscribed symbol last ticked")


class Health(BaseModel):
    ready: bool
    state: BrokerState
    state_cause: str
    state_since: float
    uptime_seconds: float = Field(description="seconds since the API started")
    ready_for_seconds: float | None = Field(description="seconds since the broker became ready, if it is")
    last_error: str | None
    reconnects: int
    account_fresh: bool
    market_data: MarketDataHealth


class Price(BaseModel):
    symbol: str
    price: float
    at: float = Field(description="server time of the answer (epoch seconds)")


class Bars(BaseModel):
    symbol: str
    duration: str
    bar_size: str
    bars: list[Bar]


class Journal(BaseModel):
    """The broker's order journal as it stands: what an audit compares with the gateway's book."""

    orders: list[OrderRecord]
    fills: list[FillRecord]
