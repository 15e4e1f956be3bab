"""Everything IB keeps per API connection besides its subscriptions, in one place.

The handlers (market data type, pacing counters) and the IB status faults (paused streams, held
requests, farms down) all read and write this one object, so a status fault can drop or keep a
client's state exactly as IB does, and it all dies with the connection. The session carries it
as a single attribute, created on first use, so the session class needs no field for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pacing import HistoricalPacing, MessageRate
    from .session import Session

_ATTRIBUTE = "client_state"

# What a pause can stop. Each holds a set of reasons; the stream flows while the set is empty,
# so overlapping faults (a farm down during a connectivity loss) lift independently. ORDERS is the
# relay of order events (status, executions) that IB's servers send the gateway.
MARKET, ACCOUNT, REQUESTS, ORDERS = "market", "account", "requests", "orders"


@dataclass
class MarketSettings:
    """Per-connection market settings that are not subscriptions (reqMarketDataType)."""

    data_type: int = 1
    explicit_type: bool = False
    releasing: bool = False  # the session already releases its watched contracts on close


@dataclass
class PacingLimits:
    """Tighter limits a pacing fault imposes on this client (None: the gateway's own)."""

    max_messages_per_second: int | None = None
    historical_max_requests: int | None = None
    historical_window: float | None = None


@dataclass
class ClientState:
    """One connection's settings, pacing counters and what IB status faults hold back."""

    market: MarketSettings = field(default_factory=MarketSettings)
    message_rate: "MessageRate | None" = None
    historical: "HistoricalPacing | None" = None
    limits: PacingLimits = field(default_factory=PacingLimits)
    pauses: dict[str, set[str]] = field(
        default_factory=lambda: {MARKET: set(), ACCOUNT: set(), REQUESTS: set(), ORDERS: set()})
    held_requests: list[list[str]] = field(default_factory=list)
    held_order_events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    farms_down: dict[str, set[str]] = field(default_factory=dict)  # farm -> what holds it down
    replaying: bool = False  # held requests are being answered: not counted against pacing again

    def flowing(self, stream: str) -> bool:
        return not self.pauses[stream]

    def pause(self, stream: str, reason: str) -> bool:
        """Hold ``stream`` for ``reason``; True when this stopped a flowing stream."""
        reasons = self.pauses[stream]
        was_flowing = not reasons
        reasons.add(reason)
        return was_flowing

    def resume(self, stream: str, reason: str) -> bool:
        """Lift ``reason``; True when the stream flows again because of it."""
        reasons = self.pauses[stream]
        if reason not in reasons:
            return False
        reasons.discard(reason)
        return not reasons


def client_state(session: "Session") -> ClientState:
    """This session's state, created on first use."""
    state: ClientState | None = session.__dict__.get(_ATTRIBUTE)
    if state is None:
        state = ClientState()
        setattr(session, _ATTRIBUTE, state)
    return state


def market_flowing(session: "Session") -> bool:
    """The hot-path check of every tick fan-out: no lookup beyond the session's own dict."""
    state: ClientState | None = session.__dict__.get(_ATTRIBUTE)
    return state is None or not state.pauses[MARKET]


def stream_flowing(session: "Session", stream: str) -> bool:
    """Whether ``stream`` (ACCOUNT, ORDERS, ...) flows for this session, without creating its state."""
    state: ClientState | None = session.__dict__.get(_ATTRIBUTE)
    return state is None or not state.pauses[stream]
