"""Replay one scenario: a real FakeGateway, the real broker, the timeline on one event loop.

The runner builds the world, connects the broker, starts the clock, runs every step at its time
or on its trigger, records everything into a :class:`~.trace.Trace`, tears down, audits orders
and leaks, and judges the expectations. It never decides a verdict by itself: every verdict comes
from an expectation measured on the trace.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from pathlib import Path
from typing import Any, Awaitable

from ib_harness.broker import BrokerEvent, IBKRInsyncBroker
from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.event_log import GatewayEvent

from . import clocks, leaks
from .client_calls import ClientActions
from .expectations import Evidence, detection_after, evaluate, recovery_after
from .loader import ScenarioFile
from .model import Scenario
from .order_audit import audit_orders
from .timeline import Timeline
from .trace import ScenarioResult, Trace, trace_digest
from .gateway_controller import InProcessGatewayController
from .world import apply_world

log = logging.getLogger("ib_harness.scenarios.runner")

CONNECT_TIMEOUT = 60.0  # the Watchdog waits its appStartupTime (30 s) after starting the gateway
TEARDOWN_TIMEOUT = 5.0


async def replay(item: ScenarioFile, seed: int | None = None, supervisor: str | None = None,
                 clock: str | None = None, time_scale: float = 1.0) -> ScenarioResult:
    """Run one scenario and judge it; an exception in the harness itself is an ``error`` verdict.

    On the virtual clock the replay needs its own virtual loop: called from one it runs right
    there, called from an ordinary loop it runs on a fresh virtual loop in a worker thread.
    """
    chosen = clocks.resolve(clock, item.scenario.clock)
    time_scale = clocks.check_time_scale(time_scale, chosen)
    if (chosen == "virtual" and not clocks.on_virtual_loop()) or \
            (chosen == "real" and time_scale != clocks.running_scale()):
        return await asyncio.to_thread(replay_blocking, item, seed, supervisor, chosen, time_scale)
    if chosen == "real" and clocks.on_virtual_loop():
        raise RuntimeError("a real-clock replay cannot run on a virtual loop; use clock='virtual' or a real loop")
    scenario = item.scenario
    seed = scenario.seed if seed is None else seed
    supervisor = supervisor or scenario.broker.supervisor
    wall_start = time.perf_counter()
    base = dict(name=scenario.name, file=str(item.path), description=scenario.description,
                supervisor=supervisor, seed=seed, duration=scenario.duration, clock=chosen, time_scale=time_scale)
    try:
        with tempfile.TemporaryDirectory(prefix="ib-harness-") as workdir:
            result = await _replay(scenario, seed, supervisor, Path(workdir))
    except Exception as exc:  # the report must say what broke, and the run goes on
        log.exception("scenario %s broke the runner", scenario.name)
        return ScenarioResult(**base, verdict="error", error=f"{type(exc).__name__}: {exc}",
                              wall=time.perf_counter() - wall_start)
    result.update(base)
    result["wall"] = time.perf_counter() - wall_start
    return ScenarioResult(**result)


def replay_blocking(item: ScenarioFile, seed: int | None = None, supervisor: str | None = None,
                    clock: str | None = None, time_scale: float = 1.0) -> ScenarioResult:
    """:func:`replay` on a fresh loop of the chosen clock (a worker process or thread calls this)."""
    chosen = clocks.resolve(clock, item.scenario.clock)
    time_scale = clocks.check_time_scale(time_scale, chosen)
    return clocks.run_on(chosen, replay(item, seed, supervisor, chosen, time_scale),
                         start=item.scenario.gateway.start_time, seed=item.scenario.seed if seed is None else seed,
                         time_scale=time_scale)


async def _replay(scenario: Scenario, seed: int, supervisor: str, workdir: Path) -> dict[str, Any]:
    before = leaks.census()
    trace = Trace()
    # the gateway lives at the scenario's start_time, so market hours, bars and order expiry are
    # the same whenever the replay runs: on the real clock it runs at real speed from there, on
    # the virtual one it is the loop's own wall clock (which starts there)
    loop = asyncio.get_running_loop()
    wall = getattr(loop, "wall", None)  # a virtual or time-scaled loop: its wall clock starts there
    if wall is not None:
        trace.gateway_offset = wall.now() - time.time()
        gateway_clock = wall.now
    else:
        offset = trace.gateway_offset = scenario.gateway.start_time.timestamp() - time.time()
        gateway_clock = lambda: time.time() + offset  # noqa: E731
    gateway = FakeGateway(scenario.gateway.config(seed), clock=gateway_clock)
    await gateway.start()

    def on_gateway_event(event: GatewayEvent) -> None:
        trace.add("gateway", event.kind, {**event.data, "client_id": event.client_id},
                  at=trace.relative_gateway(event.at))

    unsubscribe_gateway = gateway.events.subscribe(on_gateway_event)
    apply_world(gateway, scenario.gateway)
    settings: dict[str, Any] = {"journal_path": workdir / "journal.sqlite3", "supervisor": supervisor,
                                **scenario.broker.settings}
    settings.setdefault("backoff_seed", seed)
    if supervisor == "watchdog":
        # Watchdog at its own defaults (appTimeout 20 s, probeTimeout 4 s, appStartupTime 30 s,
        # retryDelay 2 s) unless the scenario names others; the controller restarts the process
        settings["controller"] = InProcessGatewayController(gateway)
    broker = IBKRInsyncBroker(gateway.host, gateway.port, scenario.broker.client_id, **settings)

    def on_broker_event(event: BrokerEvent) -> None:
        trace.add("broker", event.kind, dict(event.data), at=trace.relative(event.at))

    unsubscribe_broker = broker.events.subscribe(on_broker_event)
    actions = ClientActions(broker, trace)
    timeline = Timeline(scenario, seed, gateway, actions, trace)
    try:
        await asyncio.wait_for(broker.connect(timeout=CONNECT_TIMEOUT), CONNECT_TIMEOUT + 1)
        trace.restart_clock()
        trace.add("runner", "timeline_started", {"state": str(getattr(broker.state, "value", broker.state))})
        await timeline.run()
        trace.add("runner", "timeline_ended", {})
        timeline_events = len(trace.events)  # what teardown records (at the end's very instant on
        # the virtual clock: "stopped") is not part of what the expectations judge
        audit = _audit(broker, gateway, actions, trace)
    finally:
        await _bounded("timeline.close", timeline.close(), trace)
        gateway.faults.stop_all()
        await _bounded("broker.disconnect", broker.disconnect(), trace)
        unsubscribe_broker()
        await _bounded("gateway.close", gateway.close(), trace)
        unsubscribe_gateway()
    after = await leaks.settle(before)
    leak_counts = {"tasks_before": before.tasks, "tasks_after": after.tasks,
                   "sockets_before": before.sockets, "sockets_after": after.sockets,
                   "leaked_tasks": leaks.leaked_task_names() if after.tasks > before.tasks else []}
    evidence = Evidence(events=trace.events[:timeline_events], faults=timeline.fault_windows(), audit=audit,
                        leaks=leak_counts,
                        initial_state="ready", end=scenario.duration)
    expectations = evaluate(scenario, evidence)
    first = timeline.first_fault_window()
    return {
        "verdict": "pass" if all(e.ok for e in expectations) else "fail",
        "expectations": expectations,
        "detection": detection_after(evidence, first["start"]) if first and first.get("start") is not None else None,
        "recovery": recovery_after(evidence, first["start"], first["end"])
        if first and first.get("end") is not None else None,
        "injected": timeline.injected,
        "faults": [{"step": step, **window} for step, window in timeline.fault_windows().items()],
        "events": trace.events,
        "trace_sha256": trace_digest(trace.events, _wire_digest(loop)),
        "state_seconds": state_seconds(evidence.states(), scenario.duration),
    }


def state_seconds(states: list[tuple[float, str]], end: float) -> dict[str, float]:
    """How long the broker was ready, degraded and down (any other state) over the timeline."""
    totals = {"ready": 0.0, "degraded": 0.0, "down": 0.0}
    for (at, state), (until, _) in zip(states, states[1:] + [(end, "")]):
        group = state if state in ("ready", "degraded") else "down"
        totals[group] += max(0.0, min(until, end) - at)
    return {group: round(seconds, 6) for group, seconds in totals.items()}


def _wire_digest(loop: asyncio.AbstractEventLoop) -> str | None:
    """Every byte that crossed the in-memory network, hashed in order (virtual clock only)."""
    network = getattr(loop, "network", None)
    return None if network is None else network.wire.hexdigest()


async def _bounded(what: str, step: Awaitable[None], trace: Trace) -> None:
    """A teardown step that hangs must not hang the run: it is recorded and the next step runs."""
    try:
        await asyncio.wait_for(step, TEARDOWN_TIMEOUT)
    except asyncio.TimeoutError:
        trace.add("runner", "teardown_hung", {"step": what, "after": TEARDOWN_TIMEOUT})
        log.error("teardown step %s did not finish within %s s", what, TEARDOWN_TIMEOUT)


def _audit(broker: IBKRInsyncBroker, gateway: FakeGateway, actions: ClientActions, trace: Trace) -> dict[str, Any]:
    accepted = {c.data["key"] for c in trace.select("client", "call")
                if c.data.get("method") == "place_order" and c.data.get("ok")}
    book = gateway.brokerage.orders
    return audit_orders(broker.journal.orders(), broker.journal.fills(), book.orders.values(), book.executions,
                        {step_id: order.key for step_id, order in actions.orders.items()}, accepted)
