"""Real clients over real TCP: connect with the full startup sync, time, contracts, positions, summary."""

from __future__ import annotations

import asyncio

import ib_async
import ib_insync
import pytest

from ib_harness.fake_gateway import AccountConfig, FakeGateway, GatewayConfig
from tests.ibapi_app import RecordingApp, ibapi_contract
from tests.waiting import until

WORLD = GatewayConfig(accounts=[AccountConfig(account_id="DU7654321", positions={"AAPL": 100, "EUR": 20000})])


@pytest.fixture
async def world_gateway():
    async with FakeGateway(WORLD) as gateway:
        yield gateway


@pytest.mark.parametrize("library", [ib_insync, ib_async], ids=["ib_insync", "ib_async"])
async def test_asyncio_clients_connect_and_sync(library, world_gateway: FakeGateway) -> None:
    ib = library.IB()
    errors: list[tuple] = []
    ib.errorEvent += lambda *args: errors.append(args)
    await ib.connectAsync(world_gateway.host, world_gateway.port, clientId=11, timeout=5)
    try:
        assert ib.isConnected()
        assert ib.managedAccounts() == ["DU7654321"]
        assert ib.client.serverVersion() == 176
        values = {(v.tag, v.currency): v.value for v in ib.accountValues()}
        assert len(values) > 100
        assert float(values[("NetLiquidation", "USD")]) > 0
        positions = {p.contract.symbol: p.position for p in ib.positions()}
        assert positions == {"AAPL": 100.0, "EUR": 20000.0}
        assert {p.contract.symbol for p in ib.portfolio()} == {"AAPL", "EUR"}
        server_time = await ib.reqCurrentTimeAsync()
        assert abs(server_time.timestamp() - world_gateway.clock()) < 5
        stock, fx = library.Stock("AAPL", "SMART", "USD"), library.Forex("EURUSD")
        qualified = await ib.qualifyContractsAsync(stock, fx)
        assert [c.conId for c in qualified] == [265598, 12087792]
        assert fx.localSymbol == "EUR.USD" and stock.primaryExchange == "NASDAQ"
        summary = await ib.accountSummaryAsync()
        tags = {row.tag for row in summary if row.account == "DU7654321"}
        assert {"NetLiquidation", "BuyingPower", "AvailableFunds", "AccountType"} <= tags
        assert not [e for e in errors if e[1] not in (2104, 2106, 2158)], errors
    finally:
        ib.disconnect()


async def test_official_ibapi_connects_and_asks(world_gateway: FakeGateway) -> None:
    app = await asyncio.to_thread(RecordingApp().start, world_gateway.host, world_gateway.port, 12)
    try:
        assert app.serverVersion() == 176
        assert app.wait_for("managedAccounts")[0] == ("DU7654321",)
        app.reqCurrentTime()
        (stamp,) = (await asyncio.to_thread(app.wait_for, "currentTime"))[0]
        assert abs(stamp - world_gateway.clock()) < 5
        app.reqContractDetails(5, ibapi_contract("MSFT"))
        details = await asyncio.to_thread(app.wait_for, "contractDetails")
        await asyncio.to_thread(app.wait_for, "contractDetailsEnd")
        assert details[0][0] == 5 and details[0][1].contract.conId == 272093
        app.reqContractDetails(6, ibapi_contract("NOPE"))
        error = await asyncio.to_thread(app.wait_for, "error", 1, 5.0, lambda c: c[0] == 6)
        assert error[0][2] == 200
    finally:
        await asyncio.to_thread(app.stop)


@pytest.mark.parametrize("max_version", [157, 166, 176, 190, 200])
async def test_official_ibapi_at_every_version_gate(max_version: int) -> None:
    async with FakeGateway(max_version=max_version) as gateway:
        app = await asyncio.to_thread(RecordingApp().start, gateway.host, gateway.port, 1)
        try:
            assert app.serverVersion() == max_version
            app.reqContractDetails(9, ibapi_contract("EUR", "CASH", "IDEALPRO"))
            details = await asyncio.to_thread(app.wait_for, "contractDetails")
            assert details[0][1].contract.conId == 12087792
            assert details[0][1].minTick == 0.00005
            notices = await asyncio.to_thread(app.wait_for, "error", 11)
            assert {n[2] for n in notices} == {2104, 2106, 2158}
        finally:
            await asyncio.to_thread(app.stop)


async def test_ib_async_at_its_highest_version_178_gets_fills() -> None:
    """At 178 execDetails gains pendingPriceRevision; ib_async must still read every fill."""
    async with FakeGateway(max_version=178, market_ticker=False) as gateway:
        ib = ib_async.IB()
        await ib.connectAsync(gateway.host, gateway.port, clientId=3, timeout=5)
        try:
            assert ib.client.serverVersion() == 178
            [aapl] = await ib.qualifyContractsAsync(ib_async.Stock("AAPL", "SMART", "USD"))
            trade = ib.placeOrder(aapl, ib_async.MarketOrder("BUY", 5))
            await until(lambda: trade.isDone() and trade.fills and trade.fills[0].commissionReport.commission,
                        what="the fill and its commission")
            assert trade.orderStatus.status == "Filled" and trade.fills[0].execution.shares == 5
        finally:
            ib.disconnect()
