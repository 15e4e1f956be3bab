"""The legacy design the platform is leaving, rebuilt for comparison only (never for production).

It is the official ``ibapi`` used as it was described: ``EClient.run()`` on its own thread, a
``threading.Timer`` keepalive started on nextValidId and never stopped on disconnect, 2100 and 504
only logged, a reconnect that spawns new threads, and requests bridged to asyncio with
``run_coroutine_threadsafe`` and fixed timeouts. It implements enough of the broker interface for
the scenario runner, so the library can be replayed against it next to the real broker.
"""

from .bridge import LegacyBroker

__all__ = ["LegacyBroker"]
