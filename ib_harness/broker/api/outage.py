"""Requests in flight when the broker stops being ready fail at once, not when the socket drops.

The broker degrades as soon as its keepalive probe is overdue, but a call already waiting on the
gateway is only failed when the session is torn down (probe_timeout later) or times out. The API
races each call that waits on the gateway against the broker leaving READY and answers 503 then:
a placement cut this way is safe to retry with its Idempotency-Key (the journal has its intent and
the broker's reconcile settles what happened at the gateway).
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, TypeVar, cast

from ..errors import BrokerUnavailable
from ..events import BrokerEvent
from ..ib_broker import IBKRInsyncBroker
from ..supervision import BrokerState

T = TypeVar("T")


class OutageGuard:
    def __init__(self, broker: IBKRInsyncBroker) -> None:
        self.broker = broker
        self._left_ready: asyncio.Future[str] | None = None

    def on_event(self, event: BrokerEvent) -> None:
        """Subscribed to the broker's events: a state change away from READY ends the wait."""
        if event.kind == "state" and event.data.get("from") == BrokerState.READY.value:
            left, self._left_ready = self._left_ready, None
            if left is not None and not left.done():
                left.set_result(f"{event.data.get('to')}: {event.data.get('cause')}")

    async def run(self, call: Awaitable[T]) -> T:
        """Await ``call``; if the broker leaves READY first, cancel it and raise BrokerUnavailable."""
        if self._left_ready is None or self._left_ready.done():
            self._left_ready = asyncio.get_running_loop().create_future()
        left = self._left_ready
        task = asyncio.ensure_future(call)
        try:
            await asyncio.wait(cast(Any, {task, left}), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        if task.done():
            return task.result()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        raise BrokerUnavailable(self.broker.state.value, f"in flight when the broker left ready ({left.result()})")

