"""The read side of a session under abuse: bounded in time, memory and loop share.

A connection must finish its handshake and send startApi within the gateway's time limits; its
unfinished frames count against the gateway's total (``max_pending_bytes``); a burst is handled
``FRAMES_PER_TURN`` frames per loop turn while reading that socket is held, so one client's flood
never keeps the loop from the others. :class:`~.session.Session` mixes this in.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from ..wire.framing import API_PREFIX, FrameParser, MalformedHandshake, ProtocolError

if TYPE_CHECKING:
    from ..server import FakeGateway

log = logging.getLogger("ib_harness.fake_gateway.session")

FRAMES_PER_TURN = 64  # frames one connection may handle before the loop serves the others


class Intake:
    """Reading, bounded: deadlines, unfinished-frame accounting, slices of a burst."""

    gateway: "FakeGateway"
    number: int
    phase: str
    transport: asyncio.Transport | None
    parser: FrameParser
    _prefix: bytes
    _accepted_at: float
    _deadline: asyncio.TimerHandle | None
    _pending_counted: int
    _draining: bool
    _reading_held: set[str]

    def reject(self, reason: str) -> None:
        raise NotImplementedError

    def _on_payload(self, payload: bytes) -> None:
        raise NotImplementedError

    def _deadline_after(self, seconds: float, phases: tuple[str, ...], what: str) -> None:
        """Close this connection if it is still in one of ``phases`` ``seconds`` after accept: a
        peer that never finishes connecting must not hold a client slot forever."""
        def expired() -> None:
            self._deadline = None
            if self.phase in phases:
                limit = self.gateway.config.start_api_timeout if what == "no startApi" else self.gateway.config.handshake_timeout
                self.reject(f"{what} within {limit:g} s")

        if self._deadline is not None:
            self._deadline.cancel()
        loop = asyncio.get_running_loop()
        self._deadline = loop.call_at(self._accepted_at + seconds, expired)

    def consume(self, data: bytes) -> None:
        """Bytes from the client (past the link stage): handshake, frames, requests."""
        if self.phase == "closed" or (self.transport is not None and self.transport.is_closing()):
            return
        try:
            if self.phase == "prefix":
                data = self._read_prefix(data)
                if not data:
                    return
            if self._draining:  # a slice of an earlier burst is still waiting its turn
                self.parser.feed(data, 0)
                self._count_pending()
                return
            self._handle_slice(data)
        except ProtocolError as exc:
            self.reject(str(exc))
        except Exception:  # a bug in a handler must not take the gateway down
            log.exception("session %d: internal error while handling a request", self.number)
            self.reject("internal error while handling a request (see the traceback above)")

    def _handle_slice(self, data: bytes = b"") -> None:
        """Handle at most FRAMES_PER_TURN frames, then let the loop serve the other connections:
        a client that sends a burst of thousands of frames (a flood above the message rate) is
        read no further until its backlog is handled, a slice per loop turn."""
        payloads = self.parser.feed(data, FRAMES_PER_TURN)
        if self._count_pending():
            return
        for payload in payloads:
            self._on_payload(payload)
            if self.phase == "closed" or (self.transport is not None and self.transport.is_closing()):
                return
        if len(payloads) == FRAMES_PER_TURN:
            if not self._draining:
                self._draining = True
                self.hold_reading("backlog")
            asyncio.get_running_loop().call_soon(self._next_slice)
        elif self._draining:
            self._draining = False
            self.release_reading("backlog")

    def _next_slice(self) -> None:
        if self.phase == "closed" or self.transport is None or self.transport.is_closing():
            return
        try:
            self._handle_slice()
        except ProtocolError as exc:
            self.reject(str(exc))
        except Exception:
            log.exception("session %d: internal error while handling a request", self.number)
            self.reject("internal error while handling a request (see the traceback above)")

    def hold_reading(self, reason: str) -> None:
        """Stop reading this socket for ``reason`` (a backlog, a half-open fault); reading resumes
        once every reason is released."""
        self._reading_held.add(reason)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.pause_reading()

    def release_reading(self, reason: str) -> None:
        self._reading_held.discard(reason)
        if not self._reading_held and self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()

    def _count_pending(self) -> bool:
        """Keep the gateway's total of unfinished-frame bytes; True (and closed) when this
        connection's unfinished frame took it over ``max_pending_bytes``."""
        held = self.parser.pending
        grew = held > self._pending_counted
        self.gateway.pending_bytes += held - self._pending_counted
        self._pending_counted = held
        limit = self.gateway.config.max_pending_bytes
        if grew and self.gateway.pending_bytes > limit:
            self.reject(f"unfinished frames of all connections hold {self.gateway.pending_bytes} bytes, "
                        f"over max_pending_bytes={limit}")
            self.parser = FrameParser(self.gateway.config.max_frame)  # release the buffer now
            self.gateway.pending_bytes -= self._pending_counted
            self._pending_counted = 0
            return True
        return False

    def _read_prefix(self, data: bytes) -> bytes:
        needed = len(API_PREFIX) - len(self._prefix)
        self._prefix += data[:needed]
        rest = data[needed:]
        if not API_PREFIX.startswith(self._prefix):
            raise MalformedHandshake(f"connection must start with API\\0, got {self._prefix!r}")
        if len(self._prefix) < len(API_PREFIX):
            return b""
        self.phase = "version"
        return rest
