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
    """Requests counted in one-second windows, as TWS counts them.

    A window opens with the first request after the last one closed. Up to ``limit`` requests in
    it are served; the rest are dropped and counted, and the window is reported once, as IB's
    ``rec=651 (1)`` shows: the count of the second and the number of violations so far.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.window_start = float("-inf")
        self.received = 0
        self.violations = 0
        self.over = False  # this window went over the limit
        self.reported = False  # and its error 100 has been sent

    def admit(self, now: float) -> bool:
        """Count one request; True when it may be served."""
        if self.expired(now):
            self.window_start, self.received, self.over, self.reported = now, 0, False, False
        self.received += 1
        if self.received <= self.limit:
            return True
        if not self.over:
            self.over = True
            self.violations += 1
        return False

    def expired(self, now: float) -> bool:
        """The window is over (or the clock went back before it)."""
        return not 0 <= now - self.window_start < MESSAGE_RATE_WINDOW

    @property
    def window_end(self) -> float:
        return self.window_start + MESSAGE_RATE_WINDOW


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


def count_request(session: "Session") -> bool:
    """Count one request against this client's rate (before its frame is even whole); False means
    it is dropped. The error 100 comes later, once per window, from :func:`report_message_rate`."""
    config = session.gateway.config
    state = client_state(session)
    if state.replaying:
        return True
    rate = state.message_rate
    if rate is None:
        rate = state.message_rate = MessageRate(config.max_messages_per_second)
    rate.limit = state.limits.max_messages_per_second or config.max_messages_per_second
    now = session.gateway.clock()
    if rate.over and not rate.reported and rate.expired(now):
        report_message_rate(session)  # a window that ended while its tail was dropped: its 100 first
    return rate.admit(now)


def count_dropped(session: "Session", frames: int) -> None:
    """Frames that arrived together with a refused one: dropped too, and counted in its window."""
    rate = client_state(session).message_rate
    if rate is not None:
        rate.received += frames


def message_rate(session: "Session") -> MessageRate | None:
    return client_state(session).message_rate


def report_message_rate(session: "Session") -> None:
    """Send the one error 100 of a window that went over, once what had arrived was counted.

    With ``disconnect_on_message_rate`` the client is then closed, as TWS "will likely" do.
    """
    rate = client_state(session).message_rate
    if rate is None or not rate.over or rate.reported:
        return
    rate.reported = True
    session.send_error(-1, 100, f"Max rate of messages per second has been exceeded:max={rate.limit} "
                                f"rec={rate.received} ({rate.violations})")
    if session.gateway.config.disconnect_on_message_rate:
        log.warning("session %d (client %s): %d messages in one second (max %d); disconnecting",
                    session.number, session.client_id, rate.received, rate.limit)
        session.close(f"message rate {rate.received}/s above {rate.limit}/s")


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
