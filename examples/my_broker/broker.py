"""SimpleBroker: a small BaseBroker on ib_insync, written the way many applications start.

It implements only ``BaseBroker`` (no events, no journal), so ib-harness infers its state from
call outcomes and audits its orders through ``get_orders()``. It reconnects in a plain loop and
keeps its orders in memory. It is an example of the interface, not a design to copy: explore finds
what it gets wrong.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from typing import Any

import pandas as pd
from ib_insync import IB, LimitOrder, MarketOrder, Stock, StopLimitOrder, StopOrder, util

from ib_harness.broker import (Account, BaseBroker, BrokerTimeout, BrokerUnavailable, MarketDataUnavailable,
                               Order, OrderRejected, OrderStatus, OrderType, Position, RiskVerdict,
                               UnknownOrder)


def make_broker(host: str, port: int, client_id: int, settings: dict[str, Any]) -> "SimpleBroker":
    """The factory ib-harness calls: the gateway's address, the client id and the scenario's settings."""
    return SimpleBroker(host, port, client_id, timeout=float(settings.get("request_timeout", 10.0)))


class SimpleBroker(BaseBroker):
    def __init__(self, host: str, port: int, client_id: int, timeout: float = 10.0) -> None:
        self.host, self.port, self.client_id, self.timeout = host, port, client_id, timeout
        self.ib = IB()
        self.ib.RaiseRequestErrors = True
        self.orders: dict[str, Any] = {}  # key -> ib_insync Trade
        self._stopping = False
        self._reconnecting: asyncio.Task[None] | None = None
        self.ib.disconnectedEvent += self._on_disconnected

    async def connect(self, timeout: float | None = None) -> None:
        await self.ib.connectAsync(self.host, self.port, self.client_id, timeout=timeout or self.timeout)

    def _on_disconnected(self) -> None:
        if not self._stopping and (self._reconnecting is None or self._reconnecting.done()):
            self._reconnecting = asyncio.ensure_future(self._reconnect())

    async def _reconnect(self) -> None:
        while not self._stopping and not self.ib.isConnected():
            await asyncio.sleep(0.2)
            with contextlib.suppress(Exception):
                await self.ib.connectAsync(self.host, self.port, self.client_id, timeout=self.timeout)

    async def disconnect(self) -> None:
        self._stopping = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
            with contextlib.suppress(BaseException):
                await self._reconnecting
        self.ib.disconnect()

    def is_connected(self) -> bool:
        return self.ib.isConnected()

    def _ready(self) -> None:
        if not self.ib.isConnected():
            raise BrokerUnavailable("disconnected", "not connected")

    async def get_account(self) -> Account:
        self._ready()
        values = {v.tag: v.value for v in self.ib.accountValues() if v.currency in ("USD", "BASE", "")}
        account_id = next(iter(self.ib.managedAccounts()), "")
        return Account(account_id=account_id, values=values)

    async def get_positions(self) -> list[Position]:
        self._ready()
        return [Position(account=p.account, symbol=p.contract.symbol, quantity=p.position, avg_cost=p.avgCost)
                for p in self.ib.positions()]

    async def place_order(self, order: Order) -> Order:
        self._ready()
        ib_order: Any
        if order.order_type == OrderType.MARKET:
            ib_order = MarketOrder(order.side.value, order.quantity)
        elif order.order_type == OrderType.LIMIT:
            ib_order = LimitOrder(order.side.value, order.quantity, order.limit_price)
        elif order.order_type == OrderType.STOP:
            ib_order = StopOrder(order.side.value, order.quantity, order.stop_price)
        else:
            ib_order = StopLimitOrder(order.side.value, order.quantity, order.limit_price, order.stop_price)
        ib_order.orderRef = order.key
        trade = self.ib.placeOrder(Stock(order.symbol, "SMART", "USD"), ib_order)
        self.orders[order.key] = trade
        await self._until(lambda: trade.orderStatus.status not in ("PendingSubmit", ""), "place_order")
        if trade.orderStatus.status == "Cancelled" and not trade.fills:
            raise OrderRejected(trade.log[-1].message if trade.log else "cancelled")
        return self._model(order.key, trade)

    async def _until(self, done: Any, method: str) -> None:
        for _ in range(int(self.timeout / 0.02)):
            if done():
                return
            await asyncio.sleep(0.02)
        raise BrokerTimeout(method, self.timeout)

    def _trade(self, ref: str | int) -> Any:
        trade = self.orders.get(str(ref))
        if trade is None:
            raise UnknownOrder(ref)
        return trade

    async def cancel_order(self, ref: str | int) -> Order:
        self._ready()
        trade = self._trade(ref)
        if not trade.isDone():
            self.ib.cancelOrder(trade.order)
            await self._until(trade.isDone, "cancel_order")
        return self._model(str(ref), trade)

    async def modify_order(self, ref: str | int, *, quantity: float | None = None,
                           limit_price: float | None = None, stop_price: float | None = None) -> Order:
        self._ready()
        trade = self._trade(ref)
        if quantity is not None:
            trade.order.totalQuantity = quantity
        if limit_price is not None:
            trade.order.lmtPrice = limit_price
        if stop_price is not None:
            trade.order.auxPrice = stop_price
        self.ib.placeOrder(trade.contract, trade.order)
        return self._model(str(ref), trade)

    async def get_orders(self, status: OrderStatus | None = None) -> list[Order]:
        self._ready()
        models = [self._model(key, trade) for key, trade in self.orders.items()]
        return [m for m in models if status is None or m.status == status]

    def _model(self, key: str, trade: Any) -> Order:
        o, s = trade.order, trade.orderStatus
        kind = {"MKT": OrderType.MARKET, "LMT": OrderType.LIMIT, "STP": OrderType.STOP}.get(
            o.orderType, OrderType.STOP_LIMIT)
        return Order(symbol=trade.contract.symbol, side=o.action, quantity=o.totalQuantity, order_type=kind,
                     limit_price=o.lmtPrice if kind in (OrderType.LIMIT, OrderType.STOP_LIMIT) else None,
                     stop_price=o.auxPrice if kind in (OrderType.STOP, OrderType.STOP_LIMIT) else None,
                     key=key, order_id=o.orderId or None, status=OrderStatus.from_ib(s.status, s.filled, s.remaining),
                     filled=s.filled, avg_fill_price=s.avgFillPrice or None)

    async def get_market_price(self, symbol: str) -> float:
        self._ready()
        contract = Stock(symbol, "SMART", "USD")
        await asyncio.wait_for(self.ib.qualifyContractsAsync(contract), self.timeout)
        ticker = self.ib.reqMktData(contract)
        with contextlib.suppress(BrokerTimeout):
            await self._until(lambda: not math.isnan(ticker.marketPrice()), "get_market_price")
        price = ticker.marketPrice()
        if math.isnan(price):
            raise MarketDataUnavailable(symbol, "no price")
        return float(price)

    async def get_historical_bars(self, symbol: str, duration: str = "1 D", bar_size: str = "5 mins",
                                  what_to_show: str = "TRADES") -> pd.DataFrame:
        self._ready()
        bars = await asyncio.wait_for(self.ib.reqHistoricalDataAsync(
            Stock(symbol, "SMART", "USD"), "", duration, bar_size, what_to_show, True), self.timeout)
        frame = util.df(bars)
        return frame[["date", "open", "high", "low", "close", "volume"]].rename(columns={"date": "time"}) \
            if frame is not None else pd.DataFrame(columns=["time", "open", "high", "low", "close", "volume"])

    async def validate_order(self, order: Order) -> RiskVerdict:
        return RiskVerdict(ok=True)
