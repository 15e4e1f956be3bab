"""The gateway under abuse (issue 25 item 8): slots, memory and the event loop stay bounded.

Connections that never finish the handshake (or never send startApi) are closed after a time
limit and give their client slot back; unfinished frames hold at most ``max_frame`` bytes per
connection and ``max_pending_bytes`` in total; a frame with more than ``max_request_fields``
fields is refused without being split; the message-rate limit is applied before a frame is split.
The cost of each abuse for a bystander is measured in benchmarks/abuse.py (BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import struct

import pytest

from ib_harness.fake_gateway import FakeGateway, GatewayConfig
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.session import session as session_module

from ib_harness.fake_gateway.wire.spec import frame_fields
from tests.conftest import served
from tests.waiting import until


async def _ready(gateway: FakeGateway, client_id: int) -> RawTwsClient:
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    await client.handshake()
    await client.start_api(client_id)
    for _ in range(13):  # managedAccounts, nextValidId and the 11 farm notices
        await client.read()
    return client


def test_the_abuse_settings_have_tws_like_defaults() -> None:
    config = GatewayConfig()
    assert config.handshake_timeout == 10.0 and config.start_api_timeout == 30.0
    assert config.max_frame == 1024 * 1024  # per connection: the most an unfinished frame can hold
    assert config.max_pending_bytes == 32 * 1024 * 1024 and config.max_request_fields == 5_000


async def test_connections_that_only_send_ap_give_their_slots_back() -> None:
    async with FakeGateway(max_clients=2, handshake_timeout=0.3) as gw:
        squatters = [await RawTwsClient.connect(gw.host, gw.port) for _ in range(2)]
        for squatter in squatters:
            squatter.write(b"AP")
        await until(lambda: len(gw.sessions) == 2, what="two squatters admitted")
        refused = await RawTwsClient.connect(gw.host, gw.port)
        assert await refused.closed_by_server()  # every slot is held
        for squatter in squatters:
            assert await squatter.closed_by_server(timeout=2.0)  # closed at the handshake deadline
        client = await _ready(gw, 1)
        assert await served(client)
        closed = [e.data["reason"] for e in gw.events.of_kind("session_closed")]
        assert closed.count("no handshake within 0.3 s") == 2, closed
        await client.close()


async def test_a_client_that_never_sends_start_api_is_closed() -> None:
    async with FakeGateway(start_api_timeout=0.3) as gw:
        client = await RawTwsClient.connect(gw.host, gw.port)
        await client.handshake()
        assert await client.closed_by_server(timeout=2.0)
        [closed] = gw.events.of_kind("session_closed")
        assert closed.data["reason"] == "no startApi within 0.3 s"


async def test_a_ready_client_is_not_closed_by_the_time_limits() -> None:
    async with FakeGateway(handshake_timeout=0.1, start_api_timeout=0.2) as gw:
        client = await _ready(gw, 1)
        await asyncio.sleep(0.4)  # past both deadlines
        assert await served(client)
        await client.close()


async def test_a_frame_above_max_frame_is_refused_before_it_is_buffered() -> None:
    async with FakeGateway() as gw:
        client = await _ready(gw, 1)
        client.write(struct.pack(">I", 16 * 1024 * 1024 - 1) + b"49\0")  # 16 MiB declared
        assert await client.closed_by_server()
        [closed] = gw.events.of_kind("session_closed")
        assert "over the cap of 1048576" in closed.data["reason"]


async def test_unfinished_frames_are_bounded_in_total() -> None:
    async with FakeGateway(max_pending_bytes=100_000) as gw:
        clients = [await _ready(gw, n) for n in (1, 2, 3)]
        for client in clients:
            client.write(struct.pack(">I", 60_000) + b"49\0" + b"x" * 40_000)  # 40 kB of an unfinished frame
            await asyncio.sleep(0.05)
        closed = [e for e in gw.events.of_kind("session_closed")]
        assert len(closed) == 1 and "unfinished frames" in closed[0].data["reason"], closed
        assert gw.pending_bytes <= 100_000
        for client in clients:
            await client.close()
        await until(lambda: gw.pending_bytes == 0, what="the pending bytes to be released")


async def test_a_frame_with_too_many_fields_is_refused_without_splitting_it() -> None:
    async with FakeGateway(max_request_fields=1000) as gw:
        client = await _ready(gw, 1)
        client.write(frame_fields(["49", "1"] + [""] * 5000))
        error = await client.read_until("4")
        assert error[-1][3] == "320" and "more than 1000 fields" in error[-1][4], error[-1]
        assert await served(client)  # the session stays up
        await client.close()


async def test_the_message_rate_is_applied_before_a_frame_is_split(monkeypatch: pytest.MonkeyPatch) -> None:
    splits = 0
    real_split = session_module.split_fields

    def counting_split(payload: bytes, frame_number: int = 0) -> list[str]:
        nonlocal splits
        splits += 1
        return real_split(payload, frame_number)

    monkeypatch.setattr(session_module, "split_fields", counting_split)
    async with FakeGateway(max_messages_per_second=20) as gw:
        client = await _ready(gw, 1)
        before = splits
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(200)))
        await client.read_until("4")  # error 100 for the frames above the rate
        await asyncio.sleep(0.1)
        assert splits - before <= 20, f"{splits - before} frames split for a limit of 20 per second"
        await client.close()


def test_invalid_abuse_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="handshake_timeout"):
        GatewayConfig(handshake_timeout=0)
    with pytest.raises(ValueError, match="max_request_fields"):
        GatewayConfig(max_request_fields=1)





async def test_a_burst_is_handled_a_slice_per_turn_so_others_are_served_meanwhile() -> None:
    async with FakeGateway(max_messages_per_second=100_000) as gw:  # every frame of the burst is handled
        flooder, bystander = await _ready(gw, 1), await _ready(gw, 2)
        flooder.write(b"".join(frame_fields(["49", "1"]) for _ in range(20_000)))
        flooding = gw.session_for(1)
        assert flooding is not None
        await until(lambda: flooding._draining, what="the flood's backlog")
        assert await served(bystander)
        assert flooding._draining, "the bystander waited for the whole flood"
        await until(lambda: not flooding._draining, timeout=30, what="the backlog to be handled")
        await flooder.close()
        await bystander.close()


async def test_refused_bytes_share_one_budget_so_abusers_wait_and_others_do_not() -> None:
    async with FakeGateway(max_discard_rate=1024 * 1024) as gw:  # 1 MiB a second to read and throw away
        abusers = [await _ready(gw, n) for n in (1, 2)]
        bystander = await _ready(gw, 3)
        frame = frame_fields(["49", "1"] + [""] * 300_000)  # 300 kB, refused after its first 8 KiB
        for abuser in abusers:
            abuser.write(frame * 3)  # 1.8 MB between them: more than a second of the budget
        await until(lambda: any("discard" in s._reading_held for s in gw.sessions), what="an abuser held")
        assert await served(bystander)  # the bystander sends nothing to throw away: never held
        for abuser in abusers:
            replies = [await abuser.read(timeout=5.0) for _ in range(3)]
            assert [r[3] for r in replies] == ["320"] * 3  # every frame answered, in order, later
            assert await served(abuser)
            await abuser.close()
        await bystander.close()
