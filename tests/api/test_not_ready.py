"""While the broker is not ready, every route but health and metrics answers 503 at once with
Retry-After; nothing hangs on a dead gateway, and the API serves again after recovery."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from ib_harness.broker import BrokerState, IBKRInsyncBroker
from ib_harness.broker.api import ApiServer, ApiSettings, build_api
from ib_harness.fake_gateway import FakeGateway
from tests.api.conftest import AUTH, FAST, TOKEN, Stack

GUARDED = [("GET", "/account"), ("GET", "/positions"), ("GET", "/orders"), ("GET", "/orders/x"),
           ("GET", "/prices/AAPL"), ("GET", "/bars/AAPL"), ("DELETE", "/orders/x")]


async def wait_until(predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def assert_all_unavailable(http: httpx.AsyncClient) -> None:
    for method, path in GUARDED:
        response = await http.request(method, path, headers=AUTH)
        assert response.status_code == 503, (method, path, response.text)
        assert response.headers["retry-after"] == "1" and response.headers["x-fail-fast"] == "1"
        assert response.json()["state"] != "ready"
    placed = await http.post("/orders", json={"symbol": "AAPL", "side": "BUY", "quantity": 1, "order_type": "MARKET"},
                             headers={**AUTH, "Idempotency-Key": "during-outage"})
    assert placed.status_code == 503


async def test_stall_turns_routes_to_503_and_they_recover(stack: Stack) -> None:
    assert (await stack.http.get("/positions", headers=AUTH)).status_code == 200
    handle = stack.gateway.faults.inject({"kind": "stall"})
    in_flight = asyncio.ensure_future(stack.http.get("/prices/MSFT", headers=AUTH))  # asked while the link is silent
    await wait_until(lambda: stack.broker.state != BrokerState.READY)
    await assert_all_unavailable(stack.http)
    health = await stack.http.get("/health")
    assert health.status_code == 503 and health.json()["ready"] is False
    assert (await stack.http.get("/metrics")).status_code == 200
    started = time.perf_counter()
    answer = await asyncio.wait_for(in_flight, 10)
    assert answer.status_code in (503, 504), answer.text  # failed, not hung for the full request timeout
    if answer.status_code == 503:
        assert answer.headers["x-fail-fast"] == "0"  # it was in flight when the link died
    assert time.perf_counter() - started < FAST["request_timeout"]
    # the link is declared dead after probe_timeout; a stall that ended sooner would (rightly) be
    # recovered on the same socket, without the reconnect this test is about
    await wait_until(lambda: bool(stack.broker.events.of_kind("probe_timeout")))
    handle.stop()
    await stack.broker.machine.wait_for(BrokerState.READY, timeout=10)
    assert (await stack.http.get("/positions", headers=AUTH)).status_code == 200
    health = (await stack.http.get("/health")).json()
    assert health["ready"] and health["reconnects"] == 1 and "no data" in health["last_error"]
    assert not stack.gateway.brokerage.orders.orders


async def test_api_starts_and_answers_503_while_the_gateway_is_down(tmp_path: Path) -> None:
    async with FakeGateway() as gateway:
        host, port = gateway.host, gateway.port
    broker = IBKRInsyncBroker(host, port, 3, journal_path=tmp_path / "journal.sqlite3", **FAST)
    app = build_api(broker, ApiSettings(token=TOKEN, startup_wait=0.2))
    async with ApiServer(app) as server, httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        assert broker.state != BrokerState.READY
        await assert_all_unavailable(http)
        health = await http.get("/health")
        assert health.status_code == 503 and "refused" in (health.json()["last_error"] or "").lower()
    assert broker.state == BrokerState.STOPPED


async def test_server_binds_port_zero_and_closes_twice(tmp_path: Path, gateway: FakeGateway) -> None:
    broker = IBKRInsyncBroker(gateway.host, gateway.port, 4, journal_path=tmp_path / "journal.sqlite3", **FAST)
    server = ApiServer(build_api(broker, ApiSettings(token="t")))
    await server.start()
    assert server.port != 0 and broker.state == BrokerState.READY
    await server.close()
    await server.close()
    assert broker.state == BrokerState.STOPPED


async def test_a_request_in_flight_fails_when_the_broker_degrades_not_when_the_socket_drops(
        gateway: FakeGateway, tmp_path: Path) -> None:
    """probe_timeout is long, so the session would be dropped much later; the answer comes while
    the broker is still only degraded."""
    settings = {**FAST, "probe_interval": 1.0, "probe_overdue": 0.1, "probe_timeout": 8.0, "request_timeout": 8.0}
    broker = IBKRInsyncBroker(gateway.host, gateway.port, 5, journal_path=tmp_path / "j.sqlite3", **settings)
    async with ApiServer(build_api(broker, ApiSettings(token=TOKEN))) as server, \
            httpx.AsyncClient(base_url=server.url, timeout=20) as http:
        gateway.faults.inject({"kind": "stall"})
        answer = await http.get("/prices/MSFT", headers=AUTH)  # MSFT has no stream yet: it must ask the gateway
        assert answer.status_code == 503 and answer.headers["x-fail-fast"] == "0"
        assert "in flight when the broker left ready" in answer.json()["detail"]
        assert broker.state == BrokerState.DEGRADED  # the socket is still up: not failed by the drop
        assert gateway.sessions, "the stalled session is still open"
