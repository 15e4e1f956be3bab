"""IB Gateway's daily restart and the weekly token expiry, as real clients live through them."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.fake_gateway import AccountConfig, FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from tests.faults.clients import LIBRARIES, connected
from tests.waiting import until

WITH_POSITION = {"accounts": [AccountConfig(positions={"AAPL": 100})]}


async def _connect_fails(gateway: FakeGateway, client_id: int) -> list[int]:
    """Connect ib_insync and expect it to fail; returns the error codes it saw."""
    ib = LIBRARIES["ib_insync"].IB()
    codes: list[int] = []
    ib.errorEvent += lambda req_id, code, *rest: codes.append(code)
    with pytest.raises((ConnectionError, OSError, asyncio.TimeoutError)):
        await ib.connectAsync(gateway.host, gateway.port, clientId=client_id, timeout=0.5)
    ib.disconnect()
    return codes


async def test_daily_restart_resets_refuses_holds_ids_then_flaps_farms() -> None:
    async with FakeGateway(**WITH_POSITION) as gateway:
        async with connected(gateway, 1) as first, connected(gateway, 2) as second:
            handle = gateway.faults.inject({"kind": "daily_restart", "down_seconds": 0.3, "hold_client_ids": 1.5,
                                            "flap_seconds": 2.0, "seed": 2})
            await asyncio.wait_for(first.disconnected.wait(), 2)
            await asyncio.wait_for(second.disconnected.wait(), 2)
            assert not gateway.listening
            with pytest.raises(ConnectionRefusedError):
                await asyncio.open_connection(gateway.host, gateway.port)
        await until(lambda: gateway.listening, what="listening again")
        assert 326 in await _connect_fails(gateway, 1)  # the old id is still held
        async with connected(gateway, 3) as newcomer:  # a new id connects, and the state is kept
            assert [(p.contract.symbol, p.position) for p in newcomer.ib.positions()] == [("AAPL", 100.0)]
            def flap() -> list[int]:
                return newcomer.codes()[11:]  # after the greeting's farm notices

            await until(lambda: flap() and len(flap()) == 2 * sum(c in (2103, 2105, 2157) for c in flap()),
                        what="the farms to report broken, then OK")
            half = len(flap()) // 2
            assert all(code in (2103, 2105, 2157) for code in flap()[:half])
            assert flap()[half:] == [code + 1 for code in flap()[:half]]  # each farm back OK
        await asyncio.wait_for(handle.wait_stopped(), 5)
        async with connected(gateway, 1) as back:
            assert back.ib.isConnected()
    closes = gateway.events.of_kind("session_closed")
    assert [e.data["rst"] for e in closes[:2]] == [True, True]
    assert gateway.events.of_kind("restart")[0].data["reason"] == "daily_restart"


async def test_daily_restart_with_early_connects_reset(gateway: FakeGateway) -> None:
    handle = gateway.faults.inject({"kind": "daily_restart", "down_seconds": 0.5, "early_connects": "reset"})
    await until(lambda: gateway.events.of_kind("restart"), what="the restart")
    early = await RawTwsClient.connect(gateway.host, gateway.port)  # accepted by the OS, then reset
    early.write(b"API\0")
    with pytest.raises(ConnectionResetError):
        await early.read()
    await early.close()
    await asyncio.wait_for(handle.wait_stopped(), 3)
    async with connected(gateway, 1) as back:
        assert back.ib.isConnected()


async def test_daily_restart_order_id_rollback(gateway: FakeGateway) -> None:
    gateway.brokerage.reserve_order_ids(20)
    handle = gateway.faults.inject({"kind": "daily_restart", "down_seconds": 0.1, "order_id_rollback": 5})
    await asyncio.wait_for(handle.wait_stopped(), 3)
    ids = []
    for client_id in (1, 2):
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        await client.handshake()
        await client.start_api(client_id)
        ids.append(int((await client.read_until("9"))[-1][2]))
        await client.close()
    assert ids == [15, 21]  # the first nextValidId is 5 below the last id used (20), once


async def test_token_expiry_stays_down_until_started_by_hand(gateway: FakeGateway) -> None:
    async with connected(gateway, 1) as client:
        handle = gateway.faults.inject({"kind": "token_expiry"})
        await asyncio.wait_for(client.disconnected.wait(), 2)
    await until(lambda: not gateway.sessions, what="every session closed")
    assert not [e for e in gateway.events.of_kind("session_closed") if e.data["rst"]]  # a clean shutdown
    await asyncio.sleep(0.3)
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection(gateway.host, gateway.port)
    assert handle.active
    await gateway.start()
    assert not handle.active and handle.stopped_at is not None
    async with connected(gateway, 1) as back:
        assert back.ib.isConnected()
