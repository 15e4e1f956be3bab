"""How fast the broker lets ib_insync send: under IB's 50 messages per second, seen from IB's side.

ib_insync's throttle sends up to ``MaxRequests`` at once and then waits ``RequestsInterval``. With
its default (45 per 1 s) a burst of 45 goes out, then the next 45 one second later. A gateway counts
arrivals in a sliding second, so if the first burst is read even a millisecond later than the
second (a busy loop, a network hiccup), both land in one window: 90 "in a second", error 100, and
IB drops the requests it refused. Spreading the same rate over tenths of a second keeps any window
within IB's limit even when delivery is late by up to a couple of tenths.
"""

from __future__ import annotations

from typing import Any

SLICE = 0.1  # seconds per throttle window


def apply_throttle(client: Any, per_second: int) -> int:
    """Set ib_insync's client throttle to at most ``per_second`` requests spread per 0.1 s; returns
    the rate actually allowed (a whole number of requests per slice, so 45 becomes 40)."""
    per_slice = int(per_second * SLICE)
    if per_slice >= 1:
        client.MaxRequests, client.RequestsInterval = per_slice, SLICE
        return int(per_slice / SLICE)
    client.MaxRequests, client.RequestsInterval = 1, 1.0 / per_second
    return per_second
