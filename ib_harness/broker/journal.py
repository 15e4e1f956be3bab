"""The order journal: SQLite in WAL mode, written before every send and after every change.

The intent row is committed before placeOrder leaves the process, so a crash between the two is
visible at the next start (status PENDING, never acknowledged) and reconcile decides from IB's
own records whether it was sent. The order-id high-water mark lives here too, so a restarted
process never reuses an id even when the gateway's nextValidId went backwards.

Status changes after the send are applied at once to an in-memory copy of each record and
written one loop turn later, batched into one transaction (with the next intent when one comes
first): a waiter woken by the acknowledgement does not wait for the disk, every read of the
database sees them, and a process killed in that turn loses nothing reconcile cannot rebuild from
the gateway. A change that must precede a send (a new order id, a modify) is written at once.

Durable means on disk: what must precede a send (the intent, a new order id, a modify request)
and every fill are committed with synchronous=FULL, fsynced, so they survive an OS crash or a power
loss, not only a killed process; the batched status changes after a send are committed without
their own fsync (the next durable commit syncs them along, and reconcile rebuilds them from the
gateway), which keeps a second fsync off each order's round trip. One owner at a
time: an exclusive lock on ``<journal>.lock`` (held until close, released by the kernel if the
process dies), so a second process, or a second Journal in this one, gets JournalError naming
the owner's pid. The file and its lock are created 0600 (SQLite gives its -wal and -shm files the
database's mode). A journal that cannot be used is a JournalError naming the file.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from .errors import JournalError
from .journal_file import open_database, take_ownership

# Each commit writes every page it touched to the WAL: orders is one b-tree keyed by its key
# (WITHOUT ROWID), order_events has no AUTOINCREMENT (rows are never deleted, so its ids still
# only grow) and needs no sqlite_sequence page. Journals created before keep their tables.
SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    key TEXT PRIMARY KEY,
    order_id INTEGER,
    perm_id INTEGER,
    symbol TEXT NOT NULL,
    side TEXT NOT NULL,
    quantity REAL NOT NULL,
    order_type TEXT NOT NULL,
    limit_price REAL,
    stop_price REAL,
    status TEXT NOT NULL,
    filled REAL NOT NULL DEFAULT 0,
    avg_fill_price REAL,
    acknowledged INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    tif TEXT NOT NULL DEFAULT 'DAY'
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS order_events (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at REAL NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS fills (
    exec_id TEXT PRIMARY KEY,
    key TEXT,
    order_id INTEGER,
    quantity REAL NOT NULL,
    price REAL NOT NULL,
    time TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""

UPDATABLE = frozenset({"order_id", "perm_id", "filled", "avg_fill_price", "acknowledged", "quantity",
                       "limit_price", "stop_price"})


class KeyReused(ValueError):
    """An intent with a key that is already in the journal: an order is never sent twice."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"order key {key} was already used; an order is never sent twice")


@dataclass(frozen=True)
class _Change:
    """A pending write: fields of one order, and the order_events row of a status change."""
    key: str
    at: float
    fields: dict[str, Any]
    detail: str
    event_status: str | None


@dataclass(frozen=True)
class OrderRecord:
    key: str
    order_id: int | None
    perm_id: int | None
    symbol: str
    side: str
    quantity: float
    order_type: str
    limit_price: float | None
    stop_price: float | None
    status: str
    filled: float
    avg_fill_price: float | None
    acknowledged: bool
    created_at: float
    updated_at: float
    tif: str = "DAY"  # part of what an Idempotency-Key promises (a repeat with another tif is refused)


@dataclass(frozen=True)
class FillRecord:
    exec_id: str
    key: str | None
    order_id: int | None
    quantity: float
    price: float
    time: str


class Journal:
    def __init__(self, path: str | Path, synchronous: str = "FULL") -> None:
        """``synchronous``: the mode of the durable commits. FULL (the default) fsyncs them;
        NORMAL survives a killed process but not an OS crash (what this journal used before, kept
        for the benchmark's side-by-side figure)."""
        self.path = Path(path)
        self._closed = True
        self._lock_fd = take_ownership(self.path)
        self._durable_mode = self._sync_mode = synchronous
        try:
            self._db = open_database(self.path, synchronous, SCHEMA)
        except BaseException:
            os.close(self._lock_fd)
            raise
        self._records: dict[str, OrderRecord] = {}  # this process's view; the database follows
        self._pending: list[_Change] = []
        self._flush_scheduled = False
        self._commits = 0
        # the orders table holds every id ever sent (meta: what journals before it recorded)
        try:
            row = self._db.execute("SELECT max(coalesce((SELECT max(order_id) FROM orders), 0),"
                                   " coalesce((SELECT value FROM meta WHERE name='order_id_high_water'), 0))"
                                   " AS high").fetchone()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            os.close(self._lock_fd)
            raise JournalError(self.path, f"not an order journal this broker can use ({exc})") from None
        self._high_water = int(row["high"])
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            try:
                self.flush(durable=True)
            finally:
                self._closed = True
                self._db.close()
                os.close(self._lock_fd)  # the lock goes with it

    # ----- writing --------------------------------------------------------------------------------

    def flush(self, durable: bool = False) -> None:
        """Write the pending changes now, in one transaction (fsynced with ``durable``)."""
        if self._pending and not self._closed:
            self._commit(durable=durable)

    def _sync(self, durable: bool) -> None:
        mode = self._durable_mode if durable else "NORMAL"
        if mode != self._sync_mode:
            self._db.execute(f"PRAGMA synchronous={mode}")
            self._sync_mode = mode

    def _commit(self, *statements: tuple[str, tuple[Any, ...]], durable: bool = False) -> None:
        """One transaction: the pending changes, then ``statements``. On an error nothing is
        written and the changes stay pending."""
        self._sync(durable)
        pending = self._pending
        self._commits += 1  # a flush scheduled before this commit has nothing left to do
        self._flush_scheduled = False
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for change in pending:
                if change.fields:
                    assignments = ", ".join(f"{name}=?" for name in change.fields)
                    self._db.execute(f"UPDATE orders SET {assignments}, updated_at=? WHERE key=?",
                                     (*change.fields.values(), change.at, change.key))
                if change.event_status is not None:
                    self._db.execute("INSERT INTO order_events(key, at, status, detail) VALUES(?,?,?,?)",
                                     (change.key, change.at, change.event_status, change.detail))
            for sql, args in statements:
                self._db.execute(sql, args)
        del pending[:]

    def _schedule_flush(self) -> None:
        if self._flush_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop: nothing to batch with
            self.flush()
            return
        self._flush_scheduled = True
        # two hops: after the callbacks already due, such as the task woken by this very change
        loop.call_soon(loop.call_soon, self._scheduled_flush, self._commits)

    def _scheduled_flush(self, commits: int) -> None:
        if commits == self._commits:  # otherwise a commit took the changes along meanwhile
            self.flush()

    # ----- order ids ------------------------------------------------------------------------------

    def order_id_high_water(self) -> int:
        return self._high_water

    # ----- orders ---------------------------------------------------------------------------------

    def record_intent(self, key: str, order_id: int, symbol: str, side: str, quantity: float,
                      order_type: str, limit_price: float | None, stop_price: float | None,
                      tif: str = "DAY") -> None:
        """Commit the intent (its row, with the id) before the order is sent, together with any
        pending changes; its order_events row follows with the next batch. A reused key raises
        KeyReused."""
        if key in self._records:
            raise KeyReused(key)
        now = time.time()
        try:
            self._commit(
                ("INSERT INTO orders(key, order_id, symbol, side, quantity, order_type, limit_price, stop_price,"
                 " status, created_at, updated_at, tif) VALUES(?,?,?,?,?,?,?,?,'PENDING',?,?,?)",
                 (key, order_id, symbol, side, quantity, order_type, limit_price, stop_price, now, now, tif)),
                durable=True)
        except sqlite3.IntegrityError:
            raise KeyReused(key) from None
        self._high_water = max(self._high_water, order_id)
        # written with this order's first status change (or any read or close), not while it is in flight
        self._pending.append(_Change(key, now, {}, f"intent order_id={order_id}", "PENDING"))
        self._records[key] = OrderRecord(key, order_id, None, symbol, side, float(quantity), order_type,
                                         limit_price, stop_price, "PENDING", 0.0, None, False, now, now, tif)

    def adopt(self, key: str, order_id: int | None, perm_id: int | None, symbol: str, side: str, quantity: float,
              order_type: str, limit_price: float | None, stop_price: float | None, status: str, filled: float,
              avg_fill_price: float | None, detail: str, tif: str = "DAY") -> bool:
        """Journal an order found at the gateway that this journal did not hold (durably); False
        when the key is known."""
        if self.order(key) is not None:
            return False
        now = time.time()
        self._commit(
            ("INSERT INTO orders(key, order_id, perm_id, symbol, side, quantity, order_type, limit_price, stop_price,"
             " status, filled, avg_fill_price, acknowledged, created_at, updated_at, tif)"
             " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)",
             (key, order_id, perm_id, symbol, side, quantity, order_type, limit_price, stop_price, status, filled,
              avg_fill_price, now, now, tif)),
            ("INSERT INTO order_events(key, at, status, detail) VALUES(?,?,?,?)", (key, now, status, detail)),
            durable=True)
        if order_id:
            self._high_water = max(self._high_water, order_id)
        self._records[key] = OrderRecord(key, order_id, perm_id, symbol, side, float(quantity), order_type,
                                         limit_price, stop_price, status, float(filled), avg_fill_price, True,
                                         now, now, tif)
        return True

    def update_order(self, key: str, status: str | None = None, detail: str = "",
                     durable: bool = False, **fields: Any) -> bool:
        """Apply fields (order_id, perm_id, filled, avg_fill_price, acknowledged, quantity, prices);
        a status change is also appended to order_events. Written within a loop turn, or before
        returning with ``durable`` (what must be on disk before a send). False for an unknown key."""
        bad = set(fields) - UPDATABLE
        if bad:
            raise ValueError(f"journal.update_order: unknown fields {sorted(bad)}")
        current = self.order(key)
        if current is None:
            return False
        changes = {k: v for k, v in fields.items() if v is not None and getattr(current, k) != v}
        if status is not None and status != current.status:
            changes["status"] = status
        if changes:
            now = time.time()
            self._records[key] = _with(current, updated_at=now, **changes)
            self._pending.append(_Change(key, now, changes, detail, changes.get("status")))
            if changes.get("order_id"):
                self._high_water = max(self._high_water, int(changes["order_id"]))
        if durable:
            self.flush(durable=True)
        elif changes:
            self._schedule_flush()
        return True

    def note(self, key: str, detail: str, durable: bool = False) -> bool:
        """An order_events row with the order's current status and ``detail`` (e.g. a modify
        requested or refused), fields unchanged. False for an unknown key."""
        current = self.order(key)
        if current is None:
            return False
        self._pending.append(_Change(key, time.time(), {}, detail, current.status))
        if durable:
            self.flush(durable=True)
        else:
            self._schedule_flush()
        return True

    def order(self, key: str) -> OrderRecord | None:
        record = self._records.get(key)
        if record is None:
            row = self._db.execute("SELECT * FROM orders WHERE key=?", (key,)).fetchone()
            if row is None:
                return None
            record = self._records[key] = _order(row)
        return record

    def order_by_id(self, order_id: int) -> OrderRecord | None:
        self.flush()
        row = self._db.execute("SELECT key FROM orders WHERE order_id=? ORDER BY created_at DESC",
                               (order_id,)).fetchone()
        return self.order(row["key"]) if row else None

    def orders(self, statuses: Iterable[str] | None = None) -> list[OrderRecord]:
        self.flush()
        if statuses is None:
            rows = self._db.execute("SELECT * FROM orders ORDER BY created_at").fetchall()
        else:
            wanted = list(statuses)
            marks = ",".join("?" for _ in wanted)
            rows = self._db.execute(f"SELECT * FROM orders WHERE status IN ({marks}) ORDER BY created_at",
                                    wanted).fetchall()
        return [_order(row) for row in rows]

    def adopted(self, key: str) -> bool:
        """Whether this journal took the order from the gateway (adopt) rather than placing it."""
        events = self.order_events(key)
        return bool(events) and events[0][2].startswith("adopted")

    def order_events(self, key: str) -> list[tuple[float, str, str]]:
        self.flush()
        rows = self._db.execute("SELECT at, status, detail FROM order_events WHERE key=? ORDER BY id", (key,))
        return [(row["at"], row["status"], row["detail"]) for row in rows]

    # ----- fills ----------------------------------------------------------------------------------

    def record_fill(self, exec_id: str, key: str | None, order_id: int | None, quantity: float,
                    price: float, when: str) -> bool:
        """Insert a fill once (durably); a duplicated execDetails (same execId) returns False and changes nothing."""
        self._sync(durable=True)
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO fills(exec_id, key, order_id, quantity, price, time) VALUES(?,?,?,?,?,?)",
            (exec_id, key, order_id, quantity, price, when))
        return cursor.rowcount == 1

    def fills(self, key: str | None = None) -> list[FillRecord]:
        if key is None:
            rows = self._db.execute("SELECT * FROM fills ORDER BY rowid").fetchall()
        else:
            rows = self._db.execute("SELECT * FROM fills WHERE key=? ORDER BY rowid", (key,)).fetchall()
        return [FillRecord(**dict(row)) for row in rows]


def _with(record: OrderRecord, **changes: Any) -> OrderRecord:
    """dataclasses.replace without re-running the frozen __init__ (values come from the journal)."""
    copy = object.__new__(OrderRecord)
    copy.__dict__.update(record.__dict__, **changes)
    return copy


def _order(row: sqlite3.Row) -> OrderRecord:
    values = dict(row)
    values["acknowledged"] = bool(values["acknowledged"])
    return OrderRecord(**values)
