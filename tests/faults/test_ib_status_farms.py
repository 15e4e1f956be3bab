"""farm_down / farm_up and competing_session through real ib_insync over TCP.

The market farm down pauses tick streams at the source and its OK notice resumes them; HMDS down
ends every keepUpToDate bar subscription with 10182 for good; a competing live session answers
10197 per market data line and stops the data until it ends. Other clients carry on.
"""

from __future__ import annotations

import asyncio
import math

import pytest
from ib_insync import Stock

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.faults import FaultSpecError, parse_fault_spec
from tests.faults.clients import connected
from tests.faults.status_clients import AAPL, aapl, barrier, session_of
from tests.waiting import until


async def test_market_farm_down_pauses_ticks_and_farm_up_resumes_them() -> None:
    async with FakeGateway(market_ticker=False) as gw, connected(gw, 1) as me, connected(gw, 2) as you:
        market, ib, other = gw.brokerage.market, me.ib, you.ib
        ticker, other_ticker = ib.reqMktData(aapl()), other.reqMktData(aapl())
        await until(lambda: not math.isnan(ticker.bid) and not math.isnan(other_ticker.bid), what="first ticks")
        greeting = len(me.errors)
        gw.faults.inject({"kind": "farm_down", "farm": "market", "client_id": 1})
        await until(lambda: 2103 in me.codes(), what="2103")
        assert (-1, 2103, "Market data farm connection is broken:usfarm") in me.errors

        market.set_quote(AAPL, 190.10, 190.12, last=190.11)
        await until(lambda: other_ticker.bid == 190.10, what="the other client's tick")
        await barrier(gw, me, 1)
        assert ticker.bid != 190.10

        gw.faults.inject({"kind": "farm_up", "farm": "market", "client_id": 1})
        await until(lambda: ticker.bid == 190.10, what="ticks after 2104")
        assert (-1, 2104, "Market data farm connection is OK:usfarm") in me.errors[greeting:]
        assert not gw.faults.handles()  # farm_up ended the farm_down
        market.set_quote(AAPL, 190.20, 190.22)
        await until(lambda: ticker.bid == 190.20, what="live ticks")
        assert 2103 not in you.codes()


async def test_hmds_down_ends_keep_up_to_date_bars_with_10182_for_good() -> None:
    async with FakeGateway(market_ticker=False) as gw, connected(gw, 1) as me, connected(gw, 2) as you:
        market, ib, other = gw.brokerage.market, me.ib, you.ib
        bars = await ib.reqHistoricalDataAsync(aapl(), "", "3600 S", "1 min", "MIDPOINT", False, keepUpToDate=True)
        other_bars = await other.reqHistoricalDataAsync(aapl(), "", "3600 S", "1 min", "MIDPOINT", False, keepUpToDate=True)
        market.pin(AAPL, 195.0)
        await until(lambda: bars[-1].close == 195.0 and other_bars[-1].close == 195.0, what="live bars")

        async with gw.fault({"kind": "farm_down", "farm": "hmds", "client_id": 1}):
            await until(lambda: 10182 in me.codes(), what="10182")
            assert (bars.reqId, 10182, "Failed to request live updates (disconnected).") in me.errors
            assert (-1, 2105, "HMDS data farm connection is broken:ushmds") in me.errors
            assert not session_of(gw, 1).subscribed("historical_updates")
            [ended] = gw.events.of_kind("subscriptions_dropped")
            assert (ended.client_id, ended.data["req_ids"]) == (1, [bars.reqId])
            greeting_and_down = len(me.errors)
            backfill = asyncio.ensure_future(ib.reqHistoricalDataAsync(aapl(), "", "1 D", "1 hour", "TRADES", True))
            with pytest.raises(asyncio.TimeoutError):  # historical requests wait for HMDS
                await asyncio.wait_for(asyncio.shield(backfill), 0.3)
            assert (await ib.reqCurrentTimeAsync()).year >= 2024  # other requests are served
        await until(lambda: 2106 in me.codes()[greeting_and_down:], what="2106 when the fault ends")
        assert len(await asyncio.wait_for(backfill, 2)) > 0  # answered once HMDS is back

        market.pin(AAPL, 185.0)
        await until(lambda: other_bars[-1].close == 185.0, what="the other client's bars")
        await barrier(gw, me, 1)
        assert bars[-1].close == 195.0  # the stream is gone, even with HMDS back


async def test_a_farm_down_with_a_duration_comes_back_by_itself() -> None:
    async with FakeGateway(market_ticker=False) as gw, connected(gw, 1) as me:
        ticker = me.ib.reqMktData(aapl())
        await until(lambda: not math.isnan(ticker.bid), what="first ticks")
        greeting = len(me.errors)
        gw.faults.inject({"kind": "farm_down", "farm": "market", "name": "cashfarm", "duration": 0.2})
        await until(lambda: 2103 in me.codes(), what="2103")
        gw.brokerage.market.set_quote(AAPL, 190.10, 190.12)
        await until(lambda: ticker.bid == 190.10, timeout=3, what="ticks once the duration has passed")
        assert me.errors[greeting:] == [(-1, 2103, "Market data farm connection is broken:cashfarm"),
                                        (-1, 2104, "Market data farm connection is OK:cashfarm")]


async def test_sec_def_farm_notices_name_the_farm() -> None:
    async with FakeGateway() as gw, connected(gw, 1) as me:
        handle = gw.faults.inject({"kind": "farm_down", "farm": "secdef", "name": "secdefnj"})
        await until(lambda: 2157 in me.codes(), what="2157")
        handle.stop()
        await until(lambda: me.codes()[-1] == 2158, what="2158")
        assert me.errors[-2:] == [(-1, 2157, "Sec-def data farm connection is broken:secdefnj"),
                               (-1, 2158, "Sec-def data farm connection is OK:secdefnj")]
        [details] = await me.ib.reqContractDetailsAsync(aapl())  # notices only: requests still served
        assert details.contract.conId == AAPL


async def test_competing_session_sends_10197_and_stops_market_data_until_it_ends() -> None:
    async with FakeGateway(market_ticker=False) as gw, connected(gw, 1) as me, connected(gw, 2) as you:
        market, ib, other = gw.brokerage.market, me.ib, you.ib
        ticker, other_ticker = ib.reqMktData(aapl()), other.reqMktData(aapl())
        await until(lambda: not math.isnan(ticker.bid) and not math.isnan(other_ticker.bid), what="first ticks")
        handle = gw.faults.inject({"kind": "competing_session", "client_id": 1})
        req_id = next(iter(session_of(gw, 1).subscribed("mkt_data")))
        await until(lambda: 10197 in me.codes(), what="10197")
        assert (req_id, 10197, "No market data during competing live session") in me.errors

        market.set_quote(AAPL, 190.10, 190.12)
        await until(lambda: other_ticker.bid == 190.10, what="the other client's tick")
        await barrier(gw, me, 1)
        assert ticker.bid != 190.10
        msft = ib.reqMktData(Stock("MSFT", "SMART", "USD"))  # a new line during it: 10197 too
        await until(lambda: me.codes().count(10197) == 2, what="10197 for the new line")
        await barrier(gw, me, 1)
        assert math.isnan(msft.bid)

        handle.stop()
        await until(lambda: ticker.bid == 190.10 and not math.isnan(msft.bid), what="data after the competing session")
        assert 10197 not in you.codes()


@pytest.mark.parametrize("spec, named", [
    ({"kind": "farm_down"}, "farm"),
    ({"kind": "farm_down", "farm": "options"}, "farm"),
    ({"kind": "farm_up", "farm": "market", "name": ""}, "name"),
    ({"kind": "competing_session", "farm": "market"}, "farm"),
])
def test_bad_farm_specs_name_the_field(spec: dict, named: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        parse_fault_spec(spec)
    assert spec["kind"] in str(caught.value) and named in str(caught.value)


async def test_a_farm_outage_outlives_a_restored_connection() -> None:
    """1102 brings back the farms the 1100 took down, not one that has an outage of its own:
    historical requests keep waiting until that outage ends."""
    async with FakeGateway(market_ticker=False) as gw, connected(gw, 1) as me:
        ib = me.ib
        outage = gw.faults.inject({"kind": "farm_down", "farm": "hmds", "client_id": 1})
        await until(lambda: 2105 in me.codes(), what="2105")
        gw.faults.inject({"kind": "connectivity_lost", "client_id": 1})
        await until(lambda: 1100 in me.codes(), what="1100")
        assert me.codes().count(2105) == 1  # already broken: the 1100 does not repeat its notice
        gw.faults.inject({"kind": "connectivity_restored", "client_id": 1})
        await until(lambda: 1102 in me.codes(), what="1102")
        await barrier(gw, me, 1)
        after = me.codes()[me.codes().index(1102):]
        assert 2104 in after and 2158 in after and 2106 not in after
        assert sorted(session_of(gw, 1).client_state.farms_down) == ["hmds"]
        backfill = asyncio.ensure_future(ib.reqHistoricalDataAsync(aapl(), "", "1 D", "1 hour", "TRADES", True))
        with pytest.raises(asyncio.TimeoutError):  # HMDS is still down
            await asyncio.wait_for(asyncio.shield(backfill), 0.3)
        assert (await ib.reqCurrentTimeAsync()).year >= 2024  # other requests flow again

        outage.stop()
        await until(lambda: 2106 in me.codes()[me.codes().index(1102):], what="2106 when the outage ends")
        assert len(await asyncio.wait_for(backfill, 2)) > 0
        assert not session_of(gw, 1).client_state.farms_down
