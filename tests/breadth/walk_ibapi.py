"""The request walk for the official ibapi client: one probe per request message id.

ibapi has no awaitable requests: a program waits for the callback that answers (or ends) its
request, so each probe sends the request and waits for that callback, or for an error naming the
request, and reports ``answer``, ``error N`` or ``silent`` like the asyncio walk.
"""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal
from typing import Any, Awaitable, Callable

from ibapi.common import WshEventData
from ibapi.execution import ExecutionFilter
from ibapi.order import Order
from ibapi.order_cancel import OrderCancel
from ibapi.scanner import ScannerSubscription

from ib_harness.fake_gateway import FakeGateway
from tests.breadth.walk_asyncio import ManualClock
from tests.ibapi_app import RecordingApp, ibapi_contract

TIMEOUT = 4.0
FARM = (2104, 2106, 2158)


class IbapiWalk:
    """The probes' shared state: the app, the gateway, fresh request ids, the contracts."""

    def __init__(self, app: RecordingApp, gateway: FakeGateway, clock: ManualClock) -> None:
        self.app, self.gateway, self.clock = app, gateway, clock
        self.account = gateway.brokerage.account_ids[0]
        self.next_id = 10_000
        self.stock = ibapi_contract("AAPL", conId=265598)
        catalog = gateway.brokerage.catalog
        aapl = catalog.by_con_id(265598)
        assert aapl is not None
        chain = catalog.options.chains(aapl)[0]
        strike = min(chain.strikes, key=lambda k: abs(k - aapl.price))
        [option] = catalog.find({"symbol": "AAPL", "secType": "OPT", "lastTradeDateOrContractMonth": chain.expirations[0],
                                 "strike": strike, "right": "C", "exchange": "SMART"})
        self.option = ibapi_contract("AAPL", "OPT", conId=option.con_id)
        self.order_id = 0

    def req_id(self) -> int:
        self.next_id += 1
        return self.next_id

    async def outcome(self, callback: str, send: Callable[[], Any], req_id: int | None = None,
                      key: Callable[[tuple[Any, ...]], bool] | None = None, drive: Callable[[], None] | None = None) -> str:
        """Send, then wait for ``callback`` (for ``req_id`` when given) or an error for ``req_id``."""
        app = self.app
        seen, errors = len(app.calls[callback]), len(app.calls["error"])
        send()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while loop.time() < deadline:
            for call in app.calls[callback][seen:]:
                if (req_id is None or call[0] == req_id) and (key is None or key(call)):
                    return "answer"
            for call in app.calls["error"][errors:]:
                if req_id is not None and call[0] == req_id and call[2] not in FARM:
                    return f"error {call[2]}"
            if drive is not None:
                drive()
            await asyncio.sleep(0.01)
        return "hang"

    async def silent(self, send: Callable[[], Any]) -> str:
        errors = len(self.app.calls["error"])
        send()
        result = await self.outcome("currentTime", self.app.reqCurrentTime)
        late = [c for c in self.app.calls["error"][errors:] if c[2] not in FARM]
        return f"error {late[0][2]}" if late else ("silent" if result == "answer" else result)

    def step(self) -> None:
        self.gateway.brokerage.market.step(265598, 2)

    def pass_time(self) -> None:
        self.clock.offset += 1.0
        self.step()


def _order(action: str, kind: str, quantity: int, limit: float = 0.0) -> Order:
    order = Order()
    order.action, order.orderType, order.totalQuantity = action, kind, Decimal(quantity)
    if kind == "LMT":
        order.lmtPrice = limit
    return order


async def _place(w: IbapiWalk) -> str:
    w.order_id = w.app.calls["nextValidId"][-1][0] + 500
    return await w.outcome("orderStatus", lambda: w.app.placeOrder(w.order_id, w.stock, _order("BUY", "LMT", 1, 1.0)), w.order_id)


async def _cancel(w: IbapiWalk) -> str:
    return await w.outcome("orderStatus", lambda: w.app.cancelOrder(w.order_id, OrderCancel()), w.order_id,
                           key=lambda c: c[1] == "Cancelled")


async def _exercise(w: IbapiWalk) -> str:
    order_id = w.order_id + 1
    filled = await w.outcome("orderStatus", lambda: w.app.placeOrder(order_id, w.option, _order("BUY", "MKT", 1)),
                             order_id, key=lambda c: c[1] == "Filled")
    if filled != "answer":
        return filled
    return await w.outcome("updatePortfolio", lambda: w.app.exerciseOptions(
        w.req_id(), w.option, 1, 1, w.account, 0, "", "", False), key=lambda c: c[0].conId == 265598)


def _scan(code: str) -> ScannerSubscription:
    sub = ScannerSubscription()
    sub.instrument, sub.locationCode, sub.scanCode = "STK", "STK.US.MAJOR", code
    return sub


async def _scanner_cancel(w: IbapiWalk) -> str:
    req_id = w.req_id()
    await w.outcome("scannerDataEnd", lambda: w.app.reqScannerSubscription(req_id, _scan("TOP_PERC_LOSE"), [], []), req_id)
    return await w.silent(lambda: w.app.cancelScannerSubscription(req_id))


async def _subscribe_then_cancel(w: IbapiWalk, callback: str, subscribe: Callable[[int], Any], cancel: Callable[[int], Any],
                                 drive: Callable[[], None] | None = None) -> str:
    req_id = w.req_id()
    answered = await w.outcome(callback, lambda: subscribe(req_id), req_id, drive=drive)
    return answered if answered != "answer" else await w.silent(lambda: cancel(req_id))


async def _news_article(w: IbapiWalk) -> str:
    req_id = w.req_id()
    await w.outcome("historicalNewsEnd", lambda: w.app.reqHistoricalNews(req_id, 265598, "BRFG", "", "", 1, []), req_id)
    article_id = w.app.calls["historicalNews"][-1][3]
    return await w.outcome("newsArticle", lambda: w.app.reqNewsArticle(w.req_id(), "BRFG", article_id, []))


def _now_utc(w: IbapiWalk) -> str:
    return time.strftime("%Y%m%d-%H:%M:%S", time.gmtime(w.gateway.clock()))


def _r(callback: str, send: Callable[[IbapiWalk, int], Any]) -> Callable[[IbapiWalk], Awaitable[str]]:
    """A request answered by ``callback`` carrying its request id first."""
    def probe(w: IbapiWalk) -> Awaitable[str]:
        req_id = w.req_id()
        return w.outcome(callback, lambda: send(w, req_id), req_id)
    return probe


def _n(callback: str, send: Callable[[IbapiWalk], Any]) -> Callable[[IbapiWalk], Awaitable[str]]:
    """A request without a request id, answered by ``callback``."""
    return lambda w: w.outcome(callback, lambda: send(w))


def _s(send: Callable[[IbapiWalk], Any]) -> Callable[[IbapiWalk], Awaitable[str]]:
    """A request IB never answers."""
    return lambda w: w.silent(lambda: send(w))


def _verify(w: IbapiWalk, callback: str, send: Callable[[], Any]) -> Awaitable[str]:
    w.app.extraAuth = True  # a vendor client states its intent to verify at connect
    return w.outcome(callback, send)


PROBES: dict[int, Callable[[IbapiWalk], Awaitable[str]]] = {
    1: _r("tickSnapshotEnd", lambda w, i: w.app.reqMktData(i, w.stock, "", True, False, [])),
    2: lambda w: _subscribe_then_cancel(w, "tickPrice", lambda i: w.app.reqMktData(i, w.stock, "", False, False, []), w.app.cancelMktData),
    3: _place,
    4: _cancel,
    5: _n("openOrderEnd", lambda w: w.app.reqOpenOrders()),
    6: _n("accountDownloadEnd", lambda w: w.app.reqAccountUpdates(True, w.account)),
    7: _r("execDetailsEnd", lambda w, i: w.app.reqExecutions(i, ExecutionFilter())),
    8: _n("nextValidId", lambda w: w.app.reqIds(1)),
    9: _r("contractDetailsEnd", lambda w, i: w.app.reqContractDetails(i, w.stock)),
    10: _r("updateMktDepthL2", lambda w, i: w.app.reqMktDepth(i, ibapi_contract("AAPL"), 5, True, [])),
    11: lambda w: _subscribe_then_cancel(w, "updateMktDepth", lambda i: w.app.reqMktDepth(i, ibapi_contract("AAPL", exchange="ARCA"), 5, False, []),
                                         lambda i: w.app.cancelMktDepth(i, False)),
    12: _s(lambda w: w.app.reqNewsBulletins(True)),
    13: _s(lambda w: w.app.cancelNewsBulletins()),
    14: _s(lambda w: w.app.setServerLogLevel(3)),
    15: _s(lambda w: w.app.reqAutoOpenOrders(True)),
    16: _n("openOrderEnd", lambda w: w.app.reqAllOpenOrders()),
    17: _n("managedAccounts", lambda w: w.app.reqManagedAccts()),
    18: _n("receiveFA", lambda w: w.app.requestFA(1)),
    19: _r("replaceFAEnd", lambda w, i: w.app.replaceFA(i, 1, "<ListOfGroups/>")),
    20: _r("historicalDataEnd", lambda w, i: w.app.reqHistoricalData(i, w.stock, "", "1 D", "1 hour", "TRADES", 1, 1, False, [])),
    21: _exercise,
    22: _r("scannerDataEnd", lambda w, i: w.app.reqScannerSubscription(i, _scan("MOST_ACTIVE"), [], [])),
    23: _scanner_cancel,
    24: _n("scannerParameters", lambda w: w.app.reqScannerParameters()),
    25: lambda w: _subscribe_then_cancel(w, "historicalDataEnd", lambda i: w.app.reqHistoricalData(
        i, w.stock, "", "600 S", "5 secs", "TRADES", 0, 1, True, []), w.app.cancelHistoricalData),
    49: _n("currentTime", lambda w: w.app.reqCurrentTime()),
    50: lambda w: _subscribe_then_cancel(w, "realtimeBar", lambda i: w.app.reqRealTimeBars(i, w.stock, 5, "TRADES", False, []),
                                         w.app.cancelRealTimeBars, drive=w.pass_time),
    51: lambda w: _subscribe_then_cancel(w, "realtimeBar", lambda i: w.app.reqRealTimeBars(i, w.stock, 5, "MIDPOINT", False, []),
                                         w.app.cancelRealTimeBars, drive=w.pass_time),
    52: _r("fundamentalData", lambda w, i: w.app.reqFundamentalData(i, w.stock, "ReportsFinSummary", [])),
    53: _s(lambda w: w.app.cancelFundamentalData(w.req_id())),
    54: _r("tickOptionComputation", lambda w, i: w.app.calculateImpliedVolatility(i, w.option, 5.0, 190.0, [])),
    55: _r("tickOptionComputation", lambda w, i: w.app.calculateOptionPrice(i, w.option, 0.3, 190.0, [])),
    56: _s(lambda w: w.app.cancelCalculateImpliedVolatility(w.req_id())),
    57: _s(lambda w: w.app.cancelCalculateOptionPrice(w.req_id())),
    58: _s(lambda w: w.app.reqGlobalCancel(OrderCancel())),
    59: _s(lambda w: w.app.reqMarketDataType(1)),
    61: _n("positionEnd", lambda w: w.app.reqPositions()),
    62: _r("accountSummaryEnd", lambda w, i: w.app.reqAccountSummary(i, "All", "NetLiquidation")),
    63: _s(lambda w: w.app.cancelAccountSummary(w.req_id())),
    64: _s(lambda w: w.app.cancelPositions()),
    65: lambda w: _verify(w, "verifyCompleted", lambda: w.app.verifyRequest("walk", "1")),
    66: lambda w: _verify(w, "verifyCompleted", lambda: w.app.verifyMessage("data")),
    67: _r("displayGroupList", lambda w, i: w.app.queryDisplayGroups(i)),
    68: lambda w: w.outcome("displayGroupUpdated", lambda: w.app.subscribeToGroupEvents(9002, 1), 9002),
    69: lambda w: w.outcome("displayGroupUpdated", lambda: w.app.updateDisplayGroup(9002, "265598@SMART"), 9002),
    70: _s(lambda w: w.app.unsubscribeFromGroupEvents(9002)),
    71: _n("currentTime", lambda w: w.app.reqCurrentTime()),  # startApi: done by the connect
    72: lambda w: _verify(w, "verifyAndAuthCompleted", lambda: w.app.verifyAndAuthRequest("walk", "1", "key")),
    73: lambda w: _verify(w, "verifyAndAuthCompleted", lambda: w.app.verifyAndAuthMessage("data", "xyz")),
    74: _r("positionMultiEnd", lambda w, i: w.app.reqPositionsMulti(i, w.account, "")),
    75: _s(lambda w: w.app.cancelPositionsMulti(w.req_id())),
    76: _r("accountUpdateMultiEnd", lambda w, i: w.app.reqAccountUpdatesMulti(i, w.account, "", False)),
    77: _s(lambda w: w.app.cancelAccountUpdatesMulti(w.req_id())),
    78: _r("securityDefinitionOptionParameterEnd", lambda w, i: w.app.reqSecDefOptParams(i, "AAPL", "", "STK", 265598)),
    79: _r("softDollarTiers", lambda w, i: w.app.reqSoftDollarTiers(i)),
    80: _n("familyCodes", lambda w: w.app.reqFamilyCodes()),
    81: _r("symbolSamples", lambda w, i: w.app.reqMatchingSymbols(i, "AAP")),
    82: _n("mktDepthExchanges", lambda w: w.app.reqMktDepthExchanges()),
    83: _r("smartComponents", lambda w, i: w.app.reqSmartComponents(i, "9c0001")),
    84: _news_article,
    85: _n("newsProviders", lambda w: w.app.reqNewsProviders()),
    86: _r("historicalNewsEnd", lambda w, i: w.app.reqHistoricalNews(i, 265598, "BRFG+DJNL", "", "", 5, [])),
    87: _r("headTimestamp", lambda w, i: w.app.reqHeadTimeStamp(i, w.stock, "TRADES", 1, 1)),
    88: _r("histogramData", lambda w, i: w.app.reqHistogramData(i, w.stock, True, "3 days")),
    89: _s(lambda w: w.app.cancelHistogramData(w.req_id())),
    90: _s(lambda w: w.app.cancelHeadTimeStamp(w.req_id())),
    91: _n("marketRule", lambda w: w.app.reqMarketRule(26)),
    92: lambda w: _subscribe_then_cancel(w, "pnl", lambda i: w.app.reqPnL(i, w.account, ""), w.app.cancelPnL),
    93: lambda w: _subscribe_then_cancel(w, "pnl", lambda i: w.app.reqPnL(i, w.account, ""), w.app.cancelPnL),
    94: lambda w: _subscribe_then_cancel(w, "pnlSingle", lambda i: w.app.reqPnLSingle(i, w.account, "", 265598), w.app.cancelPnLSingle),
    95: lambda w: _subscribe_then_cancel(w, "pnlSingle", lambda i: w.app.reqPnLSingle(i, w.account, "", 265598), w.app.cancelPnLSingle),
    96: _r("historicalTicksLast", lambda w, i: w.app.reqHistoricalTicks(i, w.stock, "", _now_utc(w), 100, "TRADES", 1, True, [])),
    97: lambda w: _subscribe_then_cancel(w, "tickByTickBidAsk", lambda i: w.app.reqTickByTickData(i, w.stock, "BidAsk", 0, False),
                                         w.app.cancelTickByTickData, drive=w.step),
    98: lambda w: _subscribe_then_cancel(w, "tickByTickMidPoint", lambda i: w.app.reqTickByTickData(i, w.stock, "MidPoint", 0, False),
                                         w.app.cancelTickByTickData, drive=w.step),
    99: _n("completedOrdersEnd", lambda w: w.app.reqCompletedOrders(False)),
    100: _r("wshMetaData", lambda w, i: w.app.reqWshMetaData(i)),
    101: _s(lambda w: w.app.cancelWshMetaData(w.req_id())),
    102: _r("wshEventData", lambda w, i: w.app.reqWshEventData(i, WshEventData())),
    103: _s(lambda w: w.app.cancelWshEventData(w.req_id())),
    104: _r("userInfo", lambda w, i: w.app.reqUserInfo(i)),
    105: _n("currentTimeInMillis", lambda w: w.app.reqCurrentTimeInMillis()),  # from server version 197
}
