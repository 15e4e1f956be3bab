"""Acting on IB's error codes (the table is error_policy.ERROR_ACTIONS).

Connectivity loss (1100) degrades and, unless 1101/1102 arrive within connectivity_grace, forces
a reconnect, in IB's nightly reset window too: that cures a stale session that would never hear
1102 (Lean#258). A fresh session that hears 1100 again means IB itself is away (its nightly reset
lasts up to ~2 min, weekends hours): reconnecting cannot cure that, so the broker stays on the
session and escalates again only after a wait that grows by connectivity_grace_growth up to
connectivity_grace_max. Farm blips only degrade the data of that farm.
Pacing (100) halves the request rate for a while; it never restarts anything.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING


from .client_adapter import ClientAdapter
from .connection import BuiltinSupervisor
from .error_policy import FARM_OF_CODE, Action, action_for
from .throttle import apply_throttle

if TYPE_CHECKING:
    from ib_insync import Contract

    from .ib_broker import IBKRInsyncBroker

log = logging.getLogger("ib_harness.broker.errors")

# codes about the connection itself; data-level notices (farms, 2100, 10197) do not become last_error
CONNECTION_ACTIONS = {Action.CONNECTIVITY_LOST, Action.RESTORED_DATA_LOST, Action.RESTORED_DATA_KEPT,
                      Action.CLIENT_ID_IN_USE, Action.RECONNECT, Action.PACING}


class IbErrorHandler:
    def __init__(self, broker: "IBKRInsyncBroker") -> None:
        self.broker = broker
        self._grace: asyncio.Task[None] | None = None
        # one outage (an 1100 not yet answered by 1101/1102) outlives the sessions it drops
        self._wait: float | None = None  # the next escalation's wait; None: no outage escalated yet
        self._heard_1100 = False  # on this session
        self._pacing: asyncio.Task[None] | None = None
        broker.ib.errorEvent += self.on_error

    def close(self) -> None:
        self.broker.ib.errorEvent -= self.on_error
        self.session_down()
        if self._pacing is not None:
            self._pacing.cancel()

    def session_up(self) -> None:
        """The session synced. Without an 1100 at its handshake IB is reachable: whatever outage
        the broker was escalating is over (the reconnect cured a stale session)."""
        if not self._heard_1100:
            self._wait = None

    def session_down(self) -> None:
        self._heard_1100 = False
        self._keepalive_suspended(False)
        if self._grace is not None:
            self._grace.cancel()
            self._grace = None

    def on_error(self, req_id: int, code: int, message: str, contract: Contract | None) -> None:
        b = self.broker
        b.metrics.ib_errors.labels(str(code)).inc()
        action = action_for(code)
        b.events.publish("ib_error", code=code, req_id=req_id, message=message, action=action.value)
        if action in CONNECTION_ACTIONS:
            b.machine.last_error = f"IB {code}: {message}"
        handler = getattr(self, f"_on_{action.value}", None)
        if handler is not None:
            handler(req_id, code, message)
        if code in b.backend.refusals_as_warnings and req_id >= 0:
            # a code this backend reads as a warning (ib_async: 321, 329) still refused the request:
            # fail it now with IB's error instead of leaving it to its timeout
            ClientAdapter(b.ib).fail_request(req_id, b.backend.RequestError(req_id, code, message))

    # ----- connectivity ---------------------------------------------------------------------------

    def _on_connectivity_lost(self, req_id: int, code: int, message: str) -> None:
        self.broker.degrade("1100", f"IB 1100: {message}")
        self._keepalive_suspended(True)
        self._heard_1100 = True
        if self._grace is None or self._grace.done():  # repeated 1100s do not restart the wait
            self._grace = asyncio.get_running_loop().create_task(self._escalate_after_grace())

    async def _escalate_after_grace(self) -> None:
        settings = self.broker.settings
        grace = self._wait if self._wait is not None else settings.connectivity_grace
        await asyncio.sleep(grace)
        self._grace = None
        self._wait = min(grace * settings.connectivity_grace_growth, settings.connectivity_grace_max)
        self.broker.events.publish("escalation", code=1100, after=grace)
        self.broker.supervisor.drop(f"no 1101/1102 within {grace} s after IB 1100")

    def _keepalive_suspended(self, suspended: bool) -> None:
        supervisor = self.broker.supervisor
        if isinstance(supervisor, BuiltinSupervisor):
            supervisor.keepalive.suspended = suspended

    def _restored(self, code: int) -> None:
        self.session_down()
        self._wait = None
        self.broker.undegrade("1100", f"IB {code}: connectivity restored")
        self.broker.reconcile_orders(f"IB {code}")

    def _on_restored_data_lost(self, req_id: int, code: int, message: str) -> None:
        self._restored(code)
        self.broker.market.resubscribe_all("IB 1101")

    def _on_restored_data_kept(self, req_id: int, code: int, message: str) -> None:
        self._restored(code)
        self.broker.market.verify_streams("IB 1102")

    def _on_reconnect(self, req_id: int, code: int, message: str) -> None:
        self.broker.supervisor.drop(f"IB {code}: {message}")

    # ----- data -----------------------------------------------------------------------------------

    def _on_account_unsubscribed(self, req_id: int, code: int, message: str) -> None:
        b = self.broker
        b.account_stale = True
        accounts = b.ib.client.getAccounts() if b.ib.client.isReady() else []
        account = b.settings.account or (accounts[0] if accounts else "")
        if b.ib.client.isConnected():
            b.ib.client.reqAccountUpdates(True, account)
            b.events.publish("account_resubscribed", account=account)

    def _on_farm_down(self, req_id: int, code: int, message: str) -> None:
        self.broker.market.farm_down(FARM_OF_CODE[code])

    def _on_farm_ok(self, req_id: int, code: int, message: str) -> None:
        farm = FARM_OF_CODE[code]
        if farm in self.broker.market.farms_down:
            self.broker.market.farm_ok(farm, f"IB {code}")

    def _on_farm_inactive(self, req_id: int, code: int, message: str) -> None:
        self.broker.market.verify_streams(f"IB {code}")

    def _on_bars_failed(self, req_id: int, code: int, message: str) -> None:
        self.broker.market.bars_failed(req_id)

    def _on_market_data_unavailable(self, req_id: int, code: int, message: str) -> None:
        self.broker.market.mark_unavailable(req_id, code, message)

    def _on_market_data_lines_full(self, req_id: int, code: int, message: str) -> None:
        self.broker.market.lines_full(req_id, code, message)

    def _on_client_id_in_use(self, req_id: int, code: int, message: str) -> None:
        if isinstance(self.broker.supervisor, BuiltinSupervisor):
            self.broker.supervisor.client_id_in_use = True

    def _on_pacing(self, req_id: int, code: int, message: str) -> None:
        """Slow down: halve ib_insync's own throttle for pacing_cooldown seconds."""
        normal = self.broker.settings.max_requests_per_second
        slowed = apply_throttle(self.broker.ib.client, max(1, normal // 2))  # not compounding: one 100 per burst is enough
        self.broker.events.publish("slow_down", max_requests_per_second=slowed)
        if self._pacing is not None:
            self._pacing.cancel()
        self._pacing = asyncio.get_running_loop().create_task(self._restore_rate())

    async def _restore_rate(self) -> None:
        await asyncio.sleep(self.broker.settings.pacing_cooldown)
        apply_throttle(self.broker.ib.client, self.broker.settings.max_requests_per_second)
        self._pacing = None
