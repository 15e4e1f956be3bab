"""One placement per Idempotency-Key, even when two requests with the same key race.

The journal is the record of every key ever used (it survives restarts); a per-key lock makes
"look the key up, else place" atomic within this process, so the second of two concurrent
requests waits for the first and then finds its order instead of placing another.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import AsyncIterator


class KeyLocks:
    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._holders: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._holders[key] = self._holders.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._holders[key] -= 1
            if not self._holders[key]:
                del self._holders[key]
                self._locks.pop(key, None)

    def __len__(self) -> int:
        return len(self._locks)
