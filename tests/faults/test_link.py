"""Link faults (latency, bandwidth, slicer, garbage, truncate) as real clients see them."""

from __future__ import annotations

import asyncio
import logging

import pytest
from ib_insync import Stock

from ib_harness.fake_gateway import FakeGateway
from tests.conftest import served
from tests.faults.clients import answers, closed_with, connected, raw_ready, streaming
from tests.waiting import until


async def _timed_answer(ib, timeout: float = 2.0) -> float:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.wait_for(ib.reqCurrentTimeAsync(), timeout)
    return loop.time() - started


@pytest.mark.parametrize("direction,library", [("out", "ib_insync"), ("in", "ib_insync"), ("both", "ib_insync"),
                                               ("both", "ib_async")])
async def test_latency_delays_one_client_only(gateway: FakeGateway, direction: str, library: str) -> None:
    async with connected(gateway, 1, library) as slow, connected(gateway, 2, library) as other:
        gateway.faults.inject({"kind": "latency", "client_id": 1, "ms": 300, "direction": direction})
        pending = asyncio.ensure_future(_timed_answer(slow.ib))
        assert await answers(other.ib) and not pending.done()  # the other client is not delayed
        assert await pending >= (0.59 if direction == "both" else 0.29)


async def test_latency_with_jitter_keeps_frames_in_order(gateway: FakeGateway) -> None:
    client = await raw_ready(gateway, 1)
    requests = [["49", "1"], ["61", "1"], ["8", "1", "1"], ["49", "1"], ["99", "0"]]
    expected = []
    for request in requests:
        client.send(request)
        expected.append((await client.read())[0])
        while expected[-1] == "61":  # positions are followed by positionEnd
            expected.append((await client.read())[0])
    gateway.faults.inject({"kind": "latency", "ms": 20, "jitter_ms": 15, "seed": 3})
    for _ in range(5):
        for request in requests:
            client.send(request)
        frames = [(await client.read())[0] for _ in range(len(expected))]
        assert frames == expected
    await client.close()


async def test_bandwidth_paces_the_output(gateway: FakeGateway) -> None:
    client = await raw_ready(gateway, 1)
    other = await raw_ready(gateway, 2)
    loop = asyncio.get_running_loop()
    gateway.faults.inject({"kind": "bandwidth", "client_id": 1, "bytes_per_s": 20_000})
    started = loop.time()
    client.send(["6", "2", "1", "DU1234567"])
    frames = await client.read_until("54", timeout=5)
    elapsed = loop.time() - started
    size = sum(len("\0".join(f)) + 5 for f in frames)
    assert size > 5_000 and elapsed >= 0.8 * size / 20_000
    assert await served(other)
    await client.close()
    await other.close()


async def test_bandwidth_seen_by_ib_insync(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as slow, connected(gateway, 2) as other:
        gateway.faults.inject({"kind": "bandwidth", "client_id": 1, "bytes_per_s": 10_000})
        loop = asyncio.get_running_loop()
        before, started = slow.ib.client._numBytesRecv, loop.time()
        summary = asyncio.ensure_future(slow.ib.accountSummaryAsync())
        assert await answers(other.ib)
        rows = await asyncio.wait_for(summary, 10)
        received = slow.ib.client._numBytesRecv - before
        assert rows and received > 3_000 and loop.time() - started >= 0.8 * received / 10_000


async def test_slicer_splits_frames_and_clients_still_decode(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="ib_harness.fake_gateway.wire")
    async with FakeGateway() as gateway:  # a new gateway so its sessions see the DEBUG level
        async with connected(gateway, 1) as client:
            gateway.faults.inject({"kind": "slicer", "max_bytes": 7, "delay_ms": 1})
            [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
            assert aapl.conId == 265598 and await answers(client.ib)
    assert "client 1 <- bytes 0..7 of " in caplog.text and "client 1 <- bytes 7..14 of " in caplog.text


async def test_garbage_breaks_the_client_stream_only(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as broken, connected(gateway, 2) as other:
        handle = gateway.faults.inject({"kind": "garbage", "client_id": 1, "bytes": 64, "seed": 1})
        assert not handle.active  # one-shot
        assert not await answers(broken.ib, 0.5)  # the client's framing is lost: nothing decodes
        assert await answers(other.ib)
    [sent] = gateway.events.of_kind("garbage_sent")
    assert sent.client_id == 1 and sent.data["bytes"] == 64


async def test_inbound_garbage_is_rejected_by_the_gateway(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as broken, connected(gateway, 2) as other:
        gateway.faults.inject({"kind": "garbage", "client_id": 1, "bytes": 64, "direction": "in", "seed": 1})
        await asyncio.wait_for(broken.disconnected.wait(), 2)  # the gateway dropped the connection
        assert await answers(other.ib)
    [closed] = [e for e in gateway.events.of_kind("session_closed") if e.client_id == 1]
    assert "frame" in closed.data["reason"] and not closed.data["rst"]


@pytest.mark.parametrize("rst", [False, True], ids=["FIN", "RST"])
async def test_truncate_cuts_a_frame_then_closes(gateway: FakeGateway, rst: bool) -> None:
    client = await raw_ready(gateway, 1)
    other = await raw_ready(gateway, 2)
    gateway.faults.inject({"kind": "truncate", "client_id": 1, "message": "currentTime", "keep_bytes": 6, "rst": rst})
    client.send(["49", "1"])
    client.send(["49", "1"])
    await closed_with(client, rst)
    if not rst:
        assert client.parser.pending == 6  # the length prefix and two payload bytes arrived
    assert await served(other)
    [cut] = gateway.events.of_kind("frame_truncated")
    assert cut.data == {"msg_id": 49, "kept": 6, "length": cut.data["length"]}
    await client.close()
    await other.close()


async def test_truncate_seen_by_ib_insync(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as cut:
        gateway.faults.inject({"kind": "truncate", "seed": 5})
        pending = asyncio.ensure_future(cut.ib.reqCurrentTimeAsync())
        await asyncio.wait_for(cut.disconnected.wait(), 2)
        assert not pending.done() or pending.cancelled() or pending.exception() is not None
        pending.cancel()


async def test_ticks_stop_during_a_stall_and_come_back(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as client:
        ticks = await streaming(client)
        handle = gateway.faults.inject({"kind": "stall", "client_id": 1, "release": "drop"})
        await asyncio.sleep(0.05)
        before = ticks.updates
        await asyncio.sleep(0.6)  # the market steps every 0.25 s: two or more steps are held
        assert ticks.updates == before
        assert gateway.session_for(1).link._out  # ticks were produced and are held
        handle.stop()
        await until(lambda: ticks.updates > before, what="ticks after the stall")


async def test_wire_log_shows_what_went_out_after_the_faults(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="ib_harness.fake_gateway.wire")
    async with FakeGateway() as gateway:
        client = await raw_ready(gateway, 3)
        gateway.faults.inject({"kind": "drop_message", "message": "currentTime", "count": 1})
        gateway.faults.inject({"kind": "duplicate_message", "message": "positionEnd", "count": 1})
        client.send(["49", "1"])
        client.send(["61", "1"])
        await client.read_until("62")
        assert (await client.read())[0] == "62"
        client.send(["49", "1"])
        await client.read_until("49")
        await client.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "ib_harness.fake_gateway.wire"]
    assert sum(line.startswith("client 3 <- 49,1,") for line in lines) == 1  # the dropped one is absent
    assert lines.count("client 3 <- 62,1") == 2
    assert sum(line == "client 3 -> 49,1" for line in lines) == 2
