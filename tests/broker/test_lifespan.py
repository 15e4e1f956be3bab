"""The broker in an ASGI app: FastAPI's lifespan connects it at startup and disconnects it at
shutdown; a route maps BrokerUnavailable to 503 (the README's example, run for real)."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI, HTTPException

from ib_harness.broker import BrokerError, BrokerState, BrokerUnavailable, IBKRInsyncBroker
from ib_harness.fake_gateway import FakeGateway

from .conftest import FAST


def make_app(broker: IBKRInsyncBroker) -> FastAPI:
    app = FastAPI(lifespan=broker.lifespan)

    @app.get("/price/{symbol}")
    async def price(symbol: str) -> dict[str, float]:
        try:
            return {"price": await broker.get_market_price(symbol)}
        except BrokerUnavailable as exc:
            raise HTTPException(503, f"{exc.state}: {exc.last_error}")
        except BrokerError as exc:
            raise HTTPException(502, str(exc))

    return app


async def test_fastapi_lifespan_connects_serves_and_disconnects(gateway: FakeGateway, tmp_path: Path) -> None:
    gateway.brokerage.market.pin("AAPL", 187.5, spread=0.02)
    broker = IBKRInsyncBroker(gateway.host, gateway.port, 1, journal_path=tmp_path / "j.sqlite3", **FAST)
    app = make_app(broker)
    async with app.router.lifespan_context(app):
        assert broker.state == BrokerState.READY
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://app") as client:
            ok = await client.get("/price/AAPL")
            assert ok.status_code == 200 and abs(ok.json()["price"] - 187.5) < 0.05
            gateway.faults.inject({"kind": "connectivity_lost", "client_id": 1})
            await broker.machine.wait_for(BrokerState.DEGRADED, timeout=5)
            refused = await client.get("/price/AAPL")
            assert refused.status_code == 503 and "degraded" in refused.json()["detail"]
            assert "1100" in refused.json()["detail"]
    assert broker.state == BrokerState.STOPPED
