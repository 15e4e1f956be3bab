"""Replay the captured session's own requests against the fake and compare what comes back.

The real gateway's replies to startApi, the startup-sync batch and reqExecutions are in the
capture. The fake must answer the same requests with the same sequence of message ids (runs of
one id collapsed, since the count of account values depends on the account) and with frames of
the same field count for every id.
"""

from __future__ import annotations

import itertools

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from tests.captures import session_exchanges

CAPTURED_ACCOUNT = "DU0000001"
# The gateway answers requests in order, so everything before the reqCurrentTime reply belongs
# to the requests sent before it.
BARRIER = ["49", "1"]


def collapse(ids: list[str]) -> list[str]:
    return [key for key, _ in itertools.groupby(ids)]


def requests_of(exchange: dict, account: str) -> list[list[str]]:
    request = exchange["request"]
    batch = request if exchange.get("batched") else [request]
    return [[account if f == CAPTURED_ACCOUNT else f for f in fields] for fields in batch]


async def test_startup_sync_matches_the_captured_session() -> None:
    exchanges = session_exchanges()
    async with FakeGateway() as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        reply = await client.handshake(157, 178)
        assert reply[0] == exchanges[0]["responses"][0][0] == "176"
        assert len(reply) == 2
        account = gateway.brokerage.default_account.account_id
        for exchange in exchanges[1:4]:  # startApi, the startup batch, reqExecutions
            expected = [frame[0] for frame in exchange["responses"]]
            for request in requests_of(exchange, account):
                client.send(request)
            client.send(BARRIER)
            received = (await client.read_until("49"))[:-1]
            got = [frame[0] for frame in received]
            assert collapse(got) == collapse(expected), f"request {exchange['request']}"
            widths = {frame[0]: len(frame) for frame in exchange["responses"]}
            for frame in received:
                assert len(frame) == widths[frame[0]], f"message {frame[0]} has {len(frame)} fields, IB sends {widths[frame[0]]}"
        await client.close()


async def test_handshake_reply_equals_the_capture_at_the_captured_time() -> None:
    """IB wrote ``EST`` on 2023-10-21, in daylight saving time: the standard name, all year."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    captured = session_exchanges()[0]["responses"][0]
    moment = datetime(2023, 10, 21, 6, 19, 46, tzinfo=ZoneInfo("US/Eastern")).timestamp()
    async with FakeGateway(clock=lambda: moment) as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        assert await client.handshake(157, 178) == captured == ["176", "20231021 06:19:46 EST"]
        await client.close()
    winter = datetime(2024, 1, 15, 9, 30, tzinfo=ZoneInfo("US/Eastern")).timestamp()
    async with FakeGateway(clock=lambda: winter) as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        assert (await client.handshake(157, 178))[1] == "20240115 09:30:00 EST"
        await client.close()
