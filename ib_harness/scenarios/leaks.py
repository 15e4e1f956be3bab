"""Count what a replay may leave behind: asyncio tasks and open sockets of this process (on the
virtual loop: its in-memory connections)."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Census:
    tasks: int
    sockets: int


def open_sockets() -> int:
    """Sockets among this process's file descriptors (Linux /proc; 0 where it is unavailable)."""
    count = 0
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return 0
    for name in names:
        try:
            if os.readlink(f"/proc/self/fd/{name}").startswith("socket:"):
                count += 1
        except OSError:
            continue
    return count


def open_connections() -> int:
    """Sockets, or on the virtual loop the in-memory network's live connection ends."""
    network = getattr(asyncio.get_running_loop(), "network", None)
    return len(network.connections) if network is not None else open_sockets()


def census() -> Census:
    current = asyncio.current_task()
    return Census(tasks=sum(1 for t in asyncio.all_tasks() if t is not current and not t.done()),
                  sockets=open_connections())


async def settle(baseline: Census, timeout: float = 2.0) -> Census:
    """Wait (up to ``timeout``) until tasks and sockets are back to ``baseline``; return the count.

    Closing transports and cancelled tasks finish a few loop turns later, so one look right after
    teardown would report leaks that are not there.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        now = census()
        if (now.tasks <= baseline.tasks and now.sockets <= baseline.sockets) or loop.time() > deadline:
            return now
        await asyncio.sleep(0.01)


def leaked_task_names(limit: int = 5) -> list[str]:
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    return [t.get_coro().__qualname__ if t.get_coro() is not None else t.get_name()  # type: ignore[union-attr]
            for t in tasks[:limit]]
