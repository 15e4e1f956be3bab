"""Orders lost and orders duplicated: the broker's journal against the gateway's brokerage.

The gateway's order book is the truth a real IB account would hold. Every execution there must
be in the journal exactly once (missing = lost, twice = duplicated); no idempotency key may
reach the gateway as two orders (sent twice = duplicated); an order the broker reports live or
filled must exist at the gateway (else lost).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Mapping

from ib_harness.broker.models import OrderStatus

LIVE_OR_DONE = {"SUBMITTED", "PARTIALLY_FILLED", "FILLED"}


def field(record: Any, name: str) -> Any:
    """Journal records may be mappings or objects."""
    if isinstance(record, Mapping):
        return record.get(name)
    return getattr(record, name, None)


def text(value: Any) -> str:
    return str(getattr(value, "value", value) or "")


def audit_orders(journal_orders: Iterable[Any], journal_fills: Iterable[Any], gateway_orders: Iterable[Any],
                 gateway_executions: Iterable[Any], placed: Mapping[str, str],
                 accepted: Iterable[str]) -> dict[str, Any]:
    """Compare; ``placed`` maps place_order step id -> key, ``accepted`` are keys the broker took."""
    journal_orders = list(journal_orders)
    accepted_keys = set(accepted)
    keys = set(placed.values()) | accepted_keys | {text(field(r, "key")) for r in journal_orders}
    details: list[str] = []
    ours = [o for o in gateway_orders if o.order_ref in keys]
    executions = [e for e in gateway_executions if e.order.order_ref in keys]
    journal_exec_ids = Counter(text(field(f, "exec_id")) for f in journal_fills)

    lost = 0
    for execution in executions:
        if journal_exec_ids[execution.exec_id] == 0:
            lost += 1
            details.append(f"fill {execution.exec_id} ({execution.shares:g} @ {execution.price:g}, "
                           f"order {execution.order.order_ref}) is not in the journal")
    gateway_keys = Counter(o.order_ref for o in ours)
    for record in journal_orders:
        key, status = text(field(record, "key")), text(field(record, "status"))
        if status in LIVE_OR_DONE and gateway_keys[key] == 0:
            lost += 1
            details.append(f"order {key} is {status} in the journal but unknown at the gateway")
    journal_keys = {text(field(r, "key")) for r in journal_orders}
    steps_by_key = {key: step_id for step_id, key in placed.items()}
    for key in sorted(accepted_keys - journal_keys):
        lost += 1
        details.append(f"order {steps_by_key.get(key, '?')} ({key}) was accepted by the broker but is not in the journal")

    duplicated = 0
    for exec_id, count in journal_exec_ids.items():
        if count > 1:
            duplicated += count - 1
            details.append(f"fill {exec_id} is in the journal {count} times")
    for key, count in gateway_keys.items():
        if count > 1:
            duplicated += count - 1
            details.append(f"order {key} reached the gateway {count} times")

    by_key = {text(field(r, "key")): text(field(r, "status")) for r in journal_orders}
    at_gateway = {o.order_ref: OrderStatus.from_ib(o.status, o.filled, o.remaining).value for o in ours}
    return {
        "lost": lost,
        "duplicated": duplicated,
        "fills": len(executions),
        "details": details[:10],
        "statuses": {step_id: by_key.get(key) for step_id, key in placed.items()},
        "gateway_statuses": {step_id: at_gateway.get(key) for step_id, key in placed.items()},
    }


# Statuses that say "over, nothing works at IB": IB reports a refused order as Cancelled (or
# Inactive), the broker as REJECTED; for agreement they are one class.
_DONE_CLASS = {"CANCELLED": "ENDED", "REJECTED": "ENDED"}


def _klass(status: str) -> str:
    return _DONE_CLASS.get(status, status)


def gateway_status(order: Any) -> str:
    """The broker-side status name of a gateway order (IB's status mapped as the broker maps it)."""
    if order.status == "Filled" or (order.total_quantity > 0 and order.filled >= order.total_quantity):
        return "FILLED"
    if order.status in ("Cancelled", "ApiCancelled"):
        return "CANCELLED"
    if order.status == "Inactive":
        return "REJECTED"
    if order.status in ("PreSubmitted", "Submitted", "PendingCancel", "ApiPending"):
        return "PARTIALLY_FILLED" if order.filled > 0 else "SUBMITTED"
    return "PENDING"


def agreement(journal_orders: Iterable[Any], gateway_orders: Iterable[Any], client_id: int | None) -> list[str]:
    """At quiescence, journal and gateway agree order by order, in both directions.

    No journaled order id is another order's id at the gateway. Every gateway order placed by the
    broker's client id with an orderRef is in the journal; every
    journaled order the gateway holds has the same status (refused and cancelled are one class),
    quantity, filled quantity and limit price there; a journaled NOT_SENT order is not at the gateway.
    """
    problems: list[str] = []
    gateway_orders = list(gateway_orders)
    journal = {text(field(r, "key")): r for r in journal_orders}
    by_id = {(o.client_id, o.order_id): o for o in gateway_orders}
    for key, record in journal.items():  # an id the broker reused belongs to another order at IB
        order_id = field(record, "order_id")
        holder = by_id.get((client_id, order_id)) if order_id else None
        if holder is not None and holder.order_ref != key:
            problems.append(f"order {key} has id {order_id} in the journal, which is order {holder.order_ref or '?'} "
                            f"at the gateway (an order id used twice)")
    for order in gateway_orders:
        if not order.order_ref or (client_id is not None and order.client_id != client_id):
            continue
        record = journal.get(order.order_ref)
        if record is None:
            problems.append(f"order {order.order_ref} (id {order.order_id}, {order.status}) is at the gateway "
                            f"but not in the journal")
            continue
        mine, theirs = text(field(record, "status")), gateway_status(order)
        if mine == "NOT_SENT" or _klass(mine) != _klass(theirs):
            problems.append(f"order {order.order_ref}: journal says {mine}, the gateway {theirs} ({order.status})")
        quantity = field(record, "quantity")
        if quantity is not None and abs(float(quantity) - order.total_quantity) > 1e-9:
            problems.append(f"order {order.order_ref}: quantity {float(quantity):g} in the journal, "
                            f"{order.total_quantity:g} at the gateway")
        filled = field(record, "filled")
        if filled is not None and abs(float(filled) - order.filled) > 1e-9:
            problems.append(f"order {order.order_ref}: filled {float(filled):g} in the journal, "
                            f"{order.filled:g} at the gateway")
        limit = field(record, "limit_price")
        if limit is not None and order.order_type in ("LMT", "STP LMT") and abs(float(limit) - order.lmt_price) > 1e-6:
            problems.append(f"order {order.order_ref}: limit {float(limit):g} in the journal, "
                            f"{order.lmt_price:g} at the gateway")
    return problems
