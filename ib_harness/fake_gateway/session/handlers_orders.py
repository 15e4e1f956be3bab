"""Handlers for orders and executions, and the routing of order events to sessions.

The order book (``brokerage.orders``) owns every order; a session only relays. IB's routing
rules: an order's openOrder/orderStatus/execDetails/commissionReport go to the live session of
the client id that placed it (and to the master client id when one is set); reqOpenOrders
returns the caller's own open orders (client 0 also binds manual TWS orders); reqAllOpenOrders
returns every client's; reqCompletedOrders and reqExecutions (clientId 0 = any) see all clients.
"""

from __future__ import annotations

from typing import Any, Callable

from ..state.matching import preview_warning
from ..state.orders import Execution, ExecutionFilter, Order, OrderRejected
from ..wire import in_orders
from ..wire.out_basic import NEXT_VALID_ID
from ..wire.out_executions import COMMISSION_REPORT, EXEC_DETAILS, EXEC_DETAILS_END
from ..wire.out_orders import (
    COMPLETED_ORDER,
    COMPLETED_ORDERS_END,
    OPEN_ORDER,
    OPEN_ORDER_END,
    ORDER_BOUND,
    ORDER_STATUS,
)
from ..wire.reading import Request
from .client_state import ORDERS, client_state, stream_flowing
from .session import Session

# ----- wire views of the order book --------------------------------------------------------------


def _contract(order: Order) -> dict[str, Any]:
    """The contract block; an empty right/strike keeps each layout's own default (``?``, ``0``)."""
    fields = order.contract.contract_fields()
    return {k: v for k, v in fields.items() if v or k not in ("right", "strike")}


def _order_values(order: Order) -> dict[str, Any]:
    """Fields shared by openOrder and completedOrder."""
    return {
        **_contract(order),
        **order.terms,
        "orderId": order.order_id,
        "action": order.action,
        "totalQuantity": order.total_quantity,
        "orderType": order.order_type,
        "lmtPrice": order.lmt_price,
        "auxPrice": order.trailing_amount if order.is_trailing else order.aux_price,
        **_trail_values(order),
        "tif": order.tif,
        "account": order.account,
        "orderRef": order.order_ref,
        "clientId": order.client_id,
        "permId": order.perm_id,
        "triggerMethod": order.trigger_method,
        # The deprecated slot the real gateway fills with "<permId>.0/<account>/100".
        "sharesAllocation": f"{order.perm_id}.0/{order.account}/100",
        "status": order.status,
    }


def _trail_values(order: Order) -> dict[str, Any]:
    """A trailing order reports its current stop; the percent is echoed only when used.

    The stop goes in both slots the clients read into ``Order.trailStopPrice`` (the later one,
    next to lmtPriceOffset, is the one they keep).
    """
    if not order.is_trailing:
        return {}
    values: dict[str, Any] = {"trailStopPrice": order.trail_stop_price,
                              "adjustedTrailStopPrice": order.trail_stop_price}
    if order.trailing_percent:
        values["trailingPercent"] = order.trailing_percent
    return values


def send_open_order(session: Session, order: Order) -> None:
    session.send(OPEN_ORDER, _order_values(order))


def send_order_status(session: Session, order: Order) -> None:
    session.send(ORDER_STATUS, orderId=order.order_id, status=order.status, filled=order.filled,
                 remaining=order.remaining, avgFillPrice=order.avg_fill_price, permId=order.perm_id,
                 parentId=order.parent_id, lastFillPrice=order.last_fill_price,
                 clientId=order.client_id)


def send_execution(session: Session, req_id: int, execution: Execution) -> None:
    order = execution.order
    session.send(EXEC_DETAILS, order.contract.contract_fields(), reqId=req_id, orderId=order.order_id,
                 execId=execution.exec_id, time=execution.time_text, acctNumber=order.account,
                 execExchange=execution.exchange, side=execution.side, shares=execution.shares,
                 price=execution.price, permId=order.perm_id, clientId=order.client_id,
                 cumQty=execution.cum_qty, avgPrice=execution.avg_price, orderRef=order.order_ref,
                 lastLiquidity=execution.last_liquidity)


def send_commission(session: Session, execution: Execution) -> None:
    session.send(COMMISSION_REPORT, execId=execution.exec_id, commission=execution.commission,
                 currency=execution.commission_currency, realizedPNL=execution.realized_pnl)


def _hears(session: Session, order: Order) -> bool:
    return session.client_id in session.brokerage.orders.recipients(order)


# ----- requests ----------------------------------------------------------------------------------


def place_order(session: Session, request: Request) -> None:
    """New order, modification, or what-if; a refusal is an error to the order id, never a crash."""
    values = request.values
    order_id = int(values["orderId"])
    book = session.brokerage.orders
    try:
        if values.get("whatIf"):
            preview, figures = book.what_if(values, session.client_id or 0)
            # With a precaution to show (the capture's IdealPro odd lot), TWS answers twice: first
            # an openOrder carrying the warning with margins still unset, then the figures.
            # ib_insync 0.9.86 takes the first as final (erdewit/ib_insync#380).
            warning = preview_warning(preview.contract, preview.total_quantity)
            if warning:
                session.send(OPEN_ORDER, _order_values(preview), whatIf=True, warningText=warning)
            session.send(OPEN_ORDER, _order_values(preview), whatIf=True, **figures)
            return
        book.place(values, session.client_id or 0)
    except OrderRejected as exc:
        session.send_error(order_id, exc.code, exc.message)


def cancel_order(session: Session, request: Request) -> None:
    order_id = int(request["orderId"])
    try:
        session.brokerage.orders.cancel(order_id, session.client_id or 0)
    except OrderRejected as exc:
        session.send_error(order_id, exc.code, exc.message)


def req_global_cancel(session: Session, request: Request) -> None:
    session.brokerage.orders.global_cancel()


def _send_open_orders(session: Session, orders: list[Order]) -> None:
    for order in orders:
        send_open_order(session, order)
        send_order_status(session, order)
    session.send(OPEN_ORDER_END)


def req_open_orders(session: Session, request: Request) -> None:
    """This client's open orders; client 0 first binds manual orders that have no API id."""
    book = session.brokerage.orders
    if session.client_id == 0:
        book.bind_manual_orders()
    _send_open_orders(session, book.open_orders(session.client_id))


def req_all_open_orders(session: Session, request: Request) -> None:
    _send_open_orders(session, session.brokerage.orders.open_orders())


def req_auto_open_orders(session: Session, request: Request) -> None:
    """Only client 0 may bind future manual orders (IB refuses other client ids)."""
    if session.client_id != 0:
        session.send_error(-1, 321, "Error validating request.-'bF' : cause - "
                                    "reqAutoOpenOrders is only valid for client id 0")
        return
    session.brokerage.orders.auto_bind = bool(request["autoBind"])


def req_completed_orders(session: Session, request: Request) -> None:
    for order in session.brokerage.orders.completed_orders(bool(request["apiOnly"])):
        session.send(COMPLETED_ORDER, _order_values(order), filledQuantity=order.filled,
                     completedTime=order.completed_time, completedStatus=order.completed_status)
    session.send(COMPLETED_ORDERS_END)


def req_executions(session: Session, request: Request) -> None:
    """Every matching execution as execDetails + commissionReport, then execDetailsEnd."""
    req_id = request["reqId"]
    wanted = ExecutionFilter(client_id=request["clientId"], account=request["acctCode"],
                             time=request["time"], symbol=request["symbol"], sec_type=request["secType"],
                             exchange=request["exchange"], side=request["side"])
    for execution in session.brokerage.orders.find_executions(wanted):
        send_execution(session, req_id, execution)
        send_commission(session, execution)
    session.send(EXEC_DETAILS_END, reqId=req_id)


def req_ids(session: Session, request: Request) -> None:
    session.send(NEXT_VALID_ID, orderId=session.brokerage.next_order_id())


# ----- brokerage events --------------------------------------------------------------------------


def release_order_events(session: Session) -> int:
    """Deliver the order events held during a connectivity loss, in order. An order's status goes
    out once, as it is now (the gateway catches up with the order, not with every step it took);
    executions and errors go out one by one. Returns how many events were held."""
    state = client_state(session)
    held, state.held_order_events = state.held_order_events, []
    updates = [(index, id(payload["order"]), payload) for index, (event, payload) in enumerate(held)
               if event == "order_updated"]
    last = {order: index for index, order, _ in updates}
    opened = {order for _, order, payload in updates if payload.get("open_order", True)}
    for index, (event, payload) in enumerate(held):
        if event == "order_updated":
            order = id(payload["order"])
            if last[order] != index:
                continue
            payload = {**payload, "open_order": order in opened}
        ORDER_EVENT_RELAYS[event](session, payload)
    return len(held)


def on_order_updated(session: Session, payload: dict[str, Any]) -> None:
    order: Order = payload["order"]
    if _hears(session, order):
        if payload.get("open_order", True):
            send_open_order(session, order)
        send_order_status(session, order)


def on_order_executed(session: Session, payload: dict[str, Any]) -> None:
    if _hears(session, payload["order"]):
        send_execution(session, -1, payload["execution"])


def on_order_commission(session: Session, payload: dict[str, Any]) -> None:
    if _hears(session, payload["order"]):
        send_commission(session, payload["execution"])


def on_order_error(session: Session, payload: dict[str, Any]) -> None:
    if session.client_id == payload["client_id"]:
        session.send_error(payload["order_id"], payload["code"], payload["message"])


def on_order_bound(session: Session, payload: dict[str, Any]) -> None:
    order: Order = payload["order"]
    if session.client_id == order.client_id:
        session.send(ORDER_BOUND, permId=order.perm_id, clientId=order.client_id, orderId=order.order_id)


HANDLERS = {
    in_orders.PLACE_ORDER.msg_id: place_order,
    in_orders.CANCEL_ORDER.msg_id: cancel_order,
    in_orders.REQ_GLOBAL_CANCEL.msg_id: req_global_cancel,
    in_orders.REQ_OPEN_ORDERS.msg_id: req_open_orders,
    in_orders.REQ_ALL_OPEN_ORDERS.msg_id: req_all_open_orders,
    in_orders.REQ_AUTO_OPEN_ORDERS.msg_id: req_auto_open_orders,
    in_orders.REQ_COMPLETED_ORDERS.msg_id: req_completed_orders,
    in_orders.REQ_EXECUTIONS.msg_id: req_executions,
    in_orders.REQ_IDS.msg_id: req_ids,
}

ORDER_EVENT_RELAYS = {
    "order_updated": on_order_updated,
    "order_executed": on_order_executed,
    "order_commission": on_order_commission,
    "order_error": on_order_error,
    "order_bound": on_order_bound,
}

Relay = Callable[[Session, dict[str, Any]], None]


def _relay_or_hold(event: str, relay: Relay) -> Relay:
    """While IB's servers are out of reach (1100) nothing they send reaches the gateway, so the
    client hears of its orders' fills and status changes only when connectivity returns."""
    def handler(session: Session, payload: dict[str, Any]) -> None:
        if stream_flowing(session, ORDERS):
            relay(session, payload)
        else:
            client_state(session).held_order_events.append((event, payload))
    return handler


EVENT_HANDLERS = {event: [_relay_or_hold(event, relay)] for event, relay in ORDER_EVENT_RELAYS.items()}
