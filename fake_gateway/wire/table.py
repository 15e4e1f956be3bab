"""The one table of message layouts: every request the gateway reads and every message it writes.

Layouts live in the ``in_*`` and ``out_*`` modules (one per area); this module only gathers them
and refuses duplicates, so each message id has exactly one source of truth.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    in_basic,
    in_market,
    in_orders,
    out_account,
    out_basic,
    out_contracts,
    out_executions,
    out_market,
    out_orders,
)
from .reading import RequestSpec
from .spec import MessageSpec

_OUT_MODULES: tuple[ModuleType, ...] = (
    out_basic, out_account, out_contracts, out_market, out_orders, out_executions,
)
_IN_MODULES: tuple[ModuleType, ...] = (in_basic, in_market, in_orders)


def _gather_outgoing() -> dict[str, MessageSpec]:
    table: dict[str, MessageSpec] = {}
    for module in _OUT_MODULES:
        for spec in module.SPECS:
            if spec.name in table:
                raise RuntimeError(f"message layout {spec.name} is defined twice")
            table[spec.name] = spec
    return table


def _gather_incoming() -> dict[int, RequestSpec]:
    table: dict[int, RequestSpec] = {}
    for module in _IN_MODULES:
        for spec in module.REQUESTS:
            if spec.msg_id in table:
                raise RuntimeError(f"request id {spec.msg_id} ({spec.name}) is defined twice")
            table[spec.msg_id] = spec
    return table


OUTGOING: dict[str, MessageSpec] = _gather_outgoing()
INCOMING: dict[int, RequestSpec] = _gather_incoming()
