"""The journal's write timing: the intent is on disk before the send, status changes follow
within a loop turn (batched), reads see them at once, and a key is never journaled twice."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from ib_harness.broker.journal import Journal, KeyReused


def on_disk(path: Path, key: str) -> tuple[str, int] | None:
    """What another connection (a restarted process) reads for ``key``."""
    with sqlite3.connect(str(path)) as db:
        row = db.execute("SELECT status, acknowledged FROM orders WHERE key=?", (key,)).fetchone()
    return None if row is None else (row[0], row[1])


async def test_intent_is_on_disk_at_once_and_status_changes_within_a_loop_turn(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    journal.record_intent("k1", 7, "AAPL", "BUY", 2, "LIMIT", 90.0, None)
    assert on_disk(path, "k1") == ("PENDING", 0)  # committed before the caller can send
    journal.update_order("k1", "SUBMITTED", detail="Submitted", perm_id=99, acknowledged=True)
    record = journal.order("k1")
    assert record is not None and record.status == "SUBMITTED" and record.perm_id == 99  # seen at once
    assert on_disk(path, "k1") == ("PENDING", 0)  # the write is batched after the waiter runs
    for _ in range(3):
        await asyncio.sleep(0)
    assert on_disk(path, "k1") == ("SUBMITTED", 1)
    assert [s for _, s, _ in journal.order_events("k1")] == ["PENDING", "SUBMITTED"]
    journal.close()


async def test_reads_of_the_database_flush_pending_changes_first(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    journal.record_intent("k1", 7, "AAPL", "BUY", 2, "LIMIT", 90.0, None)
    journal.record_intent("k2", 8, "AAPL", "SELL", 1, "MARKET", None, None)
    journal.update_order("k1", "FILLED", filled=2.0, acknowledged=True)
    assert [(r.key, r.status) for r in journal.orders(["FILLED"])] == [("k1", "FILLED")]
    found = journal.order_by_id(8)
    assert found is not None and found.key == "k2"
    journal.close()


async def test_a_durable_change_is_on_disk_before_update_returns(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    journal.record_intent("k1", 7, "AAPL", "BUY", 2, "LIMIT", 90.0, None)
    journal.update_order("k1", "PENDING", order_id=12, durable=True, detail="IB 103: retry with id 12")
    with sqlite3.connect(str(path)) as db:
        assert db.execute("SELECT order_id FROM orders WHERE key='k1'").fetchone() == (12,)
    journal.close()
    again = Journal(path)
    assert again.order_id_high_water() == 12  # the new id counts after a restart
    again.close()


def test_a_reused_key_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    journal.record_intent("k1", 7, "AAPL", "BUY", 2, "LIMIT", 90.0, None)
    with pytest.raises(KeyReused, match="k1"):
        journal.record_intent("k1", 8, "AAPL", "BUY", 2, "LIMIT", 90.0, None)
    journal.close()
    again = Journal(path)  # a new process: the key is only in the database, not in memory
    with pytest.raises(KeyReused, match="k1"):
        again.record_intent("k1", 9, "AAPL", "BUY", 2, "LIMIT", 90.0, None)
    record = again.order("k1")
    assert record is not None and record.order_id == 7
    again.close()


def test_a_journal_from_before_keeps_its_recorded_high_water_mark(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    with sqlite3.connect(str(path)) as db:  # what an older journal recorded beside its orders
        db.execute("INSERT INTO meta(name, value) VALUES('order_id_high_water', 300)")
    old = Journal(path)
    assert old.order_id_high_water() == 300
    old.close()
