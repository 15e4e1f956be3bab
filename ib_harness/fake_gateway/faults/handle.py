"""The handle a test, a scenario or the control API holds on one injected fault."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .base import Fault
    from .faultset import FaultSet
    from .spec import FaultSpec


class FaultHandle:
    """One injected fault: whether it is active, when it fired and stopped, and how to stop it.

    Times are on the gateway clock. ``stop()`` is synchronous and idempotent; a fault that never
    fired (its trigger did not come) is stopped without having started.
    """

    def __init__(self, faults: "FaultSet", fault: "Fault", fault_id: str) -> None:
        self._faults = faults
        self.fault = fault
        self.id = fault_id
        self.spec: "FaultSpec | None" = fault.spec
        self.kind = fault.name
        self.active = False
        self.fired_at: float | None = None
        self.stopped_at: float | None = None
        self._fired = asyncio.Event()
        self._stopped = asyncio.Event()
        self.cleanups: list[Any] = []  # timers and trigger watches to cancel when it ends

    def stop(self) -> None:
        """End the fault now (its effects are undone, e.g. held frames released)."""
        self._faults.stop(self)

    async def wait_fired(self) -> None:
        await self._fired.wait()

    async def wait_stopped(self) -> None:
        await self._stopped.wait()

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready view (the control API's ``GET /faults``)."""
        return {
            "id": self.id, "kind": self.kind,
            "spec": self.spec.to_dict() if self.spec is not None else {"kind": self.kind},
            "active": self.active, "fired_at": self.fired_at, "stopped_at": self.stopped_at,
        }

    def _mark_fired(self, at: float) -> None:
        self.active = True
        self.fired_at = at
        self._fired.set()

    def _mark_stopped(self, at: float) -> None:
        self.active = False
        self.stopped_at = at
        self._stopped.set()

    def __repr__(self) -> str:
        state = "active" if self.active else ("stopped" if self.stopped_at is not None else "armed")
        return f"<FaultHandle {self.id} {self.kind} {state}>"
