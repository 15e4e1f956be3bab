"""A transparent TCP proxy between any TWS client and a gateway that records every frame.

Bytes are forwarded unchanged the moment they arrive, in both directions; a copy of each stream
is cut into frames on the side (the client's ``API\\0`` + version announcement, the server's
version/time reply, then length-prefixed messages) and recorded with a timestamp, named by the
layout table where a layout reads the frame. The proxy never refuses or alters traffic: a frame
it cannot split is recorded raw.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from typing import Callable

from ..wire.framing import API_PREFIX, FrameParser, ProtocolError, split_fields
from .model import Direction, RecordedFrame, RecordedSession, Recording
from .naming import name_fields
from .redact import Redactor

log = logging.getLogger("ib_harness.fake_gateway.record")
_CHUNK = 65536


class RecordingProxy:
    """``async with RecordingProxy("127.0.0.1", 4002) as proxy:`` then point clients at proxy.port."""

    def __init__(self, upstream_host: str, upstream_port: int, host: str = "127.0.0.1", port: int = 0,
                 clock: Callable[[], float] = time.time, redact: bool = False) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.redactor = Redactor() if redact else None
        self.host, self.port = host, port
        self.clock = clock
        self.recording = Recording(upstream=f"{upstream_host}:{upstream_port}")
        self._server: asyncio.AbstractServer | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._numbers = itertools.count(1)

    async def start(self) -> "RecordingProxy":
        """Listen; returns once clients can connect."""
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, self.host, self.port)
            self.host, self.port = self._server.sockets[0].getsockname()[:2]
            log.info("recording proxy on %s:%d -> %s", self.host, self.port, self.recording.upstream)
        return self

    async def close(self) -> None:
        """Stop listening and end every proxied connection. Safe to call more than once."""
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()
        tasks = list(self._connections)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def __aenter__(self) -> "RecordingProxy":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        session = RecordedSession(number=next(self._numbers), started=self.clock())
        self.recording.sessions.append(session)
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError as exc:
            log.warning("session %d: upstream %s unreachable: %s", session.number, self.recording.upstream, exc)
            client_writer.close()
            self._connections.discard(task)
            return
        tap = _Tap(session, self.clock, self.redactor)
        pumps = [asyncio.create_task(_pump(client_reader, upstream_writer, tap.from_client)),
                 asyncio.create_task(_pump(upstream_reader, client_writer, tap.from_server))]
        try:
            await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            for writer in (client_writer, upstream_writer):
                writer.close()
            self._connections.discard(task)


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, record: Callable[[bytes], None]) -> None:
    """Forward until EOF; the copy is recorded after the bytes are on their way."""
    while True:
        data = await reader.read(_CHUNK)
        if not data:
            return
        writer.write(data)
        try:
            record(data)
        except Exception:  # noqa: BLE001 - the recording must never break the traffic it watches
            log.exception("recording failed for %d bytes; traffic continues", len(data))
        await writer.drain()


class _Tap:
    """Cuts both copies of one connection into frames and records them."""

    def __init__(self, session: RecordedSession, clock: Callable[[], float], redactor: Redactor | None = None) -> None:
        self.session = session
        self.clock = clock
        self.redactor = redactor
        self.client_parser = FrameParser(require_message_id=False)
        self.server_parser = FrameParser(require_message_id=False)
        self.prefix = b""  # the client's API\0, while it arrives
        self.broken: set[Direction] = set()

    def from_client(self, data: bytes) -> None:
        if len(self.prefix) < len(API_PREFIX):
            take = len(API_PREFIX) - len(self.prefix)
            self.prefix, data = self.prefix + data[:take], data[take:]
        self._cut("client", self.client_parser, data)

    def from_server(self, data: bytes) -> None:
        self._cut("server", self.server_parser, data)

    def _cut(self, sender: Direction, parser: FrameParser, data: bytes) -> None:
        if sender in self.broken or not data:
            return
        try:
            payloads = parser.feed(data)
        except ProtocolError as exc:  # keep forwarding; stop cutting this direction
            self.broken.add(sender)
            log.warning("session %d: %s stream is not TWS framing any more: %s", self.session.number, sender, exc)
            return
        for payload in payloads:
            self._record(sender, payload)

    def _record(self, sender: Direction, payload: bytes) -> None:
        session = self.session
        at = round(self.clock() - session.started, 6)
        if sender == "client" and not session.client_versions:
            session.client_versions = payload.decode("ascii", "replace").rstrip("\0")
            session.frames.append(RecordedFrame(at=at, sender=sender, raw=[session.client_versions]))
            return
        try:
            fields = split_fields(payload)
        except ProtocolError:
            fields = [payload.decode("utf-8", "replace")]
        if sender == "server" and session.server_version is None:
            session.server_version = int(fields[0]) if fields and fields[0].isdigit() else 0
            session.connection_time = fields[1] if len(fields) > 1 else ""
            session.frames.append(RecordedFrame(at=at, sender=sender, raw=fields))
            return
        if self.redactor is not None:
            fields = self.redactor.redact(sender, fields, session.server_version or 0)
        layout, named = name_fields(sender, fields, session.server_version or 0)
        msg_id = int(fields[0]) if fields and fields[0].isdigit() else None
        session.frames.append(RecordedFrame(at=at, sender=sender, msg_id=msg_id, layout=layout, raw=fields, named=named))
