"""Reconcile the journal with what the gateway reports: open orders, completed orders and
executions, matched by orderRef and permId. Runs after every (re)connect (ib_insync's startup
sync has just loaded them) and after 1101/1102 on a live session (the broker asks for them again:
a status held or lost while IB was away is not replayed) and, while orders work, every so often on
a live session (a status or fill IB lost is never sent again); the counts go to events and metrics."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Callable, Coroutine, Iterable

from .journal import Journal, OrderRecord
from .models import BROKER_KEY_PREFIX, OrderStatus
from .orders import OrderBook
from .settings import BrokerSettings
from .trades import acknowledged, avg_price_of, filled_of, settled_status, status_of, terms_of

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import IB, Trade

OPEN_STATUSES = [s.value for s in OrderStatus if not s.is_terminal]


def _match(record: OrderRecord, trades: list[Trade]) -> Trade | None:
    for trade in trades:
        if trade.order.orderRef == record.key:
            return trade
    if record.perm_id:
        for trade in trades:
            if trade.order.permId == record.perm_id:
                return trade
    return None


def reconcile(ib: IB, journal: Journal, book: OrderBook, fresh: Iterable[Trade] | None = None) -> dict[str, int]:
    """Bring every unfinished journal order and every fill up to the gateway's truth.

    ``fresh``: trades just answered by the gateway (completed orders first, then every client's
    open orders), preferred to ib_insync's cache, which keeps a live order's last status when a
    completed order arrives. None: the session's cache only (a connect's sync: this client's
    open orders), which proves nothing absent.

    - found at the gateway: adopt its ids, status and fill (an interrupted send is found, never resent)
    - executions covering the quantity: FILLED, even when no status said so (a status was lost)
    - some executions but not found: it reached IB (acknowledged, PARTIALLY_FILLED at least)
    - never acknowledged and not found: ``unconfirmed``, still PENDING; with ``fresh``, one more
      answer without it, and NOT_SENT once enough of them prove it absent (unconfirmed.py)
    - acknowledged before but not found: left as is and counted ``missing`` for an operator
    - every execution not yet journaled: recorded (fills while the broker was away)
    - every order whose orderRef carries BROKER_KEY_PREFIX but is not in the journal: adopted
      (an intent row lost, another journal file, another process of ours)
    """
    results = {"matched": 0, "not_sent": 0, "unconfirmed": 0, "missing": 0, "fills_recorded": 0, "adopted": 0}
    keys_by_perm = {r.perm_id: r.key for r in journal.orders() if r.perm_id}
    for fill in ib.fills():
        ex = fill.execution
        key = ex.orderRef or keys_by_perm.get(ex.permId)
        if book.record_fill(fill, key):
            results["fills_recorded"] += 1
    answered = [t for t in fresh or () if acknowledged(t)]
    trades = [*answered, *(t for t in ib.trades() if acknowledged(t))]
    for record in journal.orders(OPEN_STATUSES):
        trade = _match(record, trades)
        journaled = sum(f.quantity for f in journal.fills(record.key))
        if trade is not None:
            filled = max(filled_of(trade), journaled)
            status = settled_status(status_of(trade), filled, record.quantity)
            journal.update_order(record.key, status.value, detail="reconcile",
                                 order_id=trade.order.orderId or None, perm_id=trade.order.permId or None,
                                 filled=filled, acknowledged=True, avg_fill_price=avg_price_of(trade),
                                 **terms_of(trade, record.order_type))
            results["matched"] += 1
            if book.unconfirmed.needs_answer(record.key) and _match(record, answered) is None:
                continue  # a modify unanswered, an end unseen: only the gateway's own answer settles it
        elif journaled >= record.quantity:
            journal.update_order(record.key, OrderStatus.FILLED.value, filled=journaled, acknowledged=True,
                                 detail="reconcile: executions cover the quantity")
            results["matched"] += 1
        elif journaled > 0 and not record.acknowledged:
            journal.update_order(record.key, settled_status(OrderStatus(record.status), journaled, record.quantity).value,
                                 filled=journaled, acknowledged=True, detail="reconcile: executions show it reached IB")
            results["matched"] += 1
        elif not record.acknowledged:
            if fresh is None:  # starts the resolver, whose look-ups are complete answers
                book.unconfirmed.unconfirmed(record.key, record.order_id, "not in this client's open orders")
                results["unconfirmed"] += 1
            elif book.unconfirmed.absent(record.key, record.order_id, "reconcile"):
                results["not_sent"] += 1
            else:
                results["unconfirmed"] += 1
            continue
        else:
            results["missing"] += 1
        book.unconfirmed.settled(record.key)
    book.unconfirmed.settle_fills()
    for trade in trades:  # completed orders first: a finished order is adopted finished
        if trade.order.orderRef.startswith(BROKER_KEY_PREFIX) and book.adopt(trade, "adopted by reconcile"):
            results["adopted"] += 1
    return results


async def watch_working_orders(journal: Journal, interval: float, reconcile_now: Callable[[str], None], cause: str,
                               *, at_once: bool = False, longest: float | None = None) -> None:
    """While the journal has unfinished orders, reconcile every ``interval`` seconds: IB never sends
    again a status or an execution it lost (or held) on a live session. With ``longest``, the wait
    doubles up to it while the same orders keep working (a GTC order resting for days is read a few
    times an hour) and starts over when they change. On a fallback client id (after 326) IB reports
    the replaced id's orders to that id only: there it polls at once and at a fixed interval."""
    wait, working = interval, frozenset[str]()
    while True:
        if not at_once:
            await asyncio.sleep(wait)
        at_once = False
        now = frozenset(record.key for record in journal.orders(OPEN_STATUSES))
        if now:
            reconcile_now(cause)
        grows = longest is not None and now and now == working
        wait = min(wait * 2, longest) if grows and longest is not None else interval
        working = now


def watch_orders_of_session(journal: Journal, settings: BrokerSettings, session_id: int, client_id: int,
                            reconcile_now: Callable[[str], None],
                            check_now: Callable[[str], None]) -> Coroutine[Any, Any, None]:
    """The watch a new session runs: on a fallback id after 326 the replaced id's orders at once and
    at a fixed interval, else the working-orders check (``check_now`` skips it while not ready)."""
    if session_id != client_id:
        return watch_working_orders(journal, settings.fallback_poll_interval, reconcile_now,
                                    f"fallback client id {session_id}: orders of client {client_id}", at_once=True)
    return watch_working_orders(journal, settings.order_check_interval, check_now, "working orders check",
                                longest=settings.order_check_max)


class Resolver:
    """While orders are unconfirmed (sent, never acknowledged, not found yet), reconcile again on
    the live session, at the pace unconfirmed.Unconfirmed sets, each order looked up MAX_ASKS times
    at most (reconnects and 1101/1102 reconcile it besides). One task; stopped with the session."""

    def __init__(self, book: OrderBook, reconcile_now: Callable[[str], None]) -> None:
        self.book, self.reconcile_now = book, reconcile_now
        self.task: asyncio.Task[None] | None = None
        book.unconfirmed.on_unconfirmed = self.start

    def start(self) -> None:
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run(), name="broker-unconfirmed")

    def stop(self) -> asyncio.Task[None] | None:
        task, self.task = self.task, None
        if task is not None:
            task.cancel()
        return task

    async def _run(self) -> None:
        unconfirmed = self.book.unconfirmed
        while True:
            await asyncio.sleep(unconfirmed.next_wait())
            keys = unconfirmed.to_ask()
            if not keys:
                return
            unconfirmed.asked(keys)
            self.reconcile_now(f"unconfirmed orders: {len(keys)}")
