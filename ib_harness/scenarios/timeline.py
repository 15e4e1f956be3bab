"""Execute a scenario's steps on one event loop: at fixed times, on triggers, or repeatedly.

Timed steps wait for their moment on the loop's clock; triggered steps wait for the trace event
they name (a broker state, an order status, a gateway event, a fault firing) and its count.
Client calls run as their own tasks, so a call that hangs never delays the next step. The
injected timeline (what was scheduled, with which seeds) is recorded up front: the same seed
gives the same list, which is what the determinism test compares.
"""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.faults import FaultHandle

from .client_calls import ClientActions
from .fault_vocabulary import resolve_order
from .model import CLIENT_ACTIONS, Scenario, Step, Trigger
from .trace import Trace, TraceEvent
from .world import move_market


class Timeline:
    def __init__(self, scenario: Scenario, seed: int, gateway: FakeGateway, actions: ClientActions,
                 trace: Trace) -> None:
        self.scenario = scenario
        self.seed = seed
        self.gateway = gateway
        self.actions = actions
        self.trace = trace
        self.handles: dict[str, FaultHandle] = {}  # fault step id -> its handle
        self.tasks: set[asyncio.Task[Any]] = set()
        self.injected = [self._planned(index, step) for index, step in enumerate(scenario.steps)]
        self._waiting: list[tuple[Step, Trigger, list[int]]] = []

    def _planned(self, index: int, step: Step) -> dict[str, Any]:
        when: dict[str, Any] = {"at": step.at} if step.at is not None else {
            "on": step.on.model_dump(exclude_defaults=True) if step.on else {}}
        argument = self._fault_spec(index, step) if step.fault is not None else step.argument
        if hasattr(argument, "model_dump"):
            argument = argument.model_dump(exclude_none=True)
        return {"step": step.id or f"#{index + 1}", "action": step.action, **when, "argument": argument,
                **({"every": step.every, "until": step.until} if step.every else {})}

    def _fault_spec(self, index: int, step: Step) -> dict[str, Any]:
        """The step's fault with a seed: its own, else derived from the scenario seed and position."""
        spec = dict(step.fault or {})
        spec.setdefault("seed", self.seed * 1000 + index)
        return spec

    async def open(self, connect: Callable[[float | None], Awaitable[None]], timeout: float,
                   state: Callable[[], str] = lambda: "ready") -> str:
        """Connect the broker and start the clock; returns the broker's state at t=0.

        Without ``before_connect`` faults the broker connects first (within ``timeout``) and the
        timeline starts ready. With them, the timeline starts at the first connect: the faults are
        injected at t=0 and the broker connects on its own task while the steps run.
        """
        early = [(index, step) for index, step in enumerate(self.scenario.steps) if step.before_connect]
        if not early:
            await asyncio.wait_for(connect(None), timeout)  # the broker's own connect timeout
            self.trace.restart_clock()
            connected = state()  # ready, or degraded when IB's side was already out at the connect
            self.trace.add("runner", "timeline_started", {"state": connected})
            return connected
        self.trace.restart_clock()
        self.trace.add("runner", "timeline_started", {"state": "disconnected", "before_connect": len(early)})
        for index, step in early:
            await self._perform(index, step)
        self._spawn(self._connect(connect))
        return "disconnected"

    async def _connect(self, connect: Callable[[float | None], Awaitable[None]]) -> None:
        try:
            await connect(self.scenario.duration)
            self.trace.add("runner", "connected", {})
        except Exception as exc:  # the broker keeps trying; expectations judge what it managed
            self.trace.add("runner", "connect_failed", {"error": f"{type(exc).__name__}: {exc}"[:300]})

    async def run(self) -> None:
        """Start every step, then let the timeline run for the scenario's duration."""
        start = asyncio.get_running_loop().time()
        self.trace.listen(self._on_event)
        for index, step in enumerate(self.scenario.steps):
            if step.before_connect:
                continue
            if step.on is not None:
                self._waiting.append((step, step.on, [0]))
            else:
                self._spawn(self._timed(index, step, start))
        await asyncio.sleep(max(0.0, start + self.scenario.duration - asyncio.get_running_loop().time()))

    async def _timed(self, index: int, step: Step, start: float) -> None:
        await asyncio.sleep(max(0.0, start + (step.at or 0.0) - asyncio.get_running_loop().time()))
        await self._perform(index, step)

    def _on_event(self, event: TraceEvent) -> None:
        for entry in list(self._waiting):
            step, trigger, seen = entry
            if not self._matches(trigger, event):
                continue
            seen[0] += 1
            if seen[0] == trigger.count:
                self._waiting.remove(entry)
                index = self.scenario.steps.index(step)
                self.trace.add("runner", "triggered", {"step": step.id, "by": f"{event.source} {event.kind}"})
                self._spawn(self._after(trigger.delay, index, step))

    def _matches(self, trigger: Trigger, event: TraceEvent) -> bool:
        if trigger.broker_state is not None:
            return event.source == "broker" and event.kind == "state" and event.data.get("to") == trigger.broker_state
        if trigger.order_status is not None:
            order = self.actions.orders.get(trigger.order or "")
            return (order is not None and event.source == "broker" and event.kind == "order"
                    and event.data.get("key") == order.key
                    and str(event.data.get("status")).upper() == trigger.order_status.upper())
        if trigger.gateway_event is not None:
            return event.source == "gateway" and event.kind == trigger.gateway_event
        if trigger.broker_event is not None:
            return event.source == "broker" and event.kind == trigger.broker_event
        handle = self.handles.get(trigger.fault_fired or "")
        if handle is None:
            return False
        if event.source == "fault" and event.kind == "injected":  # active at once: fired inside inject()
            return event.data.get("id") == handle.id and handle.fired_at is not None
        return event.source == "gateway" and event.kind == "fault_started" and event.data.get("id") == handle.id

    async def _after(self, delay: float, index: int, step: Step) -> None:
        await asyncio.sleep(delay)
        await self._perform(index, step)

    async def _perform(self, index: int, step: Step) -> None:
        self.trace.add("runner", "step", {"step": step.id or f"#{index + 1}", "action": step.action})
        if step.action in CLIENT_ACTIONS:
            await self._client(step)
        elif step.action == "fault":
            try:
                spec = resolve_order(self._fault_spec(index, step), {
                    name: order.order_id for name, order in self.actions.orders.items()})
            except KeyError as missing:
                self.trace.add("fault", "not_injected", {"step": step.id, "why": f"order {missing} has no id "
                                                                                  "(never placed)"})
                return
            handle = self.gateway.faults.inject(spec)
            self.handles[step.id or ""] = handle
            self.trace.add("fault", "injected", {"step": step.id, "id": handle.id, "kind": spec["kind"], "spec": spec})
        elif step.action == "stop_fault":
            stopping = self.handles.get(step.stop_fault or "")
            self.trace.add("fault", "stop", {"step": step.stop_fault, "injected": stopping is not None})
            if stopping is not None:
                stopping.stop()
        elif step.action == "market" and step.market is not None:
            move_market(self.gateway, step.market)
            self.trace.add("market", "move", step.market.model_dump(exclude_none=True))
        elif step.action == "restart" and step.restart is not None:
            self.trace.add("runner", "restart", {"down_seconds": step.restart.down_seconds})
            await self.gateway.close()
            await asyncio.sleep(step.restart.down_seconds)
            await self.gateway.start()
        elif step.action == "start_gateway":
            self.trace.add("runner", "start_gateway", {})
            await self.gateway.start()

    async def _client(self, step: Step) -> None:
        """One call, or one every ``every`` seconds until ``until``, each on its own task."""
        if step.every is None or step.until is None:
            await self.actions.run(step)
            return
        loop = asyncio.get_running_loop()
        end = loop.time() + max(0.0, step.until - self.trace.now())
        next_at = loop.time()
        while next_at <= end:
            self._spawn(self.actions.run(step))
            next_at += step.every
            await asyncio.sleep(max(0.0, next_at - loop.time()))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def close(self) -> None:
        """Cancel what is still waiting or running; nothing of the timeline outlives it."""
        self._waiting.clear()
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def fault_windows(self) -> dict[str, dict[str, Any]]:
        """step id -> {id, kind, start, end} in timeline seconds (None: never fired / never ended)."""
        windows: dict[str, dict[str, Any]] = {}
        for step_id, handle in self.handles.items():
            windows[step_id] = {
                "id": handle.id, "kind": handle.kind,
                "start": None if handle.fired_at is None else round(self.trace.relative_gateway(handle.fired_at), 4),
                "end": None if handle.stopped_at is None else round(self.trace.relative_gateway(handle.stopped_at), 4),
            }
        return windows

    def first_fault_window(self) -> dict[str, Any] | None:
        started = [w for w in self.fault_windows().values() if w["start"] is not None]
        return min(started, key=lambda w: w["start"]) if started else None
