"""An 1100 during which the gateway still answers a client's startup sync from its cache.

During a loss of connectivity between the gateway and IB the gateway keeps its own copy of the
account: positions, open orders, executions of the day, account values. A client that connects
meanwhile gets its startup requests answered from that copy (stale by however long the outage has
lasted), while everything that needs IB's servers (market data, history, contract details, new
orders) waits for connectivity like any request in an 1100. This is the ``connectivity_lost``
fault with that one difference: the startup sync is served, so a client can finish connecting
and believe itself up to date.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Literal

from ..wire.table import INCOMING
from .base import register
from .ib_status import ConnectivityLost, ConnectivityLostSpec

if TYPE_CHECKING:
    from ..session.session import Session

# what ib_insync, ib_async and ibapi clients ask while connecting, all served from the gateway's copy
STARTUP_REQUESTS = ("reqIds", "reqManagedAccts", "reqCurrentTime", "reqPositions", "reqOpenOrders",
                    "reqAllOpenOrders", "reqAutoOpenOrders", "reqCompletedOrders", "reqExecutions",
                    "reqAccountUpdates", "reqAccountUpdatesMulti", "reqPositionsMulti", "reqAccountSummary",
                    "cancelPositions", "cancelAccountSummary", "cancelAccountUpdatesMulti",
                    "cancelPositionsMulti")
STARTUP_IDS = frozenset(str(msg_id) for msg_id, spec in INCOMING.items() if spec.name in STARTUP_REQUESTS)


class ConnectivityLostCachedSpec(ConnectivityLostSpec):
    kind: Literal["connectivity_lost_cached"]  # type: ignore[assignment]


class ConnectivityLostCached(ConnectivityLost):
    """1100 as ``connectivity_lost``; the startup sync requests are answered from the cache.

    A client connecting meanwhile is attached at accept, before it has logged in; the 1100 and its
    side effects then apply when its startApi is accepted (IB-side state holds from the login on).
    """

    def __init__(self, spec: ConnectivityLostCachedSpec) -> None:
        super().__init__(spec)
        self.connecting: set[int] = set()  # sessions attached before their login

    def attach(self, session: "Session") -> None:
        if session.phase == "ready":
            self.apply(session)
        else:
            self.connecting.add(session.number)

    def on_claim(self, session: "Session", client_id: int) -> bool:
        if session.number in self.connecting:
            self.connecting.discard(session.number)
            asyncio.get_running_loop().call_soon(self._apply_after_greeting, session)
        return True

    def _apply_after_greeting(self, session: "Session") -> None:
        """IB sends managedAccounts and nextValidId first; the 1100 follows them."""
        if session.phase == "ready" and self.handle is not None and self.handle.active:
            self.apply(session)

    def detach(self, session: "Session") -> None:
        self.connecting.discard(session.number)
        super().detach(session)

    def on_request(self, session: "Session", fields: list[str]) -> bool:
        if fields and fields[0] in STARTUP_IDS:
            self.record("answered_from_cache", session, msg_id=fields[0])
            return True
        return super().on_request(session, fields)


register("connectivity_lost_cached", ConnectivityLostCachedSpec, ConnectivityLostCached)
