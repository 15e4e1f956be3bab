"""The fake IB Gateway server: a TCP listener that hands each connection to a session.

Use it in process (``async with FakeGateway() as gw:``, port 0 by default, ready when entered,
safe to close twice) or standalone (``python -m ib_harness.fake_gateway``). The brokerage outlives the
listener: :meth:`FakeGateway.restart` drops every session and listens again with state kept,
like IB Gateway's daily restart.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

from .config import GatewayConfig
from .event_log import EventLog
from .faults import FaultSet, FaultSpec
from .faults.handle import FaultHandle
from .order_clock import OrderClock
from .session.intake import DiscardBudget
from .session.registry import EVENT_HANDLERS, HANDLERS
from .session.session import Session
from .state import exchange_days
from .state.brokerage import Brokerage

log = logging.getLogger("ib_harness.fake_gateway")


class FakeGateway:
    """An in-process IB Gateway speaking the TWS API over real TCP."""

    def __init__(
        self,
        config: GatewayConfig | None = None,
        brokerage: Brokerage | None = None,
        clock: Callable[[], float] = time.time,
        **overrides: Any,
    ) -> None:
        base = config or GatewayConfig()
        # validated as a whole: an unknown or bad setting name is an error, never dropped
        self.config = GatewayConfig.model_validate({**base.model_dump(), **overrides}) if overrides else base
        self.brokerage = brokerage or Brokerage(self.config)
        self.clock = clock
        self.brokerage.use_clock(clock)
        self.events = EventLog(clock, self.config.max_events)
        self.faults = FaultSet(self)
        self.handlers = dict(HANDLERS)
        self.event_handlers = {event: list(listeners) for event, listeners in EVENT_HANDLERS.items()}
        self.sessions: set[Session] = set()
        self.client_ids: dict[int, Session] = {}
        self._server: asyncio.AbstractServer | None = None
        self.order_clock = OrderClock(self.brokerage.orders, self.brokerage.events, clock,
                                      self.config.order_clock_poll)
        self._numbers = itertools.count(1)
        self.host = self.config.host
        self.port = self.config.port
        self.refused_connections = 0
        self.pending_bytes = 0  # unfinished request frames held by all sessions (max_pending_bytes)
        self.discards = DiscardBudget(self.config.max_discard_rate)  # refused bytes read, all sessions
        self._listener_lock = asyncio.Lock()

    # ----- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> "FakeGateway":
        """Bind and listen (again, on the same port, after a stop); returns once accepting."""
        async with self._listener_lock:
            if self._server is not None:
                return self
            loop = asyncio.get_running_loop()
            # before any session can ask (the first contract details would build it, blocking the loop)
            await asyncio.to_thread(exchange_days.prepare)
            self._server = await loop.create_server(self._make_session, self.config.host, self.port)
            sockname = self._server.sockets[0].getsockname()
            self.host, self.port = sockname[0], sockname[1]
            log.info("fake gateway listening on %s:%d (server versions %d..%d)",
                     self.host, self.port, self.config.min_version, self.config.max_version)
            self.events.record("listening", host=self.host, port=self.port)
            self.order_clock.start()  # once: it lives as long as the gateway, across down windows
        for fault in tuple(self.faults):
            fault.on_listening()
        return self

    def close_listener(self) -> asyncio.AbstractServer | None:
        """Stop accepting now (connects are refused from here on); returns the closed server."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
            self.events.record("stopped_listening", host=self.host, port=self.port)
        return server

    async def stop_listening(self) -> None:
        """Stop accepting new connections; live sessions are left alone."""
        async with self._listener_lock:
            server = self.close_listener()
            if server is not None:
                await server.wait_closed()

    async def drop_sessions(self, abort: bool = False) -> None:
        """Close every live session (FIN, or RST with abort) and wait until they are gone."""
        sessions = list(self.sessions)
        for session in sessions:
            session.close("gateway dropped all sessions", abort=abort)
        await asyncio.gather(*(s.closed.wait() for s in sessions))

    async def close(self) -> None:
        """Stop every fault, stop listening and close every session. Safe to call more than once."""
        await self.faults.close()
        await self.stop_listening()
        await self.drop_sessions()
        await self.order_clock.close()

    async def restart(self, down_seconds: float = 0.0, abort: bool = False) -> None:
        """Drop all sessions (FIN, or RST with abort), stay down ``down_seconds`` (connects are
        refused), then listen again on the same port, keeping the brokerage. Faults stay active."""
        if down_seconds < 0:
            raise ValueError(f"down_seconds must be >= 0, got {down_seconds}")
        self.events.record("restart", down_seconds=down_seconds, rst=abort)
        await self.stop_listening()
        await self.drop_sessions(abort=abort)
        if down_seconds:
            await asyncio.sleep(down_seconds)  # the down window itself, not a wait for readiness
        await self.start()

    # ----- faults -------------------------------------------------------------------------------

    @asynccontextmanager
    async def fault(self, spec: "dict[str, Any] | FaultSpec") -> AsyncIterator[FaultHandle]:
        """``async with gw.fault({...}) as handle:`` the fault is stopped on exit."""
        handle = self.faults.inject(spec)
        try:
            yield handle
        finally:
            handle.stop()

    async def __aenter__(self) -> "FakeGateway":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def listening(self) -> bool:
        return self._server is not None

    @property
    def address(self) -> tuple[str, int]:
        return self.host, self.port

    # ----- sessions -----------------------------------------------------------------------------

    def _make_session(self) -> Session:
        return Session(self, next(self._numbers))

    def admit(self, session: Session) -> bool:
        """Apply trusted IPs, the client limit and accept-time faults to a new connection."""
        peer_ip = session.peer.rsplit(":", 1)[0]
        if not self.config.is_trusted(peer_ip):
            log.warning("dropping connection from %s: not in trusted IPs %s", peer_ip, self.config.trusted_ips)
            return self._refused(session, "not in trusted IPs")
        if len(self.sessions) >= self.config.max_clients:
            log.warning("dropping connection from %s: already %d clients (max_clients=%d)",
                        session.peer, len(self.sessions), self.config.max_clients)
            return self._refused(session, "max_clients reached")
        if self.faults.active and not self.faults.accept(session):
            return self._refused(session, "refused by a fault")
        self.sessions.add(session)
        self.faults.refresh(session)
        return True

    def _refused(self, session: Session, reason: str) -> bool:
        self.events.record("connect_refused", None, session.number, peer=session.peer, reason=reason)
        return False

    def claim_client_id(self, session: Session, client_id: int) -> bool:
        """IB allows one live connection per client id; a second one gets error 326."""
        holder = self.client_ids.get(client_id)
        if holder is not None and holder is not session and holder.phase != "closed":
            log.warning("session %d (%s): client id %d already in use by session %d",
                        session.number, session.peer, client_id, holder.number)
            return False
        if self.faults.active and not self.faults.claim(session, client_id):
            log.warning("session %d (%s): client id %d held by a fault", session.number, session.peer, client_id)
            return False
        self.client_ids[client_id] = session
        session.client_id = client_id
        self.faults.identified(session)
        return True

    def session_ended(self, session: Session) -> None:
        self.sessions.discard(session)
        if session.client_id is not None and self.client_ids.get(session.client_id) is session:
            del self.client_ids[session.client_id]
        self.faults.session_closed(session)

    def session_for(self, client_id: int) -> Session | None:
        return self.client_ids.get(client_id)

