"""The bridge to the gateway's fault vocabulary: a scenario's ``fault:`` is the gateway's spec.

The gateway's own parser (``fake_gateway.faults.parse_fault_spec``) is the one source of truth
for kinds and parameters; a scenario adds nothing of its own, so it can never ask for a fault the
gateway lacks, and the parser's message (naming the kind or the field) reaches the user with the
file and line.
"""

from __future__ import annotations

from typing import Any

from ib_harness.fake_gateway.faults import FaultSpecError, parse_fault_spec
from ib_harness.fake_gateway.faults.base import KINDS

from .model_messages import unknown_name


def check_fault_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate ``spec`` with the gateway's parser; ValueError naming the kind or the field.

    A misspelt kind or parameter is caught here first, to offer the closest name the gateway knows.
    """
    kind = spec.get("kind") if isinstance(spec, dict) else None
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
