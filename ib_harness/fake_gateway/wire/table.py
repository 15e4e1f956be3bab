"""The one table of message layouts: every request the gateway reads and every message it writes.

Layouts live in the ``in_*`` and ``out_*`` modules (one per area); this module only gathers them
and refuses duplicates, so each message id has exactly one source of truth.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Callable

from . import (
    in_basic,
    in_data,
    in_market,
    in_options,
    in_orders,
    in_reference,
    out_account,
    out_basic,
    out_contracts,
    out_depth,
    out_executions,
    out_market,
    out_news,
    out_options,
    out_orders,
    out_reference,
    out_scanner,
    out_ticks,
)
from .reading import RequestSpec
from .spec import MessageSpec

_OUT_MODULES: tuple[ModuleType, ...] = (
    out_basic, out_account, out_contracts, out_market, out_orders, out_executions,
)
_OUT_MODULES += (out_reference, out_options, out_depth, out_scanner, out_news, out_ticks)
_IN_MODULES: tuple[ModuleType, ...] = (in_basic, in_market, in_orders)
_IN_MODULES += (in_reference, in_options, in_data)


def _gather(modules: tuple[ModuleType, ...], attribute: str, key: Callable[[Any], Any]) -> dict[Any, Any]:
    """Merge the layouts the modules export, refusing a second layout for the same key."""
    table: dict[Any, Any] = {}
    for module in modules:
        for spec in getattr(module, attribute):
            if key(spec) in table:
                raise RuntimeError(f"{spec.name} ({key(spec)}) is defined twice ({module.__name__})")
            table[key(spec)] = spec
    return table


OUTGOING: dict[str, MessageSpec] = _gather(_OUT_MODULES, "SPECS", lambda spec: spec.name)
INCOMING: dict[int, RequestSpec] = _gather(_IN_MODULES, "REQUESTS", lambda spec: spec.msg_id)
