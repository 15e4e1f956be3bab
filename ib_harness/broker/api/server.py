"""``ApiServer``: the HTTP API served by uvicorn in the current event loop (the broker's loop).

It binds its own socket (127.0.0.1, port 0 by default) so the real port is known at once, and
``async with`` returns only after uvicorn's startup, lifespan included, has finished: readiness
is an awaited event, never a sleep. Closing twice is safe.
"""

from __future__ import annotations

from typing import Literal
from fastapi import FastAPI

from ib_harness.embedded_uvicorn import EmbeddedServer


class ApiServer(EmbeddedServer):
    """``async with ApiServer(build_api(broker)) as server:`` serves the broker at ``server.url``."""

    label = "broker api"
    lifespan: Literal["auto", "on", "off"] = "on"

    def __init__(self, app: FastAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(app, host, port)
