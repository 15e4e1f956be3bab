"""The embedded uvicorn server shared by the gateway's control API and the broker's HTTP API."""

from __future__ import annotations

import socket

import httpx
from fastapi import FastAPI

from ib_harness.embedded_uvicorn import EmbeddedServer


def tiny_app() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "x" * 100}

    return app


async def test_accepted_connections_send_at_once_without_nagle() -> None:
    """Without TCP_NODELAY on the accepted socket, each keep-alive answer after the first sat in
    the kernel for the client's delayed ACK (~40 ms): the API's latency figures were that stall."""
    async with EmbeddedServer(tiny_app()) as server, httpx.AsyncClient(base_url=server.url) as client:
        for _ in range(3):
            assert (await client.get("/ping")).json()["pong"] == "x" * 100
        connections = list(server._server.server_state.connections)  # type: ignore[union-attr]
        assert connections, "the keep-alive connection is still open"
        for connection in connections:
            sock = connection.transport.get_extra_info("socket")
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0

