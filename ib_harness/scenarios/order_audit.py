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
