"""Mutants of the broker: each removes one defence, from the test side (monkeypatching the broker's
classes; the broker itself is not edited). The suite has teeth when every mutant makes at least one
scenario fail with a message that points at what the mutant removed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

import ib_harness.broker.ib_broker as ib_broker_module
from ib_harness.broker.backoff import Backoff
from ib_harness.broker.error_handling import IbErrorHandler
from ib_harness.broker.orders import OrderBook
from ib_harness.broker.probe import Keepalive
from ib_harness.scenarios.loader import LIBRARY

LOCAL = Path(__file__).parent / "scenarios"


@dataclass(frozen=True)
class Mutant:
    name: str
    removes: str
    apply: Callable[[pytest.MonkeyPatch], None]
    scenario: Path
    # the failed expectation(s) must mention one of these: the symptom that points at the cause
    symptoms: tuple[str, ...]
    # and the runner's explanation (expectations and timeline) must show this
    evidence: str = ""


def _probe_off(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(Keepalive, "start", lambda self: None)


def _no_resubscribe_on_1101(mp: pytest.MonkeyPatch) -> None:
    def restored_only(self: IbErrorHandler, req_id: int, code: int, message: str) -> None:
        self._restored(code)
    mp.setattr(IbErrorHandler, "_on_restored_data_lost", restored_only)


def _no_account_refresh_on_2100(mp: pytest.MonkeyPatch) -> None:
    def mark_stale_only(self: IbErrorHandler, req_id: int, code: int, message: str) -> None:
        self.broker.account_stale = True
    mp.setattr(IbErrorHandler, "_on_account_unsubscribed", mark_stale_only)


def _no_reconcile_after_reconnect(mp: pytest.MonkeyPatch) -> None:
    real = ib_broker_module.reconcile
    sessions: dict[int, int] = {}

    def first_session_only(ib: Any, journal: Any, book: Any) -> dict[str, int]:
        sessions[id(book)] = sessions.get(id(book), 0) + 1
        return real(ib, journal, book) if sessions[id(book)] == 1 else {}
    mp.setattr(ib_broker_module, "reconcile", first_session_only)


def _order_ids_from_next_valid_id(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(OrderBook, "next_order_id", lambda self: self.ib.client.getReqId())
    mp.setattr(OrderBook, "session_started", lambda self: None)


def _no_backoff(mp: pytest.MonkeyPatch) -> None:
    def at_once(self: Backoff) -> float:
        self.attempt += 1
        return 0.0
    mp.setattr(Backoff, "next_delay", at_once)


MUTANTS = [
    Mutant("probe-off", "the keepalive probe", _probe_off, LIBRARY / "silent-stall.yaml",
           ("detection",)),
    Mutant("no-resubscribe-on-1101", "resubscription after 1101", _no_resubscribe_on_1101,
           LOCAL / "data-lost-resubscribe.yaml", ("market_data",), "stayed"),
    Mutant("no-account-refresh-on-2100", "reqAccountUpdates after 2100", _no_account_refresh_on_2100,
           LOCAL / "account-2100-moving.yaml", ("account_fresh",), "stayed"),
    Mutant("no-reconcile-after-reconnect", "reconciliation after a reconnect", _no_reconcile_after_reconnect,
           LIBRARY / "order-fill-while-disconnected.yaml", ("order_status", "orders")),
    Mutant("order-ids-from-next-valid-id", "the order id high-water mark", _order_ids_from_next_valid_id,
           LOCAL / "order-id-rollback.yaml", ("order_status", "orders")),
    Mutant("no-backoff", "the reconnect backoff", _no_backoff, LOCAL / "reconnect-storm.yaml",
           ("broker_state",), "-> circuit_open"),
]
