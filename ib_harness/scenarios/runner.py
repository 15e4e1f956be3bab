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

from ib_harness.broker import BrokerEvent, BrokerSettings, IBKRInsyncBroker
from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.event_log import GatewayEvent

from . import leaks
from .client_calls import ClientActions
from .expectations import Evidence, detection_after, evaluate, recovery_after
from .loader import ScenarioFile
from .model import Scenario
from .order_audit import audit_orders
from .timeline import Timeline
from .trace import ScenarioResult, Trace
from .gateway_controller import InProcessGatewayController
from .world import apply_world

log = logging.getLogger("ib_harness.scenarios.runner")

CONNECT_TIMEOUT = 10.0
TEARDOWN_TIMEOUT = 5.0
# Watchdog at equal settings: its idle timeout is the probe interval, its probe timeout the probe
# timeout, its retry delay the first backoff step; the app (the in-process gateway) starts at once.
WATCHDOG_EQUIVALENTS = {"watchdog_app_timeout": "probe_interval", "watchdog_probe_timeout": "probe_timeout",
                        "watchdog_retry_delay": "backoff_initial"}
WATCHDOG_APP_STARTUP = 0.1


def watchdog_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The scenario's settings with Watchdog's timings set equal to the builtin supervisor's."""
    defaults = BrokerSettings.model_validate({})
    result = dict(settings)
    for watchdog_field, builtin_field in WATCHDOG_EQUIVALENTS.items():
        result.setdefault(watchdog_field, settings.get(builtin_field, getattr(defaults, builtin_field)))
    result.setdefault("watchdog_app_startup_time", WATCHDOG_APP_STARTUP)
    return result


async def replay(item: ScenarioFile, seed: int | None = None, supervisor: str | None = None,
                 backend: str | None = None) -> ScenarioResult:
    """Run one scenario and judge it; an exception in the harness itself is an ``error`` verdict.
    ``supervisor`` and ``backend`` (the client library) default to the file's own."""
    scenario = item.scenario
    seed = scenario.seed if seed is None else seed
    supervisor = supervisor or scenario.broker.supervisor
    backend = backend or scenario.broker.backend
    wall_start = time.perf_counter()
    base = dict(name=scenario.name, file=str(item.path), description=scenario.description,
                supervisor=supervisor, backend=backend, seed=seed, duration=scenario.duration)
    try:
        with tempfile.TemporaryDirectory(prefix="ib-harness-") as workdir:
            result = await _replay(scenario, seed, supervisor, backend, Path(workdir))
    except Exception as exc:  # the report must say what broke, and the run goes on
        log.exception("scenario %s broke the runner", scenario.name)
        return ScenarioResult(**base, verdict="error", error=f"{type(exc).__name__}: {exc}",
                              wall=time.perf_counter() - wall_start)
    result.update(base)
    result["wall"] = time.perf_counter() - wall_start
    return ScenarioResult(**result)


async def _replay(scenario: Scenario, seed: int, supervisor: str, backend: str, workdir: Path) -> dict[str, Any]:
    before = leaks.census()
    trace = Trace()
    # the gateway lives at the scenario's start_time (its clock runs at real speed from there), so
    # market hours, bars and order expiry are the same whenever the replay runs
    offset = trace.gateway_offset = scenario.gateway.start_time.timestamp() - time.time()
    gateway = FakeGateway(scenario.gateway.config(seed), clock=lambda: time.time() + offset)
    await gateway.start()

    def on_gateway_event(event: GatewayEvent) -> None:
        trace.add("gateway", event.kind, {**event.data, "client_id": event.client_id},
                  at=trace.relative_gateway(event.at))

    unsubscribe_gateway = gateway.events.subscribe(on_gateway_event)
    apply_world(gateway, scenario.gateway)
    settings: dict[str, Any] = {"journal_path": workdir / "journal.sqlite3", "supervisor": supervisor,
                                "backend": backend, **scenario.broker.settings}
    settings.setdefault("backoff_seed", seed)
    if supervisor == "watchdog":
        settings = watchdog_settings(settings)
        settings["controller"] = InProcessGatewayController(gateway)
    broker = IBKRInsyncBroker(gateway.host, gateway.port, scenario.broker.client_id, **settings)

    def on_broker_event(event: BrokerEvent) -> None:
        trace.add("broker", event.kind, dict(event.data), at=trace.relative(event.at))

    unsubscribe_broker = broker.events.subscribe(on_broker_event)
    actions = ClientActions(broker, trace)
    timeline = Timeline(scenario, seed, gateway, actions, trace)
    try:
        await asyncio.wait_for(broker.connect(), CONNECT_TIMEOUT)
        trace.restart_clock()
        trace.add("runner", "timeline_started", {"state": str(getattr(broker.state, "value", broker.state))})
        await timeline.run()
        trace.add("runner", "timeline_ended", {})
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
    evidence = Evidence(events=trace.events, faults=timeline.fault_windows(), audit=audit, leaks=leak_counts,
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
    }


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
