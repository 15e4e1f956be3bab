"""The message-rate limit as TWS applies it: one error 100 per second that went over, not one per frame.

IB's error 100 reads ``Max rate of messages per second has been exceeded:max=50 rec=651 (1)``: the
count of the second and a running number of violations (public logs show rec=138, 161, 651 and
(1)..(3)), so TWS reports a violation once, after counting. The fake does the same: requests above
the limit are dropped and counted, and once the frames already received have been counted one
error 100 reports them. A connection over the rate is not read again until its second is over, so a
flood costs the gateway nothing; a frame refused for its field count or its rate is never buffered.
The clock is a fake one so a window ends only when the test says so.
"""

from __future__ import annotations

import asyncio
import struct

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.wire import request_framing
from ib_harness.fake_gateway.wire.spec import frame_fields
from tests.waiting import until

RATE_TEXT = "Max rate of messages per second has been exceeded:max={limit} rec={rec} ({n})"


async def _ready(gateway: FakeGateway, client_id: int) -> RawTwsClient:
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    await client.handshake()
    await client.start_api(client_id)  # counts as the first request of the first window
    await client.read_until("9")
    return client


async def _replies(client: RawTwsClient, quiet: float = 0.3) -> list[list[str]]:
    """Every frame the gateway sends until it has been silent for ``quiet`` seconds."""
    frames = []
    try:
        while True:
            frames.append(await client.read(timeout=quiet))
    except asyncio.TimeoutError:
        return frames


def _rate_errors(frames: list[list[str]]) -> list[str]:
    return [f[4] for f in frames if f[0] == "4" and f[3] == "100"]


async def test_a_flood_gets_one_error_100_not_one_per_frame() -> None:
    clock = [1_700_000_000.0]
    async with FakeGateway(clock=lambda: clock[0], farm_notices=False) as gw:
        client = await _ready(gw, 1)
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(1000)))
        frames = await _replies(client)
        assert sum(1 for f in frames if f[0] == "49") == 49  # startApi took the first of the 50
        assert _rate_errors(frames) == [RATE_TEXT.format(limit=50, rec=1001, n=1)], frames[-3:]
        assert len(frames) == 50
        await client.close()


async def test_the_next_second_serves_again_and_numbers_the_violations() -> None:
    clock = [1_700_000_000.0]
    async with FakeGateway(clock=lambda: clock[0], max_messages_per_second=10, farm_notices=False) as gw:
        client = await _ready(gw, 1)
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(12)))
        frames = await _replies(client)
        assert sum(1 for f in frames if f[0] == "49") == 9
        assert _rate_errors(frames) == [RATE_TEXT.format(limit=10, rec=13, n=1)]
        clock[0] += 1.0
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(15)))
        frames = await _replies(client)
        assert sum(1 for f in frames if f[0] == "49") == 10
        assert _rate_errors(frames) == [RATE_TEXT.format(limit=10, rec=15, n=2)]
        assert len([e for e in gw.events.of_kind("error_sent") if e.data["code"] == 100]) == 2
        await client.close()


async def test_a_connection_over_the_rate_is_not_read_until_its_second_is_over() -> None:
    clock = [1_700_000_000.0]
    async with FakeGateway(clock=lambda: clock[0], max_messages_per_second=5, farm_notices=False) as gw:
        client = await _ready(gw, 1)
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(8)))
        assert _rate_errors(await _replies(client)) == [RATE_TEXT.format(limit=5, rec=9, n=1)]
        session = gw.session_for(1)
        assert session is not None and "rate" in session._reading_held
        client.send(["49", "1"])  # sent in the second that went over: it waits in the socket
        assert await _replies(client) == []
        clock[0] += 1.0  # the second is over: reading resumes and the request counts in the next one
        frame = await client.read(timeout=2.0)
        assert frame[0] == "49"
        assert "rate" not in session._reading_held
        await client.close()


async def test_a_frame_with_too_many_fields_is_refused_before_it_has_all_arrived() -> None:
    async with FakeGateway(farm_notices=False) as gw:
        client = await _ready(gw, 1)
        frame = frame_fields(["49", "1"] + [""] * 500_000)  # 500 kB of empty fields
        client.write(frame[:64 * 1024])
        error = await client.read(timeout=2.0)  # the rest has not been sent yet
        assert error[0] == "4" and error[3] == "320" and "more than 5000 fields" in error[4], error
        await until(lambda: gw.pending_bytes == 0, what="nothing held for the refused frame")
        client.write(frame[64 * 1024:])  # the rest of it is skipped as it arrives
        client.send(["49", "1"])
        assert (await client.read())[0] == "49"  # and the stream stays in step
        await client.close()


async def test_a_frame_over_the_rate_is_skipped_not_buffered() -> None:
    clock = [1_700_000_000.0]
    async with FakeGateway(clock=lambda: clock[0], max_messages_per_second=5, farm_notices=False) as gw:
        client = await _ready(gw, 1)
        big = frame_fields(["49", "1", "x" * 200_000])
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(6)) + big[:100_000])
        assert _rate_errors(await _replies(client)) == [RATE_TEXT.format(limit=5, rec=8, n=1)]
        assert gw.pending_bytes == 0  # the half frame above the rate was dropped, not kept
        clock[0] += 1.0
        client.write(big[100_000:] + frame_fields(["49", "1"]))
        frame = await client.read(timeout=2.0)
        assert frame[0] == "49"  # the dropped frame's tail was skipped: the next request is served
        await client.close()


async def test_the_version_announcement_is_not_a_request() -> None:
    clock = [1_700_000_000.0]
    async with FakeGateway(clock=lambda: clock[0], max_messages_per_second=1, farm_notices=False) as gw:
        client = await RawTwsClient.connect(gw.host, gw.port)
        await client.handshake()
        await client.start_api(1)  # the one request of this second
        frames = await client.read_until("9")
        assert not _rate_errors(frames)
        client.write(struct.pack(">I", 0))  # an empty frame still closes the connection at once
        assert await client.closed_by_server()


async def test_refused_frames_do_not_flood_the_log(caplog: pytest.LogCaptureFixture) -> None:
    async with FakeGateway(farm_notices=False, max_request_fields=100) as gw:
        client = await _ready(gw, 1)
        client.write(frame_fields(["49", "1"] + [""] * 200) * 20)
        frames = await _replies(client)
        assert [f[3] for f in frames] == ["320"] * 20  # every one answered, as IB does
        logged = [r.getMessage() for r in caplog.records if "fields" in r.getMessage()]
        assert len(logged) == 2 and logged[1].endswith("(10 so far)"), logged
        await client.close()


async def test_a_window_that_ends_while_its_tail_is_dropped_is_still_reported(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(request_framing, "DROPS_PER_CALL", 1 / 64)  # one frame of the tail per loop turn
    clock = [1_700_000_000.0]
    async with FakeGateway(clock=lambda: clock[0], max_messages_per_second=5, farm_notices=False) as gw:
        client = await _ready(gw, 1)
        client.write(b"".join(frame_fields(["49", "1"]) for _ in range(2000)))
        session = gw.session_for(1)
        assert session is not None
        await until(lambda: session._draining, what="the tail being dropped")
        clock[0] += 1.0  # the second ends before the tail is all dropped
        frames = await _replies(client, quiet=1.0)
        errors = _rate_errors(frames)
        assert len(errors) >= 1 and errors[0].startswith("Max rate of messages per second has been exceeded:max=5 rec=")
        first_error = next(i for i, f in enumerate(frames) if f[0] == "4")
        assert sum(1 for f in frames[:first_error] if f[0] == "49") == 4  # the old window's, then its 100
        await client.close()
