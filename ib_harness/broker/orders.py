"""Order placement on ib_insync with the journal in front: intent committed before the send,
every status and fill recorded after, ids monotonic across reconnects and process restarts.

An unacknowledged order is never resent: the broker asks the gateway (open and completed
orders, matched by orderRef) and adopts what it finds; not found, the order is unconfirmed
(unconfirmed.py), never "not sent" on one answer.
Before a key the journal does not hold is placed, the gateway is asked the same way: an order
with that key placed through another journal (or by another process) is adopted, never doubled.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable


from .adoption import GatewayOrders
from .backends import backend_of
from .client_adapter import ClientAdapter
from .errors import BrokerTimeout, OrderNotSent, OrderRejected, OrderUnconfirmed, UnknownOrder
from .events import EventBus
from .journal import Journal, KeyReused
from .metrics import BrokerMetrics
from .models import Order, OrderStatus, minted_here, renew_key_tag
from .order_modify import Modifies, ModifyInFlight, confirm_after_refusal
from .trades import (UNACKED, VALIDATION_ERROR, acknowledged, avg_price_of, filled_of, ib_order_for,
                     model_of_record, model_of_trade, record_differences, refuses, rejection_of, settled_status, status_of,
                     terms_of)
from .unconfirmed import Unconfirmed

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import IB, Contract, Fill, Trade

log = logging.getLogger("ib_harness.broker.orders")

ENDED = ("Filled", "Cancelled", "ApiCancelled", "Inactive")  # IB's statuses of an order that no longer works
DUPLICATE_ORDER_ID = 103
DUPLICATE_ID_RETRIES = 3
_SENT_HERE: set[str] = set()  # keys minted by this process that any of its brokers sent


def _fresh(key: str) -> bool:
    """A key minted in this process that no broker of it sent: it cannot be at the gateway yet."""
    return minted_here(key) and key not in _SENT_HERE


def forget_sent_keys() -> None:
    """Start a new world in this process: a replay harness that seeds uuid4 mints the same keys in
    every replay, each against a new gateway, so the keys an earlier replay sent are not "sent",
    and the keys' process tag is drawn again from the seeded uuid4 (the same in every process)."""
    _SENT_HERE.clear()
    renew_key_tag()


class OrderBook:
    def __init__(self, ib: IB, journal: Journal, events: EventBus, metrics: BrokerMetrics,
                 absent_after: float = 30.0) -> None:
        self.ib = ib
        self.backend = backend_of(ib)
        self.journal = journal
        self.events = events
        self.metrics = metrics
        self._waiters: dict[str, list[tuple[asyncio.Future[None], Callable[[], Any]]]] = {}
        self._echoes: dict[str, int] = {}  # openOrder frames seen per key (a modify waits for one)
        self.modifies = Modifies(self.backend, journal, events, metrics, self._signal)
        self.gateway = GatewayOrders(ib, journal, events, metrics, on_lookup=lambda: self.modifies.recheck(ib.trades()))
        self._placed = metrics.orders.labels("placed")
        self.unconfirmed = Unconfirmed(journal, events, metrics, absent_after)
        ib.orderStatusEvent += self._on_status
        ib.openOrderEvent += self._on_open_order
        ib.execDetailsEvent += self._on_fill
        ib.errorEvent += self._on_error
        self._off_open_order = ClientAdapter(ib).on_open_order(self._on_open_order_state)

    def close(self) -> None:
        self._off_open_order()
        self.ib.orderStatusEvent -= self._on_status
        self.ib.openOrderEvent -= self._on_open_order
        self.ib.execDetailsEvent -= self._on_fill
        self.ib.errorEvent -= self._on_error

    # ----- ids ------------------------------------------------------------------------------------

    def next_order_id(self) -> int:
        """Never below the highest id this broker ever used, whatever nextValidId says."""
        self.ib.client.updateReqId(self.journal.order_id_high_water() + 1)
        return self.ib.client.getReqId()

    def session_started(self) -> None:
        self.ib.client.updateReqId(self.journal.order_id_high_water() + 1)
        self.modifies.session_started()

    # ----- following ib_insync --------------------------------------------------------------------

    def _on_status(self, trade: Trade) -> None:
        key = trade.order.orderRef
        record = self.journal.order(key) if key else None
        if record is None:
            return
        modify = self.modifies.pending(key)
        if trade.orderStatus.status == VALIDATION_ERROR and not self._read_validation_error(trade, modify):
            return
        if modify is not None and self.modifies.read_status(key, trade):
            return
        filled = max(filled_of(trade), record.filled)  # a filled quantity never shrinks at IB
        status = settled_status(status_of(trade), filled, trade.order.totalQuantity)
        acked = acknowledged(trade)
        if status == OrderStatus.CANCELLED and (reason := rejection_of(trade)) and not trade.fills:
            status = OrderStatus.REJECTED
            detail = f"IB {reason[1]}: {reason[0]}"
        else:
            detail = trade.orderStatus.status
        self.journal.update_order(key, status.value, detail=detail,
                                  order_id=trade.order.orderId or None,
                                  perm_id=trade.order.permId or None, filled=filled,
                                  avg_fill_price=avg_price_of(trade), acknowledged=True if acked else None,
                                  **terms_of(trade, record.order_type))
        if acked:
            self.unconfirmed.settled(key, "placement")
        if status == OrderStatus.FILLED and self.unconfirmed.fills_short(key):
            self.unconfirmed.fills_missing(key)  # an execDetails may follow; if it was lost, ask again
        self.events.publish("order", order_id=trade.order.orderId, key=key, status=status.value)
        self._signal(key)

    def _read_validation_error(self, trade: Trade, modify: ModifyInFlight | None) -> bool:
        """ib_async marks an order ValidationError on the codes it reads as warnings (105, 321, 329;
        ib_insync marks it Cancelled). IB refused a message, not necessarily the order: a modify in
        flight or a new order IB never acknowledged is read as ib_insync reads it (Cancelled with
        IB's code: refused modify, or REJECTED); a working order stands as it was. True: go on."""
        last = trade.log[-1] if trade.log else None
        code, text = (last.errorCode, last.message) if last is not None else (0, "")
        before = next((e.status for e in reversed(trade.log) if e.status != VALIDATION_ERROR), "PendingSubmit")
        now = datetime.now(timezone.utc)
        if modify is not None or (before in UNACKED and not trade.fills):
            trade.orderStatus.status = "Cancelled"
            trade.log.append(self.backend.TradeLogEntry(now, "Cancelled", text, code))
            return True
        trade.orderStatus.status = before
        trade.log.append(self.backend.TradeLogEntry(now, before, f"IB {code} refused a message; the order stands"))
        self.journal.note(trade.order.orderRef, f"IB {code}: {text} (the order stands)")
        self._signal(trade.order.orderRef)
        return False

    def _on_error(self, req_id: int, code: int, message: str, contract: Any) -> None:
        if refuses(code):
            self.modifies.read_error(req_id, code, message)

    def _on_open_order(self, trade: Trade) -> None:
        key = trade.order.orderRef
        if key:
            self._echoes[key] = self._echoes.get(key, 0) + 1
        if trade.orderStatus.status in UNACKED:
            self._signal(key)  # its orderStatus follows and is journaled with the permId in one write
        else:
            self._on_status(trade)

    def _on_open_order_state(self, order: Any, state: Any) -> None:
        """IB's status in an openOrder is its acknowledgement as much as an orderStatus is: when
        the orderStatus frames are lost, an order of ours the library still holds unacknowledged
        takes it (the library itself does so only for an order it did not track yet)."""
        if not order.orderRef or state.status in UNACKED or state.status == VALIDATION_ERROR:
            return
        record = self.journal.order(order.orderRef)
        if record is not None and record.acknowledged and state.status in ENDED \
                and not OrderStatus(record.status).is_terminal:
            self.unconfirmed.status_unseen(order.orderRef)  # its orderStatus should follow; if lost, ask
        if record is None or record.acknowledged:  # not ours, or acknowledged already: nothing to read
            return
        for trade in self.ib.trades():
            if (trade.order.orderRef == order.orderRef and trade.order.orderId == order.orderId
                    and trade.order.clientId == order.clientId and trade.orderStatus.status in UNACKED):
                if state.status == "Filled" and filled_of(trade) < trade.order.totalQuantity:
                    return  # no quantity or price in an openOrder: the ack timeout asks the gateway for them
                trade.orderStatus.status = state.status
                trade.log.append(self.backend.TradeLogEntry(datetime.now(timezone.utc), state.status,
                                                            "openOrder (its orderStatus not seen)"))
                self._on_status(trade)
                return

    def _on_fill(self, trade: Trade, fill: Fill) -> None:
        self.record_fill(fill, trade.order.orderRef or None)
        if trade.order.orderRef:
            self._on_status(trade)  # the executions may settle a status whose message was lost

    def record_fill(self, fill: Fill, key: str | None) -> bool:
        ex = fill.execution
        key = key or ex.orderRef or None
        if key is None:
            record = self.journal.order_by_id(ex.orderId)
            key = record.key if record else None
        added = self.journal.record_fill(ex.execId, key, ex.orderId, ex.shares, ex.price, str(ex.time))
        if added:
            self.events.publish("fill", exec_id=ex.execId, key=key, order_id=ex.orderId,
                                quantity=ex.shares, price=ex.price)
        return added

    def _signal(self, key: str) -> None:
        """Wake the waiters of this order whose condition now holds (and only those)."""
        for waiter, done in self._waiters.get(key, ()):
            if not waiter.done() and done():
                waiter.set_result(None)

    async def _wait(self, key: str, done: Callable[[], Any], timeout: float) -> bool:
        """Wait until ``done()`` holds, checked on this order's events; False on timeout."""
        if done():
            return True
        entry = (asyncio.get_running_loop().create_future(), done)
        self._waiters.setdefault(key, []).append(entry)
        try:
            async with asyncio.timeout(timeout):  # no helper task, unlike wait_for
                await entry[0]
            return True
        except TimeoutError:
            return bool(done())
        finally:
            waiters = self._waiters.get(key, [])
            waiters.remove(entry)
            if not waiters:
                self._waiters.pop(key, None)

    # ----- requests -------------------------------------------------------------------------------

    async def place(self, order: Order, contract: Contract, ack_timeout: float, query_timeout: float) -> Order:
        record = self.journal.order(order.key)
        if record is not None and self.journal.adopted(order.key):  # placed elsewhere, adopted meanwhile
            return self.gateway.same_order(order, record_differences(order, record))
        if record is None and not _fresh(order.key):  # is it at the gateway already?
            existing = await self.gateway.placed_elsewhere(order, query_timeout)
            if existing is not None:
                return existing
        order_id = self.next_order_id()
        if minted_here(order.key):
            _SENT_HERE.add(order.key)
        try:
            self.journal.record_intent(order.key, order_id, order.symbol, order.side.value, order.quantity,
                                       order.order_type.value, order.limit_price, order.stop_price, order.tif)
        except KeyReused as exc:
            raise OrderRejected(str(exc)) from None
        for attempt in range(1, DUPLICATE_ID_RETRIES + 2):
            trade = await self._send(order, contract, order_id, ack_timeout, query_timeout)
            reason = rejection_of(trade)
            if not (reason and reason[1] == DUPLICATE_ORDER_ID and attempt <= DUPLICATE_ID_RETRIES):
                break
            # IB refused the id, so nothing was placed: the same key again under a fresh, higher id
            order_id = self.next_order_id()
            self.journal.update_order(order.key, OrderStatus.PENDING.value, order_id=order_id, durable=True,
                                      detail=f"IB 103 duplicate id: retry {attempt} with id {order_id}")
        reason = rejection_of(trade)
        if status_of(trade) == OrderStatus.CANCELLED and reason and not trade.fills:
            self.metrics.orders.labels("rejected").inc()
            raise OrderRejected(reason[0], reason[1])
        self._placed.inc()
        return self.to_model(order.key)

    async def _send(self, order: Order, contract: Contract, order_id: int, ack_timeout: float,
                    query_timeout: float) -> Trade:
        trade = self.ib.placeOrder(contract, ib_order_for(self.backend, order, order_id))
        self.events.publish("order", order_id=order_id, key=order.key, status="SENT")
        acked = await self._wait(order.key, lambda: acknowledged(trade), ack_timeout)
        if not acked:
            trade = await self._confirm_unacked(order.key, trade, query_timeout)
        return trade

    async def _confirm_unacked(self, key: str, trade: Trade, timeout: float) -> Trade:
        """No acknowledgement: ask the gateway. Found: adopt it. Not found: unconfirmed (the
        answer may have lost it too); the broker keeps asking and settles it later."""
        self.events.publish("order_unacknowledged", key=key, order_id=trade.order.orderId)
        try:
            found = await asyncio.wait_for(self.find_at_gateway(key), timeout)
        except asyncio.TimeoutError:
            self.unconfirmed.unconfirmed(key, trade.order.orderId, f"the look-up got no answer within {timeout:g} s")
            raise OrderUnconfirmed(key, timeout, "no acknowledgement, and the look-up got no answer") from None
        if found is None:
            if self.unconfirmed.absent(key, trade.order.orderId, "look-up after the ack timeout"):
                raise OrderNotSent(key)
            raise OrderUnconfirmed(key, timeout, "no acknowledgement, and not in the gateway's answer")
        found = await self.gateway.settle_found(key, trade, found, timeout, self.record_fill)
        self._on_status(found)
        return found

    async def gateway_orders(self) -> list[Trade]:
        return await self.gateway.orders()

    async def find_at_gateway(self, key: str) -> Trade | None:
        return await self.gateway.find(key)

    def adopt(self, trade: Trade, detail: str) -> bool:
        return self.gateway.adopt(trade, detail)

    def trade_for(self, ref: str | int) -> Trade:
        """The order by key or id, this session's client id first (ids repeat across clients)."""
        session = self.ib.client.clientId
        matches = [t for t in self.ib.trades() if t.order.orderRef == ref or t.order.orderId == ref]
        matches.sort(key=lambda t: t.order.clientId != session)
        if not matches:
            raise UnknownOrder(ref)
        return matches[0]

    def _require_owned(self, trade: Trade, ref: str | int, action: str) -> None:
        """IB lets only the client id that placed an order (or the master client) change it: say so
        at once (a cancel from another id got 10147 to an id ib_insync does not track, and waited)."""
        owner, session = trade.order.clientId, self.ib.client.clientId
        if owner and owner != session and not trade.isDone():
            raise OrderRejected(f"order {ref} was placed by client id {owner}; this session is client id {session} "
                                f"(after 326, fallback_client_id), and IB lets only the owner {action} it")

    async def cancel(self, ref: str | int, timeout: float) -> Order:
        trade = self.trade_for(ref)
        self._require_owned(trade, ref, "cancel")
        key = trade.order.orderRef
        if trade.isDone():
            return self.to_model(key) if key else model_of_trade(trade)
        self.ib.cancelOrder(trade.order)
        if not await self._wait(key, trade.isDone, timeout):
            if key:  # IB may have cancelled it with its answer lost: ask until the gateway's answer shows it
                self.unconfirmed.status_unseen(key)
            raise BrokerTimeout("cancel_order", timeout)
        self.metrics.orders.labels("cancelled").inc()
        return self.to_model(key)

    async def modify(self, ref: str | int, timeout: float, quantity: float | None = None,
                     limit_price: float | None = None, stop_price: float | None = None) -> Order:
        """Modify in place (same order id), so there is never a second live order.

        The journal takes the new terms only when the gateway echoes them (openOrder); before the
        send it records the request. A refusal (201, 110, ...) raises OrderRejected with IB's
        code and text as soon as IB answers, after the order's state was read back from the
        gateway: the original order stays working, tracked and cancellable. No answer within
        ``timeout``: BrokerTimeout, and a refusal that comes later still leaves the order working
        (order_modify.Modifies)."""
        trade = self.trade_for(ref)
        if trade.isDone():
            raise OrderRejected(f"order {ref} is {trade.orderStatus.status}; it cannot be modified")
        self._require_owned(trade, ref, "modify")
        key = trade.order.orderRef
        if key in self.modifies.in_flight:
            raise OrderRejected(f"order {ref} has a modify in flight; wait for its answer")
        changes = {name: value for name, value in (("totalQuantity", quantity), ("lmtPrice", limit_price),
                                                   ("auxPrice", stop_price)) if value is not None}
        wanted = copy.copy(trade.order)  # ib_insync's order changes only when IB echoes the new terms
        for name, value in changes.items():
            setattr(wanted, name, value)
        self.journal.note(key, "modify requested: " + ", ".join(f"{n}={v:g}" for n, v in changes.items()),
                          durable=True)
        modify = self.modifies.start(key, trade, changes)
        seen = self._echoes.get(key, 0)
        waiting = False  # sent and not answered: IB's answer may still come (Modifies.late_refusal)
        try:
            self.ib.placeOrder(trade.contract, wanted)
            waiting = True
            answered = await self._wait(key, lambda: modify.refusal is not None or trade.isDone() or modify.applied
                                        or self._echoes.get(key, 0) > seen, timeout)
            waiting = not answered
        finally:
            self.modifies.end(key, waiting)
        if modify.refusal is not None:
            refused = self.modifies.refused(key, modify)
            await confirm_after_refusal(self.gateway, self.journal, key, trade, timeout, self._on_status)
            raise refused
        if not answered:  # IB may have applied it with its echo lost: look again until its answer shows the order
            self.unconfirmed.modify_unanswered(key)
            raise BrokerTimeout("modify_order", timeout)
        if not modify.applied and self._echoes.get(key, 0) <= seen:
            raise OrderRejected(f"order {ref} became {trade.orderStatus.status} before IB confirmed the modify")
        self._journal_applied(trade)
        self.metrics.orders.labels("modified").inc()
        return self.to_model(key)

    def _journal_applied(self, trade: Trade) -> None:
        """The modify is applied: journal the trade's terms now. Its openOrder may have come inside
        an open-orders answer (the library files it there, with no event to journal it on)."""
        self._on_status(trade)

    # ----- views ----------------------------------------------------------------------------------

    def to_model(self, key: str) -> Order:
        record = self.journal.order(key)
        if record is None:
            raise UnknownOrder(key)
        return model_of_record(record)

    def orders(self, status: OrderStatus | None = None) -> list[Order]:
        """Journaled orders plus any order the gateway reports that this broker did not place."""
        result = [model_of_record(r) for r in self.journal.orders()]
        known = {o.key for o in result}
        result += [model_of_trade(t) for t in self.ib.trades() if t.order.orderRef not in known]
        return [o for o in result if status is None or o.status == status]
