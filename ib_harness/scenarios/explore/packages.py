"""Nemesis packages: compound fault patterns from real incidents, drawn like single faults.

A single fault drawn at a random time rarely lines up with the moment a defence matters (a fill
while the API is down, a 1100 while the broker connects). Jepsen composes its nemesis from such
packages; each here returns the steps of one pattern, with its own seeded timing, and every fault
in it is an ordinary fault of the gateway's registry.
"""

from __future__ import annotations

import random
from typing import Any, Callable

Steps = list[dict[str, Any]]
Package = Callable[[random.Random, float, str, str, float], Steps]


def _t(x: float) -> float:
    return round(x, 2)


def fill_while_down(r: random.Random, t: float, name: str, symbol: str, price: float) -> Steps:
    """A resting limit order fills at IB while the API is cut (listener down, session crashed)."""
    at = r.uniform(0.05, 0.2) * t
    down = r.uniform(0.1, 0.2) * t
    return [
        {"id": f"{name}-resting", "at": _t(at), "place_order": {
            "symbol": symbol, "side": "BUY", "quantity": r.randint(1, 10), "type": "LIMIT",
            "limit_price": _t(price * 0.99)}},
        {"id": f"{name}-down", "on": {"order_status": "SUBMITTED", "order": f"{name}-resting", "delay": _t(0.02 * t)},
         "fault": {"kind": "down", "duration": _t(down)}},
        {"id": f"{name}-cut", "on": {"fault_fired": f"{name}-down"}, "fault": {"kind": "crash", "rst": r.random() < 0.5}},
        {"on": {"fault_fired": f"{name}-down", "delay": _t(down / 2)}, "market": {"symbol": symbol,
                                                                                 "price": _t(price * 0.985)}},
    ]


def restart_with_rollback(r: random.Random, t: float, name: str, symbol: str, price: float) -> Steps:
    """Orders fill, the gateway restarts and rolls nextValidId back; orders follow the reconnect."""
    steps: Steps = [{"id": f"{name}-before{i}", "at": _t((0.05 + 0.02 * i) * t), "place_order": {
        "symbol": symbol, "side": r.choice(["BUY", "SELL"]), "quantity": r.randint(1, 5), "type": "MARKET"}}
        for i in range(r.randint(3, 6))]
    steps.append({"id": f"{name}-restart", "at": _t(0.2 * t), "fault": {
        "kind": "daily_restart", "down_seconds": _t(r.uniform(0.02, 0.06) * t),
        "order_id_rollback": r.randint(2, len(steps))}})
    steps += [{"id": f"{name}-after{i}", "on": {"broker_state": "ready", "delay": _t(0.01 * t * (i + 1))},
               "place_order": {"symbol": symbol, "side": "BUY", "quantity": r.randint(1, 5), "type": "MARKET"}}
              for i in range(r.randint(1, 3))]
    return steps


def ack_lost(r: random.Random, t: float, name: str, symbol: str, price: float) -> Steps:
    """The order reaches IB but its acknowledgement does not reach the API (openOrder and
    orderStatus dropped from the next placeOrder on)."""
    at = r.uniform(0.1, 0.3) * t
    window = _t(r.uniform(0.1, 0.2) * t)
    return [
        {"id": f"{name}-drop-open", "at": _t(at), "fault": {"kind": "drop_message", "message": "openOrder",
                                                             "count": 2, "duration": window,
                                                             "after": {"request": "placeOrder"}}},
        {"id": f"{name}-drop-status", "at": _t(at), "fault": {"kind": "drop_message", "message": "orderStatus",
                                                               "count": 3, "duration": window,
                                                               "after": {"request": "placeOrder"}}},
        {"id": f"{name}-order", "at": _t(at + 0.02 * t), "place_order": {
            "symbol": symbol, "side": "BUY", "quantity": r.randint(1, 10), "type": "LIMIT",
            "limit_price": _t(price * 0.99)}},
    ]


def reconnect_storm(r: random.Random, t: float, name: str, symbol: str, price: float) -> Steps:
    """The session dies and every new connection is accepted and closed for a while."""
    at = r.uniform(0.1, 0.3) * t
    return [
        {"id": f"{name}-refuse", "at": _t(at), "fault": {"kind": "accept_then_close", "rst": r.random() < 0.5,
                                                          "duration": _t(r.uniform(0.1, 0.2) * t)}},
        {"id": f"{name}-cut", "at": _t(at + 0.01 * t), "fault": {"kind": "crash"}},
    ]


def data_lost(r: random.Random, t: float, name: str, symbol: str, price: float) -> Steps:
    """IB connectivity drops and comes back with the market data subscriptions gone (1100, 1101)."""
    at = r.uniform(0.1, 0.3) * t
    lost = _t(r.uniform(0.05, 0.1) * t)
    return [
        {"id": f"{name}-lost", "at": _t(at), "fault": {"kind": "connectivity_lost", "duration": _t(lost + 0.01 * t)}},
        {"id": f"{name}-back", "at": _t(at + lost), "fault": {"kind": "connectivity_restored", "data_lost": True}},
        {"on": {"fault_fired": f"{name}-back", "delay": _t(0.01 * t)},  # only a line requested again sees it
         "market": {"symbol": symbol, "price": _t(price * (1 + r.choice([-1, 1]) * 0.01))}},
    ]


def lost_while_connecting(r: random.Random, t: float, name: str, symbol: str, price: float) -> Steps:
    """The socket drops while IB connectivity is lost: the broker reconnects into a 1100."""
    at = r.uniform(0.05, 0.2) * t
    return [
        {"id": f"{name}-lost", "at": _t(at), "fault": {"kind": "connectivity_lost",
                                                        "duration": _t(r.uniform(0.25, 0.35) * t)}},
        {"id": f"{name}-cut", "at": _t(at + r.uniform(0.02, 0.05) * t), "fault": {"kind": "crash"}},
    ]


PACKAGES: dict[str, Package] = {
    "fill_while_down": fill_while_down,
    "restart_with_rollback": restart_with_rollback,
    "ack_lost": ack_lost,
    "reconnect_storm": reconnect_storm,
    "data_lost": data_lost,
    "lost_while_connecting": lost_while_connecting,
}
