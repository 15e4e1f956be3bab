"""``ib-harness record`` round-trips a session through the fake gateway (both on port 0).

Real ib_insync talks to the fake through the recording proxy; the recording then holds every
frame both ways with timestamps, named where a layout exists and raw where none does, survives a
save/edit/load, and its server frames pass the same conformance check as IB's captures.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ib_insync import IB, MarketOrder, Stock
from pydantic import ValidationError

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.record import Recording, RecordingProxy
from ib_harness.cli import build_parser
from tests.captures import recorded_frames
from tests.conformance.test_capture_layouts import reproduction_problem
from tests.waiting import until

AAPL = 265598


async def record_a_session(path: Path) -> Recording:
    async with FakeGateway(market_ticker=False) as gateway, RecordingProxy(gateway.host, gateway.port) as proxy:
        gateway.brokerage.set_quote(AAPL, 190.0, 190.02, 190.01)
        ib = IB()
        await ib.connectAsync(proxy.host, proxy.port, clientId=7, timeout=2)
        try:
            [stock] = await ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
            trade = ib.placeOrder(stock, MarketOrder("BUY", 10))
            await until(lambda: trade.isDone() and len(trade.fills) == 1)
            assert trade.orderStatus.avgFillPrice == 190.02  # the client saw the fake's answers
        finally:
            ib.disconnect()
        raw = await RawTwsClient.connect(proxy.host, proxy.port)
        await raw.handshake(157, 176)
        await raw.start_api(client_id=8)
        await raw.read_until("9")
        raw.send(["999", "1"])  # no layout reads this request: the gateway answers an error
        await raw.read_until("4")
        await raw.close()
        await until(lambda: not gateway.sessions)
    proxy.recording.save(path)
    return Recording.load(path)


async def test_a_session_through_the_proxy_is_recorded_both_ways(tmp_path: Path) -> None:
    recording = await record_a_session(tmp_path / "session.json")
    assert len(recording.sessions) == 2
    session = recording.sessions[0]
    assert (session.client_versions, session.server_version) == ("v157..176", 176)
    assert session.frames[0].raw == ["v157..176"] and session.frames[1].raw[0] == "176"
    assert session.frames[1].raw[1] == session.connection_time
    times = [f.at for f in session.frames]
    assert times == sorted(times) and times[0] >= 0
    senders = {f.sender for f in session.frames}
    assert senders == {"client", "server"}
    by_layout = {f.layout: f for f in session.frames if f.layout}
    assert by_layout["startApi"].named is not None and by_layout["startApi"].named["clientId"] == 7
    placed = by_layout["placeOrder"]
    assert placed.sender == "client" and placed.named["action"] == "BUY" and placed.named["totalQuantity"] == 10
    assert placed.named["contract"]["conId"] == AAPL
    status = [f for f in session.frames if f.layout == "orderStatus"][-1]
    assert status.named["status"] == "Filled" and status.raw[:3] == ["3", str(placed.named["orderId"]), "Filled"]
    assert by_layout["execDetails"].named["price"] == 190.02
    unknown = [f for f in recording.sessions[1].frames if f.raw[:2] == ["999", "1"]]
    assert len(unknown) == 1 and unknown[0].layout is None and unknown[0].named is None and unknown[0].msg_id == 999


async def test_a_recording_is_a_capture_for_conformance(tmp_path: Path) -> None:
    await record_a_session(tmp_path / "mine.json")
    frames = recorded_frames(tmp_path)
    assert {label.split("#")[0] for label, _, _ in frames} == {"recording:mine:1", "recording:mine:2"}
    assert all(version == 176 for _, version, _ in frames)
    assert {frame[0] for _, _, frame in frames} >= {"9", "15", "4", "5", "3", "11", "59", "10"}
    assert [reproduction_problem(version, frame) for _, version, frame in frames] == [None] * len(frames)
    broken = list(frames[0][2])
    broken.append("extra")
    assert reproduction_problem(176, broken) is not None  # the check would catch a bad frame


async def test_a_recording_is_editable_json_and_checked_on_load(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    await record_a_session(path)
    data = json.loads(path.read_text())
    data["sessions"][0]["frames"][2]["raw"][0] = "71"
    path.write_text(json.dumps(data, indent=1))
    assert Recording.load(path).sessions[0].frames[2].raw[0] == "71"
    data["sessions"][0]["frames"][2]["sender"] = "nobody"
    path.write_text(json.dumps(data))
    with pytest.raises(ValidationError) as caught:
        Recording.load(path)
    assert "sessions.0.frames.2.sender" in str(caught.value)


async def test_an_unreachable_upstream_closes_the_client_and_close_is_safe_twice() -> None:
    async with FakeGateway() as gateway:
        port = gateway.port
    proxy = RecordingProxy("127.0.0.1", port)  # the gateway is gone: nothing listens there
    async with proxy:
        client = await RawTwsClient.connect(proxy.host, proxy.port)
        assert await client.closed_by_server()
        await client.close()
    await proxy.close()
    assert len(proxy.recording.sessions) == 1 and proxy.recording.sessions[0].frames == []


def test_the_record_command_line() -> None:
    args = build_parser().parse_args(["record", "--upstream", "127.0.0.1:4002", "--listen", "4003", "--out", "s.json"])
    assert (args.upstream, args.listen, args.out) == (("127.0.0.1", 4002), 4003, "s.json")
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(["record", "--upstream", "4002", "--out", "s.json"])
    assert caught.value.code == 2
