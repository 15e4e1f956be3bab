"""``gw.faults``: inject faults, arm their triggers, time them, and route sessions through them.

Injecting is synchronous: a fault without a trigger is active when ``inject`` returns. Each fault
gets its own ``random.Random`` (its spec's seed, else one derived from the gateway seed and its
number), so the same seed and the same traffic give the same injected timeline. Async side
effects run as tasks owned here and are cancelled when the gateway closes.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
from typing import TYPE_CHECKING, Any, Coroutine, Iterator

from .base import Fault
from .handle import FaultHandle
from .link import SessionLink
from .spec import FaultSpec, build_fault, parse_fault_spec
from .triggers import TriggerWatch

if TYPE_CHECKING:
    from ..server import FakeGateway
    from ..session.session import Session

log = logging.getLogger("ib_harness.fake_gateway.faults")


class FaultSet:
    """The faults of one gateway: live handles, active faults, armed triggers, owned tasks."""

    def __init__(self, gateway: "FakeGateway | None" = None) -> None:
        self.gateway = gateway
        self.enabled = gateway is None or gateway.config.fault_layer
        self._handles: dict[str, FaultHandle] = {}
        self._active: list[Fault] = []
        self._watches: list[TriggerWatch] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._numbers = itertools.count(1)
        self._closing = False

    # ----- the public API -----------------------------------------------------------------------

    def inject(self, spec: "dict[str, Any] | FaultSpec | Fault") -> FaultHandle:
        """Validate ``spec``, build its fault and start it now or arm its trigger."""
        if not self.enabled:
            raise RuntimeError("the fault layer is disabled on this gateway (fault_layer=False)")
        fault = spec if isinstance(spec, Fault) else build_fault(parse_fault_spec(spec))
        number = next(self._numbers)
        handle = FaultHandle(self, fault, f"f{number}")
        fault.faults, fault.handle = self, handle
        seed = fault.spec.seed if fault.spec is not None else None
        fault.random = random.Random(seed if seed is not None else f"{self._gateway_seed()}:{number}")
        self._handles[handle.id] = handle
        spec_model = fault.spec
        if spec_model is not None and spec_model.until is not None:
            self._watch(handle, spec_model.until, handle.stop)
        if spec_model is not None and spec_model.after is not None:
            self._watch(handle, spec_model.after, lambda: self._fire(handle))
        else:
            self._fire(handle)
        return handle

    def handles(self) -> list[FaultHandle]:
        """The live handles (armed or active), in injection order."""
        return list(self._handles.values())

    def get(self, fault_id: str) -> FaultHandle | None:
        return self._handles.get(fault_id)

    def stop(self, handle: FaultHandle) -> None:
        """End ``handle``'s fault (idempotent): cancel its triggers and timers, undo its effects."""
        if handle.stopped_at is not None or self._handles.get(handle.id) is not handle:
            return
        del self._handles[handle.id]
        for cleanup in handle.cleanups:
            cleanup.cancel()
            if cleanup in self._watches:
                self._watches.remove(cleanup)
        fault = handle.fault
        fired = handle.active
        if fault in self._active:
            self._active.remove(fault)
            try:
                fault.stop()
            finally:
                self.refresh_all()
        handle._mark_stopped(self._clock())
        if self.gateway is not None:
            self.gateway.events.record("fault_stopped", fault.client_id, None, id=handle.id, kind=handle.kind,
                                       spec=self._spec_dict(handle), fired=fired)

    def stop_all(self) -> None:
        for handle in reversed(self.handles()):
            handle.stop()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> "asyncio.Task[Any] | None":
        """Run ``coro`` as a task owned by the gateway (refused while the gateway closes)."""
        if self._closing:
            coro.close()
            return None
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    async def close(self) -> None:
        """Stop every fault and cancel their tasks (the gateway is closing)."""
        self._closing = True
        try:
            self.stop_all()
            tasks = list(self._tasks)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self._closing = False

    @property
    def closing(self) -> bool:
        return self._closing

    # ----- compatibility: hand-made Fault objects ------------------------------------------------

    @property
    def active(self) -> bool:
        return bool(self._active)

    def add(self, fault: Fault) -> Fault:
        """Inject a hand-made fault object (no spec) and return it."""
        self.inject(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        if fault.handle is not None:
            fault.handle.stop()

    def clear(self) -> None:
        self.stop_all()

    def __iter__(self) -> Iterator[Fault]:
        return iter(tuple(self._active))

    # ----- what sessions consult ----------------------------------------------------------------

    def accept(self, session: "Session") -> bool:
        """Every active fault may drop a new connection (its client id is not known yet)."""
        return all(fault.on_accept(session) for fault in tuple(self._active))

    def claim(self, session: "Session", client_id: int) -> bool:
        """Every active fault may refuse a client id (326)."""
        return all(fault.on_claim(session, client_id) for fault in tuple(self._active))

    def identified(self, session: "Session") -> None:
        """``session`` named its client id: connect triggers fire, client-targeted faults attach."""
        for watch in tuple(self._watches):
            watch.saw_connect(session)
        self.refresh(session)

    def greeted(self, session: "Session") -> None:
        """``session`` is logged in: the IB-side faults attached to it before now apply to it."""
        link = session.link
        if link is not None:
            for fault in link.faults:
                greeted = getattr(fault, "greeted", None)
                if greeted is not None:
                    greeted(session)

    def session_closed(self, session: "Session") -> None:
        for fault in tuple(self._active):
            fault.on_session_closed(session)
        link = session.link
        if link is not None:
            link.cancel()
            link.update((), ())
            session.use_link(None)

    def refresh(self, session: "Session") -> None:
        """Attach ``session`` to a link when some fault or trigger targets it, detach it otherwise."""
        if session.phase == "closed":
            return
        faults = tuple(f for f in self._active if f.targets(session))
        watches = tuple(w for w in self._watches if w.needs_link and w.targets(session))
        link = session.link
        if faults or watches:
            if link is None:
                link = SessionLink(session, self)
                session.use_link(link)
            link.update(faults, watches)
        elif link is not None:
            link.update((), ())
            if link.idle and session.link is link:
                session.use_link(None)

    def refresh_all(self) -> None:
        if self.gateway is not None:
            for session in sorted(self.gateway.sessions, key=lambda s: s.number):
                self.refresh(session)

    # ----- internals ----------------------------------------------------------------------------

    def _fire(self, handle: FaultHandle) -> None:
        if handle.stopped_at is not None or handle.active:
            return
        fault = handle.fault
        handle._mark_fired(self._clock())
        if self.gateway is not None:
            self.gateway.events.record("fault_started", fault.client_id, None, id=handle.id, kind=handle.kind,
                                       spec=self._spec_dict(handle))
        self._active.append(fault)
        self.refresh_all()
        if handle.stopped_at is None:
            fault.start()
        duration = fault.spec.duration if fault.spec is not None else None
        if duration is not None and handle.stopped_at is None:
            handle.cleanups.append(asyncio.get_running_loop().call_later(duration, handle.stop))

    def _watch(self, handle: FaultHandle, trigger: Any, callback: Any) -> None:
        assert self.gateway is not None, "triggers need a gateway"
        def fired() -> None:
            if watch in self._watches:
                self._watches.remove(watch)
            callback()

        watch = TriggerWatch(self.gateway, trigger, handle.fault.client_id, fired)
        handle.cleanups.append(watch)
        self._watches.append(watch)
        watch.arm()
        if watch.needs_link:
            self.refresh_all()

    def _task_done(self, task: "asyncio.Task[Any]") -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("fault task failed", exc_info=task.exception())

    def _clock(self) -> float:
        return self.gateway.clock() if self.gateway is not None else 0.0

    def _gateway_seed(self) -> int:
        return self.gateway.config.seed if self.gateway is not None else 0

    @staticmethod
    def _spec_dict(handle: FaultHandle) -> dict[str, Any]:
        return handle.spec.to_dict() if handle.spec is not None else {"kind": handle.kind}
