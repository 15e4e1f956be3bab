"""The fault framework: inject, handles, triggers, durations, the event log, gateway close."""

from __future__ import annotations

import asyncio
import json

import pytest
from ib_insync import LimitOrder, Stock

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.faults import FaultHandle
from tests.faults.clients import answers, connected, raw_ready
from tests.waiting import until


async def test_inject_is_active_at_once_and_stop_is_idempotent(gateway: FakeGateway) -> None:
    handle = gateway.faults.inject({"kind": "stall", "client_id": 7})
    assert isinstance(handle, FaultHandle) and handle.active and handle.kind == "stall"
    assert handle.fired_at is not None and handle.stopped_at is None
    assert gateway.faults.handles() == [handle] and gateway.faults.get(handle.id) is handle
    handle.stop()
    handle.stop()
    assert not handle.active and handle.stopped_at is not None and gateway.faults.handles() == []
    await asyncio.wait_for(handle.wait_stopped(), 1)
    started, stopped = gateway.events.of_kind("fault_started", "fault_stopped")
    assert started.data == {"id": handle.id, "kind": "stall", "spec": {"kind": "stall", "client_id": 7, "release": "flush"}}
    assert stopped.data["id"] == handle.id and stopped.data["fired"] is True and stopped.client_id == 7


async def test_handle_as_dict_is_json_ready(gateway: FakeGateway) -> None:
    handle = gateway.faults.inject({"kind": "latency", "ms": 5, "client_id": 2, "after": {"delay": 10}})
    view = handle.as_dict()
    assert view == {"id": handle.id, "kind": "latency", "active": False, "fired_at": None, "stopped_at": None,
                    "spec": {"kind": "latency", "ms": 5.0, "client_id": 2, "after": {"delay": 10.0},
                             "jitter_ms": 0.0, "direction": "both"}}
    json.dumps(view)
    handle.stop()
    assert handle.as_dict()["stopped_at"] is not None and repr(handle).endswith("stopped>")


async def test_restart_with_a_down_window(gateway: FakeGateway) -> None:
    with pytest.raises(ValueError, match="down_seconds"):
        await gateway.restart(down_seconds=-1)
    async with connected(gateway, 1) as client:
        restarting = asyncio.ensure_future(gateway.restart(down_seconds=0.3))
        await asyncio.wait_for(client.disconnected.wait(), 2)
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection(gateway.host, gateway.port)
        await asyncio.wait_for(restarting, 2)
    async with connected(gateway, 1) as back:
        assert back.ib.isConnected()
    [restart] = gateway.events.of_kind("restart")
    assert restart.data == {"down_seconds": 0.3, "rst": False}


async def test_duration_ends_the_fault(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as client:
        handle = gateway.faults.inject({"kind": "stall", "duration": 0.5})
        assert not await answers(client.ib, 0.1)
        await asyncio.wait_for(handle.wait_stopped(), 3)
        assert await answers(client.ib)
        assert handle.stopped_at is not None and handle.fired_at is not None
        assert 0.45 <= handle.stopped_at - handle.fired_at < 3


async def test_async_with_stops_on_exit(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as client:
        async with gateway.fault({"kind": "stall", "release": "drop"}) as handle:
            assert handle.active and not await answers(client.ib, 0.2)
        assert not handle.active and await answers(client.ib)


async def test_delay_trigger_and_wait_fired(gateway: FakeGateway) -> None:
    handle = gateway.faults.inject({"kind": "stall", "after": {"delay": 0.1}})
    assert not handle.active and handle.fired_at is None
    await asyncio.wait_for(handle.wait_fired(), 2)
    assert handle.active
    handle.stop()


async def test_nth_request_trigger_starts_with_that_request(gateway: FakeGateway) -> None:
    """The 3rd reqCurrentTime fires the drop, and that 3rd request is the first one dropped."""
    async with connected(gateway, 1) as client:
        handle = gateway.faults.inject({"kind": "drop_message", "message": "currentTime",
                                        "after": {"request": "reqCurrentTime", "count": 3}})
        assert await answers(client.ib) and await answers(client.ib)
        assert not handle.active
        assert not await answers(client.ib, 0.3)
        assert handle.active
        handle.stop()
        assert await answers(client.ib)


async def test_nth_response_trigger_and_until_trigger(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as client:
        handle = gateway.faults.inject({"kind": "stall", "after": {"response": "currentTime", "count": 2},
                                        "until": {"request": "reqCurrentTime", "count": 4}})
        assert await answers(client.ib)
        assert not await answers(client.ib, 0.2)  # the 2nd answer fired the stall and is held
        assert handle.active
        assert not await answers(client.ib, 0.2)  # the 3rd: still held
        assert await answers(client.ib)  # the 4th request stops the stall: everything flows
        assert handle.stopped_at is not None


async def test_connect_trigger_targets_that_client_only(gateway: FakeGateway) -> None:
    handle = gateway.faults.inject({"kind": "stall", "client_id": 2, "after": {"connect": True}})
    async with connected(gateway, 1) as other:
        assert not handle.active and await answers(other.ib)
        ib2 = connected(gateway, 2, timeout=0.5)
        try:
            await ib2.__aenter__()
            raise AssertionError("client 2 connected through a stalled greeting")
        except (asyncio.TimeoutError, ConnectionError):
            pass
        finally:
            await ib2.__aexit__(None, None, None)
        assert handle.active and await answers(other.ib)
    handle.stop()


async def test_brokerage_trigger_fires_on_a_fill(gateway: FakeGateway) -> None:
    gateway.brokerage.market.pin("AAPL", 100.0, spread=0.02)
    handle = gateway.faults.inject({"kind": "crash", "client_id": 1, "after": {"brokerage": "order_filled"}})
    async with connected(gateway, 1) as client:
        [aapl] = await client.ib.qualifyContractsAsync(Stock("AAPL", "SMART", "USD"))
        trade = client.ib.placeOrder(aapl, LimitOrder("BUY", 1, 101.0))
        await asyncio.wait_for(client.disconnected.wait(), 2)
        assert trade.orderStatus.status == "Filled"  # the fill went out before the crash
    assert handle.stopped_at is not None
    assert [e.data["reason"] for e in gateway.events.of_kind("session_closed")] == ["crash fault (FIN)"]


async def test_gateway_close_stops_faults_and_is_safe_twice() -> None:
    gateway = await FakeGateway().start()
    handles = [gateway.faults.inject({"kind": "down", "duration": 30}),
               gateway.faults.inject({"kind": "latency", "ms": 10, "after": {"delay": 30}})]
    await gateway.close()
    await gateway.close()
    assert all(h.stopped_at is not None for h in handles) and not gateway.listening
    assert gateway.faults.handles() == []


async def test_event_log_records_sessions_errors_listening_and_refusals() -> None:
    seen: list[str] = []
    async with FakeGateway(max_clients=1) as gateway:
        unsubscribe = gateway.events.subscribe(lambda event: seen.append(event.kind))
        client = await raw_ready(gateway, 5)
        refused = await raw_ready_or_closed(gateway)
        gateway.faults.inject({"kind": "crash", "rst": True})
        assert await client.closed_by_server()
        await until(lambda: not gateway.sessions, what="the crashed session to end")
        await gateway.restart()
        unsubscribe()
        await client.close()
        await refused.close()
    kinds = [event.kind for event in gateway.events]
    assert kinds[0] == "listening" and "connect_refused" in kinds and "restart" in kinds
    assert seen == kinds[1:len(seen) + 1] and "stopped_listening" in kinds
    opened = gateway.events.of_kind("session_opened")[0]
    closed = gateway.events.of_kind("session_closed")[0]
    assert closed.session == opened.session and closed.client_id == 5
    assert closed.data == {"reason": "crash fault (RST)", "rst": True}
    notices = [e for e in gateway.events.of_kind("error_sent") if e.client_id == 5]
    assert [e.data["code"] for e in notices] == [2104] * 7 + [2106] * 3 + [2158]
    assert notices[0].data["req_id"] == -1 and "farm" in notices[0].data["text"]
    json.dumps(gateway.events.as_dicts())
    assert all(a.at <= b.at for a, b in zip(list(gateway.events), list(gateway.events)[1:]))


async def test_wait_for_an_event_past_or_future(gateway: FakeGateway) -> None:
    listening = await gateway.events.wait_for("listening")
    assert listening.data["port"] == gateway.port
    waiting = asyncio.ensure_future(gateway.events.wait_for("fault_started", lambda e: e.data["kind"] == "crash"))
    gateway.faults.inject({"kind": "garbage", "bytes": 1})
    await asyncio.sleep(0)
    assert not waiting.done()
    handle = gateway.faults.inject({"kind": "crash"})
    assert (await asyncio.wait_for(waiting, 1)).data["id"] == handle.id
    with pytest.raises(asyncio.TimeoutError):
        await gateway.events.wait_for("restart", timeout=0.05)


async def raw_ready_or_closed(gateway: FakeGateway):  # type: ignore[no-untyped-def]
    from ib_harness.fake_gateway.raw_client import RawTwsClient

    client = await RawTwsClient.connect(gateway.host, gateway.port)
    assert await client.closed_by_server()
    return client
