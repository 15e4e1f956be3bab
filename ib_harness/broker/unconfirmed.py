"""Orders sent but never confirmed by IB, and the evidence that settles them.

No single answer of the gateway proves an order absent: the openOrder and orderStatus frames of
the order can be lost in that answer as in the acknowledgement before it (an application that
trusts a wrong NOT_SENT places the order again: two live orders). So an unconfirmed order stays
PENDING; each complete answer that lacks it (every client's open orders and the completed orders,
asked for after the send) is counted, and only ABSENT_ANSWERS of them spread over
``absent_after`` seconds prove it never arrived. Any sign of it (the order, a status, an
execution) settles it as the gateway shows it. The look-ups are bounded: MAX_ASKS per order.

The same look-ups serve three more doubts a lost frame leaves: a modify that got no answer (IB may
have applied it, its openOrder echo lost), an openOrder saying an order ended with no orderStatus
after it, and a filled order whose executions the journal lacks (its execDetails lost). An order
may hold several doubts at once; each settles on its own evidence.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Callable

from .events import EventBus
from .journal import Journal
from .metrics import BrokerMetrics
from .models import OrderStatus

ABSENT_ANSWERS = 3  # complete answers without the order that, over absent_after seconds, prove it absent
MAX_ASKS = 8  # look-ups the resolver makes for one order (reconnects and 1101/1102 reconcile it besides)


def _now() -> float:
    """The loop's clock (a replay's virtual clock), else the monotonic one."""
    try:
        return asyncio.get_running_loop().time()
    except RuntimeError:
        return time.monotonic()


@dataclass
class _Absence:
    first: float  # when the first complete answer lacked it
    answers: int  # complete answers that lacked it
    asks: int = 0  # look-ups the resolver made for it
    reasons: set[str] = field(default_factory=set)  # placement | modify (unanswered) | status (IB said it ended) | fills


class Unconfirmed:
    """The unconfirmed orders of this process, by key, with their evidence so far; journals each
    answer that lacked one, and NOT_SENT once proved."""

    def __init__(self, journal: Journal, events: EventBus, metrics: BrokerMetrics, absent_after: float) -> None:
        self.journal, self.events, self.metrics = journal, events, metrics
        self.absent_after = absent_after
        self._orders: dict[str, _Absence] = {}
        self.on_unconfirmed: Callable[[], None] = lambda: None  # the broker starts its resolver here

    def absent(self, key: str, order_id: int | None, where: str) -> bool:
        """A complete answer of the gateway (every client's open orders, completed orders) lacked
        this never-acknowledged order: count it; True when that proves it absent (NOT_SENT)."""
        answers, proved = self.evidence(key)
        if proved:
            self.not_sent(key, order_id, f"unconfirmed: absent from {answers} complete answers over "
                                         f"{self.absent_after:g} s or more ({where})")
        else:
            self.journal.note(key, f"unconfirmed: absent from complete answer {answers} ({where}); NOT_SENT "
                                   f"takes {ABSENT_ANSWERS} over {self.absent_after:g} s")
            self.unconfirmed(key, order_id, where)
        return proved

    def unconfirmed(self, key: str, order_id: int | None, why: str) -> None:
        self.waiting(key, "placement")
        self.events.publish("order_unconfirmed", key=key, order_id=order_id, cause=why)
        self.metrics.orders.labels("unconfirmed").inc()
        self.on_unconfirmed()

    def not_sent(self, key: str, order_id: int | None, detail: str) -> None:
        self.settled(key)
        self.journal.update_order(key, OrderStatus.NOT_SENT.value, detail=detail)
        self.events.publish("order", order_id=order_id, key=key, status=OrderStatus.NOT_SENT.value)
        self.metrics.orders.labels("not_sent").inc()

    def evidence(self, key: str) -> tuple[int, bool]:
        """One more complete answer lacked ``key``: how many so far, and whether that proves it absent."""
        now = _now()
        seen = self._orders.setdefault(key, _Absence(now, 0))
        if seen.answers == 0:  # the window starts at the first answer without it, not at the first doubt
            seen.first = now
        seen.reasons.add("placement")
        seen.answers += 1
        proved = seen.answers >= ABSENT_ANSWERS and now - seen.first >= self.absent_after
        if proved:
            del self._orders[key]
        return seen.answers, proved

    def waiting(self, key: str, reason: str = "placement") -> None:
        """An order to look up again, with no complete answer yet (a look-up timed out; a connect's cache)."""
        self._orders.setdefault(key, _Absence(_now(), 0)).reasons.add(reason)

    def modify_unanswered(self, key: str) -> None:
        """A modify got no answer: the order's terms at IB are unknown until an answer of the
        gateway itself (not the library's cache) shows the order again."""
        self.waiting(key, "modify")
        self.on_unconfirmed()

    def fills_missing(self, key: str) -> None:
        """IB says the order is filled but the journal lacks executions for it (an execDetails
        lost): ask for the executions again unless they arrive meanwhile."""
        self.waiting(key, "fills")
        self.on_unconfirmed()

    def status_unseen(self, key: str) -> None:
        """IB's openOrder says the order ended (Filled, Cancelled) and the journal does not: its
        orderStatus should follow; if it was lost, the gateway's own answer settles the order."""
        self.waiting(key, "status")
        self.on_unconfirmed()

    def needs_answer(self, key: str) -> bool:
        """Only the gateway's own answer (not the library's cache) settles this doubt."""
        seen = self._orders.get(key)
        return seen is not None and bool(seen.reasons & {"modify", "status"})

    def fills_short(self, key: str) -> bool:
        record = self.journal.order(key)
        return record is not None and record.filled > sum(f.quantity for f in self.journal.fills(key)) + 1e-9

    def settled(self, key: str, reason: str | None = None) -> None:
        """Found, filled, or otherwise no longer to be looked up (for ``reason`` only, if given)."""
        seen = self._orders.get(key)
        if seen is not None:
            seen.reasons.difference_update(seen.reasons.copy() if reason is None else {reason})
            if not seen.reasons:
                del self._orders[key]

    def settle_fills(self) -> None:
        """Drop the orders whose executions the journal now holds, and those whose end the
        journal now has (its orderStatus came after all)."""
        for key, seen in list(self._orders.items()):
            if "fills" in seen.reasons and not self.fills_short(key):
                self.settled(key, "fills")
            if "status" in seen.reasons and self._ended(key):
                self.settled(key, "status")

    def _ended(self, key: str) -> bool:
        record = self.journal.order(key)
        return record is None or OrderStatus(record.status).is_terminal

    def to_ask(self) -> list[str]:
        """The orders the resolver should still look up (fewer than MAX_ASKS look-ups so far)."""
        self.settle_fills()
        return [key for key, seen in self._orders.items() if seen.asks < MAX_ASKS]

    def asked(self, keys: list[str]) -> None:
        for key in keys:
            if key in self._orders:
                self._orders[key].asks += 1

    def next_wait(self) -> float:
        """Seconds until the next look-up: absent_after / (ABSENT_ANSWERS - 1) while the proof can
        still complete on time, then doubling with the asks already made."""
        step = self.absent_after / (ABSENT_ANSWERS - 1)
        asks = min((seen.asks for seen in self._orders.values()), default=0)
        return step * 2 ** max(0, asks - (ABSENT_ANSWERS - 1))

    def __contains__(self, key: str) -> bool:
        return key in self._orders

    def __len__(self) -> int:
        return len(self._orders)
