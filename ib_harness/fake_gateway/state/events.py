"""A small synchronous event hub: the brokerage tells every live session what changed.

Synchronous on purpose: a fill and the messages it causes are emitted in one step, in order,
so no client can see a position before the execution that made it.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

log = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], None]


class EventHub:
    """Fan-out of brokerage events to subscribed listeners."""

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, event: str, **payload: Any) -> None:
        for listener in tuple(self._listeners):
            try:
                listener(event, payload)
            except Exception:  # one broken session must not stop the others hearing
                log.exception("listener failed on event %s", event)

    def __len__(self) -> int:
        return len(self._listeners)
