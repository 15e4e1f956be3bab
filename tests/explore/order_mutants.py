"""Six more broker mutants, one per order-safety fault the explore issue names, and eight that put
back bugs explore found in the library's broker (scenarios/library/found/, tests/explore/test_found.py).
Like tests/suite/mutants.py they monkeypatch the broker's classes from the test side; the broker
itself is not edited. Each removes one defence a real incident showed is needed."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from ib_insync import Contract, Trade

from ib_harness.broker.error_handling import IbErrorHandler
from ib_harness.broker.errors import BrokerTimeout, OrderRejected
from ib_harness.broker.journal import FillRecord, Journal, KeyReused
from ib_harness.broker.models import Order, OrderStatus
from ib_harness.broker.orders import UNACKED, OrderBook, ib_order_for, rejection_of, status_of
from ib_harness.broker.supervision import BrokerState
from ib_harness.broker.unconfirmed import Unconfirmed


def resend_on_ack_timeout(mp: pytest.MonkeyPatch) -> None:
    """No acknowledgement within the timeout: assume it never arrived and send it again (new id)."""
    async def send(self: OrderBook, order: Order, contract: Contract, order_id: int, ack_timeout: float,
                   query_timeout: float) -> Trade:
        trade = self.ib.placeOrder(contract, ib_order_for(self.backend, order, order_id))
        acked = await self._wait(order.key, lambda: trade.orderStatus.status not in UNACKED, ack_timeout)
        if not acked:
            order_id = self.next_order_id()
            self.journal.update_order(order.key, order_id=order_id, detail="resent after ack timeout")
            trade = self.ib.placeOrder(contract, ib_order_for(self.backend, order, order_id))
            await self._wait(order.key, lambda: trade.orderStatus.status not in UNACKED, ack_timeout)
        return trade
    mp.setattr(OrderBook, "_send", send)


def journal_intent_after_send(mp: pytest.MonkeyPatch) -> None:
    """Send first, journal second: a reused idempotency key is refused only after it went out."""
    async def place(self: OrderBook, order: Order, contract: Contract, ack_timeout: float,
                    query_timeout: float) -> Order:
        order_id = self.next_order_id()
        trade = self.ib.placeOrder(contract, ib_order_for(self.backend, order, order_id))
        try:
            self.journal.record_intent(order.key, order_id, order.symbol, order.side.value, order.quantity,
                                       order.order_type.value, order.limit_price, order.stop_price)
        except KeyReused as exc:
            raise OrderRejected(str(exc)) from None
        if not await self._wait(order.key, lambda: trade.orderStatus.status not in UNACKED, ack_timeout):
            trade = await self._confirm_unacked(order.key, trade, query_timeout)
        reason = rejection_of(trade)
        if status_of(trade) == OrderStatus.CANCELLED and reason and not trade.fills:
            raise OrderRejected(reason[0], reason[1])
        return self.to_model(order.key)
    mp.setattr(OrderBook, "place", place)


def no_fill_deduplication(mp: pytest.MonkeyPatch) -> None:
    """Every execDetails the broker sees is a new fill (reconcile re-reads them after a reconnect)."""
    def record_fill(self: Journal, exec_id: str, key: str | None, order_id: int | None, quantity: float,
                    price: float, when: str) -> bool:
        self.__dict__.setdefault("_every_fill", []).append(FillRecord(exec_id, key, order_id, quantity, price, when))
        return True

    def fills(self: Journal, key: str | None = None) -> list[FillRecord]:
        return [f for f in self.__dict__.get("_every_fill", []) if key is None or f.key == key]
    mp.setattr(Journal, "record_fill", record_fill)
    mp.setattr(Journal, "fills", fills)


def trust_rolled_back_next_valid_id(mp: pytest.MonkeyPatch) -> None:
    """The journal's id high-water mark is used in the first session only; after a reconnect the
    gateway's nextValidId is trusted (IB rolls it back after some restarts)."""
    def session_started(self: OrderBook) -> None:
        self.__dict__["_sessions"] = self.__dict__.get("_sessions", 0) + 1
        if self.__dict__["_sessions"] == 1:
            self.ib.client.updateReqId(self.journal.order_id_high_water() + 1)

    def next_order_id(self: OrderBook) -> int:
        if self.__dict__.get("_sessions", 0) <= 1:
            self.ib.client.updateReqId(self.journal.order_id_high_water() + 1)
        return self.ib.client.getReqId()
    mp.setattr(OrderBook, "session_started", session_started)
    mp.setattr(OrderBook, "next_order_id", next_order_id)


def ignore_1100_during_connect(mp: pytest.MonkeyPatch) -> None:
    """A 1100 that arrives while connecting or syncing is dropped: the broker goes READY on a
    gateway that has no connection to IB."""
    real: Callable[..., None] = IbErrorHandler._on_connectivity_lost

    def on_lost(self: IbErrorHandler, req_id: int, code: int, message: str) -> None:
        if self.broker.state in (BrokerState.CONNECTING, BrokerState.SYNCING, BrokerState.DISCONNECTED):
            return
        real(self, req_id, code, message)
    mp.setattr(IbErrorHandler, "_on_connectivity_lost", on_lost)


def rejected_modify_is_cancelled(mp: pytest.MonkeyPatch) -> None:
    """An error IB answers a modify with is taken for the order being cancelled: the journal says
    CANCELLED and the broker stops following the order (it is still working at IB)."""
    real_modify, real_status = OrderBook.modify, OrderBook._on_status

    async def modify(self: OrderBook, ref: str | int, timeout: float, quantity: float | None = None,
                     limit_price: float | None = None, stop_price: float | None = None) -> Order:
        trade = self.trade_for(ref)
        refused: list[int] = []

        def on_error(req_id: int, code: int, message: str, contract: Any) -> None:
            if req_id == trade.order.orderId:
                refused.append(code)
        self.ib.errorEvent += on_error
        try:
            result: Any = await real_modify(self, ref, timeout, quantity, limit_price, stop_price)
        finally:
            self.ib.errorEvent -= on_error
            if refused and not trade.fills:
                key = trade.order.orderRef
                self.__dict__.setdefault("_given_up", set()).add(key)
                self.journal.update_order(key, OrderStatus.CANCELLED.value, detail=f"modify refused ({refused[0]})")
        return result  # type: ignore[no-any-return]

    def on_status(self: OrderBook, trade: Trade) -> None:
        if trade.order.orderRef not in self.__dict__.get("_given_up", ()):
            real_status(self, trade)
    mp.setattr(OrderBook, "modify", modify)
    mp.setattr(OrderBook, "_on_status", on_status)


def open_order_status_ignored(mp: pytest.MonkeyPatch) -> None:
    """IB's status in an openOrder is not read for an order the library already tracks (both
    libraries drop it): with the orderStatus frames lost, an order working at IB stays unacknowledged
    and the ack timeout's lookup declares it NOT_SENT (found-unacked-order-declared-not-sent)."""
    mp.setattr(OrderBook, "_on_open_order_state", lambda self, order, state: None)


def modify_journals_new_terms_first(mp: pytest.MonkeyPatch) -> None:
    """The modify changes the library's order in place and journals the new terms before the send:
    when IB refuses it (110, a limit off the tick) the order keeps working at its old limit while the
    journal holds the new one (found-refused-modify-keeps-new-limit)."""
    async def modify(self: OrderBook, ref: str | int, timeout: float, quantity: float | None = None,
                     limit_price: float | None = None, stop_price: float | None = None) -> Order:
        trade = self.trade_for(ref)
        if trade.isDone():
            raise OrderRejected(f"order {ref} is {trade.orderStatus.status}; it cannot be modified")
        for name, value in (("totalQuantity", quantity), ("lmtPrice", limit_price), ("auxPrice", stop_price)):
            if value is not None:
                setattr(trade.order, name, value)
        key = trade.order.orderRef
        self.journal.update_order(key, detail="modify", quantity=quantity, limit_price=limit_price,
                                  stop_price=stop_price, durable=True)
        seen = self._echoes.get(key, 0)
        self.ib.placeOrder(trade.contract, trade.order)
        if not await self._wait(key, lambda: self._echoes.get(key, 0) > seen or trade.isDone(), timeout):
            raise BrokerTimeout("modify_order", timeout)
        return self.to_model(key)
    mp.setattr(OrderBook, "modify", modify)


def no_working_orders_check(mp: pytest.MonkeyPatch) -> None:
    """The broker never reads IB's orders again on a live session: a fill IB lost (a stall that
    drops what it held) is never journaled while the session lasts."""
    from ib_harness.broker.ib_broker import IBKRInsyncBroker
    mp.setattr(IBKRInsyncBroker, "_check_orders", lambda self, cause: None)


def order_lookup_waits_forever(mp: pytest.MonkeyPatch) -> None:
    """A lookup of IB's orders waits for its answer without a bound: one answer lost on a live
    session holds the lookup lock for ever, and every later lookup (reconcile, an unacked order's
    search) times out behind it."""
    from ib_harness.broker.adoption import GatewayOrders
    mp.setattr(GatewayOrders, "lookup_timeout", property(lambda self: None, lambda self, value: None), raising=False)


def not_sent_on_first_absence(mp: pytest.MonkeyPatch) -> None:
    """One complete answer of the gateway without the order is taken for proof that it never
    arrived: with the order's frames lost in that answer too, an order working at IB is declared
    NOT_SENT (found-lost-acks-and-lookup-order-declared-not-sent)."""
    mp.setattr(Unconfirmed, "evidence", lambda self, key: (1, True))


def modify_timeout_not_looked_up(mp: pytest.MonkeyPatch) -> None:
    """A modify that got no answer is left to the next reconnect: with only its openOrder echo
    lost, the journal keeps the old terms while IB works the new ones
    (found-lost-modify-echo-keeps-old-limit)."""
    mp.setattr(Unconfirmed, "modify_unanswered", lambda self, key: None)


def lost_execution_not_asked_again(mp: pytest.MonkeyPatch) -> None:
    """A filled order whose execDetails was lost waits for the next reconnect to get it: the
    journal lacks the fill while the session lives (found-lost-execution-of-filled-order-never-journaled)."""
    mp.setattr(Unconfirmed, "fills_missing", lambda self, key: None)


def applied_modify_not_journaled(mp: pytest.MonkeyPatch) -> None:
    """A modify seen applied only in an open-orders answer (no event) returns without journaling
    the new terms (found-modify-applied-in-look-up-answer-keeps-old-limit)."""
    mp.setattr(OrderBook, "_journal_applied", lambda self, trade: None)


def ended_open_order_ignored(mp: pytest.MonkeyPatch) -> None:
    """An openOrder saying an acknowledged order ended (Filled) is not acted on: with its orderStatus
    and execDetails lost the journal keeps it working (found-fill-with-status-and-execution-lost-stays-submitted)."""
    mp.setattr(Unconfirmed, "status_unseen", lambda self, key: None)


def cancel_timeout_not_looked_up(mp: pytest.MonkeyPatch) -> None:
    """A cancel that got no answer is left to the next reconnect: with its openOrder and orderStatus
    lost the journal keeps a cancelled order working (found-lost-cancel-answer-keeps-order-working).
    (It also removes the openOrder-says-ended defence, which this file does not need.)"""
    mp.setattr(Unconfirmed, "status_unseen", lambda self, key: None)


def jitter_from_zero(mp: pytest.MonkeyPatch) -> None:
    """Full jitter: a retry after uniform(0, ceiling), so a few retries can land within one second
    (found-jitter-from-zero-reconnect-storm)."""
    from ib_harness.broker.backoff import Backoff

    def next_delay(self: Backoff) -> float:
        delay = self._random.uniform(0, self.ceiling())
        self.attempt += 1
        return delay
    mp.setattr(Backoff, "next_delay", next_delay)


ORDER_MUTANTS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "resend-on-ack-timeout": resend_on_ack_timeout,
    "journal-intent-after-send": journal_intent_after_send,
    "no-fill-deduplication": no_fill_deduplication,
    "trust-rolled-back-next-valid-id": trust_rolled_back_next_valid_id,
    "ignore-1100-during-connect": ignore_1100_during_connect,
    "rejected-modify-is-cancelled": rejected_modify_is_cancelled,
    "open-order-status-ignored": open_order_status_ignored,
    "modify-journals-new-terms-first": modify_journals_new_terms_first,
    "no-working-orders-check": no_working_orders_check,
    "order-lookup-waits-forever": order_lookup_waits_forever,
    "jitter-from-zero": jitter_from_zero,
    "not-sent-on-first-absence": not_sent_on_first_absence,
    "modify-timeout-not-looked-up": modify_timeout_not_looked_up,
    "lost-execution-not-asked-again": lost_execution_not_asked_again,
    "applied-modify-not-journaled": applied_modify_not_journaled,
    "ended-open-order-ignored": ended_open_order_ignored,
    "cancel-timeout-not-looked-up": cancel_timeout_not_looked_up,
}
