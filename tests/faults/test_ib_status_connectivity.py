"""connectivity_lost / connectivity_restored through real ib_insync (and ib_async) over TCP.

What a client really observes: 1100 with the farms broken while its socket stays up, ticks and
portfolio updates that stop, a request that times out because it is held, then 1102 (held
requests answered, streams resume with what changed) or 1101 (every market data and account
subscription gone until requested again). The other client never notices.
"""

from __future__ import annotations

import asyncio
import math

import pytest
from ib_insync import LimitOrder

from ib_harness.fake_gateway import AccountConfig, FakeGateway
from ib_harness.fake_gateway.session.client_state import client_state
from tests.faults.clients import connected
from tests.faults.status_clients import AAPL, ACCOUNT, aapl, barrier, session_of
from tests.waiting import until

ACCOUNTS = [AccountConfig(account_id=ACCOUNT, positions={"AAPL": 100})]


def world() -> FakeGateway:
    return FakeGateway(market_ticker=False, accounts=ACCOUNTS)


def market_price(ib: object) -> float:
    [item] = ib.portfolio()  # type: ignore[attr-defined]
    return float(item.marketPrice)


async def test_1100_holds_requests_and_stops_data_then_1102_answers_and_resumes() -> None:
    async with world() as gw, connected(gw, 1) as me, connected(gw, 2) as you:
        market, ib, other = gw.brokerage.market, me.ib, you.ib
        ticker, other_ticker = ib.reqMktData(aapl()), other.reqMktData(aapl())
        pnl, other_pnl = ib.reqPnLSingle(ACCOUNT, "", AAPL), other.reqPnLSingle(ACCOUNT, "", AAPL)
        await until(lambda: not math.isnan(ticker.bid) and not math.isnan(other_ticker.bid), what="first ticks")
        await until(lambda: pnl.value == other_pnl.value == 100 * market.last(AAPL), what="first PnL")

        lost = gw.faults.inject({"kind": "connectivity_lost", "client_id": 1})
        await until(lambda: 1100 in me.codes(), what="1100")
        assert (-1, 1100, "Connectivity between IB and Trader Workstation has been lost.") in me.errors
        assert {2103, 2105, 2157} <= set(me.codes())
        assert ib.isConnected() and not me.disconnected.is_set()  # the socket stays up

        market.set_quote(AAPL, 190.10, 190.12, last=190.11)
        await until(lambda: other_ticker.bid == 190.10 and market_price(other) == 190.11, what="the other client's tick")
        await until(lambda: other_pnl.value == 100 * 190.11, what="the other client's PnL")
        await barrier(gw, me, 1)
        assert ticker.bid != 190.10 and market_price(ib) != 190.11  # ticks and portfolio stopped
        assert pnl.value != 100 * 190.11

        held = asyncio.ensure_future(ib.reqCurrentTimeAsync())
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(held), 0.3)  # the request is held unanswered
        assert len(client_state(session_of(gw, 1)).held_requests) == 1

        gw.faults.inject({"kind": "connectivity_restored", "client_id": 1, "data_lost": False})
        await until(lambda: 1102 in me.codes(), what="1102")
        assert (-1, 1102, "Connectivity between IB and Trader Workstation has been restored - data maintained.") in me.errors
        assert (await asyncio.wait_for(held, 2)).year >= 2024  # the held request is answered
        await until(lambda: ticker.bid == 190.10, what="the stream to resume with what changed")
        assert {2104, 2106, 2158} <= set(me.codes()[me.codes().index(1102):])
        market.set_quote(AAPL, 190.20, 190.22, last=190.21)
        await until(lambda: ticker.bid == 190.20 and market_price(ib) == 190.21, what="live ticks and portfolio")
        await until(lambda: pnl.value == 100 * 190.21, what="live PnL")
        assert not lost.active  # connectivity_restored ended the connectivity_lost fault
        mine = [e for e in gw.events if e.client_id == 1 and e.kind in ("request_held", "held_requests_answered")]
        assert [(e.kind, e.data) for e in mine] == [("request_held", {"msg_id": "49"}),
                                                   ("held_requests_answered", {"count": 1})]
        assert not {1100, 1101, 1102} & set(you.codes())


async def test_1101_drops_every_market_data_line_until_requested_again() -> None:
    async with world() as gw, connected(gw, 1) as me:
        market, ib = gw.brokerage.market, me.ib
        ticker = ib.reqMktData(aapl())
        await until(lambda: not math.isnan(ticker.bid), what="first ticks")
        [ticker_req_id] = session_of(gw, 1).subscribed("mkt_data")
        gw.faults.inject({"kind": "connectivity_lost", "client_id": 1})
        await until(lambda: 1100 in me.codes(), what="1100")
        gw.faults.inject({"kind": "connectivity_restored", "data_lost": True})
        await until(lambda: 1101 in me.codes(), what="1101")
        assert (-1, 1101, "Connectivity between IB and Trader Workstation has been restored - data lost.") in me.errors
        session = session_of(gw, 1)
        assert not session.subscribed("mkt_data") and not session.subscribed("account_updates")
        assert 1102 not in me.codes() and not gw.faults.handles()  # the loss ended with the 1101 only
        [dropped] = gw.events.of_kind("subscriptions_dropped")
        assert dropped.data == {"reason": "data lost", "req_ids": [ticker_req_id], "account": True}

        market.set_quote(AAPL, 191.10, 191.12, last=191.11)
        await barrier(gw, me, 1)
        assert ticker.bid != 191.10 and market_price(ib) != 191.11  # nothing comes back by itself

        ib.cancelMktData(ticker.contract)
        again = ib.reqMktData(aapl())
        await until(lambda: again.bid == 191.10, what="ticks after requesting again")
        await ib.reqAccountUpdatesAsync(ACCOUNT)
        assert market_price(ib) == 191.11


async def test_a_duration_ends_the_loss_with_1102() -> None:
    async with world() as gw, connected(gw, 1) as me:
        handle = gw.faults.inject({"kind": "connectivity_lost", "duration": 0.2})
        await until(lambda: 1102 in me.codes(), what="1102 when the duration ends")
        assert me.codes().index(1100) < me.codes().index(1102) and not handle.active
        assert (await me.ib.reqCurrentTimeAsync()).year >= 2024


async def test_ib_async_sees_the_same_loss_and_recovery_when_the_fault_is_stopped() -> None:
    async with world() as gw, connected(gw, 3, "ib_async") as me:
        handle = gw.faults.inject({"kind": "connectivity_lost", "client_id": 3})
        await until(lambda: 1100 in me.codes(), what="1100 in ib_async")
        held = asyncio.ensure_future(me.ib.reqCurrentTimeAsync())
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(held), 0.3)
        handle.stop()
        await until(lambda: 1102 in me.codes(), what="1102 when the fault is stopped")
        assert (await asyncio.wait_for(held, 2)).year >= 2024 and me.ib.isConnected()
        assert not me.disconnected.is_set()


@pytest.mark.parametrize("data_lost", [False, True])
async def test_a_fill_during_1100_reaches_the_client_only_when_connectivity_returns(data_lost: bool) -> None:
    """IB's servers keep matching orders while the gateway is cut off from them, but the gateway
    hears of it only when connectivity returns: a fake that relayed the fill at once would let a
    broker pass that trusts order events during an 1100."""
    async with world() as gw, connected(gw, 1) as me:
        market, ib = gw.brokerage.market, me.ib
        market.set_quote(AAPL, 190.0, 190.02, last=190.01)
        trade = ib.placeOrder(aapl(), LimitOrder("BUY", 10, 189.0))
        await until(lambda: trade.orderStatus.status == "Submitted", what="the order to rest")

        gw.faults.inject({"kind": "connectivity_lost", "client_id": 1})
        await until(lambda: 1100 in me.codes(), what="1100")
        market.set_quote(AAPL, 188.5, 188.9, last=188.7)  # the ask crosses the limit: filled at IB
        [order] = [o for o in gw.brokerage.orders.orders.values() if o.order_id == trade.order.orderId]
        assert order.status == "Filled"
        await barrier(gw, me, 1)
        assert trade.orderStatus.status == "Submitted" and not trade.fills  # nothing relayed yet
        assert len(client_state(session_of(gw, 1)).held_order_events) >= 3  # status, execution, commission

        gw.faults.inject({"kind": "connectivity_restored", "client_id": 1, "data_lost": data_lost})
        await until(lambda: trade.orderStatus.status == "Filled" and trade.fills
                    and trade.fills[0].commissionReport.execId, what="the fill after the restore")
        code = 1101 if data_lost else 1102
        assert me.codes().index(1100) < me.codes().index(code)
        assert trade.orderStatus.avgFillPrice == 188.9 and len(trade.fills) == 1
        # one status update: straight from Submitted to Filled (the fill itself is logged as a message)
        assert [entry.status for entry in trade.log if not entry.message] == ["PendingSubmit", "Submitted", "Filled"]
        [released] = gw.events.of_kind("order_events_released")
        assert released.client_id == 1 and released.data["count"] >= 3
        assert not client_state(session_of(gw, 1)).held_order_events


async def test_overlapping_outages_restore_only_when_the_last_one_ends() -> None:
    """Two 1100 incidents at once (each its own cause on IB's side): the first ending is not IB
    coming back. 1102 comes when the last one ends, and data stays stopped until then."""
    async with world() as gw, connected(gw, 1) as me:
        first = gw.faults.inject({"kind": "connectivity_lost"})
        second = gw.faults.inject({"kind": "connectivity_lost", "client_id": 1})
        await until(lambda: 1100 in me.codes(), what="1100")
        first.stop()
        await barrier(gw, me, 1)
        assert 1102 not in me.codes() and 1101 not in me.codes(), me.codes()
        assert gw.brokerage.ib_side.holds("connectivity", 1)
        second.stop()
        await until(lambda: 1102 in me.codes(), what="1102 once the last outage ended")
        assert me.codes().count(1102) == 1
