"""The bridge to the gateway's fault vocabulary: a scenario's ``fault:`` is the gateway's spec.

The gateway's own parser (``fake_gateway.faults.parse_fault_spec``) is the one source of truth
for kinds and parameters; a scenario only adds nothing of its own.
"""

from __future__ import annotations

from typing import Any

from fake_gateway import faults as gateway_faults


def check_fault_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Validate ``spec`` with the gateway's parser; its error names the kind or the field."""
    parse = getattr(gateway_faults, "parse_fault_spec", None)
    if parse is None:
        raise ValueError("this gateway has no fault vocabulary (fake_gateway.faults.parse_fault_spec is missing)")
    parse(spec)
    return spec
