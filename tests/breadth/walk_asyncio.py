"""The request walk for ib_insync and ib_async: one probe per request message id.

Each probe makes the request the way a program does (the library's own high-level call where it
has one) and reports how the request ended: ``answer`` (the call returned a result), ``error N``
(IB's error N ended it, raised as RequestError) or ``silent`` (a request IB never answers, such as
a cancel: the next request is answered and no error names it). A probe that does not end within
its timeout is a hang and fails the walk.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Awaitable, Callable

from ib_harness.fake_gateway import FakeGateway

TIMEOUT = 4.0
Probe = Callable[[Any, "WalkContext"], Awaitable[str]]


class ManualClock:
    """Real time plus an offset the walk moves forward (five-second bars need time to pass)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class WalkContext:
    """What the probes share: the gateway, the library, qualified contracts, the account."""

    def __init__(self, gateway: FakeGateway, library: Any, ib: Any, clock: ManualClock) -> None:
        self.gateway, self.lib, self.ib, self.clock = gateway, library, ib, clock
        self.account = gateway.brokerage.account_ids[0]
        self.stock: Any = None
        self.option: Any = None
        self.trade: Any = None
        self.errors: list[tuple[int, int, str]] = []

    async def setup(self) -> None:
        ib, lib = self.ib, self.lib
        ib.RaiseRequestErrors = True
        ib.errorEvent += lambda req_id, code, text, *rest: self.errors.append((req_id, code, text))
        [self.stock] = await ib.qualifyContractsAsync(lib.Stock("AAPL", "SMART", "USD"))
        chains = await ib.reqSecDefOptParamsAsync("AAPL", "", "STK", self.stock.conId)
        chain = next(c for c in chains if c.exchange == "SMART")
        strike = min(chain.strikes, key=lambda s: abs(s - self.gateway.brokerage.market.last(self.stock.conId)))
        [self.option] = await ib.qualifyContractsAsync(
            lib.Option("AAPL", sorted(chain.expirations)[0], strike, "C", "SMART", tradingClass=chain.tradingClass))


async def ended(awaitable: Awaitable[Any], must_return: bool = False) -> str:
    """``answer`` or ``error N``; a library call that swallows its own timeout returns None."""
    lib_errors = _request_errors()
    try:
        result = await asyncio.wait_for(awaitable, TIMEOUT)
    except lib_errors as exc:
        return f"error {exc.code}"
    except asyncio.TimeoutError:
        return "hang"
    if must_return and result is None:
        return "hang"
    return "answer"


def _request_errors() -> tuple[type[Exception], ...]:
    import ib_async.wrapper
    import ib_insync.wrapper
    return (ib_insync.wrapper.RequestError, ib_async.wrapper.RequestError)


async def silent(ctx: WalkContext, send: Callable[[], Any]) -> str:
    """Send a request IB does not answer, then prove the session still serves and no error came."""
    before = len(ctx.errors)
    send()
    await ended(ctx.ib.reqCurrentTimeAsync())
    late = [e for e in ctx.errors[before:] if e[1] not in (2104, 2106, 2158)]
    return "silent" if not late else f"error {late[0][1]}"


async def observed(ctx: WalkContext, callback: str, send: Callable[[], Any]) -> str:
    """For requests the library does not await: wait for the wrapper callback that answers it."""
    wrapper = ctx.ib.wrapper
    original = getattr(wrapper, callback, None)  # the decoder looks the method up per message
    done = asyncio.get_running_loop().create_future()

    def record(*args: Any) -> None:
        if not done.done():
            done.set_result(args)
        if original is not None:
            original(*args)

    setattr(wrapper, callback, record)
    try:
        send()
        return await ended(done)
    finally:
        delattr(wrapper, callback)


async def until_true(predicate: Callable[[], Any], drive: Callable[[], None] | None = None) -> str:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not predicate():
        if loop.time() > deadline:
            return "hang"
        if drive is not None:
            drive()
        await asyncio.sleep(0.01)
    return "answer"


def _step(ctx: WalkContext) -> Callable[[], None]:
    return lambda: ctx.gateway.brokerage.market.step(ctx.stock.conId, 8)


async def _mkt_depth(ib: Any, ctx: WalkContext) -> str:
    ticker = ib.reqMktDepth(ctx.stock, 5, True)
    outcome = await until_true(lambda: ticker.domBids and ticker.domAsks)
    ib.cancelMktDepth(ctx.stock, True)
    return outcome


async def _cancel_mkt_depth(ib: Any, ctx: WalkContext) -> str:
    ib.reqMktDepth(ctx.stock, 5, False)
    return await silent(ctx, lambda: ib.cancelMktDepth(ctx.stock, False))


async def _place_order(ib: Any, ctx: WalkContext) -> str:
    ctx.trade = ib.placeOrder(ctx.stock, ctx.lib.LimitOrder("BUY", 1, 1.0))
    return await until_true(lambda: ctx.trade.orderStatus.status in ("Submitted", "PreSubmitted"))


async def _cancel_order(ib: Any, ctx: WalkContext) -> str:
    ib.cancelOrder(ctx.trade.order)
    return await until_true(lambda: ctx.trade.orderStatus.status == "Cancelled")


def _step_and_pass_time(ctx: WalkContext) -> Callable[[], None]:
    def drive() -> None:
        ctx.clock.offset += 1.0
        ctx.gateway.brokerage.market.step(ctx.stock.conId, 2)
    return drive


async def _real_time_bars(ib: Any, ctx: WalkContext) -> str:
    bars = ib.reqRealTimeBars(ctx.stock, 5, "TRADES", False)
    outcome = await until_true(lambda: len(bars) > 0, _step_and_pass_time(ctx))
    ib.cancelRealTimeBars(bars)
    return outcome


async def _keep_up_to_date(ib: Any, ctx: WalkContext) -> str:
    bars = await ib.reqHistoricalDataAsync(ctx.stock, "", "600 S", "5 secs", "TRADES", False, keepUpToDate=True)
    return await silent(ctx, lambda: ib.cancelHistoricalData(bars))


async def _scanner(ib: Any, ctx: WalkContext) -> str:
    sub = ctx.lib.ScannerSubscription(instrument="STK", locationCode="STK.US.MAJOR", scanCode="MOST_ACTIVE")
    return await ended(ib.reqScannerDataAsync(sub))


async def _scanner_cancel(ib: Any, ctx: WalkContext) -> str:
    sub = ctx.lib.ScannerSubscription(instrument="STK", locationCode="STK.US.MAJOR", scanCode="TOP_PERC_GAIN")
    data = ib.reqScannerSubscription(sub)
    outcome = await until_true(lambda: len(data) > 0)
    if outcome != "answer":
        return outcome
    return await silent(ctx, lambda: ib.cancelScannerSubscription(data))


async def _tick_by_tick(ib: Any, ctx: WalkContext) -> str:
    ticker = ib.reqTickByTickData(ctx.stock, "BidAsk")
    outcome = await until_true(lambda: ticker.tickByTicks, _step(ctx))
    ib.cancelTickByTickData(ctx.stock, "BidAsk")
    return outcome


async def _pnl(ib: Any, ctx: WalkContext) -> str:
    return await observed(ctx, "pnl", lambda: ib.reqPnL(ctx.account))


async def _pnl_single(ib: Any, ctx: WalkContext) -> str:
    return await observed(ctx, "pnlSingle", lambda: ib.reqPnLSingle(ctx.account, "", ctx.stock.conId))


async def _exercise(ib: Any, ctx: WalkContext) -> str:
    """Buy one call, then exercise it: the positions change (option gone, 100 shares more)."""
    trade = ib.placeOrder(ctx.option, ctx.lib.MarketOrder("BUY", 1))
    if await until_true(lambda: trade.orderStatus.status == "Filled") != "answer":
        return "hang"
    return await observed(ctx, "position", lambda: ib.exerciseOptions(ctx.option, 1, 1, ctx.account, 0))


async def _historical_news(ib: Any, ctx: WalkContext) -> str:
    return await ended(ib.reqHistoricalNewsAsync(ctx.stock.conId, "BRFG+BRFUPDN", "", "", 5), must_return=True)


async def _news_article(ib: Any, ctx: WalkContext) -> str:
    news = await ib.reqHistoricalNewsAsync(ctx.stock.conId, "BRFG", "", "", 1)
    return await ended(ib.reqNewsArticleAsync("BRFG", news[0].articleId))


def _client(ctx: WalkContext) -> Any:
    return ctx.ib.client


PROBES: dict[int, Probe] = {
    1: lambda ib, ctx: ended(ib.reqTickersAsync(ctx.stock)),
    2: lambda ib, ctx: (ib.reqMktData(ctx.stock), silent(ctx, lambda: ib.cancelMktData(ctx.stock)))[1],
    3: _place_order,
    4: _cancel_order,
    5: lambda ib, ctx: ended(ib.reqOpenOrdersAsync()),
    6: lambda ib, ctx: ended(ib.reqAccountUpdatesAsync(ctx.account)),
    7: lambda ib, ctx: ended(ib.reqExecutionsAsync()),
    8: lambda ib, ctx: observed(ctx, "nextValidId", lambda: _client(ctx).reqIds(1)),
    9: lambda ib, ctx: ended(ib.reqContractDetailsAsync(ctx.stock)),
    10: _mkt_depth,
    11: _cancel_mkt_depth,
    12: lambda ib, ctx: silent(ctx, lambda: ib.reqNewsBulletins(True)),
    13: lambda ib, ctx: silent(ctx, ib.cancelNewsBulletins),
    14: lambda ib, ctx: silent(ctx, lambda: _client(ctx).setServerLogLevel(3)),
    15: lambda ib, ctx: silent(ctx, lambda: ib.reqAutoOpenOrders(True)),
    16: lambda ib, ctx: ended(ib.reqAllOpenOrdersAsync()),
    17: lambda ib, ctx: observed(ctx, "managedAccounts", _client(ctx).reqManagedAccts),
    18: lambda ib, ctx: ended(ib.requestFAAsync(1), must_return=True),
    19: lambda ib, ctx: observed(ctx, "replaceFAEnd", lambda: _client(ctx).replaceFA(ctx.ib.client.getReqId(), 1, "<ListOfGroups/>")),
    20: lambda ib, ctx: ended(ib.reqHistoricalDataAsync(ctx.stock, "", "1 D", "1 hour", "TRADES", True)),
    21: _exercise,
    22: _scanner,
    23: _scanner_cancel,
    24: lambda ib, ctx: ended(ib.reqScannerParametersAsync()),
    25: _keep_up_to_date,
    49: lambda ib, ctx: ended(ib.reqCurrentTimeAsync()),
    50: _real_time_bars,
    51: _real_time_bars,
    52: lambda ib, ctx: ended(ib.reqFundamentalDataAsync(ctx.stock, "ReportsFinSummary")),
    53: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelFundamentalData(ctx.ib.client.getReqId())),
    54: lambda ib, ctx: ended(ib.calculateImpliedVolatilityAsync(ctx.option, 5.0, 190.0), must_return=True),
    55: lambda ib, ctx: ended(ib.calculateOptionPriceAsync(ctx.option, 0.3, 190.0), must_return=True),
    56: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelCalculateImpliedVolatility(ctx.ib.client.getReqId())),
    57: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelCalculateOptionPrice(ctx.ib.client.getReqId())),
    58: lambda ib, ctx: silent(ctx, ib.reqGlobalCancel),
    59: lambda ib, ctx: silent(ctx, lambda: ib.reqMarketDataType(1)),
    61: lambda ib, ctx: ended(ib.reqPositionsAsync()),
    62: lambda ib, ctx: ended(ib.reqAccountSummaryAsync()),
    63: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelAccountSummary(ctx.ib.client.getReqId())),
    64: lambda ib, ctx: silent(ctx, _client(ctx).cancelPositions),
    65: lambda ib, ctx: observed(ctx, "verifyCompleted", lambda: _client(ctx).verifyRequest("walk", "1")),
    66: lambda ib, ctx: observed(ctx, "verifyCompleted", lambda: _client(ctx).verifyMessage("data")),
    67: lambda ib, ctx: observed(ctx, "displayGroupList", lambda: _client(ctx).queryDisplayGroups(9001)),
    68: lambda ib, ctx: observed(ctx, "displayGroupUpdated", lambda: _client(ctx).subscribeToGroupEvents(9002, 1)),
    69: lambda ib, ctx: observed(ctx, "displayGroupUpdated", lambda: _client(ctx).updateDisplayGroup(9002, "265598@SMART")),
    70: lambda ib, ctx: silent(ctx, lambda: _client(ctx).unsubscribeFromGroupEvents(9002)),
    71: lambda ib, ctx: ended(ib.reqCurrentTimeAsync()),  # startApi: the walk's connect already did it
    72: lambda ib, ctx: observed(ctx, "verifyAndAuthCompleted", lambda: _client(ctx).verifyAndAuthRequest("walk", "1", "key")),
    73: lambda ib, ctx: observed(ctx, "verifyAndAuthCompleted", lambda: _client(ctx).verifyAndAuthMessage("data", "xyz")),
    74: lambda ib, ctx: observed(ctx, "positionMultiEnd", lambda: _client(ctx).reqPositionsMulti(9003, ctx.account, "")),
    75: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelPositionsMulti(9003)),
    76: lambda ib, ctx: ended(ib.reqAccountUpdatesMultiAsync(ctx.account)),
    77: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelAccountUpdatesMulti(9004)),
    78: lambda ib, ctx: ended(ib.reqSecDefOptParamsAsync("AAPL", "", "STK", ctx.stock.conId)),
    79: lambda ib, ctx: observed(ctx, "softDollarTiers", lambda: _client(ctx).reqSoftDollarTiers(9005)),
    80: lambda ib, ctx: observed(ctx, "familyCodes", _client(ctx).reqFamilyCodes),
    81: lambda ib, ctx: ended(ib.reqMatchingSymbolsAsync("AAP"), must_return=True),
    82: lambda ib, ctx: ended(ib.reqMktDepthExchangesAsync()),
    83: lambda ib, ctx: ended(ib.reqSmartComponentsAsync("9c0001")),
    84: _news_article,
    85: lambda ib, ctx: ended(ib.reqNewsProvidersAsync()),
    86: _historical_news,
    87: lambda ib, ctx: ended(ib.reqHeadTimeStampAsync(ctx.stock, "TRADES", True, 1)),
    88: lambda ib, ctx: ended(ib.reqHistogramDataAsync(ctx.stock, True, "3 days")),
    89: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelHistogramData(9006)),
    90: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelHeadTimeStamp(9007)),
    91: lambda ib, ctx: ended(ib.reqMarketRuleAsync(26), must_return=True),
    92: _pnl,
    93: lambda ib, ctx: silent(ctx, lambda: ib.cancelPnL(ctx.account)),
    94: _pnl_single,
    95: lambda ib, ctx: silent(ctx, lambda: ib.cancelPnLSingle(ctx.account, "", ctx.stock.conId)),
    96: lambda ib, ctx: ended(ib.reqHistoricalTicksAsync(ctx.stock, "", _now_text(ctx), 100, "TRADES", True)),
    97: _tick_by_tick,
    98: _tick_by_tick,
    99: lambda ib, ctx: ended(ib.reqCompletedOrdersAsync(False)),
    100: lambda ib, ctx: ended(ib.getWshMetaDataAsync()),
    101: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelWshMetaData(9008)),
    102: lambda ib, ctx: ended(ib.getWshEventDataAsync(ctx.lib.WshEventData(conId=ctx.stock.conId))),
    103: lambda ib, ctx: silent(ctx, lambda: _client(ctx).cancelWshEventData(9009)),
    104: lambda ib, ctx: ended(ib.reqUserInfoAsync()),
}


def _now_text(ctx: WalkContext) -> str:
    from datetime import datetime, timezone
    return datetime.fromtimestamp(ctx.gateway.clock(), timezone.utc).strftime("%Y%m%d-%H:%M:%S")
