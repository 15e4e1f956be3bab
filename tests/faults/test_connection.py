"""Connection faults as real clients see them, while another client stays unaffected."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from tests.conftest import served
from tests.faults.clients import LIBRARIES, answers, closed_with, connected, raw_ready, streaming
from tests.waiting import until


@pytest.mark.parametrize("library", ["ib_insync", "ib_async"])
@pytest.mark.parametrize("release", ["flush", "drop"])
async def test_stall_holds_answers_and_releases_or_drops_them(gateway: FakeGateway, release: str, library: str) -> None:
    async with connected(gateway, 1, library) as stalled, connected(gateway, 2, library) as other:
        handle = gateway.faults.inject({"kind": "stall", "client_id": 1, "release": release})
        pending = asyncio.ensure_future(stalled.ib.reqCurrentTimeAsync())
        assert await answers(other.ib)  # the other client is unaffected
        await asyncio.sleep(0.2)
        assert not pending.done() and stalled.ib.isConnected()  # the socket stays open
        assert gateway.session_for(1).link.held()  # the request was read; its answer is held
        handle.stop()
        if release == "flush":
            await asyncio.wait_for(pending, 1)
        else:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(pending, 0.3)
            [dropped] = gateway.events.of_kind("frames_dropped")
            assert dropped.client_id == 1 and dropped.data["frames"] >= 1  # at least the held answer
        assert await answers(stalled.ib)


async def test_half_open_reads_nothing_so_requests_wait_then_flow(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as frozen, connected(gateway, 2) as other:
        handle = gateway.faults.inject({"kind": "half_open", "client_id": 1})
        pending = asyncio.ensure_future(frozen.ib.reqCurrentTimeAsync())
        assert await answers(other.ib)
        await asyncio.sleep(0.2)
        assert not pending.done() and frozen.ib.isConnected()
        handle.stop()
        await asyncio.wait_for(pending, 1)


async def test_stop_reading_backs_up_the_client_writes(gateway: FakeGateway) -> None:
    client = await raw_ready(gateway, 3)
    other = await raw_ready(gateway, 4)
    handle = gateway.faults.inject({"kind": "stop_reading", "client_id": 3})
    chunk = b"\0" * 65536
    backed_up = False
    for _ in range(400):  # the socket buffers fill, then the client's writer buffers in user space
        client.writer.write(chunk)
        if client.writer.transport.get_write_buffer_size() > 1_000_000:
            backed_up = True
            break
        await asyncio.sleep(0)
    assert backed_up and await served(other)
    handle.stop()
    await client.close()
    await other.close()


async def test_stop_reading_seen_by_ib_insync_ticks_flow_requests_wait(gateway: FakeGateway) -> None:
    """Unlike half_open, the gateway still sends: ticks keep coming while requests go unread."""
    async with connected(gateway, 1) as client:
        ticks = await streaming(client)
        handle = gateway.faults.inject({"kind": "stop_reading", "client_id": 1})
        pending = asyncio.ensure_future(client.ib.reqCurrentTimeAsync())
        before = ticks.updates
        await until(lambda: ticks.updates >= before + 2, what="ticks while the gateway is not reading")
        assert not pending.done()
        handle.stop()
        await asyncio.wait_for(pending, 2)


async def test_half_close_is_an_end_of_stream_for_the_client(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as closed, connected(gateway, 2) as other:
        handle = gateway.faults.inject({"kind": "half_close", "client_id": 1})
        await asyncio.wait_for(closed.disconnected.wait(), 2)
        assert not handle.active and await answers(other.ib)
        assert gateway.events.of_kind("half_closed")[0].client_id == 1


@pytest.mark.parametrize("library", ["ib_insync", "ib_async"])
async def test_crash_with_fin_is_a_clean_disconnect(gateway: FakeGateway, library: str) -> None:
    async with connected(gateway, 1, library) as crashed, connected(gateway, 2, library) as other:
        trades_before = len(gateway.brokerage.orders.open_orders())
        gateway.faults.inject({"kind": "crash", "client_id": 1})
        await asyncio.wait_for(crashed.disconnected.wait(), 2)
        assert not crashed.ib.isConnected() and other.ib.isConnected() and await answers(other.ib)
        assert len(gateway.brokerage.orders.open_orders()) == trades_before
    async with connected(gateway, 1, library) as again:  # the state is still there; reconnect works
        assert again.ib.managedAccounts() == ["DU1234567"]


async def test_crash_with_rst_resets_the_connection(gateway: FakeGateway) -> None:
    crashed = await raw_ready(gateway, 1)
    other = await raw_ready(gateway, 2)
    gateway.faults.inject({"kind": "crash", "client_id": 1, "rst": True})
    with pytest.raises(ConnectionResetError):
        await crashed.read()
    assert await served(other)
    [closed] = gateway.events.of_kind("session_closed")
    assert closed.client_id == 1 and closed.data["rst"] is True
    await crashed.close()
    await other.close()


async def test_crash_with_rst_seen_by_ib_insync(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as crashed:
        gateway.faults.inject({"kind": "crash", "rst": True})
        await asyncio.wait_for(crashed.disconnected.wait(), 2)
        assert not crashed.ib.isConnected()


async def test_down_refuses_connects_and_listens_again(gateway: FakeGateway) -> None:
    async with connected(gateway, 2) as other:
        handle = gateway.faults.inject({"kind": "down", "duration": 0.3})
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection(gateway.host, gateway.port)
        assert await answers(other.ib)  # live sessions carry on
        await asyncio.wait_for(handle.wait_stopped(), 2)
        await until(lambda: gateway.listening, what="the listener to come back")
        async with connected(gateway, 1) as back:
            assert back.ib.isConnected()
    kinds = [e.kind for e in gateway.events if e.kind in ("stopped_listening", "listening")]
    assert kinds == ["listening", "stopped_listening", "listening"]


@pytest.mark.parametrize("library", ["ib_insync", "ib_async"])
@pytest.mark.parametrize("rst", [False, True], ids=["FIN", "RST"])
async def test_accept_then_close(gateway: FakeGateway, rst: bool, library: str) -> None:
    async with connected(gateway, 2, library) as other:
        handle = gateway.faults.inject({"kind": "accept_then_close", "rst": rst})
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        client.write(b"API\0")
        await closed_with(client, rst)
        await client.close()
        ib = LIBRARIES[library].IB()
        with pytest.raises((ConnectionError, asyncio.TimeoutError)):
            await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=0.5)
        ib.disconnect()
        assert await answers(other.ib)  # the session that was already up is untouched
        handle.stop()
        async with connected(gateway, 1, library) as back:
            assert back.ib.isConnected()
    assert [e.data["reason"] for e in gateway.events.of_kind("connect_refused")] == ["refused by a fault"] * 2


@pytest.mark.parametrize("library", ["ib_insync", "ib_async"])
async def test_no_handshake_leaves_the_connect_hanging(gateway: FakeGateway, library: str) -> None:
    async with connected(gateway, 2, library) as other:
        handle = gateway.faults.inject({"kind": "no_handshake"})
        ib = LIBRARIES[library].IB()
        with pytest.raises(asyncio.TimeoutError):
            await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=0.5)
        ib.disconnect()
        assert await answers(other.ib)
        hung = await RawTwsClient.connect(gateway.host, gateway.port)
        hung.write(b"API\0")
        with pytest.raises(asyncio.TimeoutError):
            await hung.read(timeout=0.2)
        handle.stop()
        assert await hung.closed_by_server()
        await hung.close()


@pytest.mark.parametrize("library", ["ib_insync", "ib_async"])
async def test_linger_client_id_gets_326_until_it_ends(gateway: FakeGateway, library: str) -> None:
    async with connected(gateway, 2, library) as other:
        async with connected(gateway, 1, library):
            handle = gateway.faults.inject({"kind": "linger_client_id", "client_id": 1, "duration": 1.5})
        await until(lambda: gateway.session_for(1) is None, what="client 1's session to end")
        ib = LIBRARIES[library].IB()
        errors: list[int] = []
        ib.errorEvent += lambda req_id, code, *rest: errors.append(code)
        with pytest.raises((ConnectionError, asyncio.TimeoutError)):
            await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=0.5)
        ib.disconnect()
        assert 326 in errors and await answers(other.ib)
        await asyncio.wait_for(handle.wait_stopped(), 4)
        async with connected(gateway, 1) as back:
            assert back.ib.isConnected()
