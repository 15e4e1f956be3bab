"""``nightly_reset``: IB's nightly server reset as users log it (part of the IB status family).

The gateway stays up; IB's servers go away. Users see 1100 with every farm broken, 1100 again
every few seconds, then about 15 s later one of three endings: 1102 (data maintained), 1101
(data lost: every market data and account subscription must be requested again), or 1102 with
some farms still broken for a while. Farm notices flap (broken, then OK) after the recovery. The
ending, the farms left down and the flapping farms are seeded choices, recorded in the event log
as ``nightly_reset`` so a timeline shows what was chosen.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..session import status
from ..session.client_state import client_state
from ..state import ib_side
from .base import register
from .ib_status import StatusFault
from .spec import FaultSpec

if TYPE_CHECKING:
    from ..session.session import Session

OUTCOMES = ("maintained", "lost", "farms_down")


class NightlyResetSpec(FaultSpec):
    kind: Literal["nightly_reset"]
    recover_after: float = Field(15.0, gt=0, description="seconds from the first 1100 to the recovery")
    repeat_every: float = Field(5.0, gt=0, description="1100 is repeated this often until the recovery")
    outcome: Literal["maintained", "lost", "farms_down", "random"] = Field(
        "random", description="1102, 1101, or 1102 with farms still down; random: a seeded choice")
    farms_recover_after: float | None = Field(
        5.0, gt=0, description="with farms_down: seconds until those farms come back (absent: until stopped)")
    flaps: int = Field(2, ge=0, le=20, description="farm notices that flap (broken, then OK) after the recovery")
    flap_seconds: float = Field(0.3, gt=0, description="how long a flapping farm stays broken")


class NightlyReset(StatusFault):
    """The reset's timeline runs as one task the gateway owns; stopping the fault ends it early
    with connectivity restored (data maintained) and every farm back."""

    spec: NightlyResetSpec
    phase = "lost"  # until the recovery: clients that connect meanwhile see 1100 too
    still_down: tuple[str, ...] = ()

    def start(self) -> None:
        spec, rnd = self.spec, self.random
        self.outcome = spec.outcome if spec.outcome != "random" else rnd.choice(OUTCOMES)
        if self.outcome == "farms_down":
            self.still_down = tuple(sorted(rnd.sample(status.FARMS, rnd.randint(1, 2))))
        flappable = [farm for farm in status.FARMS if farm not in self.still_down]
        self.flapping = [rnd.choice(flappable) for _ in range(spec.flaps)]
        self.record("nightly_reset", outcome=self.outcome, still_down=list(self.still_down), flaps=self.flapping)
        self.hold(ib_side.CONNECTIVITY, *(ib_side.farm(name) for name in status.FARMS))
        self.task = self.spawn(self._timeline())

    def targeted(self) -> list["Session"]:
        return sorted((s for s in self.gateway.sessions if s.phase == "ready" and self.targets(s)),
                      key=lambda s: s.number)

    async def _timeline(self) -> None:
        spec = self.spec
        waited = 0.0
        while waited + spec.repeat_every < spec.recover_after:
            await asyncio.sleep(spec.repeat_every)
            waited += spec.repeat_every
            for session in self.targeted():
                status.connectivity_lost(session)
        await asyncio.sleep(spec.recover_after - waited)
        self.phase = "recovered"
        self.release(ib_side.CONNECTIVITY, *(ib_side.farm(name) for name in status.FARMS if name not in self.still_down))
        for session in self.targeted():
            if not self.ib_still_away(session):
                status.connectivity_restored(session, self.outcome == "lost", self.still_down)
        for farm in self.flapping:
            await asyncio.sleep(spec.flap_seconds)
            for session in self.targeted():
                status.farm_down(session, farm)
            await asyncio.sleep(spec.flap_seconds)
            for session in self.targeted():
                status.farm_up(session, farm)
        if self.still_down and spec.farms_recover_after is None:
            return  # the farms stay down until the fault is stopped
        if self.still_down:
            await asyncio.sleep(spec.farms_recover_after or 0)
        self.finish()

    def apply(self, session: "Session") -> None:
        if self.phase == "lost":
            status.connectivity_lost(session)
        else:
            for farm in self.still_down:
                status.farm_down(session, farm)

    def detach(self, session: "Session") -> None:
        if not self.ib_still_away(session):
            status.connectivity_restored(session, data_lost=False)
        for farm in self.still_down:
            if farm in client_state(session).farms_down:
                status.farm_up(session, farm)

    def stop(self) -> None:
        self.release()
        task = getattr(self, "task", None)
        if task is not None and task is not asyncio.current_task():
            task.cancel()


register("nightly_reset", NightlyResetSpec, NightlyReset)
