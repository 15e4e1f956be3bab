"""uvicorn serving an ASGI app inside the event loop that is already running.

The gateway's control API (in the gateway's loop) and the broker's HTTP API (in the broker's loop)
both need the same thing: bind 127.0.0.1 port 0 by default so the real port is known at once, be
ready when ``async with`` is entered (startup awaited on an event, never a sleep), leave SIGINT and
SIGTERM to the embedding process, and close safely twice. It lives outside both packages because
neither ``fake_gateway`` nor ``broker`` may import the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from typing import Any, Iterator, Literal

import uvicorn

log = logging.getLogger("embedded_uvicorn")


class _Server(uvicorn.Server):
    """uvicorn that reports when it accepts and leaves signals to the embedding process."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = asyncio.Event()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self.ready.set()


class EmbeddedServer:
    """``async with EmbeddedServer(app) as server:`` serves ``app`` at ``server.url``."""

    label = "http server"  # what the log and errors call it
    lifespan: Literal["auto", "on", "off"] = "on"

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._task: asyncio.Task[Any] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> "EmbeddedServer":
        """Bind, serve, and return once uvicorn's startup (lifespan included) has finished."""
        if self._task is not None:
            return self
        # IPPROTO_TCP explicitly: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
        # says TCP, and accepted sockets inherit the listener's proto 0 otherwise. With Nagle on,
        # every keep-alive answer after the first waited ~40 ms for the client's delayed ACK.
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM,
                             socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.host, self.port = sock.getsockname()[:2]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan=self.lifespan)
        server = self._server = _Server(config)
        task = self._task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]), name=self.label)
        ready = asyncio.ensure_future(server.ready.wait())
        await asyncio.wait({ready, task}, return_when=asyncio.FIRST_COMPLETED)
        if not server.ready.is_set():
            ready.cancel()
            sock.close()
            self._task = self._server = None
            task.result()  # re-raise what stopped uvicorn
            raise RuntimeError(f"{self.label} failed to start on {self.host}:{self.port} (see the log)")
        log.info("%s listening on %s:%d", self.label, self.host, self.port)
        return self

    async def close(self) -> None:
        """Stop serving; safe to call more than once."""
        server, task = self._server, self._task
        self._server = self._task = None
        if server is None or task is None:
            return
        server.should_exit = True
        await asyncio.gather(task, return_exceptions=True)

    async def __aenter__(self) -> Any:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
