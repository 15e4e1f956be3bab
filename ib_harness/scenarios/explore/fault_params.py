"""How each fault kind is drawn: a weight and a parameter generator per kind.

The kinds themselves come from the gateway's registry (``fake_gateway.faults.KINDS``), the one
source of truth: :func:`draw_fault` refuses a kind the registry lacks, and a kind the registry has
but this table does not is still drawn (weight 1, only its defaults), so a new fault family is
explored from the day it is registered. Parameters are drawn inside IB's real ranges, scaled by
``scale`` (1.0: production lengths; the real-clock profile uses less).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, Callable

from ib_harness.fake_gateway.faults import KINDS, parse_fault_spec

Params = Callable[[random.Random, float], dict[str, Any]]
_ONLY_MESSAGES: list[tuple[str, ...]] = [()]  # set by draw_fault: a profile may narrow message faults

ORDER_OUT = ("orderStatus", "openOrder", "execDetails", "commissionReport", "openOrderEnd", "execDetailsEnd",
             "completedOrder", "completedOrdersEnd", "nextValidId")
DATA_OUT = ("tickPrice", "tickSize", "historicalData", "historicalDataUpdate", "acctValue", "position",
            "positionEnd", "currentTime", "error")
IN_REQUESTS = ("placeOrder", "cancelOrder", "reqMktData", "reqHistoricalData", "reqCurrentTime", "reqExecutions",
               "reqAllOpenOrders", "reqCompletedOrders", "reqPositions", "reqAccountUpdates")
# Notices that change no lasting state: a lone 1100/1101/2103 with nothing to end it would be a
# lie the gateway never corrects (the connectivity and farm kinds model those with their ending).
IB_ERRORS = ((504, "Not connected"), (10182, "Failed to request live updates (disconnected)."),
             (2108, "Market data farm connection is inactive but should be available upon demand.:usfarm"))


def _message(r: random.Random, _: float) -> dict[str, Any]:
    if _ONLY_MESSAGES[0]:
        return {"message": r.choice(_ONLY_MESSAGES[0]), "count": r.randint(1, 3)}
    if r.random() < 0.75:
        return {"message": r.choice(ORDER_OUT if r.random() < 0.7 else DATA_OUT), "count": r.randint(1, 3)}
    return {"message": r.choice(IN_REQUESTS), "direction": "in", "count": r.randint(1, 2)}


@dataclass(frozen=True)
class KindPlan:
    weight: float
    params: Params
    sustained: bool = True  # True: has a window (needs a duration); False: acts once


def _none(r: random.Random, s: float) -> dict[str, Any]:
    return {}


PLANS: dict[str, KindPlan] = {
    "stall": KindPlan(3, lambda r, s: {"release": r.choice(["flush", "drop"])}),
    "half_open": KindPlan(3, _none),
    "stop_reading": KindPlan(1, _none),
    "half_close": KindPlan(1, _none, sustained=False),
    "crash": KindPlan(5, lambda r, s: {"rst": r.random() < 0.5}, sustained=False),
    "down": KindPlan(1, _none),
    "accept_then_close": KindPlan(1, lambda r, s: {"rst": r.random() < 0.5}),
    "no_handshake": KindPlan(1, _none),
    "linger_client_id": KindPlan(1, _none),
    "ib_error": KindPlan(2, lambda r, s: dict(zip(("code", "text"), r.choice(IB_ERRORS))), sustained=False),
    "account_unsubscribed": KindPlan(1, _none, sustained=False),
    "connectivity_lost": KindPlan(4, _none),
    "connectivity_restored": KindPlan(1, lambda r, s: {"data_lost": r.random() < 0.5}, sustained=False),
    "farm_down": KindPlan(2, lambda r, s: {"farm": r.choice(["market", "hmds", "secdef"])}),
    "farm_up": KindPlan(1, lambda r, s: {"farm": r.choice(["market", "hmds", "secdef"])}, sustained=False),
    "client_id_in_use": KindPlan(1, lambda r, s: {"count": r.randint(1, 3)}),
    "competing_session": KindPlan(1, _none),
    "pacing": KindPlan(1, lambda r, s: {"max_messages_per_second": r.choice([5, 10, 20])}),
    "latency": KindPlan(2, lambda r, s: {"ms": round(r.uniform(20, 400) * max(s, 0.25), 1),
                                         "jitter_ms": round(r.uniform(0, 50), 1)}),
    "bandwidth": KindPlan(1, lambda r, s: {"bytes_per_s": r.choice([2000, 10000, 50000])}),
    "slicer": KindPlan(1, lambda r, s: {"max_bytes": r.randint(1, 16), "delay_ms": round(r.uniform(0, 5), 1)}),
    "garbage": KindPlan(1, lambda r, s: {"bytes": r.randint(1, 64), "direction": r.choice(["in", "out"])},
                        sustained=False),
    "truncate": KindPlan(1, lambda r, s: {"rst": r.random() < 0.5}, sustained=False),
    "drop_message": KindPlan(5, _message),
    "duplicate_message": KindPlan(4, _message),
    "delay_message": KindPlan(2, lambda r, s: {**_message(r, s), "delay_ms": round(r.uniform(50, 2500) * max(s, 0.5), 1)}),
    "reorder_message": KindPlan(2, _message),
    "corrupt_field": KindPlan(1, _message),
    "daily_restart": KindPlan(3, lambda r, s: {"down_seconds": round(r.uniform(0.2, 1.0) * max(s, 0.5), 2),
                                               "order_id_rollback": r.choice([0, 0, 3, 5])}, sustained=False),
    "token_expiry": KindPlan(1, _none, sustained=False),
    "nightly_reset": KindPlan(1, lambda r, s: {"recover_after": round(r.uniform(0.5, 2.0) * s * 10, 2),
                                               "repeat_every": round(0.5 * s * 10, 2),
                                               "farms_recover_after": round(0.3 * s * 10, 2),
                                               "flap_seconds": round(0.1 * s * 10, 2)}, sustained=False),
}


def kinds() -> list[str]:
    """Every registered kind, sorted (the registry is the source of truth)."""
    return sorted(KINDS)


def plan(kind: str) -> KindPlan:
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r} (known kinds: {', '.join(kinds())})")
    return PLANS.get(kind, KindPlan(1, _none))


def draw_kind(r: random.Random, only: list[str] | None = None) -> str:
    names = only or kinds()
    return r.choices(names, weights=[plan(k).weight for k in names])[0]


def draw_fault(r: random.Random, kind: str, scale: float, messages: tuple[str, ...] = ()) -> dict[str, Any]:
    """A validated spec of ``kind`` (without timing: the schedule adds duration and triggers);
    message faults pick from ``messages`` (outbound names) when it is given."""
    _ONLY_MESSAGES[0] = messages
    try:
        spec = {"kind": kind, **plan(kind).params(r, scale)}
    finally:
        _ONLY_MESSAGES[0] = ()
    parse_fault_spec(spec)  # a drawn spec the gateway would refuse is a bug here, not in the run
    return spec
