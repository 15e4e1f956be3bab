"""The order book: every order and execution of the brokerage, and their lifecycle.

Orders live here, not in a session, because on IB's servers they do: a working order keeps
working and can fill while the client that placed it is disconnected or the gateway restarts.
Every change is announced on the brokerage event hub (synchronously, in wire order), and the
session handlers turn the events into openOrder / orderStatus / execDetails / commissionReport
for the clients that should see them. Price logic lives in :mod:`.matching`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

from ..wire.fields import UNSET_DOUBLE
from .contracts import ContractDef
from .matching import commission_for, execution_price, fill_quantity, is_triggered, what_if_figures
from .quote import Quote

if TYPE_CHECKING:
    from .brokerage import Brokerage

ORDER_TYPES = {"MKT", "LMT", "STP", "STP LMT"}
TIFS = {"DAY", "GTC", "IOC"}
ACTIONS = {"BUY", "SELL", "SSHORT"}
OPEN_STATES = {"PendingSubmit", "PreSubmitted", "Submitted", "PendingCancel"}
DONE_STATES = {"Filled", "Cancelled", "ApiCancelled", "Inactive"}
MAX_QUANTITY = 1e9
NO_SECURITY_DEFINITION = "No security definition has been found for the request"


class OrderRejected(Exception):
    """A request IB refuses with an error code; the handler sends it to the placing client."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def is_set(price: float | None) -> bool:
    """A price the client really sent (not empty, not IB's UNSET marker, not NaN/inf)."""
    return price is not None and math.isfinite(price) and price != UNSET_DOUBLE


@dataclass
class Execution:
    """One fill, with its commission; what reqExecutions and live execDetails report."""

    exec_id: str
    order: "Order"
    time: float
    time_text: str
    side: str
    shares: float
    price: float
    cum_qty: float
    avg_price: float
    exchange: str
    last_liquidity: int
    commission: float
    commission_currency: str
    realized_pnl: float = UNSET_DOUBLE


@dataclass
class Order:
    """An order as IB's servers hold it: identity, terms, status and fills."""

    order_id: int
    client_id: int
    perm_id: int
    account: str
    contract: ContractDef
    action: str
    total_quantity: float
    order_type: str
    lmt_price: float
    aux_price: float
    tif: str
    order_ref: str = ""
    trigger_method: int = 0
    terms: dict[str, Any] = field(default_factory=dict)
    status: str = "PendingSubmit"
    filled: float = 0.0
    avg_fill_price: float = 0.0
    last_fill_price: float = 0.0
    commission: float = 0.0
    triggered: bool = False
    manual: bool = False
    completed_time: str = ""
    completed_status: str = ""
    executions: list[Execution] = field(default_factory=list)

    @property
    def con_id(self) -> int:
        return self.contract.con_id

    @property
    def is_buy(self) -> bool:
        return self.action == "BUY"

    @property
    def remaining(self) -> float:
        return max(self.total_quantity - self.filled, 0.0)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATES


@dataclass
class ExecutionFilter:
    """reqExecutions' filter; an empty or zero field matches everything."""

    client_id: int = 0
    account: str = ""
    time: str = ""
    symbol: str = ""
    sec_type: str = ""
    exchange: str = ""
    side: str = ""


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
            if existing.client_id != client_id or existing.manual:
                raise OrderRejected(103, "Duplicate order id")
            return self._modify(existing, values)
        if order_id <= 0:
            raise OrderRejected(10149, f"Invalid order id: {order_id}")
        contract, account, terms = self.validate(values)
        self.brokerage.reserve_order_ids(order_id)
        order = Order(order_id=order_id, client_id=client_id, perm_id=self.brokerage.new_perm_id(),
                      account=account.account_id, contract=contract, **terms)
        self._accept(order)
        return order

    def place_manual(self, values: Mapping[str, Any]) -> Order:
        """An order entered in TWS by hand: order id 0 until bound to client 0 (negative ids)."""
        contract, account, terms = self.validate(values)
        order = Order(order_id=0, client_id=0, perm_id=self.brokerage.new_perm_id(),
                      account=account.account_id, contract=contract, manual=True, **terms)
        if self.auto_bind:
            self._bind(order)
        self._accept(order)
        return order

    def what_if(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Margin and commission impact of an order, computed from the account; nothing is placed."""
        contract, account, terms = self.validate(values)
        self.brokerage.reserve_order_ids(int(values["orderId"]))
        quote = self.brokerage.quote(contract.con_id)
        price = terms["lmt_price"] if terms["order_type"] in ("LMT", "STP LMT") else (
            terms["aux_price"] if terms["order_type"] == "STP" else 0.0)
        if quote is not None and terms["order_type"] == "MKT":
            price = quote.ask if terms["action"] == "BUY" else quote.bid
        if price <= 0:
            price = self.brokerage.mark(contract.con_id)
        signed = terms["total_quantity"] * (1 if terms["action"] == "BUY" else -1)
        return what_if_figures(account, self.brokerage.mark, contract, signed, price)

    def validate(self, values: Mapping[str, Any]) -> tuple[ContractDef, Any, dict[str, Any]]:
        """IB's checks, in IB's order, raising OrderRejected with IB's code and wording."""
        query = values["contract"]
        if query.get("secType") == "STK" and not query.get("exchange"):
            raise OrderRejected(321, "Error validating request.-'bN' : cause - Missing order exchange.")
        contract = self.brokerage.catalog.resolve(query)
        if contract is None:
            raise OrderRejected(200, NO_SECURITY_DEFINITION)
        account = self._account(str(values.get("account") or ""))
        action = str(values.get("action", "")).upper()
        if action not in ACTIONS:
            raise OrderRejected(201, f"Order rejected - reason:Invalid action '{action}'. Use BUY or SELL.")
        quantity = float(values.get("totalQuantity", 0.0))
        if not is_set(quantity) or quantity <= 0:
            raise OrderRejected(201, f"Order rejected - reason:The order quantity {_text(quantity)} is not valid. It must be positive.")
        if quantity > MAX_QUANTITY:
            raise OrderRejected(201, f"Order rejected - reason:The order quantity {_text(quantity)} exceeds the maximum allowed.")
        order_type = str(values.get("orderType", "")).upper()
        if order_type not in ORDER_TYPES:
            raise OrderRejected(201, f"Order rejected - reason:Invalid order type '{order_type}' was entered.")
        tif = str(values.get("tif") or "DAY").upper()
        if tif not in TIFS:
            raise OrderRejected(201, f"Order rejected - reason:Invalid time in force '{tif}'.")
        lmt = float(values.get("lmtPrice", UNSET_DOUBLE))
        aux = float(values.get("auxPrice", UNSET_DOUBLE))
        if order_type in ("LMT", "STP LMT") and not (is_set(lmt) and lmt > 0):
            raise OrderRejected(201, f"Order rejected - reason:A valid limit price is required for a {order_type} order (got {_text(lmt)}).")
        if order_type in ("STP", "STP LMT") and not (is_set(aux) and aux > 0):
            raise OrderRejected(201, f"Order rejected - reason:A valid stop price is required for a {order_type} order (got {_text(aux)}).")
        terms = {
            "action": "SELL" if action == "SSHORT" else action,
            "total_quantity": quantity,
            "order_type": order_type,
            "lmt_price": lmt if order_type in ("LMT", "STP LMT") else 0.0,
            "aux_price": aux if order_type in ("STP", "STP LMT") else 0.0,
            "tif": tif,
            "order_ref": str(values.get("orderRef") or ""),
            "trigger_method": int(values.get("triggerMethod") or 0),
            "terms": {k: values[k] for k in _ECHOED if k in values},
        }
        return contract, account, terms

    def _account(self, code: str) -> Any:
        accounts = self.brokerage.accounts
        if not code:
            if len(accounts) > 1:
                raise OrderRejected(321, "Error validating request.-'bN' : cause - You must specify an account.")
            return self.brokerage.default_account
        if code not in accounts:
            raise OrderRejected(321, f"Error validating request.-'bN' : cause - Invalid account code '{code}'")
        return accounts[code]

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
        contract, account, terms = self.validate(values)
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
            realized_pnl=realized - commission if realized else UNSET_DOUBLE,
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
        side = {"BUY": "BOT", "SELL": "SLD"}.get(wanted.side.upper(), wanted.side.upper())
        return [e for e in self.executions if _matches(e, wanted, since, side)]

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


# placeOrder fields echoed back in openOrder as sent (all safe for the openOrder layout).
_ECHOED = ("ocaGroup", "outsideRth", "hidden", "goodAfterTime", "goodTillDate", "modelCode",
           "allOrNone", "sweepToFill", "blockOrder", "parentId", "triggerMethod", "transmit")


def _matches(execution: Execution, wanted: ExecutionFilter, since: float | None, side: str) -> bool:
    order = execution.order
    details = order.contract.details
    checks: Iterable[bool] = (
        not wanted.client_id or order.client_id == wanted.client_id,
        not wanted.account or order.account == wanted.account,
        since is None or execution.time >= since,
        not wanted.symbol or details.get("symbol") == wanted.symbol,
        not wanted.sec_type or details.get("secType") == wanted.sec_type,
        not wanted.exchange or wanted.exchange in (execution.exchange, details.get("exchange")),
        not side or execution.side == side,
    )
    return all(checks)


def _venue(contract: ContractDef) -> str:
    """Where a SMART-routed fill happened, as IB reports it (NASDAQ trades print as ISLAND)."""
    details = contract.details
    if details.get("exchange") != "SMART":
        return str(details.get("exchange", ""))
    primary = str(details.get("primaryExchange") or "SMART")
    return "ISLAND" if primary == "NASDAQ" else primary


def _text(number: float) -> str:
    if number == UNSET_DOUBLE:
        return "unset"
    return repr(number)
