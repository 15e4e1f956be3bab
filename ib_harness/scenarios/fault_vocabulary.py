"""The bridge to the gateway's fault vocabulary: a scenario's ``fault:`` is the gateway's spec.

The gateway's own parser (``fake_gateway.faults.parse_fault_spec``) is the one source of truth
for kinds and parameters; a scenario adds nothing of its own, so it can never ask for a fault the
gateway lacks, and the parser's message (naming the kind or the field) reaches the user with the
file and line.
"""

from __future__ import annotations

from typing import Any, Mapping

from ib_harness.fake_gateway.faults import FaultSpecError, parse_fault_spec
from ib_harness.fake_gateway.faults.base import KINDS

from .model_messages import unknown_name


ORDER_REFERENCE = "order"  # a scenario names an order by its place_order step; the runner gives its order_id
PLACEHOLDER_ORDER_ID = 1


def check_fault_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate ``spec`` with the gateway's parser; ValueError naming the kind or the field.

    A misspelt kind or parameter is caught here first, to offer the closest name the gateway knows.
    ``order: <place_order step id>`` stands for ``order_id`` (known only once the order is placed).
    """
    kind = spec.get("kind") if isinstance(spec, dict) else None
    if isinstance(kind, str) and ORDER_REFERENCE in spec:
        fields = KINDS[kind][0].model_fields if kind in KINDS else {}
        if "order_id" not in fields:
            raise ValueError(f"fault {kind!r}: `order` selects the messages of one order; only message faults "
                             "(drop_message, delay_message, ...) take it")
        if "order_id" in spec:
            raise ValueError(f"fault {kind!r}: give `order` (a place_order step) or `order_id`, not both")
        check_fault_spec({**{k: v for k, v in spec.items() if k != ORDER_REFERENCE},
                          "order_id": PLACEHOLDER_ORDER_ID})
        return spec
    if isinstance(kind, str) and kind not in KINDS:
        raise ValueError(unknown_name("fault kind", kind, KINDS))
    if isinstance(kind, str):
        fields = KINDS[kind][0].model_fields
        for key in spec:
            if key not in fields:
                raise ValueError(f"fault {kind!r}: " + unknown_name("parameter", key, fields))
    try:
        parse_fault_spec(spec)
    except FaultSpecError as exc:
        raise ValueError(str(exc)) from None
    return spec


def resolve_order(spec: dict[str, Any], order_ids: Mapping[str, int | None]) -> dict[str, Any]:
    """The spec with ``order: <step>`` replaced by that order's id; KeyError if it has none yet."""
    if ORDER_REFERENCE not in spec:
        return spec
    order_id = order_ids.get(spec[ORDER_REFERENCE])
    if order_id is None:
        raise KeyError(spec[ORDER_REFERENCE])
    resolved = {k: v for k, v in spec.items() if k != ORDER_REFERENCE}
    resolved["order_id"] = order_id
    return resolved
