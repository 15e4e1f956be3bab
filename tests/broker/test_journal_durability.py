"""The journal is durable (fsync before the send), owned by one process, private (0600), and a
journal that cannot be used is a clear error naming the file (exit 2 from ``ib-harness api``)."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ib_harness.broker.errors import JournalError
from ib_harness.broker.journal import Journal

ROOT = Path(__file__).resolve().parents[2]
OPEN_IN_CHILD = "import sys; from ib_harness.broker.journal import Journal; Journal(sys.argv[1]).close(); print('opened')"


async def test_the_intent_and_fills_are_committed_with_fsync_status_batches_without(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    statements: list[str] = []
    journal._db.set_trace_callback(statements.append)

    def sync_mode_of_last_commit() -> str:
        modes = [s for s in statements if s.startswith("PRAGMA synchronous")]
        return modes[-1].split("=")[1] if modes else "FULL"  # the mode the journal opened with

    try:
        assert journal._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        journal.record_intent("k1", 1, "AAPL", "BUY", 1, "LIMIT", 90.0, None)
        assert any(s.startswith("INSERT INTO orders") for s in statements) and sync_mode_of_last_commit() == "FULL"
        journal.update_order("k1", "SUBMITTED", perm_id=5)
        await asyncio.sleep(0.01)  # the batched status change is written a loop turn later
        assert any(s.startswith("UPDATE orders") for s in statements) and sync_mode_of_last_commit() == "NORMAL"
        journal.record_fill("e1", "k1", 1, 1, 90.0, "t")
        assert any(s.startswith("INSERT OR IGNORE INTO fills") for s in statements) and sync_mode_of_last_commit() == "FULL"
        journal.update_order("k1", "PENDING", order_id=9, durable=True)
        assert sync_mode_of_last_commit() == "FULL"
    finally:
        journal.close()


def test_the_journal_and_its_wal_are_private_to_the_owner(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    old = os.umask(0o022)
    try:
        journal = Journal(path)
    finally:
        os.umask(old)
    journal.record_intent("k1", 1, "AAPL", "BUY", 1, "LIMIT", 90.0, None)
    try:
        for file in (path, Path(str(path) + "-wal")):
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    finally:
        journal.close()


def test_a_second_process_on_the_same_journal_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    try:
        child = subprocess.run([sys.executable, "-c", OPEN_IN_CHILD, str(path)], cwd=ROOT, capture_output=True,
                               text=True, timeout=60)
        assert child.returncode != 0 and "opened" not in child.stdout
        assert "JournalError" in child.stderr and str(path) in child.stderr
        assert f"in use by another process (pid {os.getpid()})" in child.stderr
    finally:
        journal.close()
    child = subprocess.run([sys.executable, "-c", OPEN_IN_CHILD, str(path)], cwd=ROOT, capture_output=True,
                           text=True, timeout=60)
    assert child.stdout.strip() == "opened", child.stderr  # free again once closed


def test_a_second_journal_on_the_same_file_in_one_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal = Journal(path)
    try:
        with pytest.raises(JournalError, match="in use by another"):
            Journal(path)
    finally:
        journal.close()
    Journal(path).close()


def test_a_corrupt_journal_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"this is not a database at all, " * 200)
    with pytest.raises(JournalError) as caught:
        Journal(path)
    assert str(path) in str(caught.value) and "not a database" in str(caught.value)
    Journal(tmp_path / "other.sqlite3").close()  # nothing left locked or open by the failure
    path.unlink()
    Journal(path).close()


def test_a_directory_that_cannot_be_made_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    path = tmp_path / "afile" / "journal.sqlite3"
    with pytest.raises(JournalError) as caught:
        Journal(path)
    assert str(path) in str(caught.value) and "directory" in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway; the check cannot fail as root")
def test_a_read_only_journal_is_a_clear_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    path.chmod(0o400)
    with pytest.raises(JournalError) as caught:
        Journal(path)
    assert str(path) in str(caught.value) and "read-only" in str(caught.value)


def test_a_database_that_is_not_a_journal_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with sqlite3.connect(str(path)) as db:  # a database with a table the journal cannot use
        db.execute("CREATE TABLE orders (key TEXT PRIMARY KEY)")
    with pytest.raises(JournalError) as caught:
        Journal(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("problem", ["corrupt", "locked"])
def test_ib_harness_api_exits_2_naming_an_unusable_journal(tmp_path: Path, problem: str) -> None:
    path = tmp_path / "journal.sqlite3"
    holder = None
    if problem == "corrupt":
        path.write_bytes(b"garbage" * 1000)
    else:
        holder = Journal(path)
    try:
        done = subprocess.run([sys.executable, "-m", "ib_harness", "api", "--journal", str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    finally:
        if holder is not None:
            holder.close()
    assert done.returncode == 2, done.stderr[-2000:]
    assert str(path) in done.stderr and "Traceback" not in done.stderr
