"""Item 9 of issue 17: no request hangs.

The walk sends every request message id that ib_insync, ib_async and ibapi can send (read from
their own client code, see client_requests.py) through the real client, over real TCP, and shows
for each how the request ended: a real answer, IB's error that the client turns into the end of
the request, or, for requests IB never answers (cancels, settings), nothing while the session goes
on serving. Requests without a request id that a client waits on (reqManagedAccts, requestFA,
reqFamilyCodes, reqMktDepthExchanges, reqScannerParameters, reqNewsProviders, reqMarketRule,
reqCurrentTime) must be answered: no error can end them.
"""

from __future__ import annotations

import asyncio

import ib_async
import ib_async.client
import ib_insync
import ib_insync.client
import pytest

from ib_harness.fake_gateway import FakeGateway
from tests.breadth.client_requests import asyncio_client_request_ids, ibapi_request_ids
from tests.breadth.walk_asyncio import PROBES, ManualClock, WalkContext
from tests.breadth.walk_ibapi import PROBES as IBAPI_PROBES
from tests.breadth.walk_ibapi import IbapiWalk
from tests.ibapi_app import RecordingApp

MAX_VERSION = 176
# How IB ends each request for a paper account (anything not listed: a real answer or silence).
IB_ERRORS = {
    52: "error 430",  # fundamentals are no longer sold
    100: "error 10276",  # Wall Street Horizon needs a subscription
    102: "error 10276",
}
SILENT = {2, 11, 12, 13, 14, 15, 23, 25, 53, 56, 57, 58, 59, 63, 64, 70, 75, 77, 89, 90, 93, 95, 101, 103}
UNSUPPORTED = "does not support"
# These ibapi probes subscribe, wait for the first answer (a missing one is a hang), then cancel:
# their outcome is the cancel's silence.
IBAPI_SUBSCRIBE_THEN_CANCEL = {msg_id: "silent" for msg_id in (50, 51, 92, 94, 97, 98)}


def expected(msg_id: int) -> str:
    return IB_ERRORS.get(msg_id) or ("silent" if msg_id in SILENT else "answer")


def test_the_walk_covers_every_request_each_client_can_send() -> None:
    insync, async_ = asyncio_client_request_ids(ib_insync.client), asyncio_client_request_ids(ib_async.client)
    assert insync == async_ == ibapi_request_ids(MAX_VERSION)
    assert set(PROBES) == insync
    assert len(insync) == 80


@pytest.mark.parametrize("library,version", [(ib_insync, 176), (ib_async, 176), (ib_async, 178)],
                         ids=["ib_insync", "ib_async", "ib_async-178"])
async def test_every_request_ends(library: object, version: int) -> None:
    """Each library at its highest server version (ib_async also at the shared 176)."""
    clock = ManualClock()
    # The walk sends ~150 requests back to back; on a loaded machine the library's own throttle
    # (45/s) can still let a burst past IB's 50/s limit, whose error 100 drops a request by design.
    async with FakeGateway(market_ticker=False, max_version=version, clock=clock,
                           max_messages_per_second=1000) as gateway:
        ib = library.IB()  # type: ignore[attr-defined]
        await ib.connectAsync(gateway.host, gateway.port, clientId=0, timeout=5)
        try:
            ctx = WalkContext(gateway, library, ib, clock)
            await ctx.setup()
            outcomes = {}
            for msg_id in sorted(PROBES):
                outcomes[msg_id] = await PROBES[msg_id](ib, ctx)
            wrong = {m: (o, expected(m)) for m, o in outcomes.items() if o != expected(m)}
            assert not wrong, f"requests that did not end as IB ends them (got, expected): {wrong}; errors: {ctx.errors}"
            unsupported = [e for e in ctx.errors if UNSUPPORTED in e[2]]
            assert not unsupported, f"requests the gateway does not serve: {unsupported}"
        finally:
            ib.disconnect()


@pytest.mark.parametrize("version", [MAX_VERSION, 200])
async def test_every_request_ends_for_ibapi(version: int) -> None:
    """At 176 (the default) and at 200, the last text-protocol version, where ibapi also sends
    reqCurrentTimeInMillis and reads errors with their time."""
    clock = ManualClock()
    async with FakeGateway(market_ticker=False, max_version=version, clock=clock,
                           max_messages_per_second=1000) as gateway:
        app = RecordingApp()
        await asyncio.to_thread(app.start, gateway.host, gateway.port, 0)
        try:
            assert app.serverVersion() == version
            walk = IbapiWalk(app, gateway, clock)
            sendable = ibapi_request_ids(version)
            assert sendable <= set(IBAPI_PROBES)
            outcomes = {msg_id: await IBAPI_PROBES[msg_id](walk) for msg_id in sorted(sendable)}
            ibapi_expected = {**{m: expected(m) for m in sendable}, **IBAPI_SUBSCRIBE_THEN_CANCEL}
            wrong = {m: (o, ibapi_expected[m]) for m, o in outcomes.items() if o != ibapi_expected[m]}
            assert not wrong, f"requests that did not end as IB ends them (got, expected): {wrong}; " \
                              f"errors: {app.calls['error']}"
            unsupported = [e for e in app.calls["error"] if UNSUPPORTED in str(e[3])]
            assert not unsupported, f"requests the gateway does not serve: {unsupported}"
        finally:
            await asyncio.to_thread(app.stop)


async def test_ibapi_above_176_gets_the_time_in_millis() -> None:
    """reqCurrentTimeInMillis (105) carries no request id; ibapi sends it from server version 197."""
    async with FakeGateway(market_ticker=False, max_version=200) as gateway:
        app = RecordingApp()
        await asyncio.to_thread(app.start, gateway.host, gateway.port, 0)
        try:
            assert app.serverVersion() == 200
            app.reqCurrentTimeInMillis()
            [(millis,)] = await asyncio.to_thread(app.wait_for, "currentTimeInMillis")
            assert abs(millis - gateway.clock() * 1000) < 60_000
        finally:
            await asyncio.to_thread(app.stop)
