"""Typed models the broker speaks in, independent of ib_insync's classes.

The application never sees an ib_insync object: these models are what BaseBroker promises, so a
second implementation (or a replay) can return the same shapes.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class OrderSide(str, Enum):
    BUY = "BUY"
    SELL = "SELL"


class OrderType(str, Enum):
    MARKET = "MARKET"
    LIMIT = "LIMIT"
    STOP = "STOP"
    STOP_LIMIT = "STOP_LIMIT"


class OrderStatus(str, Enum):
    """The broker's order lifecycle; IB's statuses map onto it (see ``from_ib``)."""

    PENDING = "PENDING"          # journaled, not confirmed by IB: in flight, or sent and unconfirmed
    SUBMITTED = "SUBMITTED"      # PreSubmitted / Submitted / ApiPending
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    FILLED = "FILLED"
    CANCELLED = "CANCELLED"      # Cancelled / ApiCancelled / PendingCancel acknowledged
    REJECTED = "REJECTED"        # Inactive or a rejection error
    NOT_SENT = "NOT_SENT"        # proved never received: 3 complete answers over order_absent_after lacked it

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES

    @classmethod
    def from_ib(cls, status: str, filled: float = 0.0, remaining: float = 0.0) -> "OrderStatus":
        if status == "Filled":
            return cls.FILLED
        if status in ("Cancelled", "ApiCancelled"):
            return cls.CANCELLED
        if status == "Inactive":
            return cls.REJECTED
        if status in ("PreSubmitted", "Submitted", "PendingCancel", "ApiPending"):
            return cls.PARTIALLY_FILLED if filled > 0 and remaining > 0 else cls.SUBMITTED
        return cls.PENDING


TERMINAL_STATUSES = frozenset({OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.REJECTED,
                               OrderStatus.NOT_SENT})


# Every key the broker makes starts with this; reconcile adopts any order at the gateway whose
# orderRef does (give your own keys the prefix to have them adopted too).
BROKER_KEY_PREFIX = "ibh-"
# Keys minted by this process carry its tag: such a key cannot be at the gateway before this
# process sends it, so placing it needs no look-up there (a caller's own key does).
_minted_here = BROKER_KEY_PREFIX + uuid.uuid4().hex[:8] + "-"


def new_order_key() -> str:
    """A client-generated idempotency key; travels to IB in orderRef."""
    return _minted_here + uuid.uuid4().hex


def minted_here(key: str) -> bool:
    """True for a key new_order_key made in this process (never sent before this process sent it)."""
    return key.startswith(_minted_here)


def renew_key_tag() -> None:
    """Draw this process's key tag again, from ``uuid.uuid4()``: a replay harness that seeds uuid4
    calls it as each replay starts against a new gateway, so the same scenario mints the same keys
    in any process (the tag drawn at import differs from one process to the next)."""
    global _minted_here
    _minted_here = BROKER_KEY_PREFIX + uuid.uuid4().hex[:8] + "-"


class Order(BaseModel):
    """An order as the application asks for it and as the broker reports it back."""

    model_config = ConfigDict(validate_assignment=True)

    symbol: str = Field(min_length=1)
    side: OrderSide
    quantity: float = Field(gt=0)
    order_type: OrderType = OrderType.MARKET
    limit_price: float | None = Field(default=None, gt=0)
    stop_price: float | None = Field(default=None, gt=0)
    tif: str = "DAY"
    key: str = Field(default_factory=new_order_key, min_length=1, max_length=60)
    order_id: int | None = None
    perm_id: int | None = None
    status: OrderStatus = OrderStatus.PENDING
    filled: float = 0.0
    avg_fill_price: float | None = None

    @model_validator(mode="after")
    def _prices_match_type(self) -> "Order":
        needs_limit = self.order_type in (OrderType.LIMIT, OrderType.STOP_LIMIT)
        needs_stop = self.order_type in (OrderType.STOP, OrderType.STOP_LIMIT)
        if needs_limit and self.limit_price is None:
            raise ValueError(f"limit_price is required for a {self.order_type.value} order")
        if needs_stop and self.stop_price is None:
            raise ValueError(f"stop_price is required for a {self.order_type.value} order")
        return self


class Position(BaseModel):
    account: str
    symbol: str
    quantity: float
    avg_cost: float


class Account(BaseModel):
    account_id: str
    net_liquidation: float | None = None
    total_cash: float | None = None
    buying_power: float | None = None
    available_funds: float | None = None
    currency: str = "USD"
    values: dict[str, str] = Field(default_factory=dict)
    stale: bool = False


class Bar(BaseModel):
    time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float
