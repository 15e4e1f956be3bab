"""An in-process fake IB Gateway that speaks the real TWS API wire protocol over TCP."""

from .config import AccountConfig, GatewayConfig
from .event_log import EventLog, GatewayEvent
from .server import FakeGateway
from .state.brokerage import Brokerage

__all__ = ["AccountConfig", "Brokerage", "EventLog", "FakeGateway", "GatewayConfig", "GatewayEvent"]
