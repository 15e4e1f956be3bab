"""What the runner observes of a broker beyond BaseBroker: one small, optional protocol.

A broker that has ``events`` (an event source) and ``state`` is :class:`Observable`: the runner
records its events (state changes, reconnects, IB error codes, order updates) and judges state
expectations from them. A broker that also has a ``journal`` with ``orders()`` and ``fills()`` is
:class:`Journaled`: the order audit compares it record by record (fills by exec id) with the
gateway. Neither is required:

- without ``events``/``state`` the broker's state is inferred from call outcomes (a call that
  answers means ``ready``, one refused with a ``BrokerUnavailable`` means ``disconnected``);
- without ``journal`` the audit reads ``get_orders()`` at quiescence (status, quantity, filled,
  price per orderRef) and cannot check individual fills.

Events are objects with ``at`` (epoch seconds), ``kind`` and ``data``; the kinds the runner uses:
``state`` {from, to}, ``reconnected``, ``ib_error`` {code}, ``order`` {key, status}.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Protocol, runtime_checkable


class EventSource(Protocol):
    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]:
        """Call ``callback(event)`` for every event from now on; return an unsubscribe function."""


@runtime_checkable
class Observable(Protocol):
    events: EventSource

    @property
    def state(self) -> Any:
        """The current state: a str or an enum whose value is one of the scenario state names."""


class OrderJournal(Protocol):
    def orders(self) -> Iterable[Any]:
        """Records with key, status, quantity, filled, avg_fill_price, limit_price, order_id."""

    def fills(self) -> Iterable[Any]:
        """Records with exec_id (each fill the broker recorded)."""


@runtime_checkable
class Journaled(Protocol):
    journal: OrderJournal


def state_name(broker: Any) -> str | None:
    """The broker's state as a name, or None when it does not expose one."""
    if not isinstance(broker, Observable):
        return None
    state = broker.state
    return str(getattr(state, "value", state))
