"""Reconnect pacing: exponential backoff with jitter above a floor, and a circuit breaker after it.

The jitter (sleep uniform(base, min(cap, base * 2**n))) spreads a fleet of reconnecting clients
instead of synchronising them; the floor (``base``, backoff_initial) keeps one client from opening
more than 1 + 1/base connections in a second (full jitter, from 0, opened 5 in 0.7 s against a
gateway that closed each at once: explore's bounded_reconnects). The stable-period reset keeps one
blip from inflating later delays.
"""

from __future__ import annotations

import random
import time
from typing import Callable


class Backoff:
    def __init__(self, initial: float, maximum: float, multiplier: float = 2.0,
                 reset_after: float = 60.0, seed: int | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.reset_after = reset_after
        self.attempt = 0
        self._random = random.Random(seed)
        self._clock = clock or (lambda: time.time())  # looked up per call: freezegun can move it
        self._connected_at: float | None = None

    def ceiling(self, attempt: int | None = None) -> float:
        """The upper bound of the delay for ``attempt`` (0-based): capped exponential."""
        n = self.attempt if attempt is None else attempt
        return min(self.maximum, self.initial * self.multiplier ** n)

    def next_delay(self) -> float:
        ceiling = self.ceiling()
        delay = self._random.uniform(min(self.initial, ceiling), ceiling)
        self.attempt += 1
        return delay

    def reset(self) -> None:
        self.attempt = 0

    def connected(self) -> None:
        self._connected_at = self._clock()

    def disconnected(self) -> None:
        """Reset the schedule if the connection that just ended was stable long enough."""
        if self._connected_at is not None and self._clock() - self._connected_at >= self.reset_after:
            self.reset()
        self._connected_at = None


class CircuitBreaker:
    """closed -> (N consecutive failures) open -> (after a delay) half_open -> closed or open."""

    def __init__(self, failures: int, half_open_after: float, clock: Callable[[], float] | None = None) -> None:
        self.threshold = failures
        self.half_open_after = half_open_after
        self.failures = 0
        self.opened_at: float | None = None
        self._clock = clock or (lambda: time.time())  # looked up per call: freezegun can move it

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if self._clock() - self.opened_at >= self.half_open_after else "open"

    def remaining(self) -> float:
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.opened_at + self.half_open_after - self._clock())

    def record_failure(self) -> bool:
        """Count a failed attempt; True when this failure (re)opens the circuit."""
        self.failures += 1
        if self.opened_at is not None or self.failures >= self.threshold:
            self.opened_at = self._clock()
            return True
        return False

    def record_success(self) -> None:
        self.failures = 0
        self.opened_at = None
