"""ib_error, account_unsubscribed, client_id_in_use and pacing through real ib_insync over TCP."""

from __future__ import annotations

import asyncio

import pytest
from ib_insync import IB

from ib_harness.fake_gateway import AccountConfig, FakeGateway
from ib_harness.fake_gateway.faults import FaultSpecError, parse_fault_spec
from ib_harness.fake_gateway.session.client_state import client_state
from tests.faults.clients import connected
from tests.faults.status_clients import AAPL, ACCOUNT, aapl, barrier, session_of
from tests.waiting import until


async def test_ib_error_reaches_one_client_or_all_with_its_request_id() -> None:
    async with FakeGateway() as gw, connected(gw, 1) as me, connected(gw, 2) as you:
        handle = gw.faults.inject({"kind": "ib_error", "client_id": 1, "code": 2110, "req_id": 7,
                                   "text": "Connectivity between Trader Workstation and server is broken. It will be restored automatically."})
        await until(lambda: 2110 in me.codes(), what="2110")
        assert me.errors[-1][:2] == (7, 2110) and not handle.active  # a one-shot notice
        gw.faults.inject({"kind": "ib_error", "code": 2108, "text": "Market data farm connection is inactive but should be available upon demand.:usfarm"})
        await until(lambda: 2108 in me.codes() and 2108 in you.codes(), what="2108 to everyone")
        assert 2110 not in you.codes()
        assert [e.data["code"] for e in gw.events if e.kind == "error_sent" and e.client_id == 2].count(2108) == 1


async def test_a_notice_triggered_by_a_connect_follows_that_clients_greeting() -> None:
    async with FakeGateway() as gw:
        handle = gw.faults.inject({"kind": "ib_error", "client_id": 6, "code": 2110, "text": "after connect",
                                   "after": {"connect": True}})
        async with connected(gw, 7) as other, connected(gw, 6) as me:
            await until(lambda: 2110 in me.codes(), what="the notice after the connect")
            assert me.codes().index(2104) < me.codes().index(2110)  # after the greeting's farm notices
            await until(lambda: not handle.active, what="the one-shot to end")
            await barrier(gw, other, 7)
            assert 2110 not in other.codes()


async def test_account_unsubscribed_stops_portfolio_updates_until_requested_again() -> None:
    accounts = [AccountConfig(account_id=ACCOUNT, positions={"AAPL": 100})]
    async with FakeGateway(market_ticker=False, accounts=accounts) as gw, connected(gw, 1) as me, connected(gw, 2) as you:
        market, ib, other = gw.brokerage.market, me.ib, you.ib
        gw.faults.inject({"kind": "account_unsubscribed", "client_id": 1})
        await until(lambda: 2100 in me.codes(), what="2100")
        assert (-1, 2100, "API client has been unsubscribed from account data.") in me.errors
        assert 2100 not in you.codes()

        market.pin(AAPL, 200.0)
        await until(lambda: other.portfolio()[0].marketPrice == 200.0, what="the other client's portfolio")
        await barrier(gw, me, 1)
        assert ib.portfolio()[0].marketPrice != 200.0

        await ib.reqAccountUpdatesAsync(ACCOUNT)
        assert ib.portfolio()[0].marketPrice == 200.0
        market.pin(AAPL, 201.0)
        await until(lambda: ib.portfolio()[0].marketPrice == 201.0, what="portfolio updates again")


async def test_client_id_in_use_refuses_the_next_connect_of_that_id_once() -> None:
    async with FakeGateway() as gw:
        handle = gw.faults.inject({"kind": "client_id_in_use", "client_id": 5})
        async with connected(gw, 4) as other:  # another id connects
            assert other.ib.isConnected()
        ib = IB()
        errors: list[tuple[int, int]] = []
        ib.errorEvent += lambda req_id, code, *rest: errors.append((req_id, code))
        with pytest.raises((ConnectionError, asyncio.TimeoutError)):
            await ib.connectAsync(gw.host, gw.port, clientId=5, timeout=1)
        ib.disconnect()
        assert (-1, 326) in errors and not handle.active
        refused = [e for e in gw.events if e.kind == "error_sent" and e.data["code"] == 326]
        assert refused[0].data["text"] == "Unable to connect as the client id is already in use. Retry with a unique client id."
        async with connected(gw, 5) as again:  # refused once only
            assert again.ib.isConnected()


async def test_pacing_tightens_the_message_rate_while_active() -> None:
    async with FakeGateway() as gw, connected(gw, 1) as me, connected(gw, 2) as you:
        handle = gw.faults.inject({"kind": "pacing", "client_id": 1, "max_messages_per_second": 3})
        for _ in range(6):
            me.ib.client.reqCurrentTime()
            you.ib.client.reqCurrentTime()
        await until(lambda: 100 in me.codes(), what="error 100")
        assert "max=3" in next(text for _, code, text in me.errors if code == 100)
        await barrier(gw, you, 2)
        assert 100 not in you.codes()
        handle.stop()
        assert client_state(session_of(gw, 1)).limits.max_messages_per_second is None


async def test_pacing_tightens_the_historical_limit_while_active() -> None:
    async with FakeGateway() as gw, connected(gw, 1) as me:
        ib = me.ib
        handle = gw.faults.inject({"kind": "pacing", "client_id": 1, "historical_max_requests": 1})
        first = await ib.reqHistoricalDataAsync(aapl(), "", "1 D", "1 hour", "TRADES", True, timeout=5)
        second = await ib.reqHistoricalDataAsync(aapl(), "", "2 D", "1 hour", "TRADES", True, timeout=5)
        assert len(first) > 0 and len(second) == 0 and 162 in me.codes()
        handle.stop()
        third = await ib.reqHistoricalDataAsync(aapl(), "", "3 D", "1 hour", "TRADES", True, timeout=5)
        assert len(third) > 0


@pytest.mark.parametrize("spec, named", [
    ({"kind": "ib_error", "text": "x"}, "code"),
    ({"kind": "ib_error", "code": 2110}, "text"),
    ({"kind": "ib_error", "code": 2110, "text": "x", "req_id": -5}, "req_id"),
    ({"kind": "ib_error", "code": 2110, "text": "x", "reqid": 3}, "reqid"),
    ({"kind": "account_unsubscribed", "code": 2100}, "code"),
    ({"kind": "connectivity_restored", "data_lost": "maybe"}, "data_lost"),
    ({"kind": "connectivity_lost", "client_id": -1}, "client_id"),
    ({"kind": "client_id_in_use", "count": 0}, "count"),
    ({"kind": "pacing"}, "max_messages_per_second"),
    ({"kind": "pacing", "max_messages_per_second": 0}, "max_messages_per_second"),
    ({"kind": "pacing", "historical_max_requests": 2, "historical_window": -1}, "historical_window"),
])
def test_bad_status_specs_name_the_kind_and_field(spec: dict, named: str) -> None:
    with pytest.raises(FaultSpecError) as caught:
        parse_fault_spec(spec)
    assert spec["kind"] in str(caught.value) and named in str(caught.value)
