"""Armed triggers: what starts a fault (``after``) or stops it (``until``).

A watch counts what its trigger names (requests, responses, connects of the targeted sessions,
brokerage events) and calls back once, on the Nth. The session's link stage reports requests and
responses to the watches before any fault sees the message, so the message that fires a fault is
the first one that fault acts on.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Callable

from .spec import BrokerageTrigger, ConnectTrigger, DelayTrigger, RequestTrigger, ResponseTrigger

if TYPE_CHECKING:
    from ..server import FakeGateway
    from ..session.session import Session
    from .spec import TriggerSpec


class TriggerWatch:
    """One armed trigger of one fault."""

    def __init__(self, gateway: "FakeGateway", trigger: "TriggerSpec", client_id: int | None,
                 callback: Callable[[], None]) -> None:
        self.gateway = gateway
        self.trigger = trigger
        self.client_id = client_id
        self.callback = callback
        self.seen = 0
        self.done = False
        self._timer: asyncio.TimerHandle | None = None
        self._filled_orders: set[int] = set()
        self.msg_id = trigger.msg_id if isinstance(trigger, (RequestTrigger, ResponseTrigger)) else None
        self.needs_link = isinstance(trigger, (RequestTrigger, ResponseTrigger))

    def arm(self) -> None:
        if isinstance(self.trigger, DelayTrigger):
            self._timer = asyncio.get_running_loop().call_later(self.trigger.delay, self._fire)
        elif isinstance(self.trigger, BrokerageTrigger):
            self.gateway.brokerage.events.subscribe(self._on_brokerage_event)

    def cancel(self) -> None:
        self.done = True
        if self._timer is not None:
            self._timer.cancel()
        if isinstance(self.trigger, BrokerageTrigger):
            self.gateway.brokerage.events.unsubscribe(self._on_brokerage_event)

    def targets(self, session: "Session") -> bool:
        return self.client_id is None or session.client_id == self.client_id

    def saw_request(self, session: "Session", msg_id: int | None) -> None:
        if isinstance(self.trigger, RequestTrigger) and msg_id == self.msg_id:
            self._count(self.trigger.count)

    def saw_response(self, session: "Session", msg_id: int | None) -> None:
        if isinstance(self.trigger, ResponseTrigger) and msg_id == self.msg_id:
            self._count(self.trigger.count)

    def saw_connect(self, session: "Session") -> None:
        if isinstance(self.trigger, ConnectTrigger) and self.targets(session):
            self._fire()

    def _on_brokerage_event(self, event: str, payload: dict[str, Any]) -> None:
        trigger = self.trigger
        assert isinstance(trigger, BrokerageTrigger)
        if trigger.brokerage == "order_filled":
            order = payload.get("order")
            if event != "order_updated" or order is None or order.status != "Filled":
                return
            if order.order_id in self._filled_orders or not self._client_matches(order.client_id):
                return
            self._filled_orders.add(order.order_id)
        elif event != trigger.brokerage:
            return
        # fire after the event's own messages went out, not in the middle of the emit
        self._count(trigger.count, soon=True)

    def _client_matches(self, client_id: int | None) -> bool:
        return self.client_id is None or client_id == self.client_id

    def _count(self, needed: int, soon: bool = False) -> None:
        if self.done:
            return
        self.seen += 1
        if self.seen >= needed:
            if soon:
                self.cancel()
                asyncio.get_running_loop().call_soon(self.callback)
            else:
                self._fire()

    def _fire(self) -> None:
        if not self.done:
            self.done = True
            self.cancel()
            self.callback()
