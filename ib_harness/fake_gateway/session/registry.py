"""Routing: which handler serves each request id, and which reacts to each brokerage event.

Handler modules each export ``HANDLERS`` (request id -> function) and ``EVENT_HANDLERS``
(event name -> functions). This module merges them and refuses two handlers for one id.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Callable

from . import handlers_account, handlers_connection, handlers_contracts, handlers_orders
from . import handlers_history, handlers_market, handlers_pnl
from . import handlers_depth, handlers_news, handlers_options, handlers_reference, handlers_scanner
from . import handlers_ticks

_MODULES: tuple[ModuleType, ...] = (handlers_connection, handlers_account, handlers_contracts, handlers_orders)
_MODULES += (handlers_market, handlers_history, handlers_pnl)
_MODULES += (handlers_reference, handlers_options, handlers_depth, handlers_scanner, handlers_news)
_MODULES += (handlers_ticks,)


def _merge() -> tuple[dict[int, Callable[..., Any]], dict[str, list[Callable[..., Any]]]]:
    handlers: dict[int, Callable[..., Any]] = {}
    events: dict[str, list[Callable[..., Any]]] = {}
    for module in _MODULES:
        for msg_id, handler in module.HANDLERS.items():
            if msg_id in handlers:
                raise RuntimeError(f"request id {msg_id} has two handlers ({module.__name__})")
            handlers[msg_id] = handler
        for event, listeners in getattr(module, "EVENT_HANDLERS", {}).items():
            events.setdefault(event, []).extend(listeners)
    return handlers, events


HANDLERS, EVENT_HANDLERS = _merge()
