"""The two supervisors that own the connection: the built-in one (probe, backoff, circuit
breaker) and ib_insync's Watchdog driven through a controller. Both report to the broker through
the same two hooks, so everything above the socket is identical in both modes."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, Protocol, cast

from .backends import backend_of
from .backoff import Backoff, CircuitBreaker
from .client_adapter import ClientAdapter
from .events import EventBus
from .metrics import BrokerMetrics
from .probe import Keepalive
from .settings import BrokerSettings
from .stream_guard import StreamGuard
from .supervision import BrokerState, StateMachine

if TYPE_CHECKING:  # types only: the objects come from the broker's backend
    from ib_insync import IB, Watchdog

log = logging.getLogger("ib_harness.broker.connection")


class SessionHooks(Protocol):
    async def on_session_up(self) -> None:
        """Sync after a connect (reconcile, restore streams); raising fails the attempt."""

    def on_session_down(self, cause: str) -> None:
        """The socket is gone: fail in-flight calls, forget per-session state."""

    def settled_state(self) -> BrokerState:
        """READY, or DEGRADED when something (an 1100 during the sync) holds the session back."""

    def on_probe_overdue(self) -> None: ...

    def on_probe_answered(self) -> None: ...


class Controller(Protocol):
    """What ib_insync's Watchdog drives: IBC in production, an in-process gateway in tests."""

    async def startAsync(self) -> Any: ...

    async def terminateAsync(self) -> Any: ...


def close_ib(ib: IB) -> None:
    """Disconnect and fail every request future still pending in ib_insync (IB.disconnect alone
    leaves them waiting forever)."""
    ClientAdapter(ib).close()


async def cancel_for_sure(task: "asyncio.Future[Any] | None", wake: asyncio.Event | None = None) -> None:
    """Cancel and wait; repeat if the cancellation was swallowed (asyncio.wait_for in 3.11 can lose
    one when the awaited call completes at the same moment, e.g. inside ib_insync's connectAsync)."""
    while task is not None and not task.done():
        task.cancel()
        if wake is not None:
            wake.set()
        await asyncio.wait({task}, timeout=0.1)


def abort_socket(ib: IB) -> bool:
    """Drop the socket at once (RST, no flush): a dead peer cannot hold us in close()."""
    return ClientAdapter(ib).abort_socket()


class BuiltinSupervisor:
    def __init__(self, ib: IB, settings: BrokerSettings, machine: StateMachine, events: EventBus,
                 metrics: BrokerMetrics, host: str, port: int, client_id: int, hooks: SessionHooks) -> None:
        self.ib, self.settings, self.machine, self.events, self.metrics = ib, settings, machine, events, metrics
        self.host, self.port, self.client_id = host, port, client_id
        self.hooks = hooks
        self.backoff = Backoff(settings.backoff_initial, settings.backoff_max, settings.backoff_multiplier,
                               settings.backoff_reset_after, settings.backoff_seed)
        self.circuit = CircuitBreaker(settings.circuit_failures, settings.circuit_half_open_after)
        self.client = ClientAdapter(ib)
        self.keepalive = Keepalive(self.client, events, settings.probe_interval, settings.probe_timeout,
                                   settings.probe_overdue, hooks.on_probe_overdue, hooks.on_probe_answered,
                                   self._on_probe_dead)
        self.stream_guard = StreamGuard(self.client, self._on_out_of_sync)
        self.client_id_in_use = False
        self._live = False
        self._lost = asyncio.Event()
        self._cause = ""
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        ib.disconnectedEvent += self._on_disconnected

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="broker-supervisor")

    async def stop(self) -> None:
        self._stopping = True
        task, self._task = self._task, None
        await cancel_for_sure(task, self._lost)
        await self.keepalive.close()
        self.stream_guard.close()
        self.ib.disconnectedEvent -= self._on_disconnected
        was_live, self._live = self._live, False
        close_ib(self.ib)
        if was_live:
            self.hooks.on_session_down("broker stopped")

    def drop(self, cause: str) -> None:
        """Force a reconnect: abort the socket; the loop notices and reconnects."""
        if not self._live:
            return
        self._cause = self._cause or cause
        log.warning("dropping the connection: %s", cause)
        abort_socket(self.ib)
        self._lost.set()

    def _on_disconnected(self) -> None:
        if self._live:
            self._cause = self._cause or "gateway closed the connection"
            self._lost.set()

    def _on_probe_dead(self, silence: float) -> None:
        self.metrics.detection.observe(silence)
        self.drop(f"no data for {silence:.2f} s (probe unanswered within {self.settings.probe_timeout} s)")

    def _on_out_of_sync(self, problem: str) -> None:
        self.events.publish("stream_out_of_sync", problem=problem)
        if self._live:
            self.drop(f"inbound stream out of sync: {problem}")
        else:  # during a connect: fail the attempt now (it is retried) instead of at its timeout
            abort_socket(self.ib)

    async def _run(self) -> None:
        lost_at: float | None = None
        attempt = 0
        loop = asyncio.get_running_loop()
        while not self._stopping:
            if self.circuit.state == "open":
                self.machine.to(BrokerState.CIRCUIT_OPEN,
                                f"{self.circuit.failures} connects failed in a row; half-open in "
                                f"{self.circuit.remaining():.2f} s")
                await asyncio.sleep(self.circuit.remaining())
            half_open = self.circuit.state == "half_open"
            attempt += 1
            self.machine.to(BrokerState.CONNECTING, "half-open probe" if half_open else f"attempt {attempt}")
            error = await self._connect()
            if error is None:
                self.client_id_in_use = False
                error = await self._sync()
            if error is not None:  # a connect counts as a success only once its sync is done
                self.machine.last_error = error
                if self.circuit.record_failure():
                    continue
                delay = self.backoff.next_delay()
                self.machine.to(BrokerState.BACKING_OFF, f"{error}; retry in {delay:.2f} s")
                await asyncio.sleep(delay)
                continue
            self.circuit.record_success()
            self.machine.to(self.hooks.settled_state(), f"connected as client {self.client_id}")
            if lost_at is not None:
                downtime = loop.time() - lost_at
                self.metrics.reconnects.inc()
                self.metrics.recovery.observe(downtime)
                self.events.publish("reconnected", attempt=attempt, downtime=round(downtime, 3))
            self.backoff.connected()
            self.keepalive.start()
            await self._lost.wait()
            lost_at, attempt = loop.time(), 0
            self._session_ended()

    async def _connect(self) -> str | None:
        """One connect attempt; the error text, or None when connected."""
        self._lost.clear()
        self._cause = ""
        self.stream_guard.reset()
        try:
            await self._connect_or_closed()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # refused, reset, timeout, closed during sync: all retried
            self.ib.disconnect()
            error = f"connect to {self.host}:{self.port} failed: {exc!r}"
            self.hooks.on_session_down(error)  # what this attempt heard (an 1100) ends with it
            if self.client_id_in_use:
                error += " (client id in use: IB 326)"
                if self.settings.fallback_client_id is not None:
                    self.client_id = self.settings.fallback_client_id
                    error += f"; next attempt uses client id {self.client_id}"
                self.client_id_in_use = False
            return error
        self._live = True
        return None

    async def _connect_or_closed(self) -> None:
        """ib_insync's connect, failed at once when the peer closes the socket meanwhile (it would
        otherwise wait out its timeout: accept-then-close, a refused client id)."""
        loop = asyncio.get_running_loop()
        closed: asyncio.Future[str] = loop.create_future()
        stale = 1 if self.client.has_socket() else 0  # its close is not ours

        def on_closed(message: str) -> None:
            nonlocal stale
            if stale:
                stale -= 1
            elif not closed.done():
                closed.set_result(message or "the gateway closed the connection during connect")

        self.client.on_closed(on_closed)
        connect = asyncio.ensure_future(self.ib.connectAsync(
            self.host, self.port, self.client_id, timeout=self.settings.connect_timeout,
            account=self.settings.account))
        try:
            done, _ = await asyncio.wait({connect, closed}, return_when=asyncio.FIRST_COMPLETED)
            if connect not in done:
                await cancel_for_sure(connect)
                raise ConnectionError(closed.result())
            connect.result()
        except asyncio.CancelledError:
            await cancel_for_sure(connect)
            raise
        finally:
            self.client.off_closed(on_closed)
            closed.cancel()

    async def _sync(self) -> str | None:
        """The post-connect sync; the error text when it failed (the session is then ended)."""
        self.machine.to(BrokerState.SYNCING, "connected; reconciling and restoring subscriptions")
        try:
            await asyncio.wait_for(self.hooks.on_session_up(), self.settings.request_timeout)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            error = f"sync after connect failed: {exc!r}"
            self.drop(error)
            self._session_ended()
            return error
        if self._lost.is_set():
            error = f"session lost during its sync: {self._cause or 'connection lost'}"
            self._session_ended()
            return error
        return None

    def _session_ended(self) -> None:
        self.keepalive.stop()
        self.backoff.disconnected()
        self._live = False
        cause = self._cause or "connection lost"
        self.machine.last_error = cause
        abort_socket(self.ib)
        self.hooks.on_session_down(cause)
        self.machine.to(BrokerState.DISCONNECTED, cause)


class WatchdogSupervisor:
    """ib_insync's own Watchdog decides when to (re)start; the broker follows its events."""

    def __init__(self, ib: IB, settings: BrokerSettings, machine: StateMachine, events: EventBus,
                 metrics: BrokerMetrics, host: str, port: int, client_id: int, hooks: SessionHooks,
                 controller: Controller) -> None:
        self.ib, self.machine, self.events, self.metrics, self.hooks = ib, machine, events, metrics, hooks
        self.settings = settings
        self.watchdog = backend_of(ib).Watchdog(cast(Any, controller), ib, host=host, port=port, clientId=client_id,
                                 connectTimeout=settings.connect_timeout,
                                 appStartupTime=settings.watchdog_app_startup_time,
                                 appTimeout=settings.watchdog_app_timeout,
                                 retryDelay=settings.watchdog_retry_delay,
                                 probeTimeout=settings.watchdog_probe_timeout, account=settings.account)
        self._runner: asyncio.Future[Any] | None = None
        self._sync_task: asyncio.Task[None] | None = None
        self._live = False
        self._lost_at: float | None = None
        ib.connectedEvent += self._on_connected
        ib.disconnectedEvent += self._on_disconnected
        self.watchdog.stoppedEvent += self._on_app_stopped
        self.watchdog.hardTimeoutEvent += self._on_hard_timeout

    def start(self) -> None:
        if self._runner is None:
            self.machine.to(BrokerState.CONNECTING, "watchdog starting the app")
            self._runner = self.watchdog.start()

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        self.watchdog.stop()
        for task in (runner, self._sync_task):
            await cancel_for_sure(task)
        self.ib.connectedEvent -= self._on_connected
        self.ib.disconnectedEvent -= self._on_disconnected
        close_ib(self.ib)
        if self._live:
            self._live = False
            self.hooks.on_session_down("broker stopped")

    def drop(self, cause: str) -> None:
        if self._live:
            self.machine.last_error = cause
            abort_socket(self.ib)

    def _on_connected(self) -> None:
        self._live = True
        self.machine.to(BrokerState.SYNCING, "watchdog connected")
        self._sync_task = asyncio.get_running_loop().create_task(self._sync())

    async def _sync(self) -> None:
        try:
            await asyncio.wait_for(self.hooks.on_session_up(), self.settings.request_timeout)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.drop(f"sync after connect failed: {exc!r}")
            return
        self.machine.to(self.hooks.settled_state(), "watchdog connected and synced")
        if self._lost_at is not None:
            downtime = asyncio.get_running_loop().time() - self._lost_at
            self.metrics.reconnects.inc()
            self.metrics.recovery.observe(downtime)
            self.events.publish("reconnected", attempt=1, downtime=round(downtime, 3))
            self._lost_at = None

    def _on_disconnected(self) -> None:
        if not self._live:
            self.hooks.on_session_down("connect failed")  # what a failed attempt heard ends with it
            return
        self._live = False
        self._lost_at = asyncio.get_running_loop().time()
        cause = self.machine.last_error or "disconnected"
        self.hooks.on_session_down(cause)
        self.machine.to(BrokerState.DISCONNECTED, cause)

    def _on_hard_timeout(self, _watchdog: Watchdog) -> None:
        self.events.publish("probe_timeout", silence=None, source="watchdog")
        self.machine.last_error = "watchdog hard timeout"
        if self._live:
            self._on_disconnected()

    def _on_app_stopped(self, _watchdog: Watchdog) -> None:
        if self._runner is not None:
            self.machine.to(BrokerState.BACKING_OFF,
                            f"watchdog restarting the app in {self.settings.watchdog_retry_delay} s")
