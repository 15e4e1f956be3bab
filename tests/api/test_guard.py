"""The API's edge: the token is checked before the body is read, bodies are bounded (413), the read
routes that reach IB need a token, and durations and prices outside IB's limits never reach IB."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from ib_harness.broker import IBKRInsyncBroker
from ib_harness.broker.api import ApiServer, ApiSettings, build_api
from ib_harness.fake_gateway import FakeGateway
from tests.api.conftest import AUTH, FAST, TOKEN, Stack

ORDER = b'{"symbol": "AAPL", "side": "BUY", "quantity": 1, "order_type": "LIMIT", "limit_price": 100}'


async def raw_request(stack: Stack, head: str, body: bytes, timeout: float = 5.0) -> tuple[int, bytes]:
    """Send a request head and only ``body`` (maybe far less than it announces); the status and
    the answer's bytes, or a TimeoutError when the server waits for the rest of the body."""
    reader, writer = await asyncio.open_connection(stack.server.host, stack.server.port)
    try:
        writer.write(head.encode() + b"\r\n" + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout)
        rest = await asyncio.wait_for(reader.read(4096), timeout)
        return int(status_line.split()[1]), rest
    finally:
        writer.close()


def post_head(length: int, token: str | None, chunked: bool = False) -> str:
    lines = ["POST /orders HTTP/1.1", "Host: api", "Content-Type: application/json", "Idempotency-Key: big-1"]
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}")
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return "\r\n".join(lines) + "\r\n"


async def test_a_huge_body_without_a_token_is_refused_before_it_is_read(stack: Stack) -> None:
    """120 MiB to POST /orders with no token froze the API for 17 s and took 3.5 GB before the 401."""
    status, answer = await raw_request(stack, post_head(120 * 2**20, None), b"x" * 1024)
    assert status == 401 and b"header.Authorization" in answer


async def test_a_body_over_64_kib_is_413_before_it_is_parsed(stack: Stack) -> None:
    status, answer = await raw_request(stack, post_head(120 * 2**20, "test-token"), b"x" * 1024)
    assert status == 413 and b"65536" in answer
    chunk = b"x" * 70_000
    status, answer = await raw_request(stack, post_head(0, "test-token", chunked=True),
                                       f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    assert status == 413 and b"body" in answer
    assert stack.gateway.brokerage.orders.orders == {}
    small = await stack.http.post("/orders", content=ORDER, headers={**AUTH, "Idempotency-Key": "small-1",
                                                                     "Content-Type": "application/json"})
    assert small.status_code == 201, small.text


@pytest.mark.parametrize("path", ["/account", "/positions", "/orders", "/orders/nope", "/prices/AAPL",
                                  "/bars/AAPL", "/journal"])
async def test_read_routes_that_reach_ib_need_the_token(stack: Stack, path: str) -> None:
    refused = await stack.http.get(path)
    assert refused.status_code == 401, refused.text
    assert refused.json()["errors"][0]["field"] == "header.Authorization"
    assert (await stack.http.get(path, headers=AUTH)).status_code in (200, 404)


async def test_health_metrics_and_the_schema_stay_open(stack: Stack) -> None:
    for path in ("/health", "/metrics", "/openapi.json"):
        assert (await stack.http.get(path)).status_code == 200, path


@pytest.mark.parametrize("duration", ["9999 Y", "51 Y", "86401 S", "29 S", "366 D", "53 W", "13 M", "0 D"])
async def test_durations_outside_ibs_limits_are_422_and_never_reach_ib(stack: Stack, duration: str) -> None:
    """GET /bars/AAPL?duration=9999 Y crashed the gateway session: the broker reconnected and every
    other client got 503."""
    answer = await stack.http.get("/bars/AAPL", params={"duration": duration, "bar_size": "1 day"}, headers=AUTH)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["query.duration"]
    assert stack.broker.state.value == "ready" and len(stack.gateway.sessions) == 1
    health = (await stack.http.get("/health")).json()
    assert health["ready"] is True and health["reconnects"] == 0


@pytest.mark.parametrize("duration", ["30 S", "86400 S", "365 D", "52 W", "12 M", "2 Y"])
async def test_durations_ib_accepts_pass_the_edge(stack: Stack, duration: str) -> None:
    answer = await stack.http.get("/bars/AAPL", params={"duration": duration, "bar_size": "1 day"}, headers=AUTH)
    assert answer.status_code != 422, answer.text


@pytest.mark.parametrize("field, value", [("limit_price", "Infinity"), ("limit_price", "NaN"),
                                          ("limit_price", "1e300"), ("quantity", "Infinity"), ("quantity", "1e300"),
                                          ("stop_price", "-Infinity")])
async def test_non_finite_and_absurd_numbers_are_422_naming_the_field(stack: Stack, field: str, value: str) -> None:
    body = {"symbol": '"AAPL"', "side": '"BUY"', "quantity": "1", "order_type": '"STOP_LIMIT"',
            "limit_price": "100", "stop_price": "99", field: value}
    text = "{" + ", ".join(f'"{k}": {v}' for k, v in body.items()) + "}"
    answer = await stack.http.post("/orders", content=text.encode(),
                                   headers={**AUTH, "Idempotency-Key": "num-1", "Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert f"body.{field}" in [e["field"] for e in answer.json()["errors"]]
    assert stack.gateway.brokerage.orders.orders == {}


async def test_a_read_token_reads_but_cannot_trade(gateway: FakeGateway, tmp_path: Path) -> None:
    broker = IBKRInsyncBroker(gateway.host, gateway.port, 8, journal_path=tmp_path / "j.sqlite3", **FAST)
    settings = ApiSettings(token=TOKEN, read_token="read-only", startup_wait=10)
    async with ApiServer(build_api(broker, settings)) as server, httpx.AsyncClient(base_url=server.url) as http:
        reader = {"Authorization": "Bearer read-only"}
        assert (await http.get("/positions", headers=reader)).status_code == 200
        assert (await http.get("/journal", headers=reader)).status_code == 200
        refused = await http.post("/orders", content=ORDER, headers={**reader, "Idempotency-Key": "ro-1",
                                                                    "Content-Type": "application/json"})
        assert refused.status_code == 401 and "read token cannot POST" in refused.json()["detail"]
        assert (await http.delete("/orders/1", headers=reader)).status_code == 401
    assert gateway.brokerage.orders.orders == {}


async def test_without_any_token_configured_every_guarded_route_is_refused(gateway: FakeGateway,
                                                                           tmp_path: Path) -> None:
    broker = IBKRInsyncBroker(gateway.host, gateway.port, 9, journal_path=tmp_path / "j.sqlite3", **FAST)
    async with ApiServer(build_api(broker, ApiSettings(startup_wait=10))) as server, \
            httpx.AsyncClient(base_url=server.url) as http:
        answer = await http.get("/positions", headers={"Authorization": "Bearer anything"})
        assert answer.status_code == 401 and "no bearer token is configured" in answer.json()["detail"]
        assert (await http.get("/health")).status_code == 200
