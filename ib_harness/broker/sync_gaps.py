"""What the startup sync could not get, learned another way after the broker is ready.

A gateway can leave a startup request unanswered (reqExecutions without execDetailsEnd:
ib_insync#638, ib_async#82). The broker does not wait for ever on it: it gets to READY with what
it has (completed orders and positions already carry the fills' effect), publishes
``sync_incomplete`` naming what it could not verify, and asks again every sync_retry_interval
until the answers arrive (``sync_verified``; each failed round is ``sync_retry_failed``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from .events import EventBus
from .tasks import TaskSlot

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import IB

log = logging.getLogger("ib_harness.broker.sync_gaps")


def _request_for(ib: IB, gap: str) -> Callable[[], Awaitable[Any]]:
    """The request that answers one gap of the startup sync (its name as SupervisedIB records it)."""
    if gap == "executions":
        return ib.reqExecutionsAsync
    if gap == "open orders":
        return ib.reqOpenOrdersAsync
    if gap == "completed orders":
        return lambda: ib.reqCompletedOrdersAsync(False)
    if gap == "positions":
        return ib.reqPositionsAsync
    if gap.startswith("account updates for "):
        return lambda: ib.reqAccountUpdatesMultiAsync(gap[len("account updates for "):])
    if gap == "account updates":
        return lambda: ib.reqAccountUpdatesAsync(getattr(ib, "sync_account", ""))
    raise ValueError(f"unknown startup sync gap {gap!r}")


class SyncGaps:
    def __init__(self, ib: IB, events: EventBus, retry_interval: float, request_timeout: float,
                 on_verified: Callable[[tuple[str, ...]], None]) -> None:
        self.ib = ib
        self.events = events
        self.retry_interval = retry_interval
        self.request_timeout = request_timeout
        self.on_verified = on_verified
        self.gaps: tuple[str, ...] = ()
        self._slot = TaskSlot()

    def session_started(self, gaps: tuple[str, ...]) -> None:
        self.stop()
        self.gaps = gaps
        if gaps:
            self.events.publish("sync_incomplete", unverified=list(gaps))
            self._slot.start(self._fill(), "broker-sync-gaps")

    def stop(self) -> None:
        self._slot.stop()

    async def close(self) -> None:
        await self._slot.close()

    async def _fill(self) -> None:
        verified: list[str] = []
        while self.gaps:
            await asyncio.sleep(self.retry_interval)
            for gap in self.gaps:
                try:
                    await asyncio.wait_for(_request_for(self.ib, gap)(), self.request_timeout)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:  # timeout, connection, IB's refusal: tried again next round
                    self.events.publish("sync_retry_failed", gap=gap, unverified=list(self.gaps), error=repr(exc))
                    break
                verified.append(gap)
                self.gaps = tuple(g for g in self.gaps if g != gap)
        self._slot.release()
        self.events.publish("sync_verified", verified=verified)
        self.on_verified(tuple(verified))
