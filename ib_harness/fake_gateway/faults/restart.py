"""Gateway-wide restarts as users log them: IB Gateway's daily restart and the weekly token expiry.

Connection-family kinds (they act on the listener and every session), kept apart from
:mod:`.connection` because each is a small timed sequence rather than a socket behaviour.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..session.session import reset
from ..session.status import farm_down, farm_up
from ..state.ib_side import TOKEN_EXPIRED
from .base import Fault, register
from .connection import ListenerFaultSpec

if TYPE_CHECKING:
    from ..session.session import Session

# The farms a gateway reports reconnecting after a restart (farm, the name IB gives it).
FLAPPING_FARMS = (("market", "usfarm"), ("market", "cashfarm"), ("hmds", "ushmds"), ("secdef", "secdefil"))


class DailyRestartSpec(ListenerFaultSpec):
    kind: Literal["daily_restart"]
    down_seconds: float = Field(1.0, ge=0, description="how long the gateway is down")
    early_connects: Literal["refused", "reset"] = Field(
        "refused", description="during the down window: ECONNREFUSED, or accepted and reset (docker/socat)")
    hold_client_ids: float = Field(0.0, ge=0, description="seconds after the reset the old client ids get 326")
    flap_seconds: float = Field(0.0, ge=0, description="after listening again, new sessions see farms flap")
    order_id_rollback: int = Field(0, ge=0, description="first nextValidId after it is this far below the last id used")


class DailyRestart(Fault):
    """Reset every session, stay down, listen again with the state kept, then let farm notices flap.

    It ends by itself after the down window and the flapping (or the hold of client ids).
    """

    per_session = False

    def __init__(self, spec: DailyRestartSpec) -> None:
        super().__init__(spec)
        self.config = spec
        self.held: set[int] = set()
        self.held_until = 0.0
        self.resetting = False
        self.flapping_until = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = self.spawn(self._run())

    async def _run(self) -> None:
        gateway, spec = self.gateway, self.config
        loop = asyncio.get_running_loop()
        gateway.events.record("restart", reason="daily_restart", down_seconds=spec.down_seconds)
        self.held = {s.client_id for s in gateway.sessions if s.client_id is not None}
        self.held_until = loop.time() + spec.hold_client_ids
        if spec.early_connects == "refused":
            gateway.close_listener()
        else:
            self.resetting = True
        await gateway.drop_sessions(abort=True)
        await asyncio.sleep(spec.down_seconds)
        if spec.order_id_rollback:
            gateway.brokerage.roll_back_order_ids(spec.order_id_rollback)
        self.resetting = False
        self.flapping_until = loop.time() + spec.flap_seconds
        await gateway.start()
        await asyncio.sleep(max(spec.flap_seconds, self.held_until - loop.time(), 0.0))
        self._task = None
        self.finish()

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.faults is not None and not self.faults.closing and not self.gateway.listening:
            self.spawn(self.gateway.start())

    def on_accept(self, session: "Session") -> bool:
        if self.resetting and session.transport is not None:
            session.aborted = True
            reset(session.transport)
            return False
        return True

    def on_claim(self, session: "Session", client_id: int) -> bool:
        loop = asyncio.get_running_loop()
        if client_id in self.held and loop.time() < self.held_until:
            return False
        if loop.time() < self.flapping_until:
            loop.call_soon(self._flap, session)  # after the greeting the claim is part of
        return True

    def _flap(self, session: "Session") -> None:
        """Some farms (seeded choice) report broken, then OK again a moment later, with the side
        effects of a real farm outage (ticks pause while the market farm is down)."""
        farms = [farm for farm in FLAPPING_FARMS if self.random.random() < 0.5] or [FLAPPING_FARMS[0]]
        for farm, name in farms:
            farm_down(session, farm, name)
        delay = self.random.uniform(0.05, 0.2)

        def recovered() -> None:
            if session.phase != "closed":
                for farm, name in farms:
                    farm_up(session, farm, name)

        asyncio.get_running_loop().call_later(delay, recovered)


class TokenExpirySpec(ListenerFaultSpec):
    kind: Literal["token_expiry"]


class TokenExpiry(Fault):
    """The weekly "Auto-restart token expired" shutdown: every session closes and the gateway stays
    down until it is started again by hand (``await gw.start()``), which ends the fault."""

    per_session = False

    def start(self) -> None:
        self.gateway.brokerage.ib_side.hold(TOKEN_EXPIRED, self.handle.id if self.handle else "token_expiry")
        self.gateway.events.record("restart", reason="token_expiry", down_seconds=None)
        self.gateway.close_listener()
        for session in list(self.gateway.sessions):
            session.close("auto-restart token expired")

    def on_listening(self) -> None:
        self.finish()

    def stop(self) -> None:
        self.gateway.brokerage.ib_side.release(self.handle.id if self.handle else "token_expiry")


register("daily_restart", DailyRestartSpec, DailyRestart)
register("token_expiry", TokenExpirySpec, TokenExpiry)
