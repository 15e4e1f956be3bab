"""The legacy asyncio side: the broker interface on top of the threaded ibapi app.

Every callback crosses from ibapi's thread to the event loop with ``run_coroutine_threadsafe``;
every request waits for its answer with one fixed timeout, connected or not (a call made while
the socket is down waits the full timeout: nothing fails fast). State events are published so the
scenario runner can judge it like any broker: ready on nextValidId, disconnected on
connectionClosed, connecting while the reconnect thread tries.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pandas as pd
from ibapi.contract import Contract
from ibapi.order import Order as IbapiOrder
from ibapi.order_cancel import OrderCancel

from ..events import EventBus
from ..journal import Journal
from ..models import Account, Order, OrderStatus, OrderType, Position
from ..supervision import BrokerState
from .app import LegacyApp

log = logging.getLogger("ib_harness.broker.legacy")

FIXED_TIMEOUT = 10.0  # the old code's one timeout for every request
ACCOUNT_TAGS = {"NetLiquidation": "net_liquidation", "TotalCashValue": "total_cash",
                "BuyingPower": "buying_power", "AvailableFunds": "available_funds"}
IB_ORDER_TYPES = {OrderType.MARKET: "MKT", OrderType.LIMIT: "LMT", OrderType.STOP: "STP",
                  OrderType.STOP_LIMIT: "STP LMT"}
LAST, CLOSE, BID, ASK = 4, 9, 1, 2


@dataclass
class LegacyBars:
    """A keepUpToDate bar stream as the runner sees one (``bars`` and ``listeners``)."""

    symbol: str
    bars: list[Any] = field(default_factory=list)
    listeners: list[Callable[[list[Any], bool], None]] = field(default_factory=list)


def stock(symbol: str) -> Contract:
    contract = Contract()
    contract.symbol, contract.secType, contract.exchange, contract.currency = symbol, "STK", "SMART", "USD"
    return contract


class LegacyBroker:
    def __init__(self, host: str = "127.0.0.1", port: int = 4002, client_id: int = 1, *,
                 journal_path: str | Path = "legacy-journal.sqlite3", **ignored: Any) -> None:
        self.host, self.port, self.client_id = host, port, client_id
        self.events = EventBus()
        self.journal = Journal(journal_path)
        self.state = BrokerState.DISCONNECTED
        self.app = LegacyApp(host, port, client_id, self)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.accounts: list[str] = []
        self.account_values: dict[str, str] = {}
        self.prices: dict[str, float] = {}
        self.market_ids: dict[str, int] = {}
        self.streams: dict[int, LegacyBars] = {}
        self.positions: dict[str, Position] = {}
        self.orders: dict[str, Order] = {}
        self._key_of_id: dict[int, str] = {}
        self._waiters: dict[tuple[str, Any], list[asyncio.Future[Any]]] = {}
        self._bars: dict[int, list[Any]] = {}
        self._positions_pending: dict[str, Position] = {}
        self._req_id = 10_000
        self._ever_ready = False

    # ----- the thread -> loop bridge --------------------------------------------------------------

    def deliver(self, name: str, *args: Any) -> None:
        """Called on ibapi's threads: hand the callback to the loop."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._on(name, *args), loop)
        except RuntimeError:  # the loop shut down under us
            log.debug("legacy callback %s dropped: loop closed", name)

    async def _on(self, name: str, *args: Any) -> None:
        getattr(self, f"_on_{name}")(*args)

    def _to(self, state: BrokerState, cause: str) -> None:
        if state != self.state:
            previous, self.state = self.state, state
            self.events.publish("state", **{"from": previous.value, "to": state.value, "cause": cause})

    def _wake(self, kind: str, key: Any, value: Any = None) -> None:
        for future in self._waiters.pop((kind, key), []):
            if not future.done():
                future.set_result(value)

    async def _wait(self, kind: str, key: Any) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault((kind, key), []).append(future)
        return await asyncio.wait_for(future, FIXED_TIMEOUT)

    def _next_req_id(self) -> int:
        self._req_id += 1
        return self._req_id

    # ----- callbacks (on the loop) ----------------------------------------------------------------

    def _on_next_valid_id(self, order_id: int) -> None:
        self._to(BrokerState.READY, f"nextValidId {order_id}")
        if self._ever_ready:
            self.events.publish("reconnected", attempt=1, downtime=None)
            for symbol in self.market_ids:  # the old code did re-request its tickers on reconnect
                self._request_market(symbol)
        self._ever_ready = True
        if self.accounts:
            self.app.reqAccountUpdates(True, self.accounts[0])
        self._wake("ready", None)

    def _on_accounts(self, accounts: list[str]) -> None:
        self.accounts = accounts

    def _on_connection_closed(self) -> None:
        self._to(BrokerState.DISCONNECTED, "connectionClosed")

    def _on_reconnecting(self) -> None:
        self._to(BrokerState.CONNECTING, "reconnect thread")

    def _on_run_thread_died(self) -> None:
        self.events.publish("legacy_thread_died", thread="run")

    def _on_reconnect_failed(self, error: str) -> None:
        self._to(BrokerState.DISCONNECTED, error)

    def _on_error(self, req_id: int, code: int, message: str) -> None:
        self.events.publish("ib_error", code=code, req_id=req_id, message=message)
        self._wake("error", req_id, f"IB {code}: {message}")

    def _on_price(self, req_id: int, tick_type: int, price: float) -> None:
        symbol = next((s for s, i in self.market_ids.items() if i == req_id), None)
        if symbol is not None and price > 0 and tick_type in (LAST, CLOSE, BID, ASK):
            self.prices[symbol] = price
            self._wake("price", symbol, price)

    def _on_order_status(self, order_id: int, status: str, filled: float, remaining: float, avg: float,
                         perm_id: int) -> None:
        key = self._key_of_id.get(order_id)
        if key is None:
            return
        mapped = OrderStatus.from_ib(status, filled, remaining)
        self.journal.update_order(key, mapped.value, f"orderStatus {status}", perm_id=perm_id or None,
                                  filled=filled, avg_fill_price=avg or None)
        order = self.orders[key]
        order.status, order.filled, order.perm_id = mapped, filled, perm_id or order.perm_id
        self.events.publish("order", order_id=order_id, key=key, status=mapped.value)
        self._wake("order", order_id, mapped)

    def _on_execution(self, exec_id: str, ref: str, order_id: int, shares: float, price: float, when: str) -> None:
        key = ref or self._key_of_id.get(order_id)
        self.journal.record_fill(exec_id, key, order_id, shares, price, when)

    def _on_position(self, account: str, symbol: str, quantity: float, avg_cost: float) -> None:
        self._positions_pending[symbol] = Position(account=account, symbol=symbol, quantity=quantity,
                                                   avg_cost=avg_cost)

    def _on_position_end(self) -> None:
        self.positions, self._positions_pending = self._positions_pending, {}
        self._wake("positions", None)

    def _on_account_value(self, key: str, value: str, currency: str, account: str) -> None:
        if currency in ("USD", "BASE", ""):
            self.account_values[key] = value

    def _on_bar(self, req_id: int, bar: Any) -> None:
        self._bars.setdefault(req_id, []).append(bar)

    def _on_bars_end(self, req_id: int) -> None:
        bars = self._bars.pop(req_id, [])
        stream = self.streams.get(req_id)
        if stream is not None:
            stream.bars[:] = bars
        self._wake("bars", req_id, bars)

    def _on_bar_update(self, req_id: int, bar: Any) -> None:
        stream = self.streams.get(req_id)
        if stream is None:
            return
        new_bar = not stream.bars or stream.bars[-1].date != bar.date
        if new_bar:
            stream.bars.append(bar)
        else:
            stream.bars[-1] = bar
        for listener in list(stream.listeners):
            listener(stream.bars, new_bar)

    # ----- lifecycle ------------------------------------------------------------------------------

    async def connect(self, timeout: float | None = None) -> None:
        self.loop = asyncio.get_running_loop()
        self._to(BrokerState.CONNECTING, "connect()")
        ready = asyncio.ensure_future(self._wait("ready", None))
        await asyncio.to_thread(self.app.start)
        await ready

    async def disconnect(self) -> None:
        await asyncio.to_thread(self.app.stop)
        self._to(BrokerState.STOPPED, "disconnect() called")
        for futures in self._waiters.values():
            for future in futures:
                future.cancel()
        self._waiters.clear()
        self.journal.close()

    def is_connected(self) -> bool:
        return bool(self.app.isConnected())

    # ----- queries --------------------------------------------------------------------------------

    def _request_market(self, symbol: str) -> None:
        req_id = self._next_req_id()
        self.market_ids[symbol] = req_id
        self.app.reqMktData(req_id, stock(symbol), "", False, False, [])

    async def get_market_price(self, symbol: str) -> float:
        if symbol in self.prices:
            return self.prices[symbol]  # the last price seen, however old
        if symbol not in self.market_ids:
            self._request_market(symbol)
        return float(await self._wait("price", symbol))

    async def get_positions(self) -> list[Position]:
        waiting = asyncio.ensure_future(self._wait("positions", None))
        self.app.reqPositions()
        await waiting
        return list(self.positions.values())

    async def get_account(self) -> Account:
        if not self.account_values:
            raise RuntimeError("no account values yet")
        fields: dict[str, float] = {}
        for tag, name in ACCOUNT_TAGS.items():
            if tag in self.account_values:
                fields[name] = float(self.account_values[tag])
        return Account(account_id=self.accounts[0] if self.accounts else "", values=dict(self.account_values),
                       **fields)

    async def get_orders(self, status: OrderStatus | None = None) -> list[Order]:
        return [o for o in self.orders.values() if status is None or o.status == status]

    async def _bars_request(self, symbol: str, duration: str, bar_size: str, what_to_show: str,
                            keep_up_to_date: bool) -> tuple[int, list[Any]]:
        req_id = self._next_req_id()
        if keep_up_to_date:
            self.streams[req_id] = LegacyBars(symbol)
        waiting = asyncio.ensure_future(self._wait("bars", req_id))
        self.app.reqHistoricalData(req_id, stock(symbol), "", duration, bar_size, what_to_show, 1, 1,
                                   keep_up_to_date, [])
        return req_id, await waiting

    async def get_historical_bars(self, symbol: str, duration: str = "1 D", bar_size: str = "5 mins",
                                  what_to_show: str = "TRADES") -> pd.DataFrame:
        _, bars = await self._bars_request(symbol, duration, bar_size, what_to_show, False)
        return pd.DataFrame([(b.date, b.open, b.high, b.low, b.close, float(b.volume)) for b in bars],
                            columns=["time", "open", "high", "low", "close", "volume"])

    async def stream_bars(self, symbol: str, duration: str = "1800 S", bar_size: str = "5 secs",
                          what_to_show: str = "MIDPOINT") -> LegacyBars:
        req_id, _ = await self._bars_request(symbol, duration, bar_size, what_to_show, True)
        return self.streams[req_id]

    # ----- orders ---------------------------------------------------------------------------------

    def _ib_order(self, order: Order) -> IbapiOrder:
        ib_order = IbapiOrder()
        ib_order.action, ib_order.totalQuantity = order.side.value, Decimal(str(order.quantity))
        ib_order.orderType, ib_order.tif, ib_order.orderRef = IB_ORDER_TYPES[order.order_type], order.tif, order.key
        if order.limit_price is not None:
            ib_order.lmtPrice = order.limit_price
        if order.stop_price is not None:
            ib_order.auxPrice = order.stop_price
        return ib_order

    async def place_order(self, order: Order) -> Order:
        order_id = self.app.next_order_id
        self.app.next_order_id += 1
        order.order_id = order_id
        self.orders[order.key] = order
        self._key_of_id[order_id] = order.key
        self.journal.record_intent(order.key, order_id, order.symbol, order.side.value, order.quantity,
                                   order.order_type.value, order.limit_price, order.stop_price)
        acknowledged = asyncio.ensure_future(self._wait("order", order_id))
        self.app.placeOrder(order_id, stock(order.symbol), self._ib_order(order))
        await acknowledged
        return order

    def _find(self, ref: str | int) -> Order:
        key = self._key_of_id.get(ref) if isinstance(ref, int) else ref
        if key is None or key not in self.orders:
            raise KeyError(f"unknown order {ref!r}")
        return self.orders[key]

    async def modify_order(self, ref: str | int, *, quantity: float | None = None,
                           limit_price: float | None = None, stop_price: float | None = None) -> Order:
        order = self._find(ref)
        for name, value in {"quantity": quantity, "limit_price": limit_price, "stop_price": stop_price}.items():
            if value is not None:
                setattr(order, name, value)  # validated: Order has validate_assignment
        acknowledged = asyncio.ensure_future(self._wait("order", order.order_id))
        self.app.placeOrder(order.order_id, stock(order.symbol), self._ib_order(order))
        await acknowledged
        return order

    async def cancel_order(self, ref: str | int) -> Order:
        order = self._find(ref)
        acknowledged = asyncio.ensure_future(self._wait("order", order.order_id))
        self.app.cancelOrder(order.order_id, OrderCancel())
        await acknowledged
        return order
