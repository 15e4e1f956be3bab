"""The order journal: SQLite in WAL mode, written before every send and after every change.

The intent row is committed before placeOrder leaves the process, so a crash between the two is
visible at the next start (status PENDING, never acknowledged) and reconcile decides from IB's
own records whether it was sent. The order-id high-water mark lives here too, so a restarted
process never reuses an id even when the gateway's nextValidId went backwards.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

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
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS order_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
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


@dataclass(frozen=True)
class FillRecord:
    exec_id: str
    key: str | None
    order_id: int | None
    quantity: float
    price: float
    time: str


class Journal:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(self.path), isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL + NORMAL: a commit survives the process being killed (the failure this journal is
        # for); only an OS crash can lose the last commits. FULL would fsync every order.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    # ----- order ids ------------------------------------------------------------------------------

    def order_id_high_water(self) -> int:
        row = self._db.execute("SELECT value FROM meta WHERE name='order_id_high_water'").fetchone()
        return int(row["value"]) if row else 0

    def _raise_high_water(self, order_id: int) -> None:
        self._db.execute(
            "INSERT INTO meta(name, value) VALUES('order_id_high_water', ?) "
            "ON CONFLICT(name) DO UPDATE SET value=max(value, excluded.value)", (order_id,))

    # ----- orders ---------------------------------------------------------------------------------

    def record_intent(self, key: str, order_id: int, symbol: str, side: str, quantity: float,
                      order_type: str, limit_price: float | None, stop_price: float | None) -> None:
        """Commit the intent (and the id) before the order is sent; a reused key is an error."""
        now = time.time()
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO orders(key, order_id, symbol, side, quantity, order_type, limit_price, stop_price,"
                " status, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,'PENDING',?,?)",
                (key, order_id, symbol, side, quantity, order_type, limit_price, stop_price, now, now))
            self._db.execute("INSERT INTO order_events(key, at, status, detail) VALUES(?,?,?,?)",
                             (key, now, "PENDING", f"intent order_id={order_id}"))
            self._raise_high_water(order_id)

    def update_order(self, key: str, status: str | None = None, detail: str = "",
                     current: OrderRecord | None = None, **fields: Any) -> bool:
        """Apply fields (order_id, perm_id, filled, avg_fill_price, acknowledged, quantity, prices);
        a status change is also appended to order_events. Returns False for an unknown key."""
        allowed = {"order_id", "perm_id", "filled", "avg_fill_price", "acknowledged", "quantity",
                   "limit_price", "stop_price"}
        bad = set(fields) - allowed
        if bad:
            raise ValueError(f"journal.update_order: unknown fields {sorted(bad)}")
        current = current or self.order(key)
        if current is None:
            return False
        now = time.time()
        changes = {k: v for k, v in fields.items() if v is not None and getattr(current, k) != v}
        if status is not None and status != current.status:
            changes["status"] = status
        if not changes:
            return True
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            assignments = ", ".join(f"{name}=?" for name in changes)
            self._db.execute(f"UPDATE orders SET {assignments}, updated_at=? WHERE key=?",
                             (*changes.values(), now, key))
            if "status" in changes:
                self._db.execute("INSERT INTO order_events(key, at, status, detail) VALUES(?,?,?,?)",
                                 (key, now, changes["status"], detail))
            if changes.get("order_id"):
                self._raise_high_water(int(changes["order_id"]))
        return True

    def order(self, key: str) -> OrderRecord | None:
        row = self._db.execute("SELECT * FROM orders WHERE key=?", (key,)).fetchone()
        return _order(row) if row else None

    def order_by_id(self, order_id: int) -> OrderRecord | None:
        row = self._db.execute("SELECT * FROM orders WHERE order_id=? ORDER BY created_at DESC",
                               (order_id,)).fetchone()
        return _order(row) if row else None

    def orders(self, statuses: Iterable[str] | None = None) -> list[OrderRecord]:
        if statuses is None:
            rows = self._db.execute("SELECT * FROM orders ORDER BY created_at").fetchall()
        else:
            wanted = list(statuses)
            marks = ",".join("?" for _ in wanted)
            rows = self._db.execute(f"SELECT * FROM orders WHERE status IN ({marks}) ORDER BY created_at",
                                    wanted).fetchall()
        return [_order(row) for row in rows]

    def order_events(self, key: str) -> list[tuple[float, str, str]]:
        rows = self._db.execute("SELECT at, status, detail FROM order_events WHERE key=? ORDER BY id", (key,))
        return [(row["at"], row["status"], row["detail"]) for row in rows]

    # ----- fills ----------------------------------------------------------------------------------

    def record_fill(self, exec_id: str, key: str | None, order_id: int | None, quantity: float,
                    price: float, when: str) -> bool:
        """Insert a fill once; a duplicated execDetails (same execId) returns False and changes nothing."""
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


def _order(row: sqlite3.Row) -> OrderRecord:
    values = dict(row)
    values["acknowledged"] = bool(values["acknowledged"])
    return OrderRecord(**values)
