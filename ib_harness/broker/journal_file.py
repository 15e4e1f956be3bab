"""The journal's file: made private (0600), owned by one process (an exclusive lock on
``<journal>.lock`` naming the owner's pid), opened in WAL mode; every way it cannot be used is a
JournalError naming the file."""

from __future__ import annotations

import errno
import fcntl
import os
import sqlite3
from pathlib import Path

from .errors import JournalError


def take_ownership(path: Path) -> int:
    """Make the directory, create the file 0600, and lock ``<path>.lock``; the lock's fd."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(path, f"cannot make its directory {path.parent}: {exc.strerror or exc}") from None
    lock_path = path.with_name(path.name + ".lock")
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except PermissionError:
        raise JournalError(path, "read-only (cannot open it, or its .lock, for writing)") from None
    except OSError as exc:
        raise JournalError(path, f"cannot open it: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        owner = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise JournalError(path, f"in use by another process (pid {owner}) or another Journal of this one; "
                                     "one broker owns a journal at a time") from None
        raise JournalError(path, f"cannot lock {lock_path}: {exc.strerror or exc}") from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd


def open_database(path: Path, synchronous: str, schema: str) -> sqlite3.Connection:
    """Open the database in WAL mode with ``synchronous``; a JournalError when SQLite cannot."""
    if synchronous not in ("FULL", "NORMAL", "EXTRA"):
        raise ValueError(f"synchronous must be FULL, NORMAL or EXTRA, not {synchronous!r}")
    db = sqlite3.connect(str(path), isolation_level=None)
    try:
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={synchronous}")
        db.executescript(schema)
        if "tif" not in {row["name"] for row in db.execute("PRAGMA table_info(orders)")}:
            db.execute("ALTER TABLE orders ADD COLUMN tif TEXT NOT NULL DEFAULT 'DAY'")  # older journals
    except sqlite3.DatabaseError as exc:
        db.close()
        text = str(exc)
        if "readonly" in text or "read-only" in text:
            raise JournalError(path, f"read-only ({text})") from None
        raise JournalError(path, f"{text} (corrupt, or not an order journal)") from None
    return db
