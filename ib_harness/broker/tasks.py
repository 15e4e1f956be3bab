"""A component's background task: the probe and the sync-gap retries start and end theirs the same way."""

from __future__ import annotations

import asyncio
from typing import Any, Coroutine


def cancel(task: asyncio.Task[None] | None) -> None:
    """Cancel ``task`` unless it is the one running now (a task may stop its own component)."""
    if task is not None and task is not asyncio.current_task():
        task.cancel()


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Cancel ``task`` until it is done (it may swallow one cancellation while it cleans up)."""
    while task is not None and not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.1)


class TaskSlot:
    """A component's one background task: starting it again stops the old one; ``release`` lets the
    task end itself without being cancelled by what it calls next (a stop from its own callback)."""

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None

    def start(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        self.stop()
        self.task = asyncio.get_running_loop().create_task(coro, name=name)

    def stop(self) -> None:
        task, self.task = self.task, None
        cancel(task)

    async def close(self) -> None:
        task, self.task = self.task, None
        await cancel_and_wait(task)

    def release(self) -> None:
        self.task = None

    def owned_by_current(self) -> bool:
        """Whether the running task is still this slot's (one stopped while its answer arrived is not:
        Python 3.11's ``asyncio.wait_for`` returns that answer and drops the cancellation)."""
        return self.task is asyncio.current_task()
