"""Orders through real clients over real TCP: ib_insync, ib_async and the official ibapi.

Each client places a limit order that fills when the market crosses it, cancels one, modifies
one and asks a what-if; the reconnect tests fill an order while its client is away (and across a
gateway restart) and find everything again through the clients' own startup sync.
"""

from __future__ import annotations

import asyncio
import math
from decimal import Decimal
from typing import Any

import ib_async
import ib_insync
import pytest
from ibapi.order import Order as IbapiOrder

from ib_harness.fake_gateway import FakeGateway
from tests.ibapi_app import RecordingApp, ibapi_contract
from tests.waiting import until

AAPL = 265598
CLIENTS = pytest.mark.parametrize("library", [ib_insync, ib_async], ids=["ib_insync", "ib_async"])


async def connect(library: Any, gateway: FakeGateway, client_id: int) -> Any:
    ib = library.IB()
    await ib.connectAsync(gateway.host, gateway.port, clientId=client_id, timeout=2)
    return ib


@CLIENTS
async def test_fill_cancel_modify_and_what_if(library: Any) -> None:
    async with FakeGateway() as gateway:
        broker = gateway.brokerage
        broker.set_quote(AAPL, 190.0, 190.02)
        ib = await connect(library, gateway, 1)
        try:
            stock = library.Stock("AAPL", "SMART", "USD")
            to_fill = ib.placeOrder(stock, library.LimitOrder("BUY", 10, 189.0, orderRef="fill-me"))
            to_cancel = ib.placeOrder(stock, library.LimitOrder("BUY", 10, 150.0))
            to_modify = ib.placeOrder(stock, library.LimitOrder("SELL", 5, 200.0))
            trades = (to_fill, to_cancel, to_modify)
            await until(lambda: all(t.orderStatus.status == "Submitted" for t in trades))
            assert len({t.order.permId for t in trades}) == 3

            broker.set_quote(AAPL, 188.5, 188.9)
            await until(lambda: to_fill.isDone() and to_fill.fills and to_fill.fills[0].commissionReport.execId)
            assert to_fill.orderStatus.status == "Filled" and to_fill.orderStatus.avgFillPrice == 188.9
            fill = to_fill.fills[0]
            assert (fill.execution.side, fill.execution.shares, fill.execution.orderRef) == ("BOT", 10, "fill-me")
            assert fill.commissionReport.commission == 1.0
            await until(lambda: any(p.position == 10 for p in ib.positions()))

            ib.cancelOrder(to_cancel.order)
            await until(lambda: to_cancel.orderStatus.status == "Cancelled")

            to_modify.order.lmtPrice = 199.5
            ib.placeOrder(stock, to_modify.order)
            await until(lambda: to_modify.log[-1].message == "Modified")
            assert broker.orders.get(to_modify.order.orderId).lmt_price == 199.5

            state = await ib.whatIfOrderAsync(stock, library.MarketOrder("BUY", 100))
            assert float(state.initMarginChange) == pytest.approx(100 * 188.9 * 0.50, abs=0.01)
            assert float(state.initMarginAfter) > float(state.initMarginBefore)
            assert state.commission == 1.0 and state.commissionCurrency == "USD"
            assert len(broker.orders.orders) == 3  # the what-if was never booked
            assert [t.order.orderId for t in ib.openTrades()] == [to_modify.order.orderId]
        finally:
            ib.disconnect()


@CLIENTS
async def test_fills_while_away_and_across_a_restart_come_back_on_reconnect(library: Any) -> None:
    async with FakeGateway() as gateway:
        broker = gateway.brokerage
        broker.set_quote(AAPL, 190.0, 190.02)
        ib = await connect(library, gateway, 5)
        stock = library.Stock("AAPL", "SMART", "USD")
        now = ib.placeOrder(stock, library.MarketOrder("BUY", 20))
        later = ib.placeOrder(stock, library.LimitOrder("BUY", 10, 189.0))
        resting = ib.placeOrder(stock, library.LimitOrder("BUY", 5, 150.0, tif="GTC"))
        await until(lambda: now.isDone() and resting.orderStatus.status == "Submitted"
                    and later.orderStatus.status == "Submitted")
        ib.disconnect()
        await until(lambda: not gateway.sessions)

        broker.set_quote(AAPL, 188.5, 188.9)  # nobody connected: the order fills all the same
        assert broker.orders.get(later.order.orderId).status == "Filled"
        await gateway.restart()

        again = await connect(library, gateway, 5)
        try:
            open_trades = again.openTrades()
            assert [t.order.orderId for t in open_trades] == [resting.order.orderId]
            assert open_trades[0].orderStatus.status == "Submitted" and open_trades[0].order.lmtPrice == 150.0
            fills = again.fills()
            assert sorted((f.execution.orderId, f.execution.shares) for f in fills) == [
                (now.order.orderId, 20), (later.order.orderId, 10)]
            assert all(f.commissionReport.commission == 1.0 for f in fills)
            statuses = {t.order.permId: t.orderStatus.status for t in again.trades()}
            assert statuses[later.order.permId] == "Filled" and statuses[resting.order.permId] == "Submitted"
            assert {p.contract.conId: p.position for p in again.positions()} == {AAPL: 30}
            new_id = again.client.getReqId()
            assert new_id > resting.order.orderId
            executions = await again.reqExecutionsAsync(library.ExecutionFilter(side="SELL"))
            assert executions == []
        finally:
            again.disconnect()


@CLIENTS
async def test_other_clients_see_orders_only_through_all_open_orders(library: Any) -> None:
    async with FakeGateway() as gateway:
        owner = await connect(library, gateway, 1)
        other = await connect(library, gateway, 2)
        codes: list[int] = []
        other.errorEvent += lambda req_id, code, *rest: codes.append(code)
        try:
            trade = owner.placeOrder(library.Stock("AAPL", "SMART", "USD"), library.LimitOrder("BUY", 1, 100.0))
            await until(lambda: trade.orderStatus.status == "Submitted")
            assert await other.reqOpenOrdersAsync() == []
            every = await other.reqAllOpenOrdersAsync()
            assert [t.order.permId for t in every] == [trade.order.permId]
            other.client.cancelOrder(trade.order.orderId, "")  # not its order: IB says not found
            await until(lambda: 10147 in codes)
            assert trade.orderStatus.status == "Submitted"
            other.reqGlobalCancel()  # global cancel reaches every client's orders
            await until(lambda: trade.orderStatus.status == "Cancelled")
        finally:
            owner.disconnect()
            other.disconnect()


@CLIENTS
async def test_bad_orders_get_ib_error_codes_and_the_gateway_keeps_serving(library: Any) -> None:
    async with FakeGateway() as gateway:
        ib = await connect(library, gateway, 3)
        errors: list[tuple[int, int, str]] = []
        ib.errorEvent += lambda req_id, code, text, *rest: errors.append((req_id, code, text))
        try:
            stock = library.Stock("AAPL", "SMART", "USD")
            cases = [
                (stock, library.MarketOrder("BUY", -5), 201),
                (stock, library.LimitOrder("BUY", 10, math.nan), 201),
                (stock, library.Order(action="BUY", totalQuantity=1, orderType="FOO"), 387),
                (stock, library.MarketOrder("BUY", 1e15), 201),
                (library.Stock("NOPE", "SMART", "USD"), library.MarketOrder("BUY", 1), 200),
                (library.Stock("AAPL", "", "USD"), library.MarketOrder("BUY", 1), 321),
            ]
            trades = [(ib.placeOrder(contract, order), code) for contract, order, code in cases]
            ib.client.cancelOrder(987654, "")
            await until(lambda: len(errors) == len(cases) + 1)
            assert [(e[0], e[1]) for e in errors] == [(t.order.orderId, code) for t, code in trades] + [(987654, 10147)]
            assert errors[-1][2] == "OrderId 987654 that needs to be cancelled is not found."
            # How the clients mark a rejection (ib_async keeps 321 apart as a validation error).
            assert all(t.orderStatus.status in ("Cancelled", "ValidationError") for t, _ in trades)
            assert not gateway.brokerage.orders.orders
            assert await asyncio.wait_for(ib.reqCurrentTimeAsync(), 1)
            good = ib.placeOrder(stock, library.MarketOrder("BUY", 1))
            await until(good.isDone)
            assert good.orderStatus.status == "Filled"
        finally:
            ib.disconnect()


@pytest.mark.parametrize("max_version", [157, 176, 200])
async def test_official_ibapi_places_fills_cancels_and_reads_executions(max_version: int) -> None:
    async with FakeGateway(max_version=max_version) as gateway:
        broker = gateway.brokerage
        broker.set_quote(AAPL, 190.0, 190.02)
        app = await asyncio.to_thread(RecordingApp().start, gateway.host, gateway.port, 8)
        wait = lambda *args, **kw: asyncio.to_thread(app.wait_for, *args, **kw)  # noqa: E731
        try:
            (first_id,) = app.calls["nextValidId"][0]
            buy = _ibapi_order("BUY", 10, "LMT", 189.0)
            app.placeOrder(first_id, ibapi_contract("AAPL"), buy)
            app.placeOrder(first_id + 1, ibapi_contract("AAPL"), _ibapi_order("SELL", 3, "LMT", 300.0))
            await wait("orderStatus", 2, 2.0, lambda c: c[1] == "Submitted")
            opened = await wait("openOrder", 1, 2.0, lambda c: c[0] == first_id)
            assert opened[0][1].conId == AAPL and opened[0][2].lmtPrice == 189.0

            broker.set_quote(AAPL, 188.5, 188.9)
            filled = await wait("orderStatus", 1, 2.0, lambda c: c[0] == first_id and c[1] == "Filled")
            assert filled[0][2] == Decimal(10) and filled[0][4] == 188.9
            (req_id, contract, execution) = (await wait("execDetails"))[0]
            assert req_id == -1 and execution.side == "BOT" and execution.orderId == first_id
            report = (await wait("commissionAndFeesReport"))[0][0]
            assert report.execId == execution.execId and report.commissionAndFees == 1.0

            app.cancelOrder(first_id + 1, _ibapi_cancel())
            await wait("orderStatus", 1, 2.0, lambda c: c[0] == first_id + 1 and c[1] == "Cancelled")
            app.cancelOrder(4242, _ibapi_cancel())
            error = await wait("error", 1, 2.0, lambda c: c[0] == 4242)
            assert error[0][2] == 10147

            from ibapi.execution import ExecutionFilter
            app.reqExecutions(77, ExecutionFilter())
            await wait("execDetailsEnd", 1, 2.0, lambda c: c[0] == 77)
            replayed = [c for c in app.calls["execDetails"] if c[0] == 77]
            assert [c[2].execId for c in replayed] == [execution.execId]
            await wait("commissionAndFeesReport", 2)
            app.reqIds(-1)
            ids = await wait("nextValidId", 2)
            assert ids[-1][0] == first_id + 2
        finally:
            await asyncio.to_thread(app.stop)


def _ibapi_order(action: str, quantity: float, order_type: str, limit: float) -> IbapiOrder:
    order = IbapiOrder()
    order.action, order.totalQuantity, order.orderType, order.lmtPrice = action, Decimal(quantity), order_type, limit
    return order


def _ibapi_cancel() -> Any:
    from ibapi.order_cancel import OrderCancel
    return OrderCancel()


@CLIENTS
async def test_client_zero_binds_manual_tws_orders(library: Any) -> None:
    async with FakeGateway() as gateway:
        book = gateway.brokerage.orders
        earlier = book.place_manual({"contract": {"conId": AAPL, "exchange": "SMART"}, "action": "BUY",
                                     "totalQuantity": 3, "orderType": "LMT", "lmtPrice": 100.0})
        ib = await connect(library, gateway, 0)  # startup sync: reqOpenOrders binds, reqAutoOpenOrders(True)
        try:
            assert book.auto_bind and earlier.order_id == -1
            manual = book.place_manual({"contract": {"conId": AAPL, "exchange": "SMART"}, "action": "SELL",
                                        "totalQuantity": 2, "orderType": "LMT", "lmtPrice": 300.0})
            await until(lambda: len(ib.openTrades()) == 2)
            assert sorted(t.order.orderId for t in ib.openTrades()) == [-2, -1]
            assert manual.order_id == -2 and {t.order.permId for t in ib.openTrades()} == {earlier.perm_id, manual.perm_id}
        finally:
            ib.disconnect()


async def test_captured_place_order_frames_get_ibs_replies() -> None:
    """Replay the real placeOrder frames of the capture: a what-if FX order and a STK without exchange.

    The what-if (100 EUR, below the IdealPro minimum) gets two openOrders as wide as IB's, as in
    the capture: first with the odd-lot warning and the margins unset, then with the margins
    filled in. Sent again as a real order (whatIf cleared, new id) it fills: openOrder,
    orderStatus, execDetails, openOrder, orderStatus, commissionReport, each as wide as the
    captured frames.
    """
    from ib_harness.fake_gateway.raw_client import RawTwsClient
    from tests.captures import nautilus_messages, session_exchanges

    what_if, no_exchange = [e["request"] for e in session_exchanges()
                            if isinstance(e["request"], list) and e["request"][:1] == ["3"]]
    real = list(what_if)
    real[1], real[85] = "190", "0"  # orderId, whatIf
    widths = {m[0][0]: len(m[0]) for m in nautilus_messages().values()}
    async with FakeGateway() as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        await client.handshake(157, 178)
        await client.start_api(client_id=2)
        await client.read_until("9")
        for request in (what_if, no_exchange, real):
            client.send(request)
        client.send(["49", "1"])
        frames = [f for f in (await client.read_until("49"))[:-1] if f[0] != "4" or f[2] != "-1"]
        await client.close()
    assert [f[0] for f in frames] == ["5", "5", "4", "5", "3", "11", "5", "3", "59"]
    captured_first = next(f for e in session_exchanges() for f in e["responses"] if f[0] == "5")
    warned, preview = frames[0], frames[1]
    assert len(warned) == len(captured_first) and warned[93:95] == ["1", "PreSubmitted"]
    assert warned[95:104] == captured_first[95:104] == ["1.7976931348623157E308"] * 9  # margins unset
    assert warned[108] == captured_first[108]  # IB's IdealPro odd-lot warning, word for word
    assert len(preview) == widths["5"] and preview[1] == "186" and preview[93:95] == ["1", "PreSubmitted"]
    assert float(preview[98]) > 0 and float(preview[101]) == pytest.approx(float(preview[95]) + float(preview[98]))  # initMargin*
    assert preview[108] == ""
    assert frames[2][2:5] == ["187", "321", "Error validating request.-'bN' : cause - Missing order exchange."]
    for frame in frames[3:]:
        assert len(frame) == widths[frame[0]], frame[0]
    assert frames[6][13:16] == ["BUY", "100", "MKT"] and frames[7][1:3] == ["190", "Filled"]
