"""The fake IB Gateway server: a TCP listener that hands each connection to a session.

Use it in process (``async with FakeGateway() as gw:``, port 0 by default, ready when entered,
safe to close twice) or standalone (``python -m fake_gateway``). The brokerage outlives the
listener: :meth:`FakeGateway.restart` drops every session and listens again with state kept,
like IB Gateway's daily restart.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from typing import Any, Callable

from .config import GatewayConfig
from .faults.base import FaultSet
from .session.registry import EVENT_HANDLERS, HANDLERS
from .session.session import Session
from .state.brokerage import Brokerage

log = logging.getLogger("fake_gateway")


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
        self.config = base.model_copy(update=overrides) if overrides else base
        if overrides:
            self.config = GatewayConfig.model_validate(self.config.model_dump())
        self.brokerage = brokerage or Brokerage(self.config)
        self.clock = clock
        self.brokerage.use_clock(clock)
        self.faults = FaultSet()
        self.handlers = dict(HANDLERS)
        self.event_handlers = {event: list(listeners) for event, listeners in EVENT_HANDLERS.items()}
        self.sessions: set[Session] = set()
        self.client_ids: dict[int, Session] = {}
        self._server: asyncio.AbstractServer | None = None
        self._order_clock: asyncio.Task[None] | None = None
        self._numbers = itertools.count(1)
        self.host = self.config.host
        self.port = self.config.port
        self.refused_connections = 0

    # ----- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> "FakeGateway":
        """Bind and listen; returns once connections are being accepted."""
        if self._server is not None:
            return self
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._make_session, self.config.host, self.port)
        self._order_clock = asyncio.create_task(self._run_order_clock(), name="order-clock")
        sockname = self._server.sockets[0].getsockname()
        self.host, self.port = sockname[0], sockname[1]
        log.info("fake gateway listening on %s:%d (server versions %d..%d)",
                 self.host, self.port, self.config.min_version, self.config.max_version)
        return self

    async def stop_listening(self) -> None:
        """Stop accepting new connections; live sessions are left alone."""
        server, self._server = self._server, None
        task, self._order_clock = self._order_clock, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if server is not None:
            server.close()
            await server.wait_closed()

    async def _run_order_clock(self) -> None:
        """DAY/GTD expiries and MOC/LOC/OPG auctions happen on time, even with no market update."""
        book = self.brokerage.orders
        while True:
            deadline = book.next_deadline()
            delay = 1.0 if deadline is None else min(max(deadline - self.clock(), 0.01), 1.0)
            await asyncio.sleep(delay)
            try:
                book.check_time()
            except Exception:  # a failing listener must not stop expiries for everyone
                log.exception("order clock step failed")

    async def drop_sessions(self, abort: bool = False) -> None:
        """Close every live session (FIN, or RST with abort) and wait until they are gone."""
        sessions = list(self.sessions)
        for session in sessions:
            session.close("gateway dropped all sessions", abort=abort)
        await asyncio.gather(*(s.closed.wait() for s in sessions))

    async def close(self) -> None:
        """Stop listening and close every session. Safe to call more than once."""
        await self.stop_listening()
        await self.drop_sessions()

    async def restart(self) -> None:
        """Drop all sessions and listen again on the same port, keeping the brokerage."""
        await self.close()
        await self.start()

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
            return False
        if len(self.sessions) >= self.config.max_clients:
            log.warning("dropping connection from %s: already %d clients (max_clients=%d)",
                        session.peer, len(self.sessions), self.config.max_clients)
            return False
        if self.faults.active and not self.faults.accept(session):
            return False
        self.sessions.add(session)
        return True

    def claim_client_id(self, session: Session, client_id: int) -> bool:
        """IB allows one live connection per client id; a second one gets error 326."""
        holder = self.client_ids.get(client_id)
        if holder is not None and holder is not session and holder.phase != "closed":
            log.warning("session %d (%s): client id %d already in use by session %d",
                        session.number, session.peer, client_id, holder.number)
            return False
        self.client_ids[client_id] = session
        return True

    def session_ended(self, session: Session) -> None:
        self.sessions.discard(session)
        if session.client_id is not None and self.client_ids.get(session.client_id) is session:
            del self.client_ids[session.client_id]

    def session_for(self, client_id: int) -> Session | None:
        return self.client_ids.get(client_id)

