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

from ib_harness.broker import BaseBroker, BrokerSettings, IBKRInsyncBroker
from ib_harness.broker.orders import forget_sent_keys
from ib_harness import sim
from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.event_log import GatewayEvent

from . import clocks, leaks
from .broker_factory import BrokerFactory, BrokerFactoryError, build_broker, load_factory
from .client_calls import CALL_TIMEOUT, ClientActions
from .expectations import Evidence, detection_after, evaluate, recovery_after
from .loader import ScenarioFile
from .loop_lag import LoopLag
from .model import Scenario
from .observe import Journaled, Observable, state_name
from .order_audit import agreement, audit_orders
from .timeline import Timeline
from .trace import ScenarioResult, Trace, trace_digest
from .gateway_controller import InProcessGatewayController
from .world import apply_world

log = logging.getLogger("ib_harness.scenarios.runner")

CONNECT_TIMEOUT = 60.0  # the Watchdog waits its appStartupTime (30 s) after starting the gateway
TEARDOWN_TIMEOUT = 5.0


def resolve_broker(broker: "str | BrokerFactory | None", supervisor: str) -> "tuple[BrokerFactory | None, str]":
    """The factory a ``--broker`` value names (None: the library's broker) and its label.

    A user's broker supervises itself, so it cannot run under ib_insync's Watchdog."""
    if broker is None:
        return None, "builtin" if supervisor != "watchdog" else "watchdog"
    factory = load_factory(broker) if isinstance(broker, str) else broker
    if supervisor == "watchdog":
        raise BrokerFactoryError("--broker with supervisor watchdog: a user broker supervises itself")
    return factory, broker if isinstance(broker, str) else getattr(broker, "__qualname__", "factory")


async def replay(item: ScenarioFile, seed: int | None = None, supervisor: str | None = None,
                 clock: str | None = None, time_scale: float = 1.0,
                 broker: "str | BrokerFactory | None" = None, backend: str | None = None) -> ScenarioResult:
    """Run one scenario and judge it; an exception in the harness itself is an ``error`` verdict.

    ``broker`` is a ``module:factory`` name or a factory (see :mod:`.broker_factory`); absent, the
    library's own IBKRInsyncBroker under ``supervisor``. On the virtual clock the replay needs its
    own virtual loop: called from one it runs right there, called from an ordinary loop it runs on
    a fresh virtual loop in a worker thread.
    """
    chosen = clocks.resolve(clock, item.scenario.clock)
    time_scale = clocks.check_time_scale(time_scale, chosen)
    if (chosen == "virtual" and not clocks.on_virtual_loop()) or \
            (chosen == "real" and time_scale != clocks.running_scale()):
        return await asyncio.to_thread(replay_blocking, item, seed, supervisor, chosen, time_scale, broker, backend)
    if chosen == "real" and clocks.on_virtual_loop():
        raise RuntimeError("a real-clock replay cannot run on a virtual loop; use clock='virtual' or a real loop")
    scenario = item.scenario
    seed = scenario.seed if seed is None else seed
    supervisor = supervisor or scenario.broker.supervisor
    backend = backend or scenario.broker.backend  # the client library: ib_insync or ib_async
    wall_start = time.perf_counter()
    factory, label = resolve_broker(broker, supervisor)
    if factory is not None:
        supervisor = label
    base = dict(name=scenario.name, file=str(item.path), description=scenario.description,
                supervisor=supervisor, backend=backend, seed=seed, duration=scenario.duration, clock=chosen,
                time_scale=time_scale)
    try:
        with tempfile.TemporaryDirectory(prefix="ib-harness-") as workdir:
            result = await _replay(scenario, seed, supervisor, backend, Path(workdir), factory)
    except BrokerFactoryError:
        raise
    except Exception as exc:  # the report must say what broke, and the run goes on
        log.exception("scenario %s broke the runner", scenario.name)
        return ScenarioResult(**base, verdict="error", error=f"{type(exc).__name__}: {exc}",
                              wall=time.perf_counter() - wall_start)
    result.update(base)
    result["wall"] = time.perf_counter() - wall_start
    return ScenarioResult(**result)


def replay_blocking(item: ScenarioFile, seed: int | None = None, supervisor: str | None = None,
                    clock: str | None = None, time_scale: float = 1.0,
                    broker: "str | BrokerFactory | None" = None, backend: str | None = None) -> ScenarioResult:
    """:func:`replay` on a fresh loop of the chosen clock (a worker process or thread calls this)."""
    chosen = clocks.resolve(clock, item.scenario.clock)
    time_scale = clocks.check_time_scale(time_scale, chosen)
    return clocks.run_on(chosen, replay(item, seed, supervisor, chosen, time_scale, broker, backend),
                         start=item.scenario.gateway.start_time, seed=item.scenario.seed if seed is None else seed,
                         time_scale=time_scale)


async def _replay(scenario: Scenario, seed: int, supervisor: str, backend: str, workdir: Path,
                  factory: BrokerFactory | None = None) -> dict[str, Any]:
    before = leaks.census()
    forget_sent_keys()  # a new world: the seeded uuid4 mints the keys of the replay before again
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
    config = scenario.gateway.config(seed)
    if wall is not None and "order_clock_poll" not in scenario.gateway.settings:  # its clock moves only with the loop
        config = config.model_copy(update={"order_clock_poll": None})
    gateway = FakeGateway(config, clock=gateway_clock)
    await gateway.start()

    def on_gateway_event(event: GatewayEvent) -> None:
        trace.add("gateway", event.kind, {**event.data, "client_id": event.client_id},
                  at=trace.relative_gateway(event.at))

    unsubscribe_gateway = gateway.events.subscribe(on_gateway_event)
    apply_world(gateway, scenario.gateway)
    settings: dict[str, Any] = {"journal_path": workdir / "journal.sqlite3", "supervisor": supervisor,
                                "backend": backend, **scenario.broker.settings}
    settings.setdefault("backoff_seed", seed)
    broker: BaseBroker
    if supervisor == "watchdog":
        # Watchdog at its own defaults (appTimeout 20 s, probeTimeout 4 s, appStartupTime 30 s,
        # retryDelay 2 s) unless the scenario names others; the controller restarts the process
        settings["controller"] = InProcessGatewayController(gateway)
        broker = IBKRInsyncBroker(gateway.host, gateway.port, scenario.broker.client_id, **settings)
    elif factory is None:  # the library's broker (a module global: benchmarks swap in the legacy design)
        broker = IBKRInsyncBroker(gateway.host, gateway.port, scenario.broker.client_id, **settings)
    else:
        try:
            broker = build_broker(factory, gateway.host, gateway.port, scenario.broker.client_id, settings)
        except BaseException:
            await gateway.close()
            raise
    unsubscribe_broker = _observe(broker, trace)
    actions = ClientActions(broker, trace, call_timeout=_call_timeout(scenario))
    timeline = Timeline(scenario, seed, gateway, actions, trace)
    gateway_end: dict[str, Any] = {}
    lag = LoopLag(trace.now)
    try:
        # the first connect gets the runner's bound (the Watchdog waits its appStartupTime, 30 s),
        # not the broker's own connect timeout
        initial_state = await timeline.open(lambda timeout: broker.connect(CONNECT_TIMEOUT if timeout is None else timeout),
                                            CONNECT_TIMEOUT + 1,
                                            lambda: state_name(broker) or "ready")
        if not isinstance(loop, sim.VirtualClockLoop):  # virtual time never runs late
            lag.start()
        await timeline.run()
        trace.add("runner", "timeline_ended", {})
        timeline_events = len(trace.events)  # what teardown records (at the end's very instant on
        # the virtual clock: "stopped") is not part of what the expectations judge
        audit = await _audit(broker, gateway, actions, trace, scenario.broker.client_id)
        gateway_end = _gateway_lines(gateway, scenario.broker.client_id)
    finally:
        await lag.stop()
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
                        leaks=leak_counts, initial_state=initial_state, end=scenario.duration,
                        settings=BrokerSettings.model_validate(scenario.broker.settings).model_dump(mode="json"),
                        extra={"gateway_end": gateway_end, "prices": _pins(scenario), "loop_lags": lag.lags,
                               "fault_specs": {s.id: s.fault for s in scenario.steps if s.fault is not None and s.id}})
    expectations = evaluate(scenario, evidence)
    first = timeline.first_fault_window()
    return {
        "verdict": "pass" if all(e.ok for e in expectations) else "fail",
        "expectations": expectations,
        "detection": detection_after(evidence, first["start"]) if first and first.get("start") is not None else None,
        "recovery": recovery_after(evidence, first["start"]) if first and first.get("start") is not None else None,
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


def _observe(broker: BaseBroker, trace: Trace) -> Any:
    """Record the broker's own events if it has them (:class:`.observe.Observable`); else infer its
    state from call outcomes: an answer means ready, a BrokerUnavailable means disconnected."""
    if isinstance(broker, Observable):
        def on_broker_event(event: Any) -> None:
            trace.add("broker", event.kind, dict(event.data), at=trace.relative(event.at))
        return broker.events.subscribe(on_broker_event)
    last = ["ready"]

    def on_call(event: Any) -> None:
        if event.source != "client" or event.kind != "call":
            return
        now = "ready" if event.data.get("ok") else \
            "disconnected" if event.data.get("error_type") == "BrokerUnavailable" else last[0]
        if now != last[0]:
            trace.add("broker", "state", {"from": last[0], "to": now, "inferred": True}, at=event.at)
            last[0] = now
    trace.listen(on_call)
    return lambda: None


async def _audit(broker: BaseBroker, gateway: FakeGateway, actions: ClientActions, trace: Trace,
                 client_id: int) -> dict[str, Any]:
    accepted = {c.data["key"] for c in trace.select("client", "call")
                if c.data.get("method") == "place_order" and c.data.get("ok")}
    book = gateway.brokerage.orders
    placed = {step_id: order.key for step_id, order in actions.orders.items()}
    if isinstance(broker, Journaled):
        records, fills = list(broker.journal.orders()), list(broker.journal.fills())
    else:  # no journal: the broker's own view at quiescence; fills cannot be checked one by one
        try:
            records = await asyncio.wait_for(broker.get_orders(), TEARDOWN_TIMEOUT)
        except Exception as exc:
            trace.add("runner", "audit_incomplete", {"error": f"{type(exc).__name__}: {exc}"})
            records = []
        fills = None
    audit = audit_orders(records, fills or [], book.orders.values(),
                         book.executions if fills is not None else [], placed, accepted)
    audit["disagreements"] = agreement(records, book.orders.values(), client_id)
    return audit


def _call_timeout(scenario: Scenario) -> float:
    """When the runner gives up on a call: past the broker's own longest timeout (a placement waits
    for its acknowledgement, then asks the gateway), so the broker always gets to time out first."""
    settings = BrokerSettings.model_validate(scenario.broker.settings)
    return max(CALL_TIMEOUT, settings.order_ack_timeout + 2 * settings.request_timeout + 1.0)


def _pins(scenario: Scenario) -> dict[str, float]:
    """The prices the scenario pins at the start, by symbol (freshness is judged against them)."""
    return {symbol: (pin if isinstance(pin, (int, float)) else pin.price)
            for symbol, pin in scenario.gateway.prices.items()}


def _gateway_lines(gateway: FakeGateway, client_id: int) -> dict[str, Any]:
    """Subscriptions the broker's live session holds at the gateway at quiescence, by kind."""
    lines: dict[str, int] = {}
    for session in gateway.sessions:
        if session.client_id == client_id and session.phase != "closed":
            for kind, subs in session.subscriptions.items():
                lines[kind] = lines.get(kind, 0) + len(subs)
    return {"subscriptions": lines}
