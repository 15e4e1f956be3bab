"""``ApiServer``: the HTTP API served by uvicorn in the current event loop (the broker's loop).

It binds its own socket (127.0.0.1, port 0 by default) so the real port is known at once, and
``async with`` returns only after uvicorn's startup, lifespan included, has finished: readiness
is an awaited event, never a sleep. Closing twice is safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any, Iterator

import uvicorn
from fastapi import FastAPI


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


class ApiServer:
    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._task: asyncio.Task[Any] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> "ApiServer":
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
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="on")
        server = self._server = _Server(config)
        task = self._task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]), name="broker-api")
        ready = asyncio.ensure_future(server.ready.wait())
        await asyncio.wait({ready, task}, return_when=asyncio.FIRST_COMPLETED)
        if not server.ready.is_set():
            ready.cancel()
            sock.close()
            self._task = self._server = None
            task.result()  # re-raise what stopped uvicorn
            raise RuntimeError(f"api failed to start on {self.host}:{self.port} (see the log)")
        return self

    async def close(self) -> None:
        server, task = self._server, self._task
        self._server = self._task = None
        if server is None or task is None:
            return
        server.should_exit = True
        await asyncio.gather(task, return_exceptions=True)

    async def __aenter__(self) -> "ApiServer":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
