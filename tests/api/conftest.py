"""API test fixtures: the real broker on an in-process fake gateway, served by real uvicorn on
port 0, and an httpx client to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import AsyncIterator

import httpx
import pytest

from ib_harness.broker import IBKRInsyncBroker
from ib_harness.broker.api import ApiServer, ApiSettings, build_api
from ib_harness.fake_gateway import FakeGateway

TOKEN = "test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FAST = dict(probe_interval=0.3, probe_timeout=0.4, probe_overdue=0.1, connect_timeout=2.0,
            backoff_initial=0.05, backoff_max=0.2, backoff_seed=7, request_timeout=3.0,
            order_ack_timeout=1.0, stream_check_timeout=0.3, circuit_failures=50, circuit_half_open_after=0.5)


@dataclass
class Stack:
    gateway: FakeGateway
    broker: IBKRInsyncBroker
    server: ApiServer
    http: httpx.AsyncClient


@pytest.fixture
async def stack(gateway: FakeGateway, tmp_path: Path) -> AsyncIterator[Stack]:
    gateway.brokerage.market.pin("AAPL", 188.0, spread=0.02)
    broker = IBKRInsyncBroker(gateway.host, gateway.port, 7, journal_path=tmp_path / "journal.sqlite3", **FAST)
    app = build_api(broker, ApiSettings(token=TOKEN, startup_wait=10))
    async with ApiServer(app) as server, httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        yield Stack(gateway, broker, server, http)
