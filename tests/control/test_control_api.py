"""The control API over real HTTP (uvicorn in the gateway's loop), with a real ib_insync client:
every route, its 404 and 422, in process and against a standalone gateway subprocess."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.control import ControlServer
from ib_harness.fake_gateway.raw_client import RawTwsClient
from tests.faults.clients import connected
from tests.faults.status_clients import AAPL
from tests.standalone import read_line, run_to_end, standalone, stop_cleanly
from tests.waiting import until


async def test_health_sessions_and_events_describe_the_gateway() -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, connected(gw, 3):
        assert control.host == "127.0.0.1" and control.port > 0
        async with httpx.AsyncClient(base_url=control.url) as http:
            health = (await http.get("/health")).json()
            assert health == {"status": "ok", "listening": True, "host": gw.host, "port": gw.port, "sessions": 1}
            [session] = (await http.get("/sessions")).json()
            assert session["client_id"] == 3 and session["phase"] == "ready" and session["version"] == 176
            assert session["subscriptions"]["account_updates"] == [0] and session["held_requests"] == 0
            events = (await http.get("/events")).json()
            assert [e["kind"] for e in events][:2] == ["listening", "session_opened"]
            assert (await http.get("/events", params={"since": len(events)})).json() == []


async def test_faults_are_injected_listed_and_stopped_over_http() -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, connected(gw, 1) as me:
        greeting = len(me.errors)
        async with httpx.AsyncClient(base_url=control.url) as http:
            created = await http.post("/faults", json={"kind": "farm_down", "farm": "hmds", "client_id": 1})
            assert created.status_code == 201
            fault_id = created.json()["id"]
            await until(lambda: 2105 in me.codes(), what="2105 from a fault injected over HTTP")
            [listed] = (await http.get("/faults")).json()
            assert listed["id"] == fault_id and listed["active"] and listed["spec"]["farm"] == "hmds"
            assert (await http.get(f"/faults/{fault_id}")).json() == listed
            [session] = (await http.get("/sessions")).json()
            assert session["farms_down"] == ["hmds"]

            assert (await http.delete(f"/faults/{fault_id}")).status_code == 204
            await until(lambda: 2106 in me.codes()[greeting:], what="2106 after DELETE")
            assert (await http.get("/faults")).json() == []
            assert (await http.delete(f"/faults/{fault_id}")).status_code == 404
            assert (await http.get(f"/faults/{fault_id}")).status_code == 404
            kinds = [e["kind"] for e in (await http.get("/events")).json()]
            assert "fault_started" in kinds and "fault_stopped" in kinds


@pytest.mark.parametrize("body, named", [
    ({"kind": "farm_down", "farm": "options"}, "farm"),
    ({"kind": "no_such_kind"}, "no_such_kind"),
    ({"farm": "market"}, "kind"),
    ({"kind": "ib_error", "code": 1, "text": "x", "extra": 1}, "extra"),
    ([1, 2], "mapping"),
])
async def test_a_bad_spec_gets_422_naming_the_field(body: object, named: str) -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control:
        async with httpx.AsyncClient(base_url=control.url) as http:
            answer = await http.post("/faults", json=body)
            assert answer.status_code == 422 and named in answer.json()["detail"]
            assert (await http.post("/faults", content=b"{not json", headers={"content-type": "application/json"})).status_code == 422
            assert gw.faults.handles() == []


async def test_market_pins_a_price_and_rejects_unknown_symbols_and_bad_bodies() -> None:
    async with FakeGateway(market_ticker=False) as gw, ControlServer(gw) as control:
        async with httpx.AsyncClient(base_url=control.url) as http:
            answer = await http.post("/market/AAPL", json={"price": 201.5, "spread": 0.1})
            assert answer.status_code == 200 and answer.json()["con_id"] == AAPL
            quote = gw.brokerage.market.quote(AAPL)
            assert (quote.bid, quote.ask, quote.last) == (201.45, 201.55, 201.5)
            assert (await http.post("/market/NOPE", json={"price": 1.0})).status_code == 404
            bad = await http.post("/market/AAPL", json={"price": -1})
            assert bad.status_code == 422 and "price" in str(bad.json()["detail"])
            assert (await http.post("/market/AAPL", json={"price": 1, "sprad": 1})).status_code == 422


async def test_restart_drops_sessions_and_keeps_the_port_with_an_optional_down_window() -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, connected(gw, 1) as me:
        port = gw.port
        async with httpx.AsyncClient(base_url=control.url) as http:
            answer = await http.post("/restart", json={"down_seconds": 0.1})
            assert answer.status_code == 200 and answer.json()["port"] == port
            await asyncio.wait_for(me.disconnected.wait(), 2)  # the client saw the restart
            assert (await http.post("/restart", headers={"Content-Type": "application/json"})).status_code == 200
            assert (await http.post("/restart", json={"down_seconds": -1})).status_code == 422
            restarts = [e for e in (await http.get("/events")).json() if e["kind"] == "restart"]
            assert [e["data"]["down_seconds"] for e in restarts] == [0.1, 0.0]
        async with connected(gw, 1) as again:
            assert again.ib.isConnected() and gw.port == port


async def test_after_a_token_expiry_the_control_api_starts_the_gateway_again() -> None:
    async with FakeGateway() as gw, ControlServer(gw) as control, connected(gw, 1) as me:
        async with httpx.AsyncClient(base_url=control.url) as http:
            created = await http.post("/faults", json={"kind": "token_expiry"})
            assert created.status_code == 201
            await asyncio.wait_for(me.disconnected.wait(), 2)
            assert (await http.get("/health")).json()["listening"] is False
            with pytest.raises(ConnectionRefusedError):
                await RawTwsClient.connect(gw.host, gw.port)
            assert (await http.post("/restart", headers={"Content-Type": "application/json"})).status_code == 200
            assert (await http.get("/health")).json()["listening"] is True
            assert (await http.get("/faults")).json() == []  # listening again ended the fault
        async with connected(gw, 1) as again:
            assert again.ib.isConnected()


async def test_the_control_server_closes_twice_and_frees_its_port() -> None:
    async with FakeGateway() as gw:
        control = await ControlServer(gw).start()
        url = control.url
        await control.close()
        await control.close()
        async with httpx.AsyncClient(base_url=url) as http:
            with pytest.raises(httpx.ConnectError):
                await http.get("/health")


async def test_standalone_gateway_prints_both_lines_and_serves_the_control_api() -> None:
    async with standalone("--port", "0", "--control-port", "0", "--log-level", "WARNING") as process:
        gateway_line, control_line = await read_line(process), await read_line(process)
        assert gateway_line.startswith("fake gateway listening on 127.0.0.1:")
        assert control_line.startswith("control api listening on 127.0.0.1:")
        gateway_port = int(gateway_line.rsplit(":", 1)[1])
        control_port = int(control_line.rsplit(":", 1)[1])
        assert control_port > 0 and control_port != gateway_port

        client = await RawTwsClient.connect("127.0.0.1", gateway_port)
        await client.handshake()
        await client.start_api(client_id=9)
        await client.read_until("9")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{control_port}") as http:
            assert (await http.get("/health")).json()["sessions"] == 1
            created = await http.post("/faults", json={"kind": "ib_error", "code": 2110, "text": "from http", "client_id": 9})
            assert created.status_code == 201
            frame = await client.read()
            while frame[:1] != ["4"] or frame[3] != "2110":  # the greeting's farm notices come first
                frame = await client.read()
            assert frame[2:5] == ["-1", "2110", "from http"]
            assert (await http.post("/faults", json={"kind": "farm_down"})).status_code == 422
        await client.close()
        await stop_cleanly(process)


@pytest.mark.parametrize("args, message", [
    (["--control-port", "70000"], "argument --control-port: port 70000 is outside 0..65535"),
    (["--control-port", "http"], "argument --control-port: not a port number: 'http'"),
    (["--control-host", "192.0.2.1"], "cannot listen"),  # an address that is not this machine's
])
async def test_a_control_api_that_cannot_listen_exits_2_with_the_reason(args: list[str], message: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IB_CONTROL_TOKEN", "t")  # a non-loopback control host needs one
    code, _, err = await run_to_end("--port", "0", "--control-port", "0", *args, "--log-level", "WARNING")
    assert code == 2 and message in err
