"""``ControlServer``: uvicorn serving the control API inside the gateway's own event loop.

It binds its socket itself (127.0.0.1, port 0 by default), so the real port is known before the
first request, and it is ready when ``async with`` is entered: startup is awaited on an event,
never guessed with a sleep. uvicorn's own signal handling is left out: the process that embeds
the server (the CLI) owns SIGINT and SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from typing import TYPE_CHECKING, Any, Iterator

import uvicorn

from .app import build_app

if TYPE_CHECKING:
    from ..server import FakeGateway

log = logging.getLogger("fake_gateway.control")


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that signals when it accepts and leaves the process's signals alone."""

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


class ControlServer:
    """The HTTP control API of one gateway; ``async with ControlServer(gw) as control:``."""

    def __init__(self, gateway: "FakeGateway", host: str = "127.0.0.1", port: int = 0) -> None:
        self.gateway = gateway
        self.host = host
        self.port = port
        self._server: _EmbeddedServer | None = None
        self._task: asyncio.Task[Any] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> "ControlServer":
        if self._task is not None:
            return self
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.host, self.port = sock.getsockname()[:2]
        config = uvicorn.Config(build_app(self.gateway), log_level="warning", access_log=False, lifespan="off")
        server = self._server = _EmbeddedServer(config)
        task = self._task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]),
                                                                    name="fake-gateway-control-api")
        ready = asyncio.ensure_future(server.ready.wait())
        await asyncio.wait({ready, task}, return_when=asyncio.FIRST_COMPLETED)
        if not server.ready.is_set():
            ready.cancel()
            sock.close()
            self._task = self._server = None
            task.result()  # re-raise what stopped uvicorn
            raise RuntimeError(f"control api failed to start on {self.host}:{self.port}")
        log.info("control api listening on %s:%d", self.host, self.port)
        return self

    async def close(self) -> None:
        """Stop serving; safe to call more than once."""
        server, task = self._server, self._task
        self._server = self._task = None
        if server is None or task is None:
            return
        server.should_exit = True
        await asyncio.gather(task, return_exceptions=True)

    async def __aenter__(self) -> "ControlServer":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
