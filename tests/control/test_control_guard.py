"""The control API refuses what a web page could send (any page could restart the gateway with a
bodyless text/plain POST), takes an optional token, bounds bodies, and rejects Infinity and NaN."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.control import ControlServer
from tests.standalone import read_line, run_to_end, standalone, stop_cleanly

JSON = {"Content-Type": "application/json"}
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


async def test_a_bodyless_text_plain_post_cannot_restart_the_gateway() -> None:
    """What a cross-site form or fetch(no-cors) can send without a preflight: refused, nothing done."""
    async with FakeGateway() as gw, ControlServer(gw) as control, httpx.AsyncClient(base_url=control.url) as http:
        answer = await http.post("/restart", headers={"Content-Type": "text/plain"})
        assert answer.status_code == 415
        assert "Content-Type: application/json" in answer.json()["detail"]
        assert answer.json()["errors"][0]["field"] == "header.Content-Type"
        assert (await http.post("/restart")).status_code == 415  # no Content-Type at all
        assert "restart" not in [e["kind"] for e in (await http.get("/events")).json()]


@pytest.mark.parametrize("path, body", [("/faults", b'{"kind": "stall"}'), ("/market/AAPL", b'{"price": 10}'),
                                        ("/restart", b"{}")])
async def test_every_mutating_route_needs_json(path: str, body: bytes) -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, httpx.AsyncClient(base_url=control.url) as http:
        for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
            answer = await http.post(path, content=body, headers={"Content-Type": content_type})
            assert answer.status_code == 415, (content_type, answer.text)
        assert gw.faults.handles() == []
        accepted = await http.post(path, content=body, headers={"Content-Type": "application/json; charset=utf-8"})
        assert accepted.status_code in (200, 201), accepted.text


async def test_restart_with_json_and_no_body_still_works() -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, httpx.AsyncClient(base_url=control.url) as http:
        answer = await http.post("/restart", headers=JSON)
        assert answer.status_code == 200 and answer.json()["restarted"] is True


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Origin": "null"}, {"User-Agent": FIREFOX}])
async def test_browser_requests_are_refused_like_toxiproxy_does(headers: dict[str, str]) -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, httpx.AsyncClient(base_url=control.url) as http:
        for method, path in (("GET", "/sessions"), ("POST", "/faults"), ("DELETE", "/faults/x")):
            answer = await http.request(method, path, headers={**JSON, **headers}, content=b'{"kind": "stall"}')
            assert answer.status_code == 403, (method, path, answer.text)
            assert "browser" in answer.json()["detail"]
        assert gw.faults.handles() == []


async def test_an_optional_token_guards_every_route() -> None:
    async with FakeGateway() as gw, ControlServer(gw, token="ctl-secret") as control, \
            httpx.AsyncClient(base_url=control.url) as http:
        for method, path in (("GET", "/sessions"), ("GET", "/health"), ("POST", "/faults")):
            answer = await http.request(method, path, headers=JSON, content=b'{"kind": "stall"}')
            assert answer.status_code == 401 and answer.json()["errors"][0]["field"] == "header.Authorization"
        wrong = await http.get("/sessions", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        good = {"Authorization": "Bearer ctl-secret"}
        assert (await http.get("/sessions", headers=good)).status_code == 200
        assert (await http.post("/faults", json={"kind": "stall"}, headers=good)).status_code == 201


@pytest.mark.parametrize("path, body, field", [
    ("/market/AAPL", b'{"price": Infinity}', "Infinity"),
    ("/market/AAPL", b'{"price": 10, "spread": NaN}', "NaN"),
    ("/faults", b'{"kind": "stall", "duration": Infinity}', "Infinity"),
    ("/restart", b'{"down_seconds": NaN}', "NaN"),
])
async def test_infinity_and_nan_are_rejected(path: str, body: bytes, field: str) -> None:
    async with FakeGateway(market_ticker=False) as gw, ControlServer(gw) as control, \
            httpx.AsyncClient(base_url=control.url) as http:
        answer = await http.post(path, content=body, headers=JSON)
        assert answer.status_code == 422, answer.text
        assert field in answer.json()["detail"]
        assert gw.faults.handles() == []
        assert "restart" not in [e["kind"] for e in (await http.get("/events")).json()]


async def test_a_body_over_64_kib_is_413() -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, httpx.AsyncClient(base_url=control.url) as http:
        answer = await http.post("/faults", content=b'{"kind": "stall", "x": "' + b"a" * 70_000 + b'"}', headers=JSON)
        assert answer.status_code == 413


async def test_a_non_loopback_control_host_without_a_token_is_refused() -> None:
    code, out, err = await run_to_end("--port", "0", "--control-port", "0", "--control-host", "0.0.0.0")
    assert code == 2 and "--control-host 0.0.0.0" in err and "IB_CONTROL_TOKEN" in err
    assert "listening" not in out


async def test_a_non_loopback_control_host_with_a_token_from_the_environment_serves(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IB_CONTROL_TOKEN", "ctl-env-secret")  # the child inherits it; never in argv
    async with standalone("--port", "0", "--control-port", "0", "--control-host", "0.0.0.0") as gw:
        assert (await read_line(gw)).startswith("fake gateway listening on ")
        line = await read_line(gw)
        assert line.startswith("control api listening on 0.0.0.0:")
        port = int(line.rsplit(":", 1)[1])
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            assert (await http.get("/health")).status_code == 401
            answer = await http.get("/health", headers={"Authorization": "Bearer ctl-env-secret"})
            assert answer.status_code == 200
        await asyncio.wait_for(stop_cleanly(gw), 20)
