"""A FakeGateway on its own thread and loop, and a blocking socket client: fuzz examples and
abuse loops then cost one socket each, not a gateway each, and Hypothesis stays synchronous."""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
import struct
import threading
from typing import Any, Awaitable, TypeVar

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.wire.framing import API_PREFIX, FrameParser, split_fields
from ib_harness.fake_gateway.wire.spec import frame_fields, frame_payload

T = TypeVar("T")


class GatewayThread:
    """``with GatewayThread(**config) as gt:`` a started gateway; ``gt.call(coro)`` runs on its loop."""

    def __init__(self, **config: Any) -> None:
        self.config = config
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="fuzz-gateway", daemon=True)
        self.gateway: FakeGateway | None = None

    def __enter__(self) -> "GatewayThread":
        self.thread.start()
        self.gateway = self.call(self._start())
        return self

    async def _start(self) -> FakeGateway:
        gateway = FakeGateway(**self.config)
        await gateway.start()
        return gateway

    def call(self, coro: Awaitable[T], timeout: float = 30.0) -> T:
        future: concurrent.futures.Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)  # type: ignore[arg-type]
        return future.result(timeout)

    def __exit__(self, *exc: object) -> None:
        if self.gateway is not None:
            self.call(self.gateway.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    @property
    def address(self) -> tuple[str, int]:
        assert self.gateway is not None
        return self.gateway.host, self.gateway.port


class BlockingClient:
    """One TWS connection over a plain blocking socket."""

    def __init__(self, address: tuple[str, int], timeout: float = 5.0) -> None:
        self.sock = socket.create_connection(address, timeout=timeout)
        self.parser = FrameParser()
        self.frames: list[list[str]] = []

    def handshake(self, client_id: int, low: int = 157, high: int = 176) -> None:
        self.sock.sendall(API_PREFIX + frame_payload(f"v{low}..{high}".encode()))
        self.read()
        self.send(["71", "2", str(client_id), ""])
        self.read_until("9")

    def send(self, fields: list[str]) -> None:
        self.sock.sendall(frame_fields(fields))

    def read(self) -> list[str]:
        while not self.frames:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("server closed the connection")
            self.frames.extend(split_fields(p) for p in self.parser.feed(data))
        return self.frames.pop(0)

    def read_until(self, msg_id: str) -> list[list[str]]:
        frames = []
        while True:
            frames.append(self.read())
            if frames[-1][0] == msg_id:
                return frames

    def served(self) -> bool:
        """True when the connection answers reqCurrentTime."""
        self.send(["49", "1"])
        return self.read_until("49")[-1][0] == "49"

    def close(self, reset: bool = False) -> None:
        if reset:  # RST instead of FIN
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()

