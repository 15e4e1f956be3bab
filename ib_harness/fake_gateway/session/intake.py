"""The read side of a session under abuse: bounded in time, memory and loop share.

A connection must finish its handshake and send startApi within the gateway's time limits; its
unfinished frames count against the gateway's total (``max_pending_bytes``); a burst is handled
``FRAMES_PER_TURN`` frames per loop turn while reading that socket is held, so one client's flood
never keeps the loop from the others. Every frame is counted against the message rate when its
header arrives (:mod:`..wire.request_framing`): above the rate it is dropped unread, and the
connection is not read again until its one-second window is over, so a flood waits in the kernel's
socket buffers (the sender's writes block) instead of costing the gateway. The window's one error
100 goes out once the frames already received have been counted. :class:`~.session.Session`
mixes this in.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, cast

from ..wire.framing import API_PREFIX, MalformedHandshake, ProtocolError
from ..wire.request_framing import Refused, RequestParser
from .pacing import count_dropped, count_request, message_rate, report_message_rate

if TYPE_CHECKING:
    from ..server import FakeGateway
    from .session import Session

log = logging.getLogger("ib_harness.fake_gateway.session")

FRAMES_PER_TURN = 16  # frames one connection may handle before the loop serves the others (~10 us each)
RATE_POLL = 0.1  # longest wait between looks at the gateway clock while a window over the rate runs


class DiscardBudget:
    """Bytes of refused frames the gateway reads only to throw them away, all connections together:
    a token bucket of ``rate`` bytes a second (``max_discard_rate``). A well-behaved client never
    draws on it; what abusers send to be refused costs the gateway at most ``rate`` a second however
    many connections (or reconnections) send it, and their reading waits for the bucket."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.burst = rate / 8
        self.tokens = self.burst
        self.stamp: float | None = None

    def charge(self, nbytes: int, now: float) -> float:
        """Take ``nbytes``; the seconds the charging connection should wait before it is read again."""
        if self.stamp is not None:
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        self.tokens -= nbytes
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


class Intake:
    """Reading, bounded: deadlines, unfinished-frame accounting, slices of a burst."""

    gateway: "FakeGateway"
    number: int
    phase: str
    transport: asyncio.Transport | None
    parser: RequestParser
    _prefix: bytes
    _accepted_at: float
    _deadline: asyncio.TimerHandle | None
    _pending_counted: int
    _draining: bool
    _reading_held: set[str]
    _rate_timer: asyncio.TimerHandle | None
    _discard_timer: asyncio.TimerHandle | None
    _refused: int
    client_id: int | None

    def reject(self, reason: str) -> None:
        raise NotImplementedError

    def _on_payload(self, payload: bytes) -> None:
        raise NotImplementedError

    def _on_refused(self, refused: Refused) -> None:
        """IB answers a request it cannot read with 320 and goes on; the frame was never kept.
        The log says so for the 1st, 10th, 100th... of a connection, not for each of a flood."""
        self._refused += 1
        if self._refused in (1, 10, 100, 1000) or self._refused % 10_000 == 0:
            log.warning("session %d (client %s): %s; refused (%d so far)", self.number, self.client_id,
                        refused.reason, self._refused)
        cast("Session", self).send_error(-1, 320, f"Error reading request. {refused.reason}")

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
                self._take(data, 0)
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
        a client that sends a burst of thousands of frames is read no further until its backlog
        is handled, a slice per loop turn."""
        items = self._take(data, FRAMES_PER_TURN)
        if self._count_pending():
            return
        for item in items:
            if isinstance(item, Refused):
                self._on_refused(item)
            else:
                self._on_payload(item)
            if self.phase == "closed" or (self.transport is not None and self.transport.is_closing()):
                return
        if self.parser.more:
            if not self._draining:
                self._draining = True
                self.hold_reading("backlog")
            asyncio.get_running_loop().call_soon(self._next_slice)
            return
        if self._draining:
            self._draining = False
            self.release_reading("backlog")
        report_message_rate(cast("Session", self))  # everything received is counted: one error 100 for the window

    def _take(self, data: bytes, limit: int) -> list[bytes | Refused]:
        """The parser's next frames, with what it dropped counted in the rate window and what it
        threw away charged to the gateway's DiscardBudget."""
        items = self.parser.take(data, limit, self._admit)
        if self.parser.dropped_unasked:
            count_dropped(cast("Session", self), self.parser.dropped_unasked)
        if self.parser.discarded:
            self._charge_discarded(self.parser.discarded)
        return items

    def _admit(self, number: int) -> bool:
        """Count frame ``number`` against the message rate as its header arrives; the first one
        above the rate stops reading this socket until the window is over."""
        if number == 1 and self.phase == "version":
            return True  # the version announcement is part of the handshake, not a request
        if count_request(cast("Session", self)):
            return True
        if "rate" not in self._reading_held:
            self.hold_reading("rate")
            self._rate_window_over()
        return False

    def _charge_discarded(self, nbytes: int) -> None:
        """Bytes read only to be thrown away come out of the gateway's DiscardBudget; when it is
        spent, this connection is not read until the bucket has refilled."""
        loop = asyncio.get_running_loop()
        wait = self.gateway.discards.charge(nbytes, loop.time())
        if wait > 0 and "discard" not in self._reading_held:
            self.hold_reading("discard")
            self._discard_timer = loop.call_later(wait, self._discard_over)

    def _discard_over(self) -> None:
        self._discard_timer = None
        self.release_reading("discard")

    def _rate_window_over(self) -> None:
        """Resume reading once the gateway clock has passed the end of the window that went over
        (looked at every RATE_POLL seconds at most, so a test's fake clock is followed too)."""
        self._rate_timer = None
        if self.phase == "closed" or self.transport is None or self.transport.is_closing():
            return
        rate = message_rate(cast("Session", self))
        remaining = 0.0 if rate is None else rate.window_end - self.gateway.clock()
        if remaining > 0:
            self._rate_timer = asyncio.get_running_loop().call_later(min(remaining, RATE_POLL), self._rate_window_over)
        else:
            self.release_reading("rate")

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
            self.parser = RequestParser(self.gateway.config.max_frame, self.gateway.config.max_request_fields)
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
