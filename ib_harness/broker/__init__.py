"""The broker under test: an async IB broker on ib_insync or ib_async (settings.backend;
docs/backends.md) that survives the gateway's faults.

It never imports fake_gateway; it talks to any TWS API endpoint (the fake gateway in tests).
"""

from .base import BaseBroker
from .errors import (BrokerError, BrokerTimeout, BrokerUnavailable, JournalError, MarketDataUnavailable,
                     OrderNotSent, OrderRejected, OrderUnconfirmed, RequestFailed, UnknownOrder)
from .events import BrokerEvent, EventBus
from .ib_broker import IBKRInsyncBroker
from .models import BROKER_KEY_PREFIX, Account, Bar, Order, OrderSide, OrderStatus, OrderType, Position
from .risk import RiskVerdict
from .settings import BrokerSettings, BrokerSettingsError
from .supervision import BrokerState

__all__ = [
    "BROKER_KEY_PREFIX", "Account", "Bar", "BaseBroker", "BrokerError", "BrokerEvent", "BrokerSettings", "BrokerSettingsError",
    "BrokerState", "BrokerTimeout", "BrokerUnavailable", "EventBus", "IBKRInsyncBroker", "JournalError",
    "MarketDataUnavailable",
    "Order", "OrderNotSent", "OrderRejected", "OrderUnconfirmed", "OrderSide", "OrderStatus", "OrderType", "Position", "RequestFailed",
    "RiskVerdict", "UnknownOrder",
]
