"""Pure readings of ib_insync's Trade objects and the IbOrder the broker sends: status, fills,
terms, IB's refusal. No state: the order book, reconcile and adoption share them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any


from .backends import Backend
from .journal import OrderRecord
from .models import Order, OrderStatus, OrderType

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import Order as IbOrder, Trade

UNSET_DOUBLE = 1.7976931348623157e308  # both libraries' "not set" (sys.float_info.max)

UNACKED = ("PendingSubmit", "ApiPending", "")
VALIDATION_ERROR = "ValidationError"  # ib_async's status after a code it reads as a warning (105, 321, 329)
ORDER_TYPES = {"MKT": OrderType.MARKET, "LMT": OrderType.LIMIT, "STP": OrderType.STOP, "STP LMT": OrderType.STOP_LIMIT}
# IB notices to an order id that refuse nothing: farm status (2100-2199), order warnings
# (399 "will not be placed until ...", 404 shares locate, 434, 492, 10167) and 202 (the order
# was cancelled: its orderStatus says so).
NOT_REFUSALS = frozenset({202, 399, 404, 434, 492, 10167})


def refuses(code: int) -> bool:
    return not (2100 <= code < 2200 or code in NOT_REFUSALS)


def ib_order_for(backend: Backend, order: Order, order_id: int) -> IbOrder:
    """The order the backend's library sends for ``order``."""
    action, qty = order.side.value, order.quantity
    limit, stop = order.limit_price or 0.0, order.stop_price or 0.0  # presence checked by Order
    ib_order: IbOrder
    if order.order_type == OrderType.MARKET:
        ib_order = backend.MarketOrder(action, qty)
    elif order.order_type == OrderType.LIMIT:
        ib_order = backend.LimitOrder(action, qty, limit)
    elif order.order_type == OrderType.STOP:
        ib_order = backend.StopOrder(action, qty, stop)
    else:
        ib_order = backend.StopLimitOrder(action, qty, limit, stop)
    ib_order.orderId = order_id
    ib_order.orderRef = order.key
    ib_order.tif = order.tif
    return ib_order


def filled_of(trade: Trade) -> float:
    """IB's filled quantity, or more when the executions or a completed order (its filledQuantity)
    say so: either arrives when the orderStatus frames were lost."""
    reported = float(trade.order.filledQuantity)  # ib_async: a Decimal from the wire
    completed = reported if 0 < reported < UNSET_DOUBLE else 0.0
    return max(trade.orderStatus.filled, sum(f.execution.shares for f in trade.fills), completed)


def acknowledged(trade: Trade) -> bool:
    """IB has the order: a status past the submission, or an execution of it."""
    return trade.orderStatus.status not in UNACKED or bool(trade.fills)


def settled_status(status: OrderStatus, filled: float, quantity: float) -> OrderStatus:
    """A status corrected by the executions, which are the truth when a status message was lost:
    executions covering the quantity mean FILLED, some mean at least PARTIALLY_FILLED."""
    if quantity > 0 and filled >= quantity:
        return OrderStatus.FILLED
    if filled > 0 and not status.is_terminal:
        return OrderStatus.PARTIALLY_FILLED
    return status


def status_of(trade: Trade) -> OrderStatus:
    s, filled = trade.orderStatus, filled_of(trade)
    return settled_status(OrderStatus.from_ib(s.status, filled, s.remaining), filled, trade.order.totalQuantity)


def avg_price_of(trade: Trade) -> float | None:
    if trade.orderStatus.avgFillPrice:
        return trade.orderStatus.avgFillPrice
    shares = sum(f.execution.shares for f in trade.fills)
    return sum(f.execution.shares * f.execution.price for f in trade.fills) / shares if shares else None


def rejection_of(trade: Trade) -> tuple[str, int | None] | None:
    """IB's reason when an order was refused with an error (both libraries mark it Cancelled): a refusing
    error among the log entries of its current status only, so the error of an earlier refused
    modify never turns a later cancel into a rejection."""
    for entry in reversed(trade.log):
        if entry.status != trade.orderStatus.status:
            break
        if entry.errorCode and refuses(entry.errorCode):  # ib_async logs the 202 of a plain cancel
            return entry.message, entry.errorCode
    return None


def terms_of(trade: Trade, order_type: str) -> dict[str, Any]:
    """The quantity and prices IB holds for this order (journal field names)."""
    o = trade.order
    terms: dict[str, Any] = {}
    if 0 < o.totalQuantity < UNSET_DOUBLE:
        terms["quantity"] = float(o.totalQuantity)
    if order_type in (OrderType.LIMIT.value, OrderType.STOP_LIMIT.value) and 0 < o.lmtPrice < UNSET_DOUBLE:
        terms["limit_price"] = o.lmtPrice
    if order_type in (OrderType.STOP.value, OrderType.STOP_LIMIT.value) and 0 < o.auxPrice < UNSET_DOUBLE:
        terms["stop_price"] = o.auxPrice
    return terms


def differences(order: Order, trade: Trade) -> list[str]:
    """How the order found at the gateway differs from the one asked for (empty: the same)."""
    o = trade.order
    return _differences(order, "at the gateway", trade.contract.symbol, o.action, o.totalQuantity,
                        ORDER_TYPES.get(o.orderType, o.orderType), o.lmtPrice, o.auxPrice, o.tif or "DAY")


def record_differences(order: Order, record: Any) -> list[str]:
    """How a journaled order (an OrderRecord) differs from the one asked for."""
    return _differences(order, "in the journal", record.symbol, record.side, record.quantity,
                        OrderType(record.order_type), record.limit_price, record.stop_price, record.tif)


def _differences(order: Order, where: str, symbol: str, side: str, quantity: float, kind: Any,
                 limit: float | None, stop: float | None, tif: str) -> list[str]:
    found: dict[str, Any] = {"symbol": symbol, "side": side, "quantity": quantity, "order type": kind, "tif": tif}
    asked: dict[str, Any] = {"symbol": order.symbol, "side": order.side.value, "quantity": order.quantity,
                             "order type": order.order_type, "tif": order.tif}
    if order.limit_price is not None:
        found["limit price"], asked["limit price"] = limit, order.limit_price
    if order.stop_price is not None:
        found["stop price"], asked["stop price"] = stop, order.stop_price
    return [f"{name} {_text(found[name])} {where}, {_text(asked[name])} asked"
            for name in asked if found[name] != asked[name]]


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(getattr(value, "value", value))


def model_of_trade(trade: Trade) -> Order:
    """An order the journal does not hold, as the gateway reports it."""
    o, s = trade.order, trade.orderStatus
    kind = ORDER_TYPES.get(o.orderType, OrderType.MARKET)
    return Order(symbol=trade.contract.symbol, side=o.action, quantity=o.totalQuantity, order_type=kind,
                 limit_price=o.lmtPrice if kind in (OrderType.LIMIT, OrderType.STOP_LIMIT) else None,
                 stop_price=o.auxPrice if kind in (OrderType.STOP, OrderType.STOP_LIMIT) else None,
                 key=o.orderRef or f"ib-{o.permId or o.orderId}", order_id=o.orderId or None,
                 perm_id=o.permId or None, status=status_of(trade), filled=s.filled,
                 avg_fill_price=s.avgFillPrice or None)


def model_of_record(r: OrderRecord) -> Order:
    return Order(symbol=r.symbol, side=r.side, quantity=r.quantity, order_type=r.order_type,
                 limit_price=r.limit_price, stop_price=r.stop_price, key=r.key, order_id=r.order_id,
                 perm_id=r.perm_id, status=OrderStatus(r.status), filled=r.filled, avg_fill_price=r.avg_fill_price,
                 tif=r.tif)
