"""An IB-side incident outlives a reconnect: a client that connects while it is active sees it
from its handshake on, as at IB (issue 23 item 1), and can still finish connecting (item 2).

Every registered fault kind is listed in ``RECONNECT_CHECKS`` with what a client that connects
in the middle of it observes, so a new kind cannot be added without saying so.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any, Awaitable, Callable

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.faults.base import KINDS
from ib_harness.fake_gateway.raw_client import RawTwsClient
from tests.faults.clients import Observed, connected
from tests.faults.status_clients import AAPL, aapl, barrier
from tests.waiting import until

Check = Callable[[FakeGateway, Observed], Awaitable[None]]


def world() -> FakeGateway:
    return FakeGateway(market_ticker=False)


async def _sees_1100_with_farms_broken(gw: FakeGateway, me: Observed) -> None:
    await until(lambda: 1100 in me.codes(), what="1100 for the reconnected client")
    codes = me.codes()
    assert {2103, 2105, 2157} <= set(codes), codes
    assert not {2104, 2106, 2158} & set(codes), f"a client in an outage was told the farms are OK: {codes}"
    held = asyncio.ensure_future(me.ib.reqCurrentTimeAsync())
    await asyncio.sleep(0.3)
    assert not held.done(), "a request was answered during the outage"
    held.cancel()


async def _sees_market_farm_down(gw: FakeGateway, me: Observed) -> None:
    await until(lambda: 2103 in me.codes(), what="2103 for the reconnected client")
    assert (-1, 2103, "Market data farm connection is broken:usfarm") in me.errors
    assert (-1, 2104, "Market data farm connection is OK:usfarm") not in me.errors
    ticker = me.ib.reqMktData(aapl())
    gw.brokerage.market.set_quote(AAPL, 190.10, 190.12, last=190.11)
    await barrier(gw, me, 9)
    assert math.isnan(ticker.bid), "ticks flowed while the market farm was down"


async def _sees_hmds_down(gw: FakeGateway, me: Observed) -> None:
    await until(lambda: 2105 in me.codes(), what="2105 for the reconnected client")
    assert not any(code == 2106 and text.endswith(":ushmds") for _, code, text in me.errors)
    bars = asyncio.ensure_future(me.ib.reqHistoricalDataAsync(aapl(), "", "1800 S", "1 min", "MIDPOINT", False))
    await asyncio.sleep(0.3)
    assert not bars.done(), "historical data was served while HMDS was down"
    bars.cancel()


async def _sees_competing_session(gw: FakeGateway, me: Observed) -> None:
    me.ib.reqMktData(aapl())
    await until(lambda: 10197 in me.codes(), what="10197 for the reconnected client's market data line")


async def _sees_notice(gw: FakeGateway, me: Observed) -> None:
    await until(lambda: (-1, 2107, "still going on") in me.errors, what="the lasting notice")


async def _is_paced(gw: FakeGateway, me: Observed) -> None:
    for _ in range(5):
        me.ib.client.reqCurrentTime()
    await until(lambda: 100 in me.codes(), what="error 100 under the pacing fault")


async def _time_is_dropped(gw: FakeGateway, me: Observed) -> None:
    asked = asyncio.ensure_future(me.ib.reqCurrentTimeAsync())
    await asyncio.sleep(0.3)
    assert not asked.done(), "the dropped message reached the reconnected client"
    asked.cancel()


async def _new_lines_flow(gw: FakeGateway, me: Observed) -> None:
    ticker = me.ib.reqMktData(aapl())  # the fault silenced the lines open when it fired, not later ones
    gw.brokerage.market.set_quote(AAPL, 190.10, 190.12, last=190.11)
    await until(lambda: ticker.bid == 190.10, what="a tick on a line opened after the 2108")


async def _sees_nothing_special(gw: FakeGateway, me: Observed) -> None:
    assert me.ib.isConnected()


# kind -> (spec without client_id, what a client connecting in the middle observes).
# None: the kind acts on connects themselves or on the listener (the reconnect is the fault's
# subject, covered by its own tests), so a mid-fault reconnect has no separate meaning.
RECONNECT_CHECKS: dict[str, tuple[dict[str, Any], Check] | None] = {
    "connectivity_lost": ({"kind": "connectivity_lost"}, _sees_1100_with_farms_broken),
    "nightly_reset": ({"kind": "nightly_reset", "recover_after": 60, "repeat_every": 30}, _sees_1100_with_farms_broken),
    "farm_down": ({"kind": "farm_down", "farm": "market"}, _sees_market_farm_down),
    "competing_session": ({"kind": "competing_session"}, _sees_competing_session),
    "ib_error": ({"kind": "ib_error", "code": 2107, "text": "still going on", "duration": 60}, _sees_notice),
    "pacing": ({"kind": "pacing", "max_messages_per_second": 3}, _is_paced),
    "account_unsubscribed": ({"kind": "account_unsubscribed", "duration": 60}, _sees_nothing_special),
    "connectivity_restored": ({"kind": "connectivity_restored", "duration": 60}, _sees_nothing_special),
    "farm_up": ({"kind": "farm_up", "farm": "market", "duration": 60}, _sees_nothing_special),
    "latency": ({"kind": "latency", "ms": 1}, _sees_nothing_special),
    "bandwidth": ({"kind": "bandwidth", "bytes_per_s": 10_000_000}, _sees_nothing_special),
    "slicer": ({"kind": "slicer", "max_bytes": 64}, _sees_nothing_special),
    "delay_message": ({"kind": "delay_message", "message": "currentTime", "delay_ms": 1}, _sees_nothing_special),
    "duplicate_message": ({"kind": "duplicate_message", "message": "currentTime"}, _sees_nothing_special),
    "reorder_message": ({"kind": "reorder_message", "message": "currentTime"}, _sees_nothing_special),
    "drop_message": ({"kind": "drop_message", "message": "currentTime"}, _time_is_dropped),
    "md_line_inactive": ({"kind": "md_line_inactive", "duration": 60}, _new_lines_flow),
    "corrupt_field": None, "garbage": None, "truncate": None,  # break any client's stream: no clean connect
    "stall": None, "half_open": None, "stop_reading": None, "half_close": None, "crash": None, "down": None,
    "accept_then_close": None, "no_handshake": None, "linger_client_id": None, "client_id_in_use": None,
    "daily_restart": None, "token_expiry": None, "order_id_rollback": None,  # acts on the next nextValidId handed out
}


def test_every_fault_kind_says_what_a_mid_fault_reconnect_sees() -> None:
    assert set(RECONNECT_CHECKS) >= set(KINDS), f"kinds without a reconnect check: {set(KINDS) - set(RECONNECT_CHECKS)}"


CHECKED = sorted(kind for kind, entry in RECONNECT_CHECKS.items() if entry is not None)


@pytest.mark.parametrize("kind", CHECKED)
async def test_a_client_reconnecting_in_the_middle_of_a_fault_sees_it(kind: str) -> None:
    entry = RECONNECT_CHECKS[kind]
    assert entry is not None
    spec, check = entry
    async with world() as gw:
        async with connected(gw, 9) as first:
            assert first.ib.isConnected()
        handle = gw.faults.inject(spec)
        async with connected(gw, 9, timeout=3.0) as me:  # the same client reconnects mid-fault
            await check(gw, me)
        handle.stop()


async def test_an_outage_outlives_a_gateway_restart() -> None:
    async with world() as gw:
        gw.faults.inject({"kind": "farm_down", "farm": "secdef"})
        await gw.restart()
        async with connected(gw, 3) as me:
            await until(lambda: 2157 in me.codes(), what="2157 after the restart")
            assert 2158 not in me.codes()


async def test_the_outage_ends_for_a_client_that_connected_during_it() -> None:
    async with world() as gw:
        lost = gw.faults.inject({"kind": "connectivity_lost"})
        async with connected(gw, 4) as me:
            await until(lambda: 1100 in me.codes(), what="1100")
            held = asyncio.ensure_future(me.ib.reqCurrentTimeAsync())
            lost.stop()
            await until(lambda: 1102 in me.codes(), what="1102")
            assert (await asyncio.wait_for(held, 2)).year >= 2024
            assert {2104, 2106, 2158} <= set(me.codes()[me.codes().index(1102):])


async def test_a_raw_client_gets_the_greeting_without_ok_notices_then_the_outage() -> None:
    async with world() as gw:
        gw.faults.inject({"kind": "connectivity_lost"})
        client = await RawTwsClient.connect(gw.host, gw.port)
        try:
            await client.handshake()
            await client.start_api(5)
            frames = [await client.read() for _ in range(6)]
            assert [f[0] for f in frames[:2]] == ["15", "9"]  # managedAccounts, nextValidId first
            codes = [int(f[3]) for f in frames[2:]]
            assert codes[0] == 1100 and set(codes[1:]) == {2103, 2105, 2157}, codes
            with pytest.raises(asyncio.TimeoutError):
                await client.read(timeout=0.3)  # no OK notice, before or after
        finally:
            await client.close()


@pytest.mark.parametrize("library", ["ib_insync", "ib_async"])
async def test_a_client_connecting_in_an_1100_finishes_its_sync_from_the_gateways_copy(library: str) -> None:
    from ib_harness.fake_gateway import AccountConfig

    gw = FakeGateway(market_ticker=False, accounts=[AccountConfig(account_id="DU1234567", positions={"AAPL": 100})])
    async with gw:
        gw.faults.inject({"kind": "connectivity_lost"})
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with connected(gw, 8, library=library, timeout=2.0) as me:
            assert loop.time() - started < 1.5, "the startup sync waited for IB"
            assert [p.position for p in me.ib.positions()] == [100]  # answered from the gateway's copy
            assert 1100 in me.codes()
            details = asyncio.ensure_future(me.ib.reqContractDetailsAsync(aapl()))
            await asyncio.sleep(0.3)
            assert not details.done(), "a request that needs IB's servers was answered in the outage"
            details.cancel()


async def test_ib_side_conditions_live_in_the_brokerage_while_the_faults_are_active() -> None:
    async with world() as gw:
        ib_side = gw.brokerage.ib_side
        lost = gw.faults.inject({"kind": "connectivity_lost"})
        mine = gw.faults.inject({"kind": "farm_down", "farm": "hmds", "client_id": 3})
        competing = gw.faults.inject({"kind": "competing_session"})
        assert ib_side.holds("connectivity") and ib_side.holds("competing_session")
        assert ib_side.farms_down() == {"market", "hmds", "secdef"}
        lost.stop()
        assert not ib_side.holds("connectivity") and ib_side.farms_down() == set()
        assert ib_side.farms_down(3) == {"hmds"} and ib_side.farms_down(4) == set()
        await gw.restart()  # the gateway restarts; IB's side goes on
        assert ib_side.farms_down(3) == {"hmds"} and ib_side.holds("competing_session")
        mine.stop()
        competing.stop()
        assert ib_side.conditions() == {}


async def test_a_nightly_reset_holds_connectivity_until_its_recovery() -> None:
    async with world() as gw:
        reset = gw.faults.inject({"kind": "nightly_reset", "recover_after": 0.2, "repeat_every": 0.1,
                                  "outcome": "farms_down", "farms_recover_after": 30, "flaps": 0})
        assert gw.brokerage.ib_side.holds("connectivity")
        await until(lambda: not gw.brokerage.ib_side.holds("connectivity"), what="the recovery")
        still_down = gw.brokerage.ib_side.farms_down()
        assert still_down and still_down < {"market", "hmds", "secdef"}
        async with connected(gw, 5) as me:  # a client connecting now hears of the farms still down only
            await until(lambda: {2103, 2105, 2157} & set(me.codes()), what="the farms still down")
            assert 1100 not in me.codes()
        reset.stop()
        assert gw.brokerage.ib_side.conditions() == {}
