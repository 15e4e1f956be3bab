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

    A client connecting meanwhile gets the 1100 once it has logged in, as with every IB-side
    condition (``StatusFault``); only what it asks while syncing is served.
    """

    def on_request(self, session: "Session", fields: list[str]) -> bool:
        if fields and fields[0] in STARTUP_IDS:
            self.record("answered_from_cache", session, msg_id=fields[0])
            return True
        return super().on_request(session, fields)


register("connectivity_lost_cached", ConnectivityLostCachedSpec, ConnectivityLostCached)
