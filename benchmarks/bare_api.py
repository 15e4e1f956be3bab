"""The reference for the API benchmark: a bare FastAPI endpoint served exactly like the API
(same ApiServer, uvicorn settings and process shape) that answers a positions-sized JSON list
without a broker behind it. ``python -m benchmarks.bare_api`` prints "bare api listening on URL"."""

from __future__ import annotations

import asyncio
import signal

from fastapi import FastAPI

from ib_harness.broker.api import ApiServer
from ib_harness.broker.models import Position

POSITIONS = [Position(account="DU1234567", symbol=symbol, quantity=100.0, avg_cost=150.0)
             for symbol in ("AAPL", "MSFT", "IBM", "SPY")]


def build_bare_app() -> FastAPI:
    app = FastAPI(title="bare reference")

    @app.get("/bare", response_model=list[Position])
    async def bare() -> list[Position]:
        return POSITIONS

    return app


async def serve() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with ApiServer(build_bare_app()) as server:
        print(f"bare api listening on {server.url}", flush=True)
        await stop.wait()


if __name__ == "__main__":
    asyncio.run(serve())
