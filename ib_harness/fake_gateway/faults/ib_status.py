"""The IB status family: the notices IB sends about itself, with their real side effects.

Each fault is a thin object over :mod:`fake_gateway.session.status`, which sends IB's code and
text and changes the targeted session's :class:`~fake_gateway.session.client_state.ClientState`:
streams stop at their source, requests are held, subscriptions are dropped, exactly as far as IB
goes. A fault applies to every session it targets when it fires and to any targeted client that
connects while it is active; ending it undoes what IB would undo (a farm comes back, the
competing session ends, connectivity returns with data maintained).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from ..session import status
from ..state import ib_side
from ..session.client_state import PacingLimits, client_state
from .base import Fault, register
from .spec import FaultSpec

if TYPE_CHECKING:
    from ..session.session import Session

FarmName = Literal["market", "hmds", "secdef"]


class StatusFault(Fault):
    """A fault whose effect on a session is IB's notice plus its side effects (``apply``).

    An IB-side condition is not a property of a connection: while active, the fault holds its
    condition in the brokerage (:class:`~fake_gateway.state.ib_side.IbSide`), whose farms a
    greeting does not announce as OK; a client that connects meanwhile is attached at accept and
    the fault applies once it is logged in (:meth:`greeted`, after the greeting). A reconnect does
    not cure an outage.
    """

    def __init__(self, spec: FaultSpec | None = None) -> None:
        super().__init__(spec)
        self.pending: set["Session"] = set()  # attached before their greeting; applied by greeted()

    def attach(self, session: "Session") -> None:
        if session.phase == "ready":
            self.apply(session)
        else:
            self.pending.add(session)

    def greeted(self, session: "Session") -> None:
        if session in self.pending:
            self.pending.discard(session)
            if self.handle is not None and self.handle.active:
                self.apply(session)

    def on_session_closed(self, session: "Session") -> None:
        self.pending.discard(session)

    def hold(self, *conditions: str) -> None:
        """Put IB-side conditions in the brokerage while this fault is active (for every client,
        or for the fault's client id): a session's greeting reads them there."""
        for condition in conditions:
            self.gateway.brokerage.ib_side.hold(condition, self._cause, self.client_id)

    def release(self, *conditions: str) -> None:
        """Lift some of this fault's conditions (all of them when none is named)."""
        held = self.gateway.brokerage.ib_side
        for condition in conditions or (None,):
            held.release(self._cause, condition)

    @property
    def _cause(self) -> str:
        return self.handle.id if self.handle is not None else f"fault:{id(self)}"

    def ib_still_away(self, session: "Session") -> bool:
        """Another incident still holds connectivity for this client: this one ending is not IB
        coming back (overlapping outages lift independently; 1101/1102 follow the last)."""
        return self.gateway.brokerage.ib_side.holds(ib_side.CONNECTIVITY, session.client_id)

    def apply(self, session: "Session") -> None:
        """Send the notice to ``session`` and change its state as IB does."""

    def on_request(self, session: "Session", fields: list[str]) -> bool:
        """Requests this client's state says must wait (connectivity lost, HMDS down) are held."""
        return not status.hold_request(session, fields)


class OneShot(StatusFault):
    """A notice sent once to every targeted session; it ends at once, unless a ``duration`` keeps
    it active so that targeted clients connecting meanwhile get it too."""

    def start(self) -> None:
        if self.spec is None or self.spec.duration is None:
            if self.pending:  # fired by a client's connect: its notice follows the greeting first
                asyncio.get_running_loop().call_soon(self.finish)
            else:
                self.finish()

    def stop_others(self, kinds: tuple[str, ...], farm: str | None = None) -> None:
        """End the active faults this one answers (same target or narrower): a farm_up ends the
        farm_down of that farm, a connectivity_restored ends connectivity_lost."""
        for handle in self.gateway.faults.handles():
            other = handle.fault
            if handle is self.handle or handle.kind not in kinds or not handle.active:
                continue
            if farm is not None and getattr(other.spec, "farm", None) != farm:
                continue
            if self.client_id is None or other.client_id == self.client_id:
                handle.stop()


# ----- ib_error -------------------------------------------------------------------------------------


class IbErrorSpec(FaultSpec):
    kind: Literal["ib_error"]
    code: int = Field(description="IB's error code, e.g. 2110 or 504")
    text: str = Field(min_length=1, description="the error text as IB words it")
    req_id: int = Field(-1, ge=-1, description="the request it refers to; -1: none")


class IbError(OneShot):
    """Any error or notice, to one client or all, with an optional request id."""

    spec: IbErrorSpec

    def apply(self, session: "Session") -> None:
        status.send_notice(session, self.spec.code, self.spec.text, self.spec.req_id)


# ----- account data ---------------------------------------------------------------------------------


class AccountUnsubscribedSpec(FaultSpec):
    kind: Literal["account_unsubscribed"]


class AccountUnsubscribed(OneShot):
    """2100: the client's account updates stop until it sends reqAccountUpdates again."""

    def apply(self, session: "Session") -> None:
        status.account_unsubscribed(session)


# ----- connectivity between the gateway and IB -------------------------------------------------------


class ConnectivityLostSpec(FaultSpec):
    kind: Literal["connectivity_lost"]


class ConnectivityLost(StatusFault):
    """1100 while active: the socket stays up, data stops, requests are held. Ending it without a
    connectivity_restored restores with data maintained (1102)."""

    def start(self) -> None:
        self.hold(ib_side.CONNECTIVITY, *(ib_side.farm(name) for name in status.FARMS))

    def stop(self) -> None:
        self.release()

    def apply(self, session: "Session") -> None:
        status.connectivity_lost(session)

    def detach(self, session: "Session") -> None:
        if not self.ib_still_away(session):
            status.connectivity_restored(session, data_lost=False)


class ConnectivityRestoredSpec(FaultSpec):
    kind: Literal["connectivity_restored"]
    data_lost: bool = Field(False, description="1101 (subscriptions gone) instead of 1102 (data maintained)")


class ConnectivityRestored(OneShot):
    """1101 or 1102 to every targeted client that lost connectivity; held requests are answered."""

    spec: ConnectivityRestoredSpec

    def apply(self, session: "Session") -> None:
        status.connectivity_restored(session, self.spec.data_lost)

    def start(self) -> None:
        # Already applied (attach runs before start), so the ended faults find nothing to restore.
        self.stop_others(("connectivity_lost",))
        super().start()


# ----- data farms -----------------------------------------------------------------------------------


class FarmSpec(FaultSpec):
    farm: FarmName
    name: str | None = Field(None, min_length=1, description="the farm's name in the notice (default usfarm, ushmds, secdefil)")


class FarmDownSpec(FarmSpec):
    kind: Literal["farm_down"]


class FarmUpSpec(FarmSpec):
    kind: Literal["farm_up"]


class FarmDown(StatusFault):
    """2103/2105/2157 while active (market data pauses; HMDS ends live bars with 10182 and holds
    historical requests); the matching OK notice when it ends."""

    spec: FarmDownSpec

    def start(self) -> None:
        self.hold(ib_side.farm(self.spec.farm))

    def stop(self) -> None:
        self.release()

    def apply(self, session: "Session") -> None:
        status.farm_down(session, self.spec.farm, self.spec.name)

    def detach(self, session: "Session") -> None:
        if self.spec.farm in client_state(session).farms_down:
            status.farm_up(session, self.spec.farm, self.spec.name)


class FarmUp(OneShot):
    """2104/2106/2158: the farm is back (ends a farm_down of that farm)."""

    spec: FarmUpSpec

    def apply(self, session: "Session") -> None:
        status.farm_up(session, self.spec.farm, self.spec.name)

    def start(self) -> None:
        self.stop_others(("farm_down",), self.spec.farm)
        super().start()


# ----- client ids, competing sessions, pacing --------------------------------------------------------


class ClientIdInUseSpec(FaultSpec):
    kind: Literal["client_id_in_use"]
    count: int = Field(1, ge=1, description="refuse this many connects of the client id, then end")


class ClientIdInUse(Fault):
    """The next connect of the client id (any id without ``client_id``) gets 326 and is closed."""

    spec: ClientIdInUseSpec
    refused = 0

    def on_claim(self, session: "Session", client_id: int) -> bool:
        if self.client_id is not None and client_id != self.client_id:
            return True
        self.refused += 1
        if self.refused >= self.spec.count:
            self.finish()
        return False


class CompetingSessionSpec(FaultSpec):
    kind: Literal["competing_session"]


class CompetingSession(StatusFault):
    """10197 on every market data line; no market data until the fault ends."""

    def start(self) -> None:
        self.hold(ib_side.COMPETING_SESSION)

    def stop(self) -> None:
        self.release()

    def apply(self, session: "Session") -> None:
        status.competing_session_started(session)

    def detach(self, session: "Session") -> None:
        status.competing_session_ended(session)


class PacingSpec(FaultSpec):
    kind: Literal["pacing"]
    max_messages_per_second: int | None = Field(None, ge=1, description="error 100 above this rate")
    historical_max_requests: int | None = Field(None, ge=1, description="error 162 above this many historical requests ...")
    historical_window: float | None = Field(None, gt=0, description="... within this many seconds (default: the gateway's)")

    @model_validator(mode="after")
    def _some_limit(self) -> "PacingSpec":
        if self.max_messages_per_second is None and self.historical_max_requests is None:
            raise ValueError("give max_messages_per_second and/or historical_max_requests")
        return self


class Pacing(Fault):
    """Tighter 100/162 limits for the targeted clients while active."""

    spec: PacingSpec

    def attach(self, session: "Session") -> None:
        spec = self.spec
        client_state(session).limits = PacingLimits(spec.max_messages_per_second, spec.historical_max_requests,
                                                    spec.historical_window)

    def detach(self, session: "Session") -> None:
        client_state(session).limits = PacingLimits()


register("ib_error", IbErrorSpec, IbError)
register("account_unsubscribed", AccountUnsubscribedSpec, AccountUnsubscribed)
register("connectivity_lost", ConnectivityLostSpec, ConnectivityLost)
register("connectivity_restored", ConnectivityRestoredSpec, ConnectivityRestored)
register("farm_down", FarmDownSpec, FarmDown)
register("farm_up", FarmUpSpec, FarmUp)
register("client_id_in_use", ClientIdInUseSpec, ClientIdInUse)
register("competing_session", CompetingSessionSpec, CompetingSession)
register("pacing", PacingSpec, Pacing)
