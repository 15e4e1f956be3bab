"""One trading lifecycle, step by step, through each real client over real TCP (orders part).

Steps 5 and 6 (ticks and bars) are in test_lifecycle_data.py.

The shared pieces and what every test checks are described in tests/clients/lifecycle.py.
"""

from __future__ import annotations

import asyncio
import copy
from decimal import Decimal

import pytest
from ibapi.execution import ExecutionFilter as IbapiExecutionFilter
from ibapi.order_cancel import OrderCancel

from tests.ibapi_app import ibapi_contract
from tests.waiting import until
from tests.clients.lifecycle import AAPL, CLIENTS, LIBRARIES, ORDER_CANCELED, asyncio_client, first_order_id, ibapi_client, ibapi_order, own_gateway, wait



# ----- 1. a limit order away from the market fills when the market crosses it ----------------


@CLIENTS
async def test_limit_order_fills_when_the_market_crosses_it(client: str) -> None:
    async with own_gateway() as gateway:
        broker = gateway.brokerage
        broker.set_quote(AAPL, 190.0, 190.02)
        if client == "ibapi":
            async with ibapi_client(gateway, 1) as app:
                app.reqPositions()
                await wait(app, "positionEnd")
                assert not app.calls["position"]
                order_id = first_order_id(app)
                app.placeOrder(order_id, ibapi_contract("AAPL"), ibapi_order("BUY", 10, limit=189.0))
                await wait(app, "orderStatus", where=lambda c: c[0] == order_id and c[1] == "Submitted")
                assert broker.orders.get(order_id).status == "Submitted"  # resting: 189 is below the ask

                broker.set_quote(AAPL, 188.5, 188.9)
                filled = await wait(app, "orderStatus", where=lambda c: c[0] == order_id and c[1] == "Filled")
                assert (filled[-1][2], filled[-1][3], filled[-1][4]) == (Decimal(10), Decimal(0), 188.9)
                (req_id, contract, execution), = await wait(app, "execDetails")
                assert (req_id, contract.conId, execution.orderId) == (-1, AAPL, order_id)
                assert (execution.side, execution.shares, execution.price) == ("BOT", Decimal(10), 188.9)
                (report,), = await wait(app, "commissionAndFeesReport")
                assert report.execId == execution.execId
                assert (report.commissionAndFees, report.currency) == (1.0, "USD")
                position = await wait(app, "position", where=lambda c: c[1].conId == AAPL)
                assert position[-1][2] == Decimal(10)
        else:
            library = LIBRARIES[client]
            async with asyncio_client(library, gateway, 1) as (ib, _):
                assert ib.positions() == []
                trade = ib.placeOrder(library.Stock("AAPL", "SMART", "USD"), library.LimitOrder("BUY", 10, 189.0))
                await until(lambda: trade.orderStatus.status == "Submitted", what="Submitted")
                assert not trade.fills

                broker.set_quote(AAPL, 188.5, 188.9)
                await until(lambda: trade.isDone() and trade.fills and trade.fills[0].commissionReport.execId,
                            what="the fill and its commission")
                status = trade.orderStatus
                assert (status.status, status.filled, status.remaining, status.avgFillPrice) == ("Filled", 10, 0, 188.9)
                [fill] = trade.fills
                assert (fill.execution.side, fill.execution.shares, fill.execution.price) == ("BOT", 10, 188.9)
                assert fill.commissionReport.execId == fill.execution.execId
                assert (fill.commissionReport.commission, fill.commissionReport.currency) == (1.0, "USD")
                assert [f.execution.execId for f in ib.fills()] == [fill.execution.execId]
                await until(lambda: [(p.contract.conId, p.position) for p in ib.positions()] == [(AAPL, 10)],
                            what="the position")
        assert broker.snapshot()["DU1234567"]["positions"] == {"AAPL": 10}


# ----- 2. cancel a resting order ---------------------------------------------------------------


@CLIENTS
async def test_resting_order_is_cancelled(client: str) -> None:
    async with own_gateway() as gateway:
        broker = gateway.brokerage
        broker.set_quote(AAPL, 190.0, 190.02)
        if client == "ibapi":
            async with ibapi_client(gateway, 2, expected=[ORDER_CANCELED]) as app:
                order_id = first_order_id(app)
                app.placeOrder(order_id, ibapi_contract("AAPL"), ibapi_order("BUY", 10, limit=150.0))
                await wait(app, "orderStatus", where=lambda c: c[0] == order_id and c[1] == "Submitted")
                app.cancelOrder(order_id, OrderCancel())
                await wait(app, "orderStatus", where=lambda c: c[0] == order_id and c[1] == "Cancelled")
                await wait(app, "error", where=lambda c: c[0] == order_id and c[2] == ORDER_CANCELED)
                assert not app.calls["execDetails"]
        else:
            library = LIBRARIES[client]
            async with asyncio_client(library, gateway, 2, expected=[ORDER_CANCELED]) as (ib, _):
                trade = ib.placeOrder(library.Stock("AAPL", "SMART", "USD"), library.LimitOrder("BUY", 10, 150.0))
                await until(lambda: trade.orderStatus.status == "Submitted", what="Submitted")
                order_id = trade.order.orderId
                ib.cancelOrder(trade.order)
                await until(lambda: trade.orderStatus.status == "Cancelled", what="Cancelled")
                assert trade.isDone() and not trade.fills and ib.openTrades() == []
        assert broker.orders.get(order_id).status == "Cancelled"
        assert broker.orders.open_orders() == []


# ----- 3. modify a resting order: new limit and size, then it fills at the new limit -----------


@CLIENTS
async def test_modified_order_shows_new_terms_and_fills_at_the_new_limit(client: str) -> None:
    async with own_gateway() as gateway:
        broker = gateway.brokerage
        broker.set_quote(AAPL, 190.0, 190.02)
        if client == "ibapi":
            async with ibapi_client(gateway, 3) as app:
                order_id = first_order_id(app)
                contract = ibapi_contract("AAPL")
                app.placeOrder(order_id, contract, ibapi_order("SELL", 5, limit=200.0))
                await wait(app, "orderStatus", where=lambda c: c[0] == order_id and c[1] == "Submitted")
                app.placeOrder(order_id, contract, ibapi_order("SELL", 8, limit=195.0))
                shown = await wait(app, "openOrder", where=lambda c: c[0] == order_id and c[2].lmtPrice == 195.0)
                assert shown[-1][2].totalQuantity == Decimal(8) and shown[-1][3].status == "Submitted"
                book = broker.orders.get(order_id)
                assert (book.lmt_price, book.total_quantity, book.status) == (195.0, 8, "Submitted")

                broker.set_quote(AAPL, 196.0, 196.02)  # through 195, still short of the old 200
                filled = await wait(app, "orderStatus", where=lambda c: c[0] == order_id and c[1] == "Filled")
                assert (filled[-1][2], filled[-1][4]) == (Decimal(8), 196.0)
                (_, _, execution), = await wait(app, "execDetails")
                assert (execution.side, execution.shares, execution.price) == ("SLD", Decimal(8), 196.0)
                await wait(app, "commissionAndFeesReport")
        else:
            library = LIBRARIES[client]
            async with asyncio_client(library, gateway, 3) as (ib, _):
                seen: list[tuple[float, float]] = []
                ib.openOrderEvent += lambda t: seen.append((t.order.lmtPrice, t.order.totalQuantity))
                stock = library.Stock("AAPL", "SMART", "USD")
                trade = ib.placeOrder(stock, library.LimitOrder("SELL", 5, 200.0))
                await until(lambda: trade.orderStatus.status == "Submitted", what="Submitted")
                change = copy.copy(trade.order)  # the trade's own order changes only through openOrder
                change.lmtPrice, change.totalQuantity = 195.0, 8
                ib.placeOrder(stock, change)
                await until(lambda: (195.0, 8) in seen, what="openOrder with the new terms")
                assert (trade.order.lmtPrice, trade.order.totalQuantity) == (195.0, 8)
                assert seen[0] == (200.0, 5)
                book = broker.orders.get(trade.order.orderId)
                assert (book.lmt_price, book.total_quantity, book.status) == (195.0, 8, "Submitted")

                broker.set_quote(AAPL, 196.0, 196.02)  # through 195, still short of the old 200
                await until(lambda: trade.isDone() and trade.fills and trade.fills[-1].commissionReport.execId,
                            what="the fill")
                assert (trade.orderStatus.status, trade.orderStatus.filled, trade.orderStatus.avgFillPrice) == (
                    "Filled", 8, 196.0)
                [fill] = trade.fills
                assert (fill.execution.side, fill.execution.shares, fill.execution.price) == ("SLD", 8, 196.0)
        assert broker.snapshot()["DU1234567"]["positions"] == {"AAPL": -8}


# ----- 4. a what-if order: margins and commission, nothing booked ------------------------------


@CLIENTS
async def test_what_if_returns_margins_and_books_nothing(client: str) -> None:
    async with own_gateway() as gateway:
        broker = gateway.brokerage
        broker.set_quote(AAPL, 190.0, 190.02)
        margin_change = 100 * 190.02 * 0.50  # a market buy of 100 at the ask, Reg-T 50 % initial margin
        if client == "ibapi":
            async with ibapi_client(gateway, 4) as app:
                order_id = first_order_id(app)
                app.placeOrder(order_id, ibapi_contract("AAPL"), ibapi_order("BUY", 100, "MKT", what_if=True))
                (_, contract, order, state), = await wait(app, "openOrder", where=lambda c: c[0] == order_id)
                assert contract.conId == AAPL and order.whatIf
                assert float(state.initMarginChange) == pytest.approx(margin_change, abs=0.01)
                assert float(state.initMarginAfter) == pytest.approx(float(state.initMarginBefore) + margin_change, abs=0.01)
                assert float(state.maintMarginChange) > 0 and float(state.equityWithLoanBefore) > 0
                assert (state.commissionAndFees, state.commissionAndFeesCurrency) == (1.0, "USD")
                shown = len(app.calls["openOrder"])
                app.reqOpenOrders()
                await wait(app, "openOrderEnd")
                assert len(app.calls["openOrder"]) == shown  # no open order to report
                assert not app.calls["orderStatus"] and not app.calls["execDetails"]
        else:
            library = LIBRARIES[client]
            async with asyncio_client(library, gateway, 4) as (ib, _):
                stock = library.Stock("AAPL", "SMART", "USD")
                state = await asyncio.wait_for(ib.whatIfOrderAsync(stock, library.MarketOrder("BUY", 100)), 2)
                assert float(state.initMarginChange) == pytest.approx(margin_change, abs=0.01)
                assert float(state.initMarginAfter) == pytest.approx(float(state.initMarginBefore) + margin_change, abs=0.01)
                assert float(state.maintMarginChange) > 0 and float(state.equityWithLoanBefore) > 0
                assert (state.commission, state.commissionCurrency) == (1.0, "USD")
                assert ib.openTrades() == [] and ib.trades() == []
                assert await asyncio.wait_for(ib.reqOpenOrdersAsync(), 2) == []
        assert broker.orders.orders == {} and broker.orders.open_orders() == []
        assert broker.orders.executions == []
        assert broker.snapshot()["DU1234567"]["positions"] == {}


# ----- 7. a fill while the client is away and the gateway restarts -----------------------------


@CLIENTS
async def test_fill_while_disconnected_is_found_after_restart_and_reconnect(client: str) -> None:
    async with own_gateway() as gateway:
        broker = gateway.brokerage
        broker.set_quote(AAPL, 190.0, 190.02)
        if client == "ibapi":
            async with ibapi_client(gateway, 7) as app:
                order_id = first_order_id(app)
                app.placeOrder(order_id, ibapi_contract("AAPL"), ibapi_order("BUY", 10, limit=189.0))
                submitted = await wait(app, "orderStatus", where=lambda c: c[0] == order_id and c[1] == "Submitted")
                perm_id = submitted[0][5]
        else:
            library = LIBRARIES[client]
            async with asyncio_client(library, gateway, 7) as (ib, _):
                trade = ib.placeOrder(library.Stock("AAPL", "SMART", "USD"), library.LimitOrder("BUY", 10, 189.0))
                await until(lambda: trade.orderStatus.status == "Submitted", what="Submitted")
                order_id, perm_id = trade.order.orderId, trade.order.permId
        await until(lambda: not gateway.sessions, what="the client to be gone")

        broker.set_quote(AAPL, 188.5, 188.9)  # nobody is connected: the order fills all the same
        assert broker.orders.get(order_id).status == "Filled"
        await gateway.restart()

        if client == "ibapi":
            async with ibapi_client(gateway, 7) as again:
                assert first_order_id(again) > order_id
                again.reqExecutions(71, IbapiExecutionFilter())
                await wait(again, "execDetailsEnd", where=lambda c: c[0] == 71)
                [(_, contract, execution)] = [c for c in again.calls["execDetails"] if c[0] == 71]
                assert (contract.conId, execution.orderId, execution.permId) == (AAPL, order_id, perm_id)
                assert (execution.side, execution.shares, execution.price) == ("BOT", Decimal(10), 188.9)
                (report,), = await wait(again, "commissionAndFeesReport")
                assert (report.execId, report.commissionAndFees) == (execution.execId, 1.0)
                again.reqOpenOrders()
                await wait(again, "openOrderEnd")
                assert not again.calls["openOrder"] and not again.calls["orderStatus"]
                again.reqCompletedOrders(False)
                await wait(again, "completedOrdersEnd")
                [(contract, order, state)] = again.calls["completedOrder"]
                assert (contract.conId, order.permId, state.status) == (AAPL, perm_id, "Filled")
                assert order.filledQuantity == Decimal(10)
        else:
            async with asyncio_client(library, gateway, 7) as (again, _):
                assert again.client.getReqId() > order_id
                [fill] = again.fills()
                assert (fill.execution.orderId, fill.execution.permId) == (order_id, perm_id)
                assert (fill.execution.side, fill.execution.shares, fill.execution.price) == ("BOT", 10, 188.9)
                assert (fill.commissionReport.execId, fill.commissionReport.commission) == (fill.execution.execId, 1.0)
                assert [e.execId for e in again.executions()] == [fill.execution.execId]
                assert again.openTrades() == [] and again.openOrders() == []
                assert {t.order.permId: t.orderStatus.status for t in again.trades()} == {perm_id: "Filled"}
                assert [(p.contract.conId, p.position) for p in again.positions()] == [(AAPL, 10)]
