"""IBKRInsyncBroker: the broker on one ib_insync IB() on the application's loop.

No threads or queues of its own: ib_insync's events drive the caches, the journal and the state
machine. Calls while not ready, or cut when the connection dies, raise BrokerUnavailable; every
request has a timeout (BrokerTimeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Callable, TypeVar

import pandas as pd

from .base import BaseBroker
from .backends import Backend, load_backend
from .client_adapter import ClientAdapter
from .connection import BuiltinSupervisor, Controller, WatchdogSupervisor, cancel_for_sure
from .error_handling import IbErrorHandler
from .errors import BrokerTimeout, BrokerUnavailable, MarketDataUnavailable, OrderRejected, RequestFailed
from .events import EventBus
from .journal import Journal
from .market_data import BarStream, MarketData
from .metrics import BrokerMetrics
from .models import Account, Order, OrderStatus, Position
from .orders import OrderBook
from .reconcile import Resolver, reconcile, watch_orders_of_session
from .risk import RiskChecker, RiskVerdict
from .settings import BrokerSettings
from .supervision import BrokerState, StateMachine
from .sync_gaps import SyncGaps
from .throttle import apply_throttle

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import IB, AccountValue

log = logging.getLogger("ib_harness.broker")
T = TypeVar("T")

ORDER_LISTS = ("open orders", "completed orders")  # startup answers reconcile needs to call an order absent
ACCOUNT_TAGS = {"NetLiquidation": "net_liquidation", "TotalCashValue": "total_cash",
                "BuyingPower": "buying_power", "AvailableFunds": "available_funds"}


class IBKRInsyncBroker(BaseBroker):
    def __init__(self, host: str = "127.0.0.1", port: int = 4002, client_id: int = 1, *,
                 settings: BrokerSettings | None = None, controller: Controller | None = None,
                 **setting_values: Any) -> None:
        self.settings = settings.model_copy(update=setting_values) if settings else \
            BrokerSettings.load(**setting_values)
        if self.settings.supervisor == "watchdog" and controller is None:
            raise ValueError("supervisor='watchdog' needs a controller (startAsync/terminateAsync)")
        self.host, self.port, self.client_id = host, port, client_id
        self.backend: Backend = load_backend(self.settings.backend)  # this broker's client library
        self.ib: IB = self.backend.IB()  # its IB with a startup sync that survives a lost answer
        self.ib.startup_fetch = self.backend.startup_fetch
        self.ib.RaiseRequestErrors = True  # a failed query raises; it never reads as "no data"
        apply_throttle(self.ib.client, self.settings.max_requests_per_second)
        self.events = EventBus()
        self.metrics = BrokerMetrics()
        self.machine = StateMachine(self.events, self.metrics)
        self.journal = Journal(self.settings.journal_path)
        self.risk = RiskChecker(self.settings)
        self.market = MarketData(self.ib, self.events, self.settings.stream_check_timeout,
                                 self.settings.market_data_max_lines, self.settings.market_data_line_ttl)
        self.book = OrderBook(self.ib, self.journal, self.events, self.metrics, self.settings.order_absent_after)
        self.book.gateway.lookup_timeout = self.settings.request_timeout
        self.account_stale = False
        self._degraded: dict[str, str] = {}
        self._session_lost: asyncio.Future[str] | None = None
        self._reconciling: asyncio.Task[None] | None = None
        self._order_watch: asyncio.Task[None] | None = None
        self._reconcile_again: str | None = None
        self.resolver = Resolver(self.book, self.reconcile_orders)
        self.supervisor: BuiltinSupervisor | WatchdogSupervisor
        if controller is not None and self.settings.supervisor == "watchdog":
            self.supervisor = WatchdogSupervisor(self.ib, self.settings, self.machine, self.events, self.metrics,
                                                 host, port, client_id, self, controller)
        else:
            self.supervisor = BuiltinSupervisor(self.ib, self.settings, self.machine, self.events, self.metrics,
                                                host, port, client_id, self)
        self.errors = IbErrorHandler(self)
        self.gaps = SyncGaps(self.ib, self.events, self.settings.sync_retry_interval, self.settings.request_timeout,
                             lambda verified: self.reconcile_orders(f"startup sync completed: {', '.join(verified)}"))
        self.ib.accountValueEvent += self._on_account_value
        self._closed = False

    # ----- lifecycle ------------------------------------------------------------------------------

    @property
    def state(self) -> BrokerState:
        return self.machine.state

    async def connect(self, timeout: float | None = None) -> None:
        """Start supervision and wait until a session is up (READY, or DEGRADED when IB reported a
        problem such as 1100 during the sync); on timeout raise BrokerUnavailable (supervision
        keeps trying in the background until disconnect())."""
        if self._closed:
            raise BrokerUnavailable(BrokerState.STOPPED.value, "broker was disconnected for good")
        self.supervisor.start()
        wait = timeout if timeout is not None else self.settings.connect_timeout + self.settings.request_timeout
        try:
            await self.machine.wait_for(BrokerState.READY, BrokerState.DEGRADED, timeout=wait)
        except asyncio.TimeoutError:
            raise BrokerUnavailable(self.state.value, self.machine.last_error) from None

    async def disconnect(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.supervisor.stop()
        await self.gaps.close()
        self.errors.close()
        for task in (self._reconciling, self._order_watch, self.resolver.stop()):
            await cancel_for_sure(task)
        self._reconciling = self._order_watch = None
        await self.market.close()
        self.book.close()
        self.ib.accountValueEvent -= self._on_account_value
        self.machine.to(BrokerState.STOPPED, "disconnect() called")
        self.journal.close()

    async def __aenter__(self) -> "IBKRInsyncBroker":
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.disconnect()

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any = None) -> AsyncIterator["IBKRInsyncBroker"]:
        """For FastAPI(lifespan=...): connect at startup, disconnect at shutdown."""
        await self.connect()
        try:
            yield self
        finally:
            await self.disconnect()

    def is_connected(self) -> bool:
        return self.ib.isConnected() and self.state in (BrokerState.READY, BrokerState.DEGRADED)

    # ----- session hooks (called by the supervisor) ------------------------------------------------

    async def on_session_up(self) -> None:
        self._session_lost = asyncio.get_running_loop().create_future()
        # _degraded is not cleared here: an 1100 heard during the connect belongs to this session
        self.book.session_started()
        adapter = ClientAdapter(self.ib)
        gaps = adapter.sync_gaps()
        unproven = [gap for gap in gaps if gap in ORDER_LISTS]
        left_out = [name for name in adapter.sync_skipped() if name in ORDER_LISTS]
        if left_out and not unproven:  # the startup sync left the lists to the live reconcile (ib_async)
            self.reconcile_orders(f"connect: {', '.join(left_out)} and every client's open orders")
        elif unproven:  # an order missing from an incomplete list is not proof that it is absent; the
            # live reconcile runs once SyncGaps has the lists (asking now would queue behind them)
            self.events.publish("reconcile_deferred", cause="connect", unverified=unproven)
        else:
            self._reconciled(reconcile(self.ib, self.journal, self.book), "connect")
            # ib_insync's sync loaded this client's open orders only: every client's come with a live
            # reconcile (orders of ours placed under another client id are adopted then)
            self.reconcile_orders("connect: every client's open orders")
        self._order_watch = asyncio.get_running_loop().create_task(watch_orders_of_session(
            self.journal, self.settings, self.ib.client.clientId, self.client_id, self.reconcile_orders,
            self._check_orders), name="broker-order-watch")
        self.account_stale = False
        self.gaps.session_started(gaps)
        if self.market.lines or self.market.bar_streams:
            self.market.resubscribe_all("reconnect")
        self.errors.session_up()

    def _reconciled(self, results: dict[str, int], cause: str) -> None:
        for name, count in results.items():
            if count:
                self.metrics.reconcile.labels(name).inc(count)
        self.events.publish("reconcile", results=results, cause=cause)

    def _check_orders(self, cause: str) -> None:
        if self.state is BrokerState.READY:  # in an outage IB holds the answers; 1101/1102 reconcile anyway
            self.reconcile_orders(cause)

    def reconcile_orders(self, cause: str) -> None:
        """Reconcile on the live session (after 1101/1102): IB does not replay an orderStatus or
        an execution it held or lost meanwhile, so ask for open orders, completed orders and
        executions again. One at a time: a request while one runs makes one more run after it
        (cancelling a running one would leave its answers arriving with no request pending)."""
        if self._reconciling is not None and not self._reconciling.done():
            self._reconcile_again = cause
            return
        self._reconciling = asyncio.get_running_loop().create_task(self._reconcile_live(cause),
                                                                   name="broker-reconcile")

    async def _reconcile_live(self, cause: str) -> None:
        try:
            async with asyncio.timeout(self.settings.request_timeout):
                fresh = await self.book.gateway_orders()  # completed, then every client's open orders
                await self.ib.reqExecutionsAsync()  # after the orders, as ib_insync's own sync does
        except (TimeoutError, ConnectionError, self.backend.RequestError) as exc:
            self.metrics.reconcile.labels("failed").inc()
            self.events.publish("reconcile_failed", cause=cause, error=repr(exc))
        else:
            self._reconciled(reconcile(self.ib, self.journal, self.book, fresh=fresh), cause)
        finally:
            if self._reconciling is asyncio.current_task():
                self._reconciling = None
        again, self._reconcile_again = self._reconcile_again, None
        if again is not None:
            self.reconcile_orders(again)

    def _stop_reconciling(self) -> None:
        for task in (self._reconciling, self._order_watch, self.resolver.stop()):
            if task is not None:
                task.cancel()
        self._reconciling = self._order_watch = None
        self._reconcile_again = None

    @property
    def sync_gaps(self) -> tuple[str, ...]:
        """What the startup sync of this session could not verify yet (e.g. ("executions",))."""
        return self.gaps.gaps

    def on_session_down(self, cause: str) -> None:
        self.gaps.stop()
        self._stop_reconciling()
        self.errors.session_down()
        self._degraded.clear()
        lost, self._session_lost = self._session_lost, None
        if lost is not None and not lost.done():
            lost.set_result(cause)

    def settled_state(self) -> BrokerState:
        return BrokerState.DEGRADED if self._degraded else BrokerState.READY

    def on_probe_overdue(self) -> None:
        self.degrade("probe", "keepalive probe overdue")

    def on_probe_answered(self) -> None:
        self.undegrade("probe")

    def degrade(self, reason: str, cause: str) -> None:
        self._degraded[reason] = cause
        if self.state == BrokerState.READY:
            self.machine.to(BrokerState.DEGRADED, cause)

    def undegrade(self, reason: str, cause: str = "") -> None:
        self._degraded.pop(reason, None)
        if not self._degraded and self.state == BrokerState.DEGRADED:
            self.machine.to(BrokerState.READY, cause or f"{reason} recovered")

    def _on_account_value(self, value: AccountValue) -> None:
        if self.account_stale:
            self.account_stale = False
            self.events.publish("account_fresh", account=value.account)

    # ----- call plumbing --------------------------------------------------------------------------

    def _require_ready(self) -> asyncio.Future[str]:
        lost = self._session_lost
        if self.state != BrokerState.READY or lost is None or lost.done():
            why = "; ".join(self._degraded.values()) if self.state == BrokerState.DEGRADED else ""
            raise BrokerUnavailable(self.state.value, why or self.machine.last_error or self.machine.cause)
        return lost

    async def _request(self, method: str, make: Callable[[], Awaitable[T]], timeout: float | None = None) -> T:
        """Run one request against the live session: fails fast when not ready, with
        BrokerUnavailable if the session dies under it and BrokerTimeout after ``timeout``.
        Runs inline (no extra task): losing the session cancels the calling task."""
        lost = self._require_ready()
        timeout = timeout or self.settings.request_timeout
        task = asyncio.current_task()
        assert task is not None
        cancelled_by_loss = False

        def on_lost(_: object) -> None:
            nonlocal cancelled_by_loss
            cancelled_by_loss = True
            task.cancel()

        lost.add_done_callback(on_lost)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                result = await make()
        except asyncio.CancelledError:
            if not cancelled_by_loss:
                raise
            task.uncancel()
            raise BrokerUnavailable(self.state.value, f"{method}: connection lost ({lost.result()})") from None
        except TimeoutError:
            raise BrokerTimeout(method, timeout) from None
        except ConnectionError as exc:
            raise BrokerUnavailable(self.state.value, f"{method}: connection lost ({exc})") from exc
        except self.backend.RequestError as exc:
            raise RequestFailed(method, exc.code, exc.message) from exc
        finally:
            lost.remove_done_callback(on_lost)
        self.metrics.latency_of(method).observe(time.perf_counter() - started)
        return result

    # ----- queries --------------------------------------------------------------------------------

    async def get_account(self) -> Account:
        self._require_ready()
        accounts = self.ib.client.getAccounts()
        account_id = self.settings.account or (accounts[0] if accounts else "")
        values: dict[str, str] = {}
        fields: dict[str, float] = {}
        for v in self.ib.accountValues(account_id):
            if v.currency in ("USD", "BASE", ""):
                values[v.tag] = v.value
                if v.tag in ACCOUNT_TAGS and v.currency in ("USD", "BASE"):
                    with contextlib.suppress(ValueError):
                        fields[ACCOUNT_TAGS[v.tag]] = float(v.value)
        if not values:
            raise BrokerUnavailable(self.state.value, f"no account values received for {account_id!r} yet")
        return Account(account_id=account_id, values=values, stale=self.account_stale, **fields)

    async def get_positions(self) -> list[Position]:
        self._require_ready()
        return [Position(account=p.account, symbol=p.contract.symbol, quantity=p.position, avg_cost=p.avgCost)
                for p in self.ib.positions(self.settings.account)]

    async def get_orders(self, status: OrderStatus | None = None) -> list[Order]:
        self._require_ready()
        return self.book.orders(status)

    async def get_market_price(self, symbol: str, max_age: float | None = None) -> float:
        """The current price: from a tick at most ``max_age`` seconds old (default the setting
        market_data_max_age); a silent line is requested again, a frozen price never returned."""
        self._require_ready()
        age = max_age if max_age is not None else self.settings.market_data_max_age
        live = self.market.live_price(symbol, age)
        if live is not None:  # the shared stream already has it: no request, no task
            return live
        t = self.settings.request_timeout
        return await self._request("get_market_price", lambda: self.market.price(symbol, t, age), timeout=t + 1)

    async def get_historical_bars(self, symbol: str, duration: str = "1 D", bar_size: str = "5 mins",
                                  what_to_show: str = "TRADES") -> pd.DataFrame:
        t = self.settings.request_timeout

        async def fetch() -> pd.DataFrame:
            contract = await self.market.contract(symbol, t)
            bars = await self.ib.reqHistoricalDataAsync(contract, "", duration, bar_size, what_to_show, False, 1)
            return pd.DataFrame([(b.date, b.open, b.high, b.low, b.close, b.volume) for b in bars],
                                columns=["time", "open", "high", "low", "close", "volume"])
        return await self._request("get_historical_bars", fetch)

    async def stream_bars(self, symbol: str, duration: str = "1800 S", bar_size: str = "5 secs",
                          what_to_show: str = "MIDPOINT") -> BarStream:
        """A keepUpToDate bar subscription, restored after reconnects, 1101 and 10182."""
        t = self.settings.request_timeout
        return await self._request("stream_bars", lambda: self.market.stream_bars(
            symbol, duration, bar_size, what_to_show, t))

    # ----- orders ---------------------------------------------------------------------------------

    async def validate_order(self, order: Order) -> RiskVerdict:
        """The risk checks as place_order runs them, without placing or counting anything."""
        return self.risk.check(order, *await self._risk_inputs(order))

    async def _risk_inputs(self, order: Order) -> tuple[float | None, float | None]:
        last = self.market.last_price(order.symbol)
        if last is None and self.state == BrokerState.READY:
            with contextlib.suppress(MarketDataUnavailable, BrokerTimeout, BrokerUnavailable, RequestFailed):
                last = await self.get_market_price(order.symbol)
        buying_power = None
        if self.settings.check_buying_power and self.state == BrokerState.READY:
            with contextlib.suppress(BrokerUnavailable):
                buying_power = (await self.get_account()).buying_power
        return last, buying_power

    async def place_order(self, order: Order) -> Order:
        self._require_ready()
        verdict = self.risk.admit(order, *await self._risk_inputs(order))  # checked and counted at once
        if not verdict.ok:
            self.metrics.orders.labels("risk_rejected").inc()
            raise OrderRejected("; ".join(verdict.reasons))
        t = self.settings.request_timeout

        async def place() -> Order:
            contract = await self.market.contract(order.symbol, t)
            self._require_ready()  # the link may have degraded while we looked the contract up
            return await self.book.place(order, contract, self.settings.order_ack_timeout, t)
        return await self._request("place_order", place, timeout=self.settings.order_ack_timeout + 2 * t)

    async def cancel_order(self, ref: str | int) -> Order:
        t = self.settings.request_timeout
        return await self._request("cancel_order", lambda: self.book.cancel(ref, t), timeout=t + 1)

    async def modify_order(self, ref: str | int, *, quantity: float | None = None,
                           limit_price: float | None = None, stop_price: float | None = None) -> Order:
        reasons = self.risk.term_reasons(quantity, limit_price, stop_price)
        if reasons:
            self.metrics.orders.labels("risk_rejected").inc()
            raise OrderRejected("; ".join(reasons))
        t = self.settings.request_timeout
        return await self._request("modify_order", lambda: self.book.modify(
            ref, t, quantity=quantity, limit_price=limit_price, stop_price=stop_price), timeout=t + 1)
