"""The broker interface the application codes against; IBKRInsyncBroker is one implementation."""

from __future__ import annotations

from abc import ABC, abstractmethod

import pandas as pd

from .models import Account, Order, OrderStatus, Position
from .risk import RiskVerdict


class BaseBroker(ABC):
    """Async broker. Every method raises a BrokerError subclass instead of answering with data
    that could be mistaken for the truth (an empty list when the query failed, a stale price)."""

    @abstractmethod
    async def connect(self, timeout: float | None = None) -> None:
        """Start supervising the connection and wait until ready."""

    @abstractmethod
    async def disconnect(self) -> None:
        """Stop for good: close the connection, cancel every task, fail pending calls."""

    @abstractmethod
    def is_connected(self) -> bool:
        """True while a synced API session is up (ready or degraded)."""

    @abstractmethod
    async def get_account(self) -> Account: ...

    @abstractmethod
    async def get_positions(self) -> list[Position]: ...

    @abstractmethod
    async def place_order(self, order: Order) -> Order:
        """Risk-check, journal, send and wait for the gateway's acknowledgement."""

    @abstractmethod
    async def cancel_order(self, ref: str | int) -> Order:
        """Cancel by idempotency key or order id; returns the final state."""

    @abstractmethod
    async def modify_order(self, ref: str | int, *, quantity: float | None = None,
                           limit_price: float | None = None, stop_price: float | None = None) -> Order: ...

    @abstractmethod
    async def get_orders(self, status: OrderStatus | None = None) -> list[Order]: ...

    @abstractmethod
    async def get_market_price(self, symbol: str) -> float: ...

    @abstractmethod
    async def get_historical_bars(self, symbol: str, duration: str = "1 D", bar_size: str = "5 mins",
                                  what_to_show: str = "TRADES") -> pd.DataFrame:
        """Columns time, open, high, low, close, volume (one row per bar, oldest first)."""

    @abstractmethod
    async def validate_order(self, order: Order) -> RiskVerdict:
        """Run the risk checks without placing; every failed check is one reason."""
