"""Waiting for client-side state that a test cannot await directly, always with a deadline."""

from __future__ import annotations

import asyncio
from typing import Any, Callable


async def until(predicate: Callable[[], Any], timeout: float = 2.0, what: str = "condition") -> None:
    """Poll ``predicate`` on the event loop until it is true; fail with ``what`` after ``timeout``."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.002)
