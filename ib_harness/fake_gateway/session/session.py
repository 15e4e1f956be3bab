"""One API connection: handshake, startApi, request dispatch and the write path.

A session is a view onto the brokerage. It owns only what IB keeps per connection: the negotiated
version, the client id, and this client's subscriptions. Everything a client breaks (garbage,
oversized frames, bad UTF-8, requests before startApi) closes this session alone, with a log line
that says what was wrong; the gateway and the other sessions carry on.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
import struct
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

from ..state.session_times import standard_zone_name
from ..wire.framing import MalformedHandshake, ProtocolError, parse_version_range, split_fields
from ..wire.out_basic import ERROR
from ..wire.reading import BadRequest, Request
from ..wire.request_framing import RequestParser
from ..wire.spec import MessageSpec, frame_fields
from ..wire.table import INCOMING
from .intake import Intake

if TYPE_CHECKING:
    from ..faults.link import SessionLink
    from ..server import FakeGateway

log = logging.getLogger("ib_harness.fake_gateway.session")
wire_log = logging.getLogger("ib_harness.fake_gateway.wire")  # every frame in and out at DEBUG

START_API_ID = 71


class Session(Intake, asyncio.Protocol):
    """The server side of one TWS API socket."""

    def __init__(self, gateway: "FakeGateway", number: int) -> None:
        self.gateway = gateway
        self.brokerage = gateway.brokerage
        self.number = number
        self.peer = "?"
        self.transport: asyncio.Transport | None = None
        self.phase = "prefix"
        self.version = 0
        self.client_id: int | None = None
        self.connect_options = ""
        self.parser = RequestParser(gateway.config.max_frame, gateway.config.max_request_fields)
        self._prefix = b""
        self._writable = asyncio.Event()
        self._writable.set()
        self._outbox: list[bytes] = []
        self._close_callbacks: list[Callable[[], None]] = []
        self._trace = wire_log.isEnabledFor(logging.DEBUG)  # checked once: the write path is hot
        self._flush_scheduled = False
        self.subscriptions: dict[str, dict[int, Any]] = {}
        self.closed = asyncio.Event()
        self.close_reason = ""
        self.aborted = False  # closed with RST rather than FIN
        self.admitted = False
        self.link: "SessionLink | None" = None  # set while a fault targets this session
        self._pending_counted = 0  # this session's share of gateway.pending_bytes
        self._draining = False  # frames of a burst wait in the parser for their slice
        self._reading_held: set[str] = set()
        self._deadline: asyncio.TimerHandle | None = None
        self._rate_timer: asyncio.TimerHandle | None = None  # ends a window that went over the rate
        self._discard_timer: asyncio.TimerHandle | None = None  # ends a wait for the DiscardBudget
        self._refused = 0  # frames refused for their field count

    # ----- connection lifecycle -------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        peer = transport.get_extra_info("peername") or ("?", 0)
        self.peer = f"{peer[0]}:{peer[1]}"
        log.debug("session %d: connection from %s", self.number, self.peer)
        if not self.gateway.admit(self):
            self.gateway.refused_connections += 1
            self.phase = "closed"
            transport.close()
            return
        self.admitted = True
        self.gateway.events.record("session_opened", None, self.number, peer=self.peer)
        config = self.gateway.config
        self._accepted_at = asyncio.get_running_loop().time()
        self._deadline_after(config.handshake_timeout, ("prefix", "version"), "no handshake")

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._deadline, self._rate_timer, self._discard_timer):
            if timer is not None:
                timer.cancel()
        self._deadline = self._rate_timer = self._discard_timer = None
        self.gateway.pending_bytes -= self._pending_counted
        self._pending_counted = 0
        if self.phase != "closed":
            self.phase = "closed"
            if self.parser.pending and not self.close_reason:
                log.warning("session %d (%s): peer closed in the middle of a frame (%s received)",
                            self.number, self.peer, self.parser.describe_pending())
        for callback in self._close_callbacks:
            try:
                callback()
            except Exception:  # one failing clean-up must not skip the others
                log.exception("session %d: close callback failed", self.number)
        self.brokerage.events.unsubscribe(self.on_brokerage_event)
        self.gateway.session_ended(self)
        if self.admitted:
            reason = self.close_reason or ("peer reset the connection" if exc is not None else "peer closed")
            self.gateway.events.record("session_closed", self.client_id, self.number, reason=reason,
                                       rst=self.aborted)
        self._writable.set()
        self.closed.set()

    def pause_writing(self) -> None:
        self._writable.clear()

    def resume_writing(self) -> None:
        self._writable.set()

    async def drain(self) -> None:
        """Flush, then wait while the socket's write buffer is over its high-water mark."""
        self.flush()
        await self._writable.wait()

    def close(self, reason: str = "", abort: bool = False) -> None:
        """Close this connection only; abort sends RST instead of FIN."""
        if reason and not self.close_reason:
            self.close_reason = reason
        if self.transport is not None and not self.transport.is_closing():
            if abort:
                self._outbox.clear()
                if self.link is not None:
                    self.link.cancel()
                reset(self.transport)
                self.aborted = True
            elif self.link is not None and self.link.defer_close(reason):
                return  # frames still in the link stage go out first, then the FIN
            else:
                self.flush()
                self.transport.close()

    def reject(self, reason: str) -> None:
        """Log a protocol violation with its cause and drop the offender."""
        log.warning("session %d (%s, client %s): %s; closing the connection",
                    self.number, self.peer, self.client_id, reason)
        self.close(reason)

    # ----- reading ----------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self.link is not None:
            self.link.receive(data)
            return
        self.consume(data)

    def _on_payload(self, payload: bytes) -> None:
        """A whole frame that passed the rate and the field count (checked as it arrived)."""
        if self.phase == "version":
            self._negotiate(payload)
            return
        fields = split_fields(payload, self.parser.frames_seen)
        if self.link is not None:
            self.link.request(fields)
            return
        self.handle_fields(fields)

    def dispatch(self, fields: list[str]) -> None:
        """Handle a request outside the read path (a fault releasing a held or delayed request)."""
        if self.phase == "closed" or self.transport is None or self.transport.is_closing():
            return
        try:
            self.handle_fields(fields)
        except ProtocolError as exc:
            self.reject(str(exc))
        except Exception:
            log.exception("session %d: internal error while handling a request", self.number)
            self.reject("internal error while handling a request (see the traceback above)")

    def _negotiate(self, payload: bytes) -> None:
        low, high, options = parse_version_range(payload)
        config = self.gateway.config
        if high < config.min_version or low > config.max_version:
            raise MalformedHandshake(
                f"client version range v{low}..{high} does not overlap the gateway's "
                f"v{config.min_version}..{config.max_version}"
            )
        self.version = min(high, config.max_version)
        self.parser.require_message_id = True
        self.connect_options = options
        self.phase = "start_api"
        self._deadline_after(config.start_api_timeout, ("start_api",), "no startApi")
        self.write(frame_fields([str(self.version), self.connection_time()]), None)

    def connection_time(self) -> str:
        """``YYYYMMDD HH:MM:SS TZ`` in the gateway's time zone, like IB's handshake reply (``EST`` all year)."""
        when, zone = self.gateway.clock(), self.gateway.config.timezone
        now = datetime.fromtimestamp(when, ZoneInfo(zone))
        return now.strftime("%Y%m%d %H:%M:%S ") + standard_zone_name(zone, when)

    def handle_fields(self, fields: list[str]) -> None:
        """Decode and dispatch one request (also the entry point for injected requests)."""
        if self._trace:
            wire_log.debug("client %s -> %s", self.client_id, ",".join(fields))
        try:
            msg_id = int(fields[0])
        except (ValueError, IndexError):
            raise BadRequestFrame(f"message id {fields[0][:20]!r} is not a number" if fields else "empty message")
        if self.phase == "start_api" and msg_id != START_API_ID:
            raise BadRequestFrame(f"request {msg_id} arrived before startApi")
        spec = INCOMING.get(msg_id)
        handler = self.gateway.handlers.get(msg_id)
        if spec is None or handler is None:
            self.unsupported(msg_id, fields, spec.name if spec else None)
            return
        try:
            values = spec.decode(fields, self.version)
        except BadRequest as exc:
            log.warning("session %d (client %s): %s", self.number, self.client_id, exc)
            self.send_error(_guess_request_id(fields), 320, f"Error reading request. {exc}")
            return
        try:
            handler(self, Request(msg_id, spec.name, values, fields))
        except ProtocolError:
            raise
        except Exception:  # a bug in a handler: IB's 322 for this request, the session stays up
            log.exception("session %d (client %s): internal error while handling %s", self.number,
                          self.client_id, spec.name)
            self.send_error(_guess_request_id(fields), 322,
                            f"Error processing request.-'{msg_id}' : cause - internal error of the fake gateway")

    def unsupported(self, msg_id: int, fields: list[str], name: str | None) -> None:
        """IB answers requests it cannot serve with an error to that id and goes on."""
        label = name or f"message id {msg_id}"
        log.warning("session %d (client %s): unsupported request %s (%d fields)",
                    self.number, self.client_id, label, len(fields))
        self.send_error(
            _guess_request_id(fields), 321,
            f"Error validating request.-'{msg_id}' : cause - The fake gateway does not support {label}",
        )

    # ----- writing ----------------------------------------------------------------------------

    def write(self, frame: bytes, msg_id: int | None) -> None:
        """Every outgoing frame passes here, straight out: the fast path, untouched by the fault
        layer. While a fault targets this session, ``use_link`` routes writes through its link."""
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self._trace:
            wire_log.debug("client %s <- %s", self.client_id, frame[4:].rstrip(b"\0").replace(b"\0", b",").decode(errors="replace"))
        self.raw_write(frame)

    def write_frames(self, frames: list[bytes], msg_ids: list[int]) -> None:
        """Several frames in order, queued as one chunk (a quote's ticks to one client).

        While a fault link or the wire trace is on, each frame takes ``write`` as it would alone,
        so faults and the log see every frame with its message id.
        """
        if self._trace or "write" in self.__dict__:
            write = self.write
            for frame, msg_id in zip(frames, msg_ids):
                write(frame, msg_id)
            return
        self.raw_write(frames[0] if len(frames) == 1 else b"".join(frames))

    def _write_through_link(self, frame: bytes, msg_id: int | None) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self.link is None:  # the fault ended while a caller held this bound method (send_rows,
            Session.write(self, frame, msg_id)  # write_frames): the frame goes the direct way
            return
        self.link.send(frame, msg_id)  # the link logs what really goes out, after the faults

    def use_link(self, link: "SessionLink | None") -> None:
        """Route this session's frames through a fault's link stage, or (None) straight out again.

        The choice is made here, once, rather than tested on every write: a session no fault
        targets runs exactly the write path it would have without a fault layer.
        """
        self.link = link
        if link is None:
            self.__dict__.pop("write", None)  # back to the class's fast path
        else:
            self.write = self._write_through_link  # type: ignore[method-assign]

    def deliver(self, frame: bytes, msg_id: int | None) -> None:
        """Send a frame past the content faults (a delayed or reordered frame released late)."""
        if self.link is not None:
            if self.transport is not None and not self.transport.is_closing():
                self.link.emit(frame, msg_id)
        else:
            Session.write(self, frame, msg_id)

    def raw_write(self, data: bytes) -> None:
        """Queue bytes past the fault layer; everything queued in one loop turn is one send.

        A startup sync is hundreds of small frames: coalescing them turns hundreds of syscalls
        into a few, which is most of the gateway's cost of a connect.
        """
        if self.transport is None or self.transport.is_closing():
            return
        self._outbox.append(data)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        """Hand everything queued to the transport now."""
        self._flush_scheduled = False
        transport = self.transport
        if self._outbox and transport is not None and not transport.is_closing():
            data = b"".join(self._outbox) if len(self._outbox) > 1 else self._outbox[0]
            self._outbox.clear()
            transport.write(data)
            waiting = transport.get_write_buffer_size()
            if waiting > self.gateway.config.max_output_buffer:
                log.warning("session %d (%s, client %s): client is not reading: %d bytes waiting to be sent "
                            "(max_output_buffer=%d); dropping the connection",
                            self.number, self.peer, self.client_id, waiting, self.gateway.config.max_output_buffer)
                self.close("client not reading", abort=True)
        else:
            self._outbox.clear()

    def send(self, spec: MessageSpec, values: Mapping[str, Any] | None = None, **more: Any) -> None:
        self.write(spec.frame(self.version, values, **more), spec.msg_id)

    def send_rows(self, spec: MessageSpec, rows: Iterable[Sequence[Any]]) -> None:
        """Send many messages of one layout from positional rows (the fast path for bulk replies)."""
        encode = self.encoder(spec)
        write, msg_id = self.write, spec.msg_id
        for row in rows:
            write(encode(*row), msg_id)

    def encoder(self, spec: MessageSpec) -> Callable[..., bytes]:
        """The positional encoder of ``spec`` at this session's version (built once per version)."""
        return spec.positional(self.version)

    def send_error(self, req_id: int, code: int, message: str, advanced: str = "") -> None:
        if self.transport is None or self.transport.is_closing():
            return
        self.gateway.events.record("error_sent", self.client_id, self.number, code=code, req_id=req_id,
                                   text=message)
        values = {"id": req_id, "errorCode": code, "errorString": message, "advancedOrderRejectJson": advanced,
                  "errorTime": int(self.gateway.clock() * 1000)}
        names, encode = _error_encoder(self.version)  # errors are frequent (error 100 under a flood)
        self.write(encode(*(values[name] for name in names)), ERROR.msg_id)

    # ----- subscriptions and background work -----------------------------------------------

    def subscribe(self, kind: str, req_id: int, value: Any = True) -> None:
        self.subscriptions.setdefault(kind, {})[req_id] = value

    def unsubscribe(self, kind: str, req_id: int) -> Any:
        return self.subscriptions.get(kind, {}).pop(req_id, None)

    def subscribed(self, kind: str) -> dict[int, Any]:
        return self.subscriptions.get(kind, {})

    def on_close(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` when this connection ends (to release what the session held)."""
        self._close_callbacks.append(callback)

    def on_brokerage_event(self, event: str, payload: dict[str, Any]) -> None:
        """Brokerage events reach the session's handlers through the gateway's event table."""
        for listener in self.gateway.event_handlers.get(event, ()):
            listener(self, payload)



@functools.lru_cache(maxsize=None)
def _error_encoder(version: int) -> tuple[tuple[str, ...], Callable[..., bytes]]:
    """The error layout's variable slots at ``version`` (the table says which) and its fast encoder."""
    names = tuple(slot.name for slot in ERROR.slots if slot.present_at(version) and not getattr(slot, "constant", False))
    return names, ERROR.positional(version)


def reset(transport: asyncio.Transport) -> None:
    """Close with RST rather than FIN: SO_LINGER 0, then drop the socket (what a crashed host does)."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:  # already gone: there is nothing left to reset
            pass
    transport.abort()


class BadRequestFrame(ProtocolError):
    """A frame that is not a request at all (no numeric id, or out of sequence)."""


def _guess_request_id(fields: list[str]) -> int:
    """Most requests carry ``id, version, reqId``; fall back to -1 when that is not a number."""
    for index in (2, 1):
        if len(fields) > index:
            try:
                return int(fields[index])
            except ValueError:
                continue
    return -1
