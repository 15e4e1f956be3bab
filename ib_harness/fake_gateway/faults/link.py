"""The link stage of one session: where its traffic meets the faults that target it.

A session has a link only while some fault or trigger targets it; otherwise it writes straight to
its transport (the fast path, unchanged). Through the link, outbound frames pass the faults'
``on_outbound`` hooks and then, when a link-shaping fault is active (latency, stall, slicer,
bandwidth...), an ordered queue drained by one task per direction. The queue keeps frames in
order and loses none: only a fault drops, duplicates or reorders. What the DEBUG wire log shows
is written here, when the bytes really go out.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..session.session import Session
    from .base import Fault
    from .faultset import FaultSet
    from .triggers import TriggerWatch

wire_log = logging.getLogger("ib_harness.fake_gateway.wire")
BANDWIDTH_TICK = 0.02  # seconds of traffic per paced write: smooth enough, few wake-ups


@dataclass
class Packet:
    data: bytes
    msg_id: int | None
    ready: float  # loop time before which it may not go out
    whole: bool  # a complete frame (logged as fields) rather than raw bytes


class SessionLink:
    """The per-session fault stage, both directions."""

    def __init__(self, session: "Session", faults: "FaultSet") -> None:
        self.session = session
        self.faultset = faults
        self.faults: tuple["Fault", ...] = ()
        self.shaping: tuple["Fault", ...] = ()
        self.watches: tuple["TriggerWatch", ...] = ()
        self._out: deque[Packet] = deque()
        self._in: deque[tuple[float, bytes]] = deque()
        self._out_task: asyncio.Task[None] | None = None
        self._in_task: asyncio.Task[None] | None = None
        self._last_out = 0.0
        self._last_in = 0.0
        self._changed = asyncio.Event()
        self._close_pending: str | None = None
        self._trace = session._trace

    # ----- membership ---------------------------------------------------------------------------

    def update(self, faults: tuple["Fault", ...], watches: tuple["TriggerWatch", ...]) -> None:
        """Apply a new set of targeting faults: attach the new ones, detach the ones that ended."""
        old = self.faults
        self.faults = faults
        self.shaping = tuple(f for f in faults if f.shapes_link)
        self.watches = watches
        for fault in old:
            if fault not in faults:
                fault.detach(self.session)
        for fault in faults:
            if fault not in old:
                fault.attach(self.session)
        self._changed.set()

    @property
    def idle(self) -> bool:
        """Nothing queued or being sent: the session may go back to the fast path."""
        return not self._out and not self._in and self._out_task is None and self._in_task is None

    # ----- outbound -----------------------------------------------------------------------------

    def send(self, frame: bytes, msg_id: int | None) -> None:
        """A frame from the session: triggers count it, faults transform it, the stage sends it."""
        if self._close_pending is not None:
            return
        session = self.session
        for watch in self.watches:
            watch.saw_response(session, msg_id)
        frames = [frame]
        for fault in self.faults:
            frames = [out for item in frames for out in fault.on_outbound(session, msg_id, item)]
        for item in frames:
            self.emit(item, msg_id)

    def emit(self, data: bytes, msg_id: int | None, whole: bool = True) -> None:
        """Bytes past the content faults, into the ordered queue (or straight out when nothing shapes)."""
        if not self.shaping and not self._out and self._out_task is None:  # nothing queued or going out
            self._write(data, whole)
            return
        session = self.session
        loop = asyncio.get_running_loop()
        delay = sum(fault.delay(session, "out") for fault in self.shaping)
        ready = max(loop.time() + delay, self._last_out)
        self._last_out = ready
        self._out.append(Packet(data, msg_id, ready, whole))
        if self._out_task is None:
            self._out_task = loop.create_task(self._pump_out())
        else:
            self._changed.set()

    def discard_output(self) -> int:
        """Throw away every queued frame (a stall released with ``drop``); returns how many."""
        dropped = len(self._out)
        self._out.clear()
        self._changed.set()
        return dropped

    def held(self) -> bool:
        return any(fault.holds_output(self.session) for fault in self.shaping)

    async def _pump_out(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._out:
                if self.held():
                    self._changed.clear()
                    await self._changed.wait()
                    continue
                packet = self._out[0]
                wait = packet.ready - loop.time()
                if wait > 0:
                    await asyncio.sleep(wait)
                    continue
                self._out.popleft()
                await self._transmit(packet)
        finally:
            self._out_task = None
            self._settle()

    async def _transmit(self, packet: Packet) -> None:
        session = self.session
        slicing = next((s for s in (f.slicing(session) for f in self.shaping) if s), None)
        rates = [r for r in (f.bytes_per_second(session) for f in self.shaping) if r]
        if slicing is None and not rates:
            self._write(packet.data, packet.whole)
            return
        data = packet.data
        piece_size, gap = slicing if slicing else (len(data), 0.0)
        rate = min(rates) if rates else 0.0
        if rate:
            piece_size = min(piece_size, max(1, int(rate * BANDWIDTH_TICK)))
        for offset in range(0, len(data), piece_size):
            piece = data[offset:offset + piece_size]
            self._write(piece, packet.whole and len(piece) == len(data), (offset, len(data), data))
            session.flush()
            last = offset + piece_size >= len(data)
            pause = (len(piece) / rate if rate else 0.0) + (0.0 if last else gap)
            if pause > 0:
                await asyncio.sleep(pause)

    def _write(self, data: bytes, whole: bool, part: tuple[int, int, bytes] | None = None) -> None:
        session = self.session
        if self._trace:
            client = session.client_id
            if whole:
                wire_log.debug("client %s <- %s", client, _fields_text(data))
            elif part is not None:
                offset, total, frame = part
                wire_log.debug("client %s <- bytes %d..%d of %d: %s", client, offset, offset + len(data),
                               total, _fields_text(frame))
            else:
                wire_log.debug("client %s <- %d raw bytes %r", client, len(data), data[:64])
        session.raw_write(data)

    # ----- inbound ------------------------------------------------------------------------------

    def receive(self, data: bytes) -> None:
        """Bytes from the client: byte faults first, then (maybe delayed) into the session."""
        session = self.session
        for fault in self.faults:
            data = fault.on_inbound_bytes(session, data)
            if not data:
                return
        delay = sum(fault.delay(session, "in") for fault in self.shaping)
        if delay <= 0 and not self._in:
            session.consume(data)
            return
        loop = asyncio.get_running_loop()
        ready = max(loop.time() + delay, self._last_in)
        self._last_in = ready
        self._in.append((ready, data))
        if self._in_task is None:
            self._in_task = loop.create_task(self._pump_in())

    async def _pump_in(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._in:
                ready, data = self._in[0]
                if ready > loop.time():
                    await asyncio.sleep(ready - loop.time())
                    continue
                self._in.popleft()
                self.session.consume(data)
        finally:
            self._in_task = None
            self._settle()

    def request(self, fields: list[str]) -> None:
        """A decoded request: triggers count it, faults may swallow, duplicate or rewrite it."""
        session = self.session
        try:
            msg_id: int | None = int(fields[0])
        except (ValueError, IndexError):
            msg_id = None
        for watch in self.watches:
            watch.saw_request(session, msg_id)
        requests = [fields]
        for fault in self.faults:
            requests = [out for item in requests for out in fault.on_inbound_request(session, item)]
        for item in requests:
            session.handle_fields(item)

    # ----- closing ------------------------------------------------------------------------------

    def defer_close(self, reason: str) -> bool:
        """A FIN close waits until queued frames went out (held ones are dropped); False: close now."""
        if self.held():
            self._out.clear()
        if not self._out:
            return False
        self._close_pending = reason
        return True

    def cancel(self) -> None:
        """The session is gone: stop the pumps."""
        self._out.clear()
        self._in.clear()
        for task in (self._out_task, self._in_task):
            if task is not None:
                task.cancel()

    def _settle(self) -> None:
        if self._close_pending is not None and not self._out:
            reason, self._close_pending = self._close_pending, None
            self.session.close(reason)
        if self.idle:
            self.faultset.refresh(self.session)


def _fields_text(frame: bytes) -> str:
    return frame[4:].rstrip(b"\0").replace(b"\0", b",").decode(errors="replace")
