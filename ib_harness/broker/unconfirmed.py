"""Orders sent but never confirmed by IB, and the evidence that settles them.

No single answer of the gateway proves an order absent: the openOrder and orderStatus frames of
the order can be lost in that answer as in the acknowledgement before it (an application that
trusts a wrong NOT_SENT places the order again: two live orders). So an unconfirmed order stays
PENDING; each complete answer that lacks it (every client's open orders and the completed orders,
asked for after the send) is counted, and only ABSENT_ANSWERS of them spread over
``absent_after`` seconds prove it never arrived. Any sign of it (the order, a status, an
execution) settles it as the gateway shows it. The look-ups are bounded: MAX_ASKS per order.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

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


class Unconfirmed:
    """The unconfirmed orders of this process, by key, with their evidence so far."""

    def __init__(self, absent_after: float) -> None:
        self.absent_after = absent_after
        self._orders: dict[str, _Absence] = {}

    def absent(self, key: str) -> tuple[int, bool]:
        """One more complete answer lacked ``key``: how many so far, and whether that proves it absent."""
        now = _now()
        seen = self._orders.setdefault(key, _Absence(now, 0))
        seen.answers += 1
        proved = seen.answers >= ABSENT_ANSWERS and now - seen.first >= self.absent_after
        if proved:
            del self._orders[key]
        return seen.answers, proved

    def waiting(self, key: str) -> None:
        """An unconfirmed order with no complete answer yet (a look-up timed out; a connect's cache)."""
        self._orders.setdefault(key, _Absence(_now(), 0))

    def settled(self, key: str) -> None:
        """Found, filled, or otherwise no longer unconfirmed."""
        self._orders.pop(key, None)

    def to_ask(self) -> list[str]:
        """The orders the resolver should still look up (fewer than MAX_ASKS look-ups so far)."""
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
