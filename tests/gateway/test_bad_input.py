"""Bad input closes only the offending connection, says what was wrong, and others carry on."""

from __future__ import annotations

import asyncio
import logging

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.wire.spec import frame_payload
from tests.conftest import served
from tests.waiting import until


async def _offender(gateway: FakeGateway, greet: bool) -> RawTwsClient:
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    if greet:
        await client.handshake()
    return client


CASES = {
    "malformed handshake": (False, b"GET / HTTP/1.1\r\n\r\n", "connection must start with API"),
    "bad version range": (False, b"API\0" + frame_payload(b"version-please"), "expected 'v<min>..<max>'"),
    "garbage bytes": (True, bytes(range(256)) * 4, "does not start with a message id"),
    "empty frame": (True, b"\0\0\0\0", "is empty"),
    "length over the cap": (True, (0x7FFFFFFF).to_bytes(4, "big"), "over the cap"),
    "non-UTF-8 field": (True, frame_payload(b"71\x002\x00\xff\xfe\x00\x00"), "not valid UTF-8"),
    "missing terminator": (True, frame_payload(b"71\x002\x001"), "does not end with a NUL"),
    "request before startApi": (True, frame_payload(b"49\x001\x00"), "request 49 arrived before startApi"),
    "non-numeric message id": (True, frame_payload(b"hello\x00"), "does not start with a message id: b'hello"),
    "message id with trailing text": (True, frame_payload(b"4x\x001\x00"), "message id '4x' is not a number"),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_bad_input_closes_only_the_offender(
    case: str, gateway: FakeGateway, raw_client: RawTwsClient, caplog: pytest.LogCaptureFixture
) -> None:
    greet, payload, reason = CASES[case]
    caplog.set_level(logging.WARNING, logger="fake_gateway")
    offender = await _offender(gateway, greet)
    offender.write(payload)
    assert await offender.closed_by_server()
    assert reason in caplog.text
    assert "closing the connection" in caplog.text
    assert await served(raw_client)
    await offender.close()


async def test_truncated_frame_is_logged_when_the_peer_leaves(
    gateway: FakeGateway, raw_client: RawTwsClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="fake_gateway")
    offender = await _offender(gateway, greet=True)
    offender.write((100).to_bytes(4, "big") + b"49\x00")
    await offender.close()
    await until(lambda: len(gateway.sessions) == 1, what="the offender's session to end")
    assert "in the middle of a frame (3 of 100 payload bytes received)" in caplog.text
    assert await served(raw_client)


async def test_unsupported_request_gets_an_error_and_the_session_stays(raw_client: RawTwsClient) -> None:
    raw_client.send(["88888", "1", "42"])
    error = await raw_client.read()
    assert error[0] == "4" and error[2] == "42" and error[3] == "321"
    assert "does not support" in error[4]
    assert await served(raw_client)


async def test_undecodable_field_gets_error_320_and_the_session_stays(raw_client: RawTwsClient) -> None:
    raw_client.send(["62", "1", "not-a-number", "All", "NetLiquidation"])
    error = await raw_client.read()
    assert error[3] == "320"
    assert "field 2 (reqId) is not an integer" in error[4]
    assert await served(raw_client)


async def test_short_request_names_the_missing_field(raw_client: RawTwsClient) -> None:
    raw_client.send(["62", "1", "7"])
    error = await raw_client.read()
    assert error[2] == "7" and error[3] == "320"
    assert "field 3 (groupName) is missing" in error[4]



async def test_a_client_that_stops_reading_is_dropped_not_buffered_forever(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="fake_gateway")
    async with FakeGateway(max_output_buffer=1024 * 1024, market_ticker=False) as gateway:
        stalled = await RawTwsClient.connect(gateway.host, gateway.port)
        await stalled.handshake()
        await stalled.start_api(5)
        reader = await RawTwsClient.connect(gateway.host, gateway.port)
        await reader.handshake()
        await reader.start_api(6)
        await until(lambda: len(gateway.client_ids) == 2, what="both clients to be ready")
        session = gateway.session_for(5)
        frame = b"\0\0\0\x0449\0" * 10_000  # 80 kB of frames per turn, never read by client 5
        for _ in range(2_000):
            session.raw_write(frame)
            await asyncio.sleep(0)
            if session.phase == "closed" or gateway.session_for(5) is None:
                break
        await until(lambda: gateway.session_for(5) is None, what="the stalled client to be dropped")
        assert "client is not reading" in caplog.text and "max_output_buffer=1048576" in caplog.text
        reader.send(["49", "1"])
        assert (await reader.read_until("49"))[-1][0] == "49"
        await stalled.close()
        await reader.close()
