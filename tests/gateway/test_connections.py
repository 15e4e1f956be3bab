"""Handshake, client ids, client limits, trusted IPs and the server's own lifecycle."""

from __future__ import annotations

import asyncio
import logging

import pytest
from pydantic import ValidationError

from ib_harness.fake_gateway import FakeGateway, GatewayConfig
from ib_harness.fake_gateway.raw_client import RawTwsClient
from tests.conftest import served
from tests.waiting import until


async def _greeted(gateway: FakeGateway, client_id: int, low: int = 157, high: int = 176) -> tuple[RawTwsClient, list[list[str]]]:
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    await client.handshake(low, high)
    await client.start_api(client_id)
    frames = [await client.read() for _ in range(13)]
    return client, frames


@pytest.mark.parametrize("client_range,gateway_max,expected", [
    ((157, 176), 176, 176), ((157, 178), 176, 176), ((100, 225), 200, 200), ((157, 170), 190, 170),
])
async def test_negotiated_version_is_the_lower_maximum(client_range, gateway_max, expected) -> None:
    async with FakeGateway(max_version=gateway_max) as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        reply = await client.handshake(*client_range)
        assert len(reply) == 2 and int(reply[0]) == expected
        assert len(reply[1].split(" ")) == 3  # YYYYMMDD HH:MM:SS TZ
        await client.close()


async def test_nothing_is_sent_before_start_api(gateway: FakeGateway) -> None:
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    await client.handshake()
    with pytest.raises(asyncio.TimeoutError):
        await client.read(timeout=0.2)
    await client.close()


async def test_start_api_greets_like_the_real_gateway(gateway: FakeGateway) -> None:
    client, frames = await _greeted(gateway, 3)
    assert frames[0] == ["15", "1", "DU1234567"]
    assert frames[1][:2] == ["9", "1"] and int(frames[1][2]) >= 1
    codes = [frame[3] for frame in frames[2:]]
    assert set(codes) == {"2104", "2106", "2158"} and all(f[2] == "-1" for f in frames[2:])
    await client.close()


async def test_non_overlapping_version_range_is_refused_with_a_log_line(
    gateway: FakeGateway, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="fake_gateway")
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    from ib_harness.fake_gateway.wire.framing import API_PREFIX
    from ib_harness.fake_gateway.wire.spec import frame_payload

    client.write(API_PREFIX + frame_payload(b"v100..150"))
    assert await client.closed_by_server()
    assert "v100..150 does not overlap the gateway's v157..176" in caplog.text


async def test_duplicate_client_id_gets_326_and_is_closed(gateway: FakeGateway) -> None:
    first, _ = await _greeted(gateway, 7)
    second = await RawTwsClient.connect(gateway.host, gateway.port)
    await second.handshake()
    await second.start_api(7)
    error = await second.read()
    assert error[:4] == ["4", "2", "-1", "326"]
    assert "client id is already in use" in error[4]
    assert await second.closed_by_server()
    assert await served(first)
    await first.close()
    await until(lambda: 7 not in gateway.client_ids, what="client id 7 released")
    third, frames = await _greeted(gateway, 7)
    assert frames[0][0] == "15"
    await third.close()


async def test_client_limit_drops_the_extra_connection(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="fake_gateway")
    async with FakeGateway(max_clients=2) as gateway:
        one, _ = await _greeted(gateway, 1)
        two, _ = await _greeted(gateway, 2)
        three = await RawTwsClient.connect(gateway.host, gateway.port)
        assert await three.closed_by_server()
        assert "max_clients=2" in caplog.text
        assert await served(one) and await served(two)
        for client in (one, two, three):
            await client.close()


async def test_untrusted_peer_is_dropped(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="fake_gateway")
    async with FakeGateway(trusted_ips=["10.0.0.0/8"]) as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        assert await client.closed_by_server()
        assert "not in trusted IPs" in caplog.text
        assert gateway.refused_connections == 1
    async with FakeGateway(trusted_ips=["127.0.0.1"]) as gateway:
        client, frames = await _greeted(gateway, 1)
        assert frames[0][0] == "15"
        await client.close()


async def test_server_binds_port_zero_is_ready_when_entered_and_closes_twice() -> None:
    gateway = FakeGateway()
    async with gateway:
        assert gateway.host == "127.0.0.1" and gateway.port > 0
        client, _ = await _greeted(gateway, 1)
    assert await client.closed_by_server()
    await gateway.close()
    await gateway.close()
    assert not gateway.listening


async def test_restart_drops_sessions_and_keeps_the_brokerage(gateway: FakeGateway) -> None:
    brokerage = gateway.brokerage
    port = gateway.port
    client, _ = await _greeted(gateway, 1)
    brokerage.default_account.cash = 123.0
    await gateway.restart()
    assert await client.closed_by_server()
    assert gateway.port == port and gateway.brokerage is brokerage
    again, _ = await _greeted(gateway, 1)
    assert brokerage.default_account.cash == 123.0
    await again.close()


@pytest.mark.parametrize("settings,message", [
    ({"max_version": 156}, "outside the supported range 157..200"),
    ({"max_version": 201}, "outside the supported range 157..200"),
    ({"min_version": 180, "max_version": 170}, "min_version 180 is above max_version 170"),
    ({"accounts": []}, "at least one account"),
    ({"trusted_ips": ["not-an-ip"]}, "does not appear to be an IPv4 or IPv6"),
    ({"bogus": 1}, "Extra inputs are not permitted"),
])
def test_invalid_settings_say_what_is_wrong(settings: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        GatewayConfig(**settings)

