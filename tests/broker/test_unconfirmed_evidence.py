"""The evidence rule for NOT_SENT (broker/unconfirmed.py), on a controlled clock: three complete
answers without the order, spread over ``absent_after`` seconds from the first such answer."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from ib_harness.broker import unconfirmed as module
from ib_harness.broker.events import EventBus
from ib_harness.broker.journal import Journal
from ib_harness.broker.metrics import BrokerMetrics
from ib_harness.broker.unconfirmed import Unconfirmed


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1000.0]
    monkeypatch.setattr(module, "_now", lambda: now[0])
    return now


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Unconfirmed]:
    journal = Journal(tmp_path / "journal.sqlite3")
    journal.record_intent("ibh-k", 7, "AAPL", "BUY", 1, "LIMIT", 90.0, None)
    yield Unconfirmed(journal, EventBus(), BrokerMetrics(), absent_after=30.0)
    journal.close()


def test_three_quick_answers_prove_nothing_until_the_window_has_passed(book: Unconfirmed, clock: list[float]) -> None:
    for _ in range(3):
        assert book.absent("ibh-k", 7, "test") is False
        clock[0] += 5
    assert "ibh-k" in book and book.journal.order("ibh-k").status == "PENDING"  # type: ignore[union-attr]
    clock[0] += 15  # 30 s after the first answer without it
    assert book.absent("ibh-k", 7, "test") is True
    assert "ibh-k" not in book and book.journal.order("ibh-k").status == "NOT_SENT"  # type: ignore[union-attr]


def test_the_window_starts_at_the_first_answer_without_the_order_not_at_the_first_doubt(
        book: Unconfirmed, clock: list[float]) -> None:
    book.waiting("ibh-k")  # e.g. the ack timeout's look-up got no answer
    clock[0] += 60
    for _ in range(3):
        assert book.absent("ibh-k", 7, "test") is False
        clock[0] += 10
    assert book.absent("ibh-k", 7, "test") is True  # the fourth, 30 s after the first


def test_a_modify_doubt_is_not_settled_by_a_placement_status(book: Unconfirmed, clock: list[float]) -> None:
    book.modify_unanswered("ibh-k")
    book.settled("ibh-k", "placement")
    assert "ibh-k" in book and book.to_ask() == ["ibh-k"]
    book.settled("ibh-k")
    assert book.to_ask() == []
