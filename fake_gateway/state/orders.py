"""The order book: every order and execution of the brokerage, and their lifecycle.

Orders live here, not in a session, because on IB's servers they do: a working order keeps
working and can fill while the client that placed it is disconnected or the gateway restarts.
Every change is announced on the brokerage event hub (synchronously, in wire order), and the
session handlers turn the events into openOrder / orderStatus / execDetails / commissionReport
for the clients that should see them. Price logic lives in :mod:`.matching`.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Mapping
from zoneinfo import ZoneInfo

from ..wire.fields import UNSET_DOUBLE
from .contracts import ContractDef
from .matching import commission_for, execution_price, fill_quantity, is_triggered, what_if_figures
from .order_model import (
    Execution,
    ExecutionFilter,
    Order,
    OrderRejected,
    validate_order,
)
from .quote import Quote

if TYPE_CHECKING:
    from .brokerage import Brokerage

__all__ = ["Execution", "ExecutionFilter", "Order", "OrderBook", "OrderRejected"]


class OrderBook:
    """All orders and executions of one brokerage, matched against its quotes.

    Events (``brokerage.events``), each with the keys listed:

    * ``order_updated``: order, open_order (send openOrder before orderStatus)
    * ``order_executed``: order, execution (execDetails)
    * ``order_commission``: order, execution (commissionReport)
    * ``order_error``: client_id, order_id, code, message (e.g. 202 on a cancel)
    * ``order_bound``: order (a manual order bound to client 0)
    * ``account_changed``: account_id, contract (after each fill)
    """

    def __init__(self, brokerage: "Brokerage", clock: Callable[[], float] = time.time) -> None:
        self.brokerage = brokerage
        self.clock = clock
        self.orders: dict[int, Order] = {}  # by permId, in placement order
        self.by_order_id: dict[int, Order] = {}  # API orders (and bound manual ones) by orderId
        self.executions: list[Execution] = []
        self._working: dict[int, dict[int, Order]] = {}  # conId -> permId -> order
        self.fill_ratio = 1.0  # share of the order's size filled per quote (partial fills below 1)
        self.max_fill_size: float | None = None  # cap per quote and order
        self.master_client_id: int | None = None  # IB's "Master API client ID" setting
        self.auto_bind = False  # reqAutoOpenOrders(True) by client 0
        self._exec_seq = 0
        self._exec_base = int(clock())
        self._next_bound_id = -1

    # ----- placing -----------------------------------------------------------------------------

    def place(self, values: Mapping[str, Any], client_id: int) -> Order:
        """placeOrder: a new order, or a modification when this client already owns the id."""
        order_id = int(values["orderId"])
        existing = self.by_order_id.get(order_id)
        if existing is not None:
            if existing.client_id != client_id:  # bound manual orders belong to client 0
                raise OrderRejected(103, "Duplicate order id")
            return self._modify(existing, values)
        if order_id <= 0:
            raise OrderRejected(10149, f"Invalid order id: {order_id}")
        contract, account, terms = validate_order(self.brokerage, values)
        self.brokerage.reserve_order_ids(order_id)
        order = Order(order_id=order_id, client_id=client_id, perm_id=self.brokerage.new_perm_id(),
                      account=account.account_id, contract=contract, **terms)
        self._accept(order)
        return order

    def place_manual(self, values: Mapping[str, Any]) -> Order:
        """An order entered in TWS by hand: order id 0 until bound to client 0 (negative ids)."""
        contract, account, terms = validate_order(self.brokerage, values)
        order = Order(order_id=0, client_id=0, perm_id=self.brokerage.new_perm_id(),
                      account=account.account_id, contract=contract, manual=True, **terms)
        if self.auto_bind:
            self._bind(order)
        self._accept(order)
        return order

    def what_if(self, values: Mapping[str, Any], client_id: int) -> tuple[Order, dict[str, Any]]:
        """A what-if order: the order as IB would take it (never booked) and its orderState.

        The figures (margins before/change/after, commission) come from the account, so a
        client can check them against its own positions; the id is used up as IB does.
        """
        contract, account, terms = validate_order(self.brokerage, values)
        order_id = int(values["orderId"])
        self.brokerage.reserve_order_ids(order_id)
        preview = Order(order_id=order_id, client_id=client_id, perm_id=self.brokerage.new_perm_id(),
                        account=account.account_id, contract=contract, status="PreSubmitted", **terms)
        price = preview.lmt_price or preview.aux_price
        quote = self.brokerage.quote(contract.con_id)
        if quote is not None and preview.order_type in ("MKT", "STP"):
            price = execution_price(preview.is_buy, None, quote) or preview.aux_price
        if price <= 0:
            price = self.brokerage.mark(contract.con_id)
        signed = preview.total_quantity if preview.is_buy else -preview.total_quantity
        return preview, what_if_figures(account, self.brokerage.mark, contract, signed, price)

    def _accept(self, order: Order) -> None:
        self.orders[order.perm_id] = order
        if order.order_id:
            self.by_order_id[order.order_id] = order
        waiting = order.order_type in ("STP", "STP LMT")
        order.status = "PreSubmitted" if waiting else "Submitted"
        self._working.setdefault(order.con_id, {})[order.perm_id] = order
        self._changed(order)
        self._match(order, self.brokerage.quote(order.con_id), liquidity=2)
        self._expire_ioc(order)

    def _modify(self, order: Order, values: Mapping[str, Any]) -> Order:
        if order.status == "Filled":
            raise OrderRejected(104, "Can't modify a filled order.")
        if order.is_done:
            raise OrderRejected(103, "Duplicate order id")
        contract, account, terms = validate_order(self.brokerage, values)
        if contract.con_id != order.con_id or account.account_id != order.account:
            raise OrderRejected(105, "Order being modified does not match original order.")
        if terms["total_quantity"] < order.filled:
            raise OrderRejected(201, "Order rejected - reason:The new quantity is below the quantity already filled.")
        for key, value in terms.items():
            setattr(order, key, value)
        if order.order_type in ("MKT", "LMT") and order.status == "PreSubmitted":
            order.status = "Submitted"
        self._changed(order)
        self._match(order, self.brokerage.quote(order.con_id), liquidity=2)
        self._expire_ioc(order)
        return order

    # ----- cancelling ----------------------------------------------------------------------------

    def cancel(self, order_id: int, client_id: int) -> Order:
        """cancelOrder: only the owner's own open order; 10147/10148 otherwise."""
        order = self.by_order_id.get(order_id)
        if order is None or order.client_id != client_id:
            raise OrderRejected(10147, f"OrderId {order_id} that needs to be cancelled is not found.")
        if order.is_done:
            raise OrderRejected(10148, f"OrderId {order_id} that needs to be cancelled cannot be cancelled, state: {order.status}.")
        self._cancel(order, "Cancelled by Trader")
        return order

    def global_cancel(self) -> list[Order]:
        """reqGlobalCancel: every open order of every client and of TWS."""
        orders = self.open_orders()
        for order in orders:
            self._cancel(order, "Cancelled by Trader")
        return orders

    def end_of_day(self) -> list[Order]:
        """Expire DAY orders, as IB does at the close (GTC orders keep working)."""
        orders = [o for o in self.open_orders() if o.tif == "DAY"]
        for order in orders:
            self._cancel(order, "Cancelled by System", notify=False)
        return orders

    def _cancel(self, order: Order, why: str, notify: bool = True) -> None:
        self._finish(order, "Cancelled", why)
        if notify:
            self.brokerage.events.emit("order_error", client_id=order.client_id, order_id=order.order_id,
                                       code=202, message="Order Canceled - reason:")
        self._changed(order)

    def _expire_ioc(self, order: Order) -> None:
        if order.tif == "IOC" and order.is_open:
            self._finish(order, "Cancelled", "Cancelled by System")
            self._changed(order)

    def _finish(self, order: Order, status: str, why: str) -> None:
        order.status = status
        order.completed_status = why
        order.completed_time = self._time_text(self.clock())
        working = self._working.get(order.con_id)
        if working is not None:
            working.pop(order.perm_id, None)

    # ----- binding (client 0 and manual orders) ---------------------------------------------------

    def bind_manual_orders(self) -> list[Order]:
        """reqOpenOrders by client 0 binds the open manual orders that have no API id yet."""
        unbound = [o for o in self.open_orders() if o.manual and o.order_id == 0]
        for order in unbound:
            self._bind(order)
        return unbound

    def _bind(self, order: Order) -> None:
        order.order_id = self._next_bound_id
        self._next_bound_id -= 1
        self.by_order_id[order.order_id] = order
        self.brokerage.events.emit("order_bound", order=order)

    # ----- matching -----------------------------------------------------------------------------

    def on_quote(self, quote: Quote) -> None:
        """Match the working orders of the quote's contract (called by Brokerage.price_changed)."""
        working = self._working.get(quote.con_id)
        if not working:
            return
        for order in list(working.values()):
            if order.is_open:
                self._match(order, quote, liquidity=1)

    def _match(self, order: Order, quote: Quote | None, liquidity: int) -> None:
        if quote is None or not order.is_open:
            return
        if order.order_type in ("STP", "STP LMT") and not order.triggered:
            if not is_triggered(order.is_buy, order.aux_price, order.trigger_method, quote):
                return
            order.triggered = True
            order.status = "Submitted"
            self._changed(order)
            liquidity = 2
        limit = order.lmt_price if order.order_type in ("LMT", "STP LMT") else None
        price = execution_price(order.is_buy, limit, quote)
        if price is None:
            return
        increment = float(order.contract.details.get("sizeIncrement") or 0) or 1.0
        quantity = fill_quantity(order.remaining, order.total_quantity, self.fill_ratio,
                                 self.max_fill_size, increment)
        if quantity > 0:
            self._fill(order, quantity, price, liquidity)

    def _fill(self, order: Order, quantity: float, price: float, liquidity: int) -> None:
        cost = order.avg_fill_price * order.filled + price * quantity
        order.filled = min(order.filled + quantity, order.total_quantity)
        order.avg_fill_price = cost / order.filled
        order.last_fill_price = price
        total_commission = commission_for(order.contract, order.filled, order.avg_fill_price)
        commission = max(round(total_commission - order.commission, 6), 0.0)
        order.commission += commission
        account = self.brokerage.accounts[order.account]
        signed = quantity if order.is_buy else -quantity
        realized = account.apply_fill(order.contract.contract_fields(), signed, price, commission)
        now = self.clock()
        execution = Execution(
            exec_id=self._exec_id(), order=order, time=now, time_text=self._time_text(now),
            side="BOT" if order.is_buy else "SLD", shares=quantity, price=price,
            cum_qty=order.filled, avg_price=order.avg_fill_price, exchange=_venue(order.contract),
            last_liquidity=liquidity, commission=commission,
            commission_currency=account.currency,
            realized_pnl=round(realized, 8) if realized else UNSET_DOUBLE,  # net of commissions, as IB reports it
        )
        order.executions.append(execution)
        self.executions.append(execution)
        if order.remaining <= 1e-9:
            self._finish(order, "Filled", "Filled")
        events = self.brokerage.events
        events.emit("order_executed", order=order, execution=execution)
        self._changed(order)
        events.emit("order_commission", order=order, execution=execution)
        events.emit("account_changed", account_id=order.account, contract=order.contract.contract_fields())

    def _changed(self, order: Order) -> None:
        self.brokerage.events.emit("order_updated", order=order, open_order=True)

    # ----- queries ------------------------------------------------------------------------------

    def get(self, order_id: int) -> Order | None:
        return self.by_order_id.get(order_id)

    def open_orders(self, client_id: int | None = None) -> list[Order]:
        """Open orders, all or those owned by one client id."""
        return [o for o in self.orders.values()
                if o.is_open and (client_id is None or o.client_id == client_id)]

    def completed_orders(self, api_only: bool = False) -> list[Order]:
        """Filled and cancelled orders of every client (reqCompletedOrders)."""
        return [o for o in self.orders.values() if o.is_done and not (api_only and o.manual)]

    def find_executions(self, wanted: ExecutionFilter) -> list[Execution]:
        """Executions matching reqExecutions' filter."""
        since = self._parse_time(wanted.time)
        return [e for e in self.executions if wanted.matches(e, since)]

    def recipients(self, order: Order) -> set[int]:
        """Client ids whose sessions hear about an order: its owner and the master client."""
        ids = {order.client_id}
        if self.master_client_id is not None:
            ids.add(self.master_client_id)
        return ids

    # ----- formatting -----------------------------------------------------------------------------

    def _exec_id(self) -> str:
        """IB-shaped execution ids: ``0000e215.656d0002.01.01``."""
        self._exec_seq += 1
        return f"0000e215.{(self._exec_base + self._exec_seq) & 0xFFFFFFFF:08x}.01.01"

    def _time_text(self, when: float) -> str:
        zone = self.brokerage.config.timezone
        return datetime.fromtimestamp(when, ZoneInfo(zone)).strftime("%Y%m%d %H:%M:%S ") + zone

    def _parse_time(self, text: str) -> float | None:
        text = text.strip()
        for fmt, width in (("%Y%m%d %H:%M:%S", 17), ("%Y%m%d-%H:%M:%S", 17), ("%Y%m%d", 8)):
            try:
                naive = datetime.strptime(text[:width], fmt)
            except ValueError:
                continue
            return naive.replace(tzinfo=ZoneInfo(self.brokerage.config.timezone)).timestamp()
        return None


def _venue(contract: ContractDef) -> str:
    """Where a SMART-routed fill happened, as IB reports it (NASDAQ trades print as ISLAND)."""
    details = contract.details
    if details.get("exchange") != "SMART":
        return str(details.get("exchange", ""))
    primary = str(details.get("primaryExchange") or "SMART")
    return "ISLAND" if primary == "NASDAQ" else primary
