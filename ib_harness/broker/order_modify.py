"""Modifies of working orders and IB's answers to them, kept apart from placement because a
refused modify looks, to both client libraries, like the end of the order.

ib_insync (and ib_async on 201) marks a trade Cancelled on any error to its order id, yet IB keeps
the original order working when it refuses a modify. The order book asks :class:`Modifies` about
each status before journaling it; a refusal is undone here, whether it comes while the modify
waits or after the modify call timed out.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable, Iterable

from .adoption import GatewayOrders
from .backends import Backend
from .errors import OrderRejected
from .events import EventBus
from .journal import Journal
from .metrics import BrokerMetrics
from .models import OrderStatus

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import Trade


@dataclass
class ModifyInFlight:
    """A modify in flight: the order's status before it, the terms asked for, whether IB's
    answer carried them, and IB's refusal when one came."""
    order_id: int
    previous: str
    wanted: dict[str, float]
    applied: bool = False
    refusal: tuple[int, str] | None = None

    def check(self, trade: Trade) -> None:
        """An answer (openOrder or orderStatus) with the order at the wanted terms: applied. The
        openOrder frame alone may be taken by a concurrent open-orders request (ib_insync then
        files it with that request's answer, and may emit no orderStatus event either); it still
        updates the trade."""
        if all(getattr(trade.order, name) == value for name, value in self.wanted.items()):
            self.applied = True


class Modifies:
    """The modifies in flight (one per order) and those that timed out, until IB answers them."""

    def __init__(self, backend: Backend, journal: Journal, events: EventBus, metrics: BrokerMetrics,
                 signal: Callable[[str], None]) -> None:
        self.backend = backend
        self.journal = journal
        self.events = events
        self.metrics = metrics
        self.signal = signal  # wakes the order book's waiters of an order
        self.in_flight: dict[str, ModifyInFlight] = {}
        self.unanswered: dict[str, ModifyInFlight] = {}  # timed out; IB's answer may still come

    def start(self, key: str, trade: Trade, changes: dict[str, float]) -> ModifyInFlight:
        self.unanswered.pop(key, None)  # IB answers in order: an older modify's late answer is this one's
        modify = self.in_flight[key] = ModifyInFlight(trade.order.orderId, trade.orderStatus.status, changes)
        return modify

    def end(self, key: str, waiting: bool) -> None:
        """The modify call returns; ``waiting`` (sent, not answered): IB's answer may still come."""
        modify = self.in_flight.pop(key, None)
        if modify is not None and waiting:
            self.unanswered[key] = modify

    def session_started(self) -> None:
        """IB answers a message only on the session that sent it: a modify the last session left
        unanswered gets no answer now (its order's state comes from the sync and the reconcile)."""
        self.unanswered.clear()

    def pending(self, key: str) -> ModifyInFlight | None:
        return self.in_flight.get(key) or self.unanswered.get(key)

    def read_status(self, key: str, trade: Trade) -> bool:
        """A status of an order with a modify pending; True when it was the library's Cancelled
        for a refused modify (undone: the order book journals nothing)."""
        modify = self.in_flight.get(key)
        if modify is not None:
            if self._undo_cancel(trade, modify):
                return True
            modify.check(trade)
            return False
        late = self.unanswered.get(key)
        if late is None:
            return False
        if self._undo_cancel(trade, late):
            self.late_refusal(key, *(late.refusal or (0, "")))
            return True
        late.check(trade)
        if late.applied or trade.isDone():
            self.unanswered.pop(key, None)
        return False

    def _undo_cancel(self, trade: Trade, modify: ModifyInFlight) -> bool:
        last = trade.log[-1] if trade.log else None
        if trade.orderStatus.status != "Cancelled" or last is None or not last.errorCode:
            return False
        if modify.refusal is None:
            modify.refusal = (last.errorCode, last.message)
        trade.orderStatus.status = modify.previous
        trade.log.append(self.backend.TradeLogEntry(datetime.now(timezone.utc), modify.previous,
                                                    f"modify refused (IB {last.errorCode}); the original order stands"))
        self.signal(trade.order.orderRef)
        return True

    def read_error(self, req_id: int, code: int, message: str) -> None:
        """A refusing code to an order with a modify pending: 110 (a warning to ib_insync) as much as 201."""
        for key, modify in self.in_flight.items():
            if modify.order_id == req_id:
                modify.refusal = (code, message)
                self.signal(key)
                return
        for key, modify in list(self.unanswered.items()):
            if modify.order_id == req_id:
                self.late_refusal(key, code, message)
                return

    def late_refusal(self, key: str, code: int, message: str) -> None:
        """IB refused a modify after the call had timed out: the original order stands (the
        status was restored before this); say so once, in the journal and as an event."""
        modify = self.unanswered.pop(key, None)
        if modify is None:
            return
        self.metrics.orders.labels("modify_refused").inc()
        self.journal.note(key, f"modify refused after its timeout: IB {code}: {message} (the original order stands)")
        self.events.publish("modify_refused", key=key, order_id=modify.order_id, code=code, message=message,
                            late=True)

    def refused(self, key: str, modify: ModifyInFlight) -> OrderRejected:
        """A refusal in time: counted, journaled, published; the error the modify call raises."""
        code, text = modify.refusal or (0, "")
        self.metrics.orders.labels("modify_refused").inc()
        self.journal.note(key, f"modify refused: IB {code}: {text}")
        self.events.publish("modify_refused", key=key, order_id=modify.order_id, code=code, message=text,
                            late=False)
        return OrderRejected(text, code)

    def recheck(self, trades: Iterable[Trade]) -> None:
        """A modify's openOrder that arrived during an open-orders request went into its answer, and
        ib_insync may emit no orderStatus event either: look at the trades once the answer is in."""
        trades = list(trades)
        for key, modify in list(self.in_flight.items()):
            trade = next((t for t in trades if t.order.orderRef == key), None)
            if trade is not None:
                modify.check(trade)
                self.signal(key)


async def confirm_after_refusal(gateway: GatewayOrders, journal: Journal, key: str, trade: Trade, timeout: float,
                                on_status: Callable[[Trade], None]) -> None:
    """Read the order back after a refused modify: open (as it was), or completed meanwhile.
    Through the order book's one-at-a-time lookup (open orders update ``trade`` in place)."""
    try:
        async with asyncio.timeout(timeout):
            seen = await gateway.orders()  # completed orders, then every client's open ones
    except (TimeoutError, ConnectionError) as exc:
        journal.note(key, f"modify refused; the order's state at the gateway is unconfirmed ({exc!r})")
        return
    if any(t is trade for t in seen):
        on_status(trade)
        return
    for done in seen:
        if done.order.orderRef == key or (trade.order.permId and done.order.permId == trade.order.permId):
            trade.orderStatus.status = done.orderStatus.status
            journal.update_order(key, OrderStatus.from_ib(done.orderStatus.status).value,
                                 detail="after a refused modify: completed at the gateway")
            return
    journal.note(key, "modify refused; the order is neither open nor completed at the gateway")
