"""Real time, compressed: a loop whose clock runs ``1 / scale`` times faster than the wall's.

For the real-clock mode's ``--time-scale``: real sockets, real threads, but every timer (the
scenario's timeline, the broker's timeouts, ib_insync's, the gateway's IB windows) is on the loop's
clock or on ``time.time()``, and both run faster by the same factor, so every duration on both
sides is scaled at once and IB's time rules hold at any speed. What is not scaled is what runs on
real time by construction: ``time.sleep`` and ``threading.Timer`` in other threads.
"""

from __future__ import annotations

import asyncio
import math
import selectors
import time
from typing import Any, Callable


class ScaledSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    """Waits ``timeout * scale`` real seconds, then lets the clock's listeners catch up."""

    def __init__(self, loop: "ScaledEventLoop") -> None:
        super().__init__()
        self._scaled_loop = loop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        loop = self._scaled_loop
        ready = super().select(None if timeout is None else timeout * loop.scale)
        loop.tick()
        return ready


class ScaledEventLoop(asyncio.SelectorEventLoop):
    """``time()`` = real seconds since the loop was made, divided by ``scale``."""

    def __init__(self, scale: float) -> None:
        if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
            raise ValueError(f"time scale must be a finite number > 0, got {scale!r}")
        self.scale = float(scale)
        self._real_start = time.monotonic()
        self._on_advance: list[Callable[[float], None]] = []
        super().__init__(ScaledSelector(self))

    def time(self) -> float:
        return (time.monotonic() - self._real_start) / self.scale

    def tick(self) -> None:
        now = self.time()
        for listener in tuple(self._on_advance):
            listener(now)

    def on_advance(self, listener: Callable[[float], None]) -> Callable[[], None]:
        self._on_advance.append(listener)
        return lambda: self._on_advance.remove(listener)

    def run_forever(self) -> None:
        wall: Any = getattr(self, "wall", None)
        if wall is None:
            super().run_forever()
            return
        wall.start()
        try:
            super().run_forever()
        finally:
            wall.stop()
