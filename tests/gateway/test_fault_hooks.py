"""Every connection, inbound chunk, request and outbound frame passes the fault interface."""

from __future__ import annotations

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.faults.base import Fault
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.session.session import Session


class DuplicateCurrentTime(Fault):
    def on_outbound(self, session: Session, msg_id: int | None, frame: bytes) -> list[bytes]:
        return [frame, frame] if msg_id == 49 else [frame]


class SwallowPositions(Fault):
    def __init__(self) -> None:
        self.swallowed: list[list[str]] = []

    def on_request(self, session: Session, fields: list[str]) -> bool:
        if fields[0] == "61":
            self.swallowed.append(fields)
            return False
        return True


class RefuseAll(Fault):
    def on_accept(self, session: Session) -> bool:
        return False


class CountBytes(Fault):
    def __init__(self) -> None:
        self.inbound = 0

    def on_inbound_bytes(self, session: Session, data: bytes) -> bytes:
        self.inbound += len(data)
        return data


async def test_outbound_frames_can_be_duplicated(raw_client: RawTwsClient, gateway: FakeGateway) -> None:
    gateway.faults.add(DuplicateCurrentTime())
    raw_client.send(["49", "1"])
    first, second = await raw_client.read(), await raw_client.read()
    assert first == second and first[0] == "49"


async def test_requests_can_be_swallowed_and_faults_removed(raw_client: RawTwsClient, gateway: FakeGateway) -> None:
    fault = gateway.faults.add(SwallowPositions())
    counter = gateway.faults.add(CountBytes())
    raw_client.send(["61", "1"])
    raw_client.send(["49", "1"])
    assert (await raw_client.read())[0] == "49"  # no positionEnd before it
    assert fault.swallowed == [["61", "1"]] and counter.inbound > 0
    gateway.faults.remove(fault)
    raw_client.send(["61", "1"])
    assert (await raw_client.read())[0] == "62"


async def test_connections_can_be_refused(gateway: FakeGateway) -> None:
    gateway.faults.add(RefuseAll())
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    assert await client.closed_by_server()
    gateway.faults.clear()
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    assert (await client.handshake())[0] == "176"
    await client.close()


@pytest.mark.parametrize("abort", [False, True], ids=["FIN", "RST"])
async def test_drop_sessions_with_fin_or_rst(gateway: FakeGateway, raw_client: RawTwsClient, abort: bool) -> None:
    await gateway.drop_sessions(abort=abort)
    assert await raw_client.closed_by_server()
    assert gateway.listening and not gateway.sessions


async def test_debug_logging_shows_every_frame_both_ways(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG, logger="ib_harness.fake_gateway.wire")
    async with FakeGateway() as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        await client.handshake()
        await client.start_api(client_id=3)
        await client.read_until("9")
        client.send(["49", "1"])
        await client.read_until("49")
        await client.close()
    assert "client None -> 71,2,3," in caplog.text
    assert "client 3 <- 15,1,DU1234567" in caplog.text
    assert "client 3 -> 49,1" in caplog.text and "client 3 <- 49,1," in caplog.text
