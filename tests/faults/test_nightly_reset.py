"""nightly_reset through real ib_insync over TCP, with the reset's windows shrunk to fractions of
a second: repeated 1100, then 1102, 1101 or 1102 with farms still down, and farm notices that
flap; the same seed gives the same timeline."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.session.client_state import client_state
from tests.faults.clients import connected
from tests.faults.status_clients import MARKER_CODE, aapl, barrier, session_of
from tests.waiting import until

FAST = {"recover_after": 0.3, "repeat_every": 0.1, "flap_seconds": 0.02, "farms_recover_after": 0.1}


async def run_reset(spec: dict[str, Any], seed: int = 7) -> tuple[list[int], dict[str, Any], bool]:
    """Codes the client saw, the seeded choices, and whether its market line survived."""
    async with FakeGateway(market_ticker=False, seed=seed) as gw, connected(gw, 1) as me, connected(gw, 2) as you:
        ticker = me.ib.reqMktData(aapl())
        await until(lambda: not math.isnan(ticker.bid), what="first ticks")
        greeting = len(me.errors)
        handle = gw.faults.inject({"kind": "nightly_reset", "client_id": 1, **FAST, **spec})
        await until(lambda: not handle.active, timeout=5, what="the reset to end by itself")
        await barrier(gw, me, 1)  # everything sent before the end has arrived
        await barrier(gw, you, 2)
        assert not {1100, 1101, 1102, 2103, 2105, 2157} & set(you.codes())  # the other client saw nothing
        [chosen] = [e.data for e in gw.events if e.kind == "nightly_reset"]
        seen = [code for code in me.codes()[greeting:] if code != MARKER_CODE]
        return seen, chosen, bool(session_of(gw, 1).subscribed("mkt_data"))


async def test_repeated_1100_then_1102_with_data_maintained_and_flapping_farms() -> None:
    seen, chosen, line_kept = await run_reset({"outcome": "maintained", "flaps": 2})
    assert seen.count(1100) == 3 and seen.index(1100) < seen.index(1102) and 1101 not in seen
    assert chosen["outcome"] == "maintained" and len(chosen["flaps"]) == 2 and line_kept
    after = seen[seen.index(1102):]
    broken = {"market": 2103, "hmds": 2105, "secdef": 2157}
    assert all(broken[farm] in after for farm in chosen["flaps"])  # farms flap after the recovery


async def test_data_lost_outcome_sends_1101_and_drops_the_market_lines() -> None:
    seen, chosen, line_kept = await run_reset({"outcome": "lost", "flaps": 0})
    assert 1101 in seen and 1102 not in seen and not line_kept


async def test_farms_down_outcome_recovers_with_some_farms_still_broken() -> None:
    seen, chosen, _ = await run_reset({"outcome": "farms_down", "flaps": 0})
    assert chosen["still_down"]
    ok = {"market": 2104, "hmds": 2106, "secdef": 2158}
    after = seen[seen.index(1102):]
    for farm in chosen["still_down"]:
        assert ok[farm] in after  # it came back, but only after the 1102
        assert after.index(ok[farm]) > after.index(1102)


async def test_the_same_seed_gives_the_same_timeline() -> None:
    first = await run_reset({"flaps": 3}, seed=11)
    second = await run_reset({"flaps": 3}, seed=11)
    assert first == second
    others = [await run_reset({"flaps": 3}, seed=seed) for seed in (12, 13, 14)]
    assert any(other[1] != first[1] for other in others)  # the seed really drives the choices


async def test_stopping_the_reset_early_restores_connectivity_and_answers_held_requests() -> None:
    async with FakeGateway(market_ticker=False) as gw, connected(gw, 1) as me:
        handle = gw.faults.inject({"kind": "nightly_reset", "recover_after": 30, "repeat_every": 10})
        await until(lambda: 1100 in me.codes(), what="1100")
        held = asyncio.ensure_future(me.ib.reqCurrentTimeAsync())
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(held), 0.3)
        handle.stop()
        assert (await asyncio.wait_for(held, 2)).year >= 2024
        assert 1102 in me.codes() and 1101 not in me.codes()
        assert not client_state(session_of(gw, 1)).farms_down
