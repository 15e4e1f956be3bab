"""``ControlServer``: uvicorn serving the control API inside the gateway's own event loop.

It binds its socket itself (127.0.0.1, port 0 by default), so the real port is known before the
first request, and it is ready when ``async with`` is entered. uvicorn's own signal handling is
left out: the process that embeds the server (the CLI) owns SIGINT and SIGTERM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ib_harness.embedded_uvicorn import EmbeddedServer

from .app import build_app

if TYPE_CHECKING:
    from ..server import FakeGateway


class ControlServer(EmbeddedServer):
    """The HTTP control API of one gateway; ``async with ControlServer(gw) as control:``."""

    label = "control api"
    lifespan: Literal["auto", "on", "off"] = "off"

    def __init__(self, gateway: "FakeGateway", host: str = "127.0.0.1", port: int = 0,
                 token: str | None = None) -> None:
        super().__init__(build_app(gateway, token), host, port)
        self.gateway = gateway
