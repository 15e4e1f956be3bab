"""Ending a component's background task: the probe and the sync-gap retries end theirs the same way."""

from __future__ import annotations

import asyncio


def cancel(task: asyncio.Task[None] | None) -> None:
    """Cancel ``task`` unless it is the one running now (a task may stop its own component)."""
    if task is not None and task is not asyncio.current_task():
        task.cancel()


async def cancel_and_wait(task: asyncio.Task[None] | None) -> None:
    """Cancel ``task`` until it is done (it may swallow one cancellation while it cleans up)."""
    while task is not None and not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.1)
