"""Request pacing like TWS: a message-rate limit on every request and IB's historical-data rules.

Both are counted per client on the gateway clock, so a test with a fake clock (or small windows in
the config) can hit and clear a limit without sleeping. The counters live in the session's
:class:`ClientState`, so they die with the connection, and a pacing fault can tighten the limits
of one client (``ClientState.limits``).
"""

from __future__ import annotations

import logging
from collections import deque
from typing import TYPE_CHECKING, Hashable

from ..config import HistoricalPacingConfig
from .client_state import client_state

if TYPE_CHECKING:
    from .session import Session

log = logging.getLogger("ib_harness.fake_gateway.session")

MESSAGE_RATE_WINDOW = 1.0
SMALL_BAR_SECONDS = 30
PACING_VIOLATION = "Historical Market Data Service error message:Historical data request pacing violation"


class MessageRate:
    """Requests in the last second; TWS refuses (error 100) whatever arrives above the limit."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.times: deque[float] = deque()

    def admit(self, now: float) -> int | None:
        """None when the request may be served, else the count received in the last second."""
        times = self.times
        while times and now - times[0] >= MESSAGE_RATE_WINDOW:
            times.popleft()
        times.append(now)
        return None if len(times) <= self.limit else len(times)


class HistoricalPacing:
    """IB's three historical-data pacing rules for one client (error 162 when broken):
    an identical request within 15 s; 6+ requests for one contract/exchange/tickType within
    2 s; more than 60 requests within 10 minutes. Only admitted requests are counted."""

    def __init__(self, config: HistoricalPacingConfig) -> None:
        self.config = config
        self.recent: deque[tuple[float, Hashable, Hashable]] = deque()

    def admit(self, now: float, identity: Hashable, family: Hashable, bar_seconds: int | None,
              config: HistoricalPacingConfig | None = None) -> bool:
        """Record and allow the request, or refuse it without recording it.

        ``config`` replaces the rules for this one check (a pacing fault's tighter limits).
        """
        config = config or self.config
        if not config.enabled or (config.small_bars_only and bar_seconds is not None and bar_seconds > SMALL_BAR_SECONDS):
            return True
        horizon = max(config.window, config.identical_window, config.burst_window)
        while self.recent and now - self.recent[0][0] >= horizon:
            self.recent.popleft()
        if any(key == identity and now - t < config.identical_window for t, key, _ in self.recent):
            return False
        if sum(1 for t, _, fam in self.recent if fam == family and now - t < config.burst_window) + 1 >= config.burst_count:
            return False
        if sum(1 for t, _, _ in self.recent if now - t < config.window) + 1 > config.max_requests:
            return False
        self.recent.append((now, identity, family))
        return True


def admit_request(session: "Session") -> bool:
    """Called first for every request: False means it was refused (error 100) and must be dropped.

    With ``disconnect_on_message_rate`` the client is also closed, as TWS does to a client that
    keeps flooding it.
    """
    config = session.gateway.config
    state = client_state(session)
    if state.replaying:
        return True
    rate = state.message_rate
    if rate is None:
        rate = state.message_rate = MessageRate(config.max_messages_per_second)
    rate.limit = state.limits.max_messages_per_second or config.max_messages_per_second
    received = rate.admit(session.gateway.clock())
    if received is None:
        return True
    session.send_error(-1, 100, f"Max rate of messages per second has been exceeded:max={rate.limit} rec={received} (1)")
    if config.disconnect_on_message_rate:
        log.warning("session %d (client %s): %d messages in one second (max %d); disconnecting",
                    session.number, session.client_id, received, rate.limit)
        session.close(f"message rate {received}/s above {rate.limit}/s")
    return False


def historical_pacing(session: "Session") -> HistoricalPacing:
    """This client's historical-data pacing state."""
    state = client_state(session)
    if state.historical is None:
        state.historical = HistoricalPacing(session.gateway.config.historical_pacing)
    return state.historical


def historical_rules(session: "Session") -> HistoricalPacingConfig:
    """The gateway's historical pacing rules, tightened by a pacing fault on this client."""
    base = session.gateway.config.historical_pacing
    limits = client_state(session).limits
    tighter = {key: value for key, value in (("max_requests", limits.historical_max_requests),
                                             ("window", limits.historical_window)) if value is not None}
    return base.model_copy(update={**tighter, "enabled": True, "small_bars_only": False}) if tighter else base


def admit_historical(session: "Session", identity: Hashable, family: Hashable, bar_seconds: int | None) -> bool:
    """Record and allow one historical request under this client's current rules."""
    rules = historical_rules(session)
    return historical_pacing(session).admit(session.gateway.clock(), identity, family, bar_seconds, rules)
