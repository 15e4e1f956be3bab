"""The order book: every order and execution of the brokerage, and their lifecycle.

Orders live here, not in a session, because on IB's servers they do: a working order keeps
working and can fill while the client that placed it is disconnected or the gateway restarts.
Every change is announced on the brokerage event hub (synchronously, in wire order), and the
session handlers turn the events into openOrder / orderStatus / execDetails / commissionReport
for the clients that should see them. Price logic and fill arithmetic live in :mod:`.matching`,
IB's checks on a placement or a modify in :mod:`.order_checks`, brackets and OCA groups in
:mod:`.order_groups`, the timed orders in :mod:`.order_timing`, trading sessions in
:mod:`.order_sessions`, the read side in :mod:`.order_queries`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Mapping

from .execution_log import ExecutionLog
from .order_margin import check_margin, order_figures
from .matching import apply_fill, execution_price, fill_quantity, triggers
from .order_checks import rejected, validate_modify, validate_order
from .order_groups import (CANCEL_ALL, REDUCE_NO_BLOCK, children, held_group, joins_filled_group, peers,
                           reduced_quantity)
from .order_model import Execution, ExecutionFilter, Order, OrderRejected
from .order_queries import OrderQueries
from .order_sessions import (HELD_CODE, OUTSIDE_RTH_IGNORED, OUTSIDE_RTH_IGNORED_CODE, SessionGate, held_message,
                             outside_rth_ignored)
from .order_timing import AUCTION_TYPES, TRIGGERED_TYPES, TimedOrders, due_action, run_auction
from .quote import Quote

if TYPE_CHECKING:
    from .brokerage import Brokerage

__all__ = ["Execution", "ExecutionFilter", "Order", "OrderBook", "OrderRejected"]


class OrderBook(OrderQueries):
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
        self.orders: dict[int, Order] = {}  # by permId, in placement order (transmitted orders)
        self.by_order_id: dict[int, Order] = {}  # API orders (and bound manual ones) by orderId
        self.held: dict[int, Order] = {}  # transmit=False orders by orderId, not yet live
        self.log = ExecutionLog(brokerage.config.timezone, clock())
        self.executions = self.log.executions
        self._working: dict[int, dict[int, Order]] = {}  # conId -> permId -> order
        self.timers = TimedOrders()  # open orders with an expiry, an auction time or a session to wait for
        self.sessions = SessionGate(brokerage.config.market_hours == "exchange")
        self._deferred: list[tuple[Order, float]] | None = None  # ocaType 3 reductions in a quote pass
        self.fill_ratio = 1.0  # share of the order's size filled per quote (partial fills below 1)
        self.max_fill_size: float | None = None  # cap per quote and order
        self.master_client_id: int | None = None  # IB's "Master API client ID" setting
        self.auto_bind = False  # reqAutoOpenOrders(True) by client 0
        self._next_bound_id = -1

    # ----- placing -----------------------------------------------------------------------------

    def place(self, values: Mapping[str, Any], client_id: int) -> Order:
        """placeOrder: a new order, or a modification when this client already owns the id."""
        self.check_time()
        order_id = int(values["orderId"])
        existing = self.by_order_id.get(order_id)
        if existing is not None:
            if existing.client_id != client_id:  # bound manual orders belong to client 0
                raise OrderRejected(103, "Duplicate order id")
            return self._modify(existing, values)
        if order_id <= 0:
            raise OrderRejected(10149, f"Invalid order id: {order_id}")
        contract, account, terms = validate_order(self.brokerage, values)
        parent = self._parent_of(terms["parent_id"], client_id)
        if parent is None:
            check_margin(self.brokerage, account.account_id, contract, terms)
        self.brokerage.reserve_order_ids(order_id)
        order = Order(order_id=order_id, client_id=client_id, perm_id=self.brokerage.new_perm_id(),
                      account=account.account_id, contract=contract, **terms)
        self._submit(order, parent)
        return order

    def place_manual(self, values: Mapping[str, Any]) -> Order:
        """An order entered in TWS by hand: order id 0 until bound to client 0 (negative ids)."""
        contract, account, terms = validate_order(self.brokerage, values)
        terms.update(parent_id=0, transmit=True)
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
        return preview, order_figures(self.brokerage, preview.account, contract, preview.is_buy,
                                      preview.total_quantity, preview.lmt_price or preview.aux_price, preview.order_type)

    def _parent_of(self, parent_id: int, client_id: int) -> Order | None:
        if not parent_id:
            return None
        parent = self.by_order_id.get(parent_id)
        if parent is None or parent.client_id != client_id:
            raise rejected(f"The parent order {parent_id} is not found.")
        if parent.is_done and parent.status != "Filled":
            raise rejected(f"The parent order {parent_id} is {parent.status}.")
        return parent

    def _submit(self, order: Order, parent: Order | None) -> None:
        """Hold an untransmitted order; a transmitting one releases its whole held group."""
        self.by_order_id[order.order_id] = order
        if not order.transmit:
            self.held[order.order_id] = order
            return
        group = held_group(self.held, order, parent)
        for member in group:  # the whole group goes live before any of it can trade
            self.held.pop(member.order_id, None)
            member.transmit = True
            self._enter(member)
        for member in group:
            self._match(member, self.brokerage.quote(member.con_id), liquidity=2)
            self._expire_ioc(member)

    def _accept(self, order: Order) -> None:
        self._enter(order)
        self._match(order, self.brokerage.quote(order.con_id), liquidity=2)
        self._expire_ioc(order)

    def _enter(self, order: Order) -> None:
        """The order goes live: booked, scheduled, announced (matching is the caller's next step)."""
        self.orders[order.perm_id] = order
        if order.order_id:
            self.by_order_id[order.order_id] = order
        order.group_size = order.total_quantity
        self.timers.schedule(order, self.clock())
        if outside_rth_ignored(order):
            self._warn(order, OUTSIDE_RTH_IGNORED_CODE, OUTSIDE_RTH_IGNORED)
        order.status = "PreSubmitted" if self._waiting(order) else "Submitted"
        self._working.setdefault(order.con_id, {})[order.perm_id] = order
        self._changed(order)
        if order.opens_at is not None and not self._parent_pending(order):
            self._warn(order, HELD_CODE, held_message(order, order.opens_at))
        if joins_filled_group(self.orders.values(), order):  # OCA with block: the group is done
            self._cancel(order, "Cancelled by System")

    def _waiting(self, order: Order) -> bool:
        """PreSubmitted: held back by a parent, a trigger, an auction time or a closed session."""
        return (self._parent_pending(order) or order.order_type in AUCTION_TYPES or order.tif == "OPG"
                or (order.order_type in TRIGGERED_TYPES and not order.triggered) or self._session_closed(order))

    def _session_closed(self, order: Order) -> bool:
        return self.sessions.closed(order, self.clock(), self.timers)

    def _session_opened(self, order: Order) -> None:
        """The order's session opened (the timer): it goes to the exchange and meets the market."""
        order.opens_at = None
        if order.status == "PreSubmitted" and not self._waiting(order):
            order.status = "Submitted"
            self._changed(order)
        self._match(order, self.brokerage.quote(order.con_id), liquidity=2)

    def _warn(self, order: Order, code: int, message: str) -> None:
        self.brokerage.events.emit("order_error", client_id=order.client_id, order_id=order.order_id,
                                   code=code, message=message)

    def _parent_pending(self, order: Order) -> bool:
        if not order.parent_id:
            return False
        parent = self.by_order_id.get(order.parent_id)
        return parent is not None and parent.status != "Filled"

    def _modify(self, order: Order, values: Mapping[str, Any]) -> Order:
        terms = validate_modify(self.brokerage, order, values)
        if order.order_id in self.held:
            for key, value in terms.items():
                setattr(order, key, value)
            self._submit(order, self.by_order_id.get(order.parent_id))
            return order
        terms.pop("transmit")
        for key, value in terms.items():
            setattr(order, key, value)
        if order.is_trailing:  # new trailing terms: the stop trails afresh from the next quote
            order.triggered = False
        order.group_size = max(order.total_quantity, order.filled)
        self.timers.schedule(order, self.clock())
        self.sessions.forget(order)
        if not self._waiting(order) and order.status == "PreSubmitted":
            order.status = "Submitted"
        self._changed(order)
        self._match(order, self.brokerage.quote(order.con_id), liquidity=2)
        self._expire_ioc(order)
        return order

    # ----- cancelling ----------------------------------------------------------------------------

    def cancel(self, order_id: int, client_id: int) -> Order:
        """cancelOrder: only the owner's own open order; 10147/10148 otherwise.

        An order still held (never transmitted) is dropped without a word, as IB does.
        """
        order = self.by_order_id.get(order_id)
        if order is None or order.client_id != client_id:
            raise OrderRejected(10147, f"OrderId {order_id} that needs to be cancelled is not found.")
        if order.order_id in self.held:
            for member in [order] + children(self.held.values(), order):
                self.held.pop(member.order_id, None)
                self.by_order_id.pop(member.order_id, None)
            return order
        if order.is_done:
            raise OrderRejected(10148, f"OrderId {order_id} that needs to be cancelled cannot be cancelled, state: {order.status}.")
        self._cancel(order, "Cancelled by Trader")
        return order

    def global_cancel(self) -> list[Order]:
        """reqGlobalCancel: every open order of every client and of TWS."""
        orders = self.open_orders()
        for order in orders:
            if order.is_open:
                self._cancel(order, "Cancelled by Trader")
        return orders

    def end_of_day(self) -> list[Order]:
        """The session close now, for every contract: MOC/LOC execute, DAY orders expire."""
        due = [o for o in self.open_orders() if o.tif == "DAY"]
        for order in due:
            self._run_due(order, "close")
        return due

    def _cancel(self, order: Order, why: str, notify: bool = True) -> None:
        self._finish(order, "Cancelled", why)
        if notify:
            self.brokerage.events.emit("order_error", client_id=order.client_id, order_id=order.order_id,
                                       code=202, message="Order Canceled - reason:")
        self._changed(order)
        for child in children(self.orders.values(), order):
            if child.is_open:
                self._cancel(child, why, notify)

    def _expire_ioc(self, order: Order) -> None:
        if order.tif == "IOC" and order.is_open:
            self._finish(order, "Cancelled", "Cancelled by System")
            self._changed(order)

    def _finish(self, order: Order, status: str, why: str) -> None:
        order.status = status
        order.completed_status = why
        order.completed_time = self.log.time_text(self.clock())
        working = self._working.get(order.con_id)
        if working is not None:
            working.pop(order.perm_id, None)
        self.timers.forget(order)

    # ----- the clock: expiries, auctions --------------------------------------------------------

    def check_time(self) -> None:
        """Run what is due on the gateway clock: DAY/GTD expiries, MOC/LOC at the close, OPG at the open.

        Called on every placement and market update, and by the gateway's timer.
        """
        now = self.clock()
        for order in self.timers.due(now):  # O(1) when nothing is due: every quote calls this
            if order.is_open and order.opens_at is not None and order.opens_at <= now:
                self._session_opened(order)
            if order.is_open and order.expires_at is not None and order.expires_at <= now:
                self._run_due(order, due_action(order))
            if order.is_open:
                self.timers.track(order)

    def next_deadline(self) -> float | None:
        """The earliest time something is due (for the gateway's timer), or None."""
        return self.timers.next_deadline()

    def _run_due(self, order: Order, action: str) -> None:
        if action in ("close", "open") and (order.order_type in AUCTION_TYPES or order.tif == "OPG"):
            quote = self.brokerage.quote(order.con_id)
            fill = run_auction(order, quote) if quote is not None and not self._parent_pending(order) else None
            if fill is not None:
                quantity, price = fill
                self._fill(order, quantity, price, liquidity=2)
        if order.is_open:
            self._finish(order, "Cancelled", "Cancelled by System")
            self._changed(order)

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
        """Match the working orders of the quote's contract (called by Brokerage.price_changed).

        ocaType 3 reductions wait until every order has seen this quote (no overfill protection).
        """
        self.check_time()
        working = self._working.get(quote.con_id)
        if not working:
            return
        self._deferred = []
        try:
            for order in list(working.values()):
                if order.is_open:
                    self._match(order, quote, liquidity=1)
        finally:
            deferred, self._deferred = self._deferred, None
        for order, quantity in deferred:
            self._act_on_peers(order, quantity)

    def _match(self, order: Order, quote: Quote | None, liquidity: int) -> None:
        if quote is None or not order.is_open or self._parent_pending(order):
            return
        if order.order_type in AUCTION_TYPES or order.tif == "OPG":
            return  # executes only at its auction (check_time)
        if self.sessions.enabled and self._session_closed(order):
            return  # works again when its session opens (check_time)
        if order.order_type in TRIGGERED_TYPES and not order.triggered:
            if not triggers(order, quote):
                return
            order.triggered = True
            order.status = "Submitted"
            self._changed(order)
            liquidity = 2
        limit = order.lmt_price if order.order_type in ("LMT", "STP LMT", "LIT", "TRAIL LIMIT") else None
        price = execution_price(order.is_buy, limit, quote)
        if price is None:
            return
        increment = float(order.contract.details.get("sizeIncrement") or 0) or 1.0
        quantity = fill_quantity(order.remaining, order.total_quantity, self.fill_ratio,
                                 self.max_fill_size, increment)
        if quantity > 0:
            self._fill(order, quantity, price, liquidity)

    def _fill(self, order: Order, quantity: float, price: float, liquidity: int) -> None:
        commission = apply_fill(order, quantity, price)
        account = self.brokerage.accounts[order.account]
        signed = quantity if order.is_buy else -quantity
        realized = account.apply_fill(order.contract.contract_fields(), signed, price, commission)
        execution = self.log.record(order, quantity, price, liquidity, commission, account.currency, realized,
                                    self.clock())
        if order.remaining <= 1e-9:
            self._finish(order, "Filled", "Filled")
        events = self.brokerage.events
        events.emit("order_executed", order=order, execution=execution)
        self._changed(order)
        events.emit("order_commission", order=order, execution=execution)
        events.emit("account_changed", account_id=order.account, contract=order.contract.contract_fields())
        self._after_fill(order, quantity)

    def _after_fill(self, order: Order, quantity: float) -> None:
        """OCA peers and bracket siblings react; a filled parent releases its children."""
        if order.oca_group and order.oca_type == REDUCE_NO_BLOCK and self._deferred is not None:
            self._deferred.append((order, quantity))
        else:
            self._act_on_peers(order, quantity)
        if order.status == "Filled":
            for child in children(self.orders.values(), order):
                if child.is_open:
                    child.status = "PreSubmitted" if self._waiting(child) else "Submitted"
                    self._changed(child)
                    self._match(child, self.brokerage.quote(child.con_id), liquidity=2)

    def _act_on_peers(self, order: Order, quantity: float) -> None:
        others, oca_type = peers(self.orders.values(), order)
        for peer in others:
            if not peer.is_open:
                continue
            if oca_type == CANCEL_ALL:
                self._cancel(peer, "Cancelled by System")
                continue
            peer.total_quantity = reduced_quantity(peer, order, quantity)
            if peer.remaining <= 1e-9:
                self._cancel(peer, "Cancelled by System")
            else:
                self._changed(peer)

    def _changed(self, order: Order) -> None:
        self.brokerage.events.emit("order_updated", order=order, open_order=True)
