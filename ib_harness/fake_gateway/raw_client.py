"""A minimal asyncio TWS client built on the gateway's own framing, for tests and debugging.

It speaks the wire literally (fields in, fields out) so tests can send what no real client would:
garbage, truncated frames, requests before startApi.
"""

from __future__ import annotations

import asyncio
from typing import Iterable

from .wire.framing import API_PREFIX, FrameParser, split_fields
from .wire.spec import frame_fields, frame_payload


class RawTwsClient:
    """One raw API connection: write bytes or fields, read decoded frames with a timeout."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.parser = FrameParser()
        self._frames: list[list[str]] = []
        self.server_version = 0
        self.connection_time = ""

    @classmethod
    async def connect(cls, host: str, port: int) -> "RawTwsClient":
        reader, writer = await asyncio.open_connection(host, port)
        return cls(reader, writer)

    async def handshake(self, low: int = 157, high: int = 176, options: str = "") -> list[str]:
        """Send ``API\\0`` + version range; return the server's (version, time) frame."""
        text = f"v{low}..{high}" + (f" {options}" if options else "")
        self.write(API_PREFIX + frame_payload(text.encode()))
        reply = await self.read()
        self.server_version = int(reply[0])
        self.connection_time = reply[1]
        return reply

    async def start_api(self, client_id: int = 1, capabilities: str = "") -> None:
        self.send(["71", "2", str(client_id), capabilities])

    def write(self, data: bytes) -> None:
        self.writer.write(data)

    def send(self, fields: Iterable[str]) -> None:
        self.writer.write(frame_fields([str(f) for f in fields]))

    async def read(self, timeout: float = 2.0) -> list[str]:
        """The next frame's fields; raises EOFError when the server closed the connection."""
        while not self._frames:
            data = await asyncio.wait_for(self.reader.read(65536), timeout)
            if not data:
                raise EOFError("server closed the connection")
            self._frames.extend(split_fields(p) for p in self.parser.feed(data))
        return self._frames.pop(0)

    async def read_until(self, msg_id: str, timeout: float = 2.0) -> list[list[str]]:
        """Frames up to and including the first with ``msg_id``."""
        frames = []
        while True:
            frame = await self.read(timeout)
            frames.append(frame)
            if frame[0] == msg_id:
                return frames

    async def closed_by_server(self, timeout: float = 2.0) -> bool:
        """True once the server has closed this connection (frames still in flight are skipped)."""
        try:
            while True:
                await self.read(timeout)
        except EOFError:
            return True
        except (ConnectionResetError, BrokenPipeError):
            return True

    async def close(self) -> None:
        if not self.writer.is_closing():
            self.writer.close()
        try:
            await self.writer.wait_closed()
        except (ConnectionError, OSError):
            pass
