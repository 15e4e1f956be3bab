"""An in-memory TCP network for the virtual loop: no sockets, so no byte is in flight when time jumps.

A connection is a pair of :class:`MemoryTransport` objects. Bytes written on one side land in the
other side's inbox and reach its protocol on the next loop turn (never "later" in virtual time:
latency, bandwidth and slicing are the fake gateway's link faults, which sleep on the loop).
What TCP does that the harness relies on is kept:

- ``close()`` is a FIN after everything written: the peer reads the data, then end of stream;
  closing with unread data in a paused inbox is an RST, as Linux does;
- ``abort()`` is an RST: the peer's unread data is dropped and it gets ``ConnectionResetError``
  (at once, or when it next reads or writes if it is not reading);
- ``write_eof()`` is a half close; ``pause_reading()`` stops delivery, and once the peer's
  "kernel buffers" (:data:`KERNEL_BUFFER`) are full the writer's own buffer grows and its protocol
  gets ``pause_writing()`` past the high-water mark;
- a connect to a port nobody listens on is refused at once (``ConnectionRefusedError``), as on
  loopback; a listener that closes stops accepting but leaves live connections alone.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import itertools
from typing import Any, Callable

KERNEL_BUFFER = 256 * 1024  # bytes a non-reading peer absorbs before the writer's buffer grows
MAX_READ = 256 * 1024  # one data_received at most, as asyncio's socket transports read
HIGH_WATER = 64 * 1024
LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0", "::", "", None}


class MemorySocket:
    """What ``server.sockets`` and ``get_extra_info`` callers look at: addresses, no file descriptor."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    def getsockname(self) -> tuple[str, int]:
        return self.host, self.port

    def fileno(self) -> int:
        return -1


class MemoryTransport(asyncio.Transport):
    """One end of an in-memory TCP connection."""

    def __init__(self, loop: asyncio.AbstractEventLoop, network: "MemoryNetwork",
                 local: tuple[str, int], remote: tuple[str, int]) -> None:
        super().__init__()
        self._loop = loop
        self._network = network
        self._local, self._remote = local, remote
        self._protocol: asyncio.BaseProtocol | None = None
        self.peer: MemoryTransport | None = None
        self._inbox = bytearray()  # what the peer sent that our protocol has not read yet
        self._eof_in = False  # the peer's FIN, after the inbox
        self._eof_seen = False
        self._reset_in = False  # the peer's RST
        self._rst_coming = False  # we sent to a closed peer: the next send meets its RST
        self._reading = True
        self._closing = False
        self._lost = False
        self._eof_out = False
        self._delivery_scheduled = False
        self._writing_paused = False
        self._high, self._low = HIGH_WATER, HIGH_WATER // 4

    # ----- asyncio.Transport ------------------------------------------------------------------

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": self._remote, "sockname": self._local, "socket": None}.get(name, default)

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._protocol = protocol

    def get_protocol(self) -> asyncio.BaseProtocol:
        assert self._protocol is not None
        return self._protocol

    def is_closing(self) -> bool:
        return self._closing

    def is_reading(self) -> bool:
        return self._reading and not self._closing

    def pause_reading(self) -> None:
        self._reading = False

    def resume_reading(self) -> None:
        if not self._reading:
            self._reading = True
            self._schedule_delivery()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._high = HIGH_WATER if high is None else high
        self._low = self._high // 4 if low is None else low

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._low, self._high

    def get_write_buffer_size(self) -> int:
        peer = self.peer
        if peer is None or peer._lost:
            return 0
        return max(0, len(peer._inbox) - KERNEL_BUFFER)

    def can_write_eof(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._eof_out:
            raise RuntimeError("Cannot call write() after write_eof()")
        if self._closing or not data:
            return
        peer = self.peer
        if self._reset_in:  # a send on a connection the peer reset
            self._fail(ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"))
            return
        if peer is None or peer._lost:
            # the peer closed (its FIN is queued here): these bytes are lost and its kernel answers
            # with an RST, which the next send meets (EPIPE once the end of stream was read)
            if self._rst_coming:
                self._fail(BrokenPipeError(errno.EPIPE, "Broken pipe") if self._eof_seen
                           else ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"))
            self._rst_coming = True
            return
        self._network.wire.update(b"%d>%d:%d:" % (self._local[1], self._remote[1], len(data)))
        self._network.wire.update(data)
        peer._inbox += data
        peer._schedule_delivery()
        self._pressure()

    def write_eof(self) -> None:
        if self._closing or self._eof_out:
            return
        self._eof_out = True
        if self.peer is not None:
            self.peer._eof_in = True
            self.peer._schedule_delivery()

    def close(self) -> None:
        """FIN after what was written (RST when unread data sits in a paused inbox, as Linux does)."""
        if self._closing:
            return
        if self._inbox and not self._reading:
            self._reset_peer()
        elif self.peer is not None and not self._eof_out:
            self.peer._eof_in = True
            self.peer._schedule_delivery()
        self._closing = True
        self._loop.call_soon(self._connection_lost, None)

    def abort(self) -> None:
        """RST: the peer's unread data is dropped and it sees a reset."""
        if self._lost:
            return
        self._reset_peer()
        self._closing = True
        self._loop.call_soon(self._connection_lost, None)

    # ----- internals ----------------------------------------------------------------------------

    def _reset_peer(self) -> None:
        peer = self.peer
        if peer is not None and not peer._lost:
            peer._reset_in = True
            peer._inbox.clear()
            peer._schedule_delivery()
            self._inbox.clear()

    def _schedule_delivery(self) -> None:
        if self._delivery_scheduled or self._lost or not self._reading:
            return
        if self._inbox or self._reset_in or (self._eof_in and not self._eof_seen):
            self._delivery_scheduled = True
            self._loop.call_soon(self._deliver)

    def _deliver(self) -> None:
        self._delivery_scheduled = False
        if self._lost or not self._reading or self._protocol is None:
            return
        if self._reset_in:
            self._fail(ConnectionResetError(errno.ECONNRESET, "Connection reset by peer"))
            return
        if self._closing:  # closed locally: nothing more is read
            return
        protocol = self._protocol
        if self._inbox:
            data = bytes(self._inbox[:MAX_READ])
            del self._inbox[:MAX_READ]
            if self.peer is not None:
                self.peer._pressure()
            protocol.data_received(data)  # type: ignore[attr-defined]
            self._schedule_delivery()
            return
        if self._eof_in and not self._eof_seen:
            self._eof_seen = True
            keep_open = protocol.eof_received()  # type: ignore[attr-defined]
            if not keep_open:
                self.close()

    def _pressure(self) -> None:
        """Tell the writer's protocol to pause or resume, as a socket transport's buffer would."""
        if self._protocol is None or self._lost:
            return
        size = self.get_write_buffer_size()
        if not self._writing_paused and size > self._high:
            self._writing_paused = True
            self._protocol.pause_writing()
        elif self._writing_paused and size <= self._low:
            self._writing_paused = False
            self._protocol.resume_writing()

    def _fail(self, exc: Exception) -> None:
        self._inbox.clear()
        self._closing = True
        self._loop.call_soon(self._connection_lost, exc)

    def _connection_lost(self, exc: Exception | None) -> None:
        if self._lost:
            return
        self._lost = True
        self._closing = True
        self._network.forget(self)
        if self._protocol is not None:
            self._protocol.connection_lost(exc)


class MemoryServer(asyncio.AbstractServer):
    """A listener on the in-memory network; closing it refuses new connects only."""

    def __init__(self, loop: asyncio.AbstractEventLoop, network: "MemoryNetwork",
                 factory: Callable[[], asyncio.BaseProtocol], host: str, port: int) -> None:
        self._loop = loop
        self._network = network
        self.factory = factory
        self.host, self.port = host, port
        self._serving = True
        self.sockets = (MemorySocket(host, port),)

    def close(self) -> None:
        if self._serving:
            self._serving = False
            self._network.unlisten(self)

    async def wait_closed(self) -> None:
        return None

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def is_serving(self) -> bool:
        return self._serving

    async def start_serving(self) -> None:
        return None

    async def serve_forever(self) -> None:
        while self._serving:
            await asyncio.sleep(3600)


class MemoryNetwork:
    """The listeners and live connections of one virtual loop; ports are handed out in order."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.listeners: dict[int, MemoryServer] = {}
        self.connections: set[MemoryTransport] = set()
        self.wire = hashlib.sha256()  # every byte written, in order, with who wrote it to whom
        self._server_ports = itertools.count(40001)
        self._client_ports = itertools.count(50001)

    def listen(self, factory: Callable[[], asyncio.BaseProtocol], host: str | None, port: int | None) -> MemoryServer:
        address = "127.0.0.1" if host in (None, "", "localhost") else str(host)
        if port:
            if port in self.listeners:
                raise OSError(errno.EADDRINUSE, f"[Errno 98] error while attempting to bind on address "
                                                f"({address!r}, {port}): address already in use")
        else:
            port = next(p for p in self._server_ports if p not in self.listeners)
        server = MemoryServer(self._loop, self, factory, address, port)
        self.listeners[port] = server
        return server

    def unlisten(self, server: MemoryServer) -> None:
        if self.listeners.get(server.port) is server:
            del self.listeners[server.port]

    async def connect(self, factory: Callable[[], asyncio.BaseProtocol], host: str | None,
                      port: int | None) -> tuple[MemoryTransport, asyncio.BaseProtocol]:
        await asyncio.sleep(0)  # a connect takes a loop turn, as the socket's does
        server = self.listeners.get(port or 0)
        if server is None or not (host in LOOPBACK or host == server.host or server.host in LOOPBACK):
            raise ConnectionRefusedError(errno.ECONNREFUSED, f"Connect call failed ({host!r}, {port})")
        client_address = ("127.0.0.1", next(self._client_ports))
        server_address = (server.host, server.port)
        client = MemoryTransport(self._loop, self, client_address, server_address)
        accepted = MemoryTransport(self._loop, self, server_address, client_address)
        client.peer, accepted.peer = accepted, client
        self.connections.update((client, accepted))
        server_protocol = server.factory()
        accepted.set_protocol(server_protocol)
        self._loop.call_soon(server_protocol.connection_made, accepted)
        protocol = factory()
        client.set_protocol(protocol)
        made = self._loop.create_future()

        def client_made() -> None:
            protocol.connection_made(client)
            if not made.done():
                made.set_result(None)

        self._loop.call_soon(client_made)
        await made
        return client, protocol

    def forget(self, transport: MemoryTransport) -> None:
        self.connections.discard(transport)
