"""The gateway's own view of orders, for the order book and reconcile: every client's open and
completed orders looked up one request at a time, and orders of ours that the journal does not
know adopted into it (another journal file, a lost intent row, another process or client id)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable

from .backends import backend_of
from .errors import BrokerTimeout, OrderRejected, UnknownOrder
from .events import EventBus
from .journal import Journal
from .metrics import BrokerMetrics
from .models import Order
from .trades import (ORDER_TYPES, UNACKED, acknowledged, avg_price_of, differences, filled_of, model_of_record,
                     settled_status, status_of, terms_of)

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import IB, Fill, Trade


class GatewayOrders:
    def __init__(self, ib: IB, journal: Journal, events: EventBus, metrics: BrokerMetrics,
                 on_lookup: Callable[[], None]) -> None:
        self.ib, self.journal, self.events, self.metrics = ib, journal, events, metrics
        self.backend = backend_of(ib)
        self._on_lookup = on_lookup  # called when a lookup's answer is complete
        self._lookup_lock = asyncio.Lock()  # ib_insync keeps one future per kind of order request
        self._lookups_started = 0
        self._last_lookup: list[Trade] | None = None
        self.lookup_timeout = 10.0  # the broker sets its request_timeout: an answer lost must not wedge the lock

    async def find(self, key: str) -> Trade | None:
        """The order with this key at the gateway (or in ib_insync's cache), acknowledged."""
        for candidate in [*await self.orders(), *self.ib.trades()]:
            if candidate.order.orderRef == key and acknowledged(candidate):
                return candidate
        return None

    async def orders(self) -> list[Trade]:
        """Completed orders, then every client's open orders, as the gateway reports them now.

        One lookup at a time, each run to its end even when its caller gives up (ib_insync keeps
        one future per request kind: a second request while an answer is still arriving files
        frames under the wrong request, and a completedOrder with no request pending fails to
        decode). A caller that queued behind a lookup started after it asked takes its answer."""
        task = asyncio.ensure_future(self._lookup(self._lookups_started))
        task.add_done_callback(_retrieve)
        return await asyncio.shield(task)

    async def _lookup(self, asked: int) -> list[Trade]:
        async with self._lookup_lock:
            if self._lookups_started > asked and self._last_lookup is not None:
                return self._last_lookup
            self._lookups_started += 1
            self._last_lookup = None
            try:
                async with asyncio.timeout(self.lookup_timeout):
                    completed = await self.ib.reqCompletedOrdersAsync(False)
                    open_trades = await self.ib.reqAllOpenOrdersAsync()
            except TimeoutError:  # the answer was lost (a stall that dropped it): the next lookup asks
                # again (the library's new future of that kind replaces the one left pending)
                self.events.publish("order_lookup_lost", after=self.lookup_timeout)
                raise
            self._last_lookup = [*completed, *open_trades]
            self._on_lookup()
            return self._last_lookup

    async def settle_found(self, key: str, trade: Trade, found: Trade, timeout: float,
                           record_fill: Callable[[Fill, str], bool]) -> Trade:
        """The order we placed, unacknowledged, as the lookup found it: a completed order's copy
        (the library matches it by permId, which our trade lacks when every ack was lost) carries
        its status and filled quantity onto ours, which holds the order id and any executions
        that did arrive; more filled than the executions we hold asks for them again."""
        if found is not trade and found.order.orderId in (0, trade.order.orderId) \
                and trade.orderStatus.status in UNACKED:
            trade.orderStatus.status = found.orderStatus.status
            trade.order.filledQuantity = filled_of(found)
            trade.order.permId = trade.order.permId or found.order.permId
            trade.log.append(self.backend.TradeLogEntry(datetime.now(timezone.utc), found.orderStatus.status,
                                                        "completed at the gateway (its orderStatus not seen)"))
            found = trade
        if filled_of(found) > sum(f.execution.shares for f in found.fills):
            await self._executions_of(key, found, timeout, record_fill)
        return found

    async def _executions_of(self, key: str, trade: Trade, timeout: float,
                             record_fill: Callable[[Fill, str], bool]) -> None:
        """IB says more was filled than the executions we hold: ask for this client's executions
        again, so the journal gets each fill and the average price (a completed order carries
        neither). The library files each under its trade once; a fill it could not place is added."""
        try:
            async with asyncio.timeout(timeout):
                fills: list[Fill] = await self.ib.reqExecutionsAsync()
        except (TimeoutError, ConnectionError) as exc:
            self.journal.note(key, f"filled at the gateway; its executions are not in yet ({exc!r}); "
                                   "reconcile records them")
            return
        for fill in fills:
            ex = fill.execution
            if ex.orderRef == key or (trade.order.permId and ex.permId == trade.order.permId):
                record_fill(fill, key)
                if all(f.execution.execId != ex.execId for f in trade.fills):
                    trade.fills.append(fill)

    async def placed_elsewhere(self, order: Order, timeout: float) -> Order | None:
        """The order with this key at the gateway, adopted (None: not there, send it). A key used
        there for a different order raises OrderRejected naming the differences."""
        found = next((t for t in self.ib.trades() if t.order.orderRef == order.key
                      and t.orderStatus.status not in UNACKED), None)
        if found is None:
            try:
                found = await asyncio.wait_for(self.find(order.key), timeout)
            except asyncio.TimeoutError:
                raise BrokerTimeout("place_order (looking the key up at the gateway; nothing was sent)",
                                    timeout) from None
        if found is None:
            return None
        found_differences = differences(order, found)
        if not found_differences and self.adopt(found, "adopted before placing: the key was already at the gateway"):
            self.events.publish("order_adopted", key=order.key, order_id=found.order.orderId,
                                perm_id=found.order.permId, cause="place_order")
        return self.same_order(order, found_differences)

    def same_order(self, order: Order, found_differences: list[str]) -> Order:
        """The order already placed under this key, or OrderRejected naming how it differs."""
        if found_differences:
            self.metrics.orders.labels("rejected").inc()
            raise OrderRejected(f"key {order.key} is already an order with other terms: " + "; ".join(found_differences))
        record = self.journal.order(order.key)
        if record is None:
            raise UnknownOrder(order.key)
        return model_of_record(record)

    def adopt(self, trade: Trade, detail: str) -> bool:
        """Journal an order of the gateway's that the journal does not hold; False when it knows
        the key already or the order is of a type this broker does not place."""
        o = trade.order
        kind = ORDER_TYPES.get(o.orderType)
        if not o.orderRef or kind is None or self.journal.order(o.orderRef) is not None:
            return False
        filled = filled_of(trade)
        terms = terms_of(trade, kind.value)
        return self.journal.adopt(
            o.orderRef, o.orderId or None, o.permId or None, trade.contract.symbol, o.action,
            terms.get("quantity", o.totalQuantity), kind.value, terms.get("limit_price"), terms.get("stop_price"),
            settled_status(status_of(trade), filled, o.totalQuantity).value, filled, avg_price_of(trade),
            f"{detail} (client {o.clientId}, perm id {o.permId})", tif=o.tif or "DAY")


def _retrieve(task: "asyncio.Future[Any]") -> None:
    """A lookup whose caller gave up still ends; its error is not 'never retrieved'."""
    if not task.cancelled():
        task.exception()
