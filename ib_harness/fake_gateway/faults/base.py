"""The one interface every fault implements, and the registry of fault kinds.

A fault is one small object per behaviour (Toxiproxy's shape). It is built from a validated spec
(:mod:`.spec`), bound to a gateway by :class:`~.faultset.FaultSet` (which gives it a seeded
``self.random`` and its ``self.handle``), and while it is active it sees the traffic of the
sessions it targets through the hooks below. Every hook has a pass-through default, so a fault
overrides only what it changes. Sessions no fault targets never reach this layer.

How a family registers its kinds (one module per family, e.g. ``faults/connection.py``)::

    class StallSpec(FaultSpec):                 # one pydantic model per kind, extra keys forbidden
        kind: Literal["stall"]
        release: Literal["flush", "drop"] = "flush"

    class Stall(Fault):
        def holds_output(self, session): return True
        ...

    register("stall", StallSpec, Stall)         # one line per kind

and then one import line in ``faults/__init__.py`` so the registry is filled on import.

Lifecycle of an injected fault: ``start()`` when it fires (after ``attach`` to every targeted
session), ``attach(session)`` / ``detach(session)`` whenever a session starts or stops being one
it applies to (a client connecting later is attached when its startApi names its client id),
``stop()`` when it ends (duration, an ``until`` trigger, ``handle.stop()``, or ``self.finish()``
from the fault itself, e.g. a one-shot crash or an exhausted ``count``). Side effects that must
await (closing sessions, stopping the listener) go through ``self.spawn(coro)``: tasks the
gateway owns and cancels on close.

Recipes: hold a targeted client's requests unanswered by returning ``[]`` from
``on_inbound_request`` and keeping them, then replay each with ``session.dispatch(fields)``;
pause a stream by returning ``[]`` from ``on_outbound`` for its message ids; send a frame to a
session past every fault with ``session.deliver(frame, msg_id)``; tell the event log what the
fault did with ``self.record("kind", session, **data)``; refuse a startApi's client id (326) from
``on_claim``. ``self.random`` is the fault's seeded generator: use it for every random choice.
"""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING, Any, Coroutine, get_args

from .spec import FaultSpec

if TYPE_CHECKING:
    from ..server import FakeGateway
    from ..session.session import Session
    from .faultset import FaultSet
    from .handle import FaultHandle

# kind -> (spec model, fault class); filled by register() in the family modules.
KINDS: dict[str, tuple[type[FaultSpec], type["Fault"]]] = {}


def register(kind: str, spec_model: type[FaultSpec], fault_class: type["Fault"]) -> None:
    """Make ``kind`` injectable: specs of that kind validate with ``spec_model`` and build ``fault_class``."""
    declared = get_args(spec_model.model_fields["kind"].annotation)
    if declared != (kind,):
        raise RuntimeError(f"fault kind {kind!r} is registered with {spec_model.__name__}, whose kind is "
                           f"{' or '.join(map(repr, declared)) or 'not a Literal'}")
    if kind in KINDS and KINDS[kind] != (spec_model, fault_class):
        raise RuntimeError(f"fault kind {kind!r} is registered twice")
    fault_class.name = kind
    KINDS[kind] = (spec_model, fault_class)


# Conditions on IB's side (connectivity, farms, a competing session, the nightly reset, pacing):
# no restart of the gateway process ends them. Every other kind ends with the process.
IB_SIDE_KINDS = frozenset({"connectivity_lost", "farm_down", "competing_session", "nightly_reset", "pacing"})


class Fault:
    """Base class of all faults: every hook passes traffic through unchanged."""

    name = "fault"
    # True for faults that time or hold traffic (latency, stall, slicer...): a session they target
    # queues its frames in its link stage; other faults work on the synchronous path.
    shapes_link = False
    # False for faults that act on the listener or on client ids only (down, linger...): they
    # never put a session on the link stage.
    per_session = True
    # Attributes set by FaultSet.inject (class defaults keep hand-made subclasses working).
    spec: FaultSpec | None = None
    faults: "FaultSet | None" = None
    handle: "FaultHandle | None" = None
    random: random.Random = random.Random(0)

    def __init__(self, spec: FaultSpec | None = None) -> None:
        self.spec = spec

    @classmethod
    def from_spec(cls, spec: FaultSpec) -> "Fault":
        return cls(spec)

    @property
    def ib_side(self) -> bool:
        """A condition of IB's servers: it goes on when the gateway process restarts (as with IBC)."""
        return self.name in IB_SIDE_KINDS

    # ----- context ---------------------------------------------------------------------------

    @property
    def gateway(self) -> "FakeGateway":
        assert self.faults is not None and self.faults.gateway is not None, "fault is not injected"
        return self.faults.gateway

    @property
    def client_id(self) -> int | None:
        return self.spec.client_id if self.spec is not None else None

    def targets(self, session: "Session") -> bool:
        """Whether this fault applies to ``session`` (all sessions, or the one with its client id)."""
        client_id = self.client_id
        return self.per_session and (client_id is None or session.client_id == client_id)

    def sessions(self) -> list["Session"]:
        """The live sessions this fault is attached to, oldest first."""
        return [s for s in sorted(self.gateway.sessions, key=lambda s: s.number)
                if s.link is not None and self in s.link.faults]

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> "asyncio.Task[Any] | None":
        """Run a side effect as a task the gateway owns (cancelled when the gateway closes)."""
        assert self.faults is not None, "fault is not injected"
        return self.faults.spawn(coro)

    def finish(self) -> None:
        """End this fault from inside (one-shot faults, an exhausted count)."""
        if self.handle is not None:
            self.handle.stop()

    def record(self, kind: str, session: "Session | None" = None, **data: Any) -> None:
        """Add an entry to the gateway's event log (e.g. what a fault did to a session)."""
        self.gateway.events.record(kind, session.client_id if session else None,
                                   session.number if session else None, **data)

    # ----- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        """The fault fired (it is already attached to every session it targets)."""

    def stop(self) -> None:
        """The fault ended (it is detached from its sessions right after)."""

    def attach(self, session: "Session") -> None:
        """``session`` is now affected (at start, or when it connects while the fault is active)."""

    def detach(self, session: "Session") -> None:
        """``session`` is no longer affected (the fault stopped)."""

    # ----- connection hooks (every fault, whatever its target: the client id is not known yet) --

    def on_accept(self, session: "Session") -> bool:
        """Return False to drop a new connection before the handshake."""
        return True

    def on_claim(self, session: "Session", client_id: int) -> bool:
        """Return False to refuse a startApi's client id (the client gets 326 and is closed)."""
        return True

    def on_session_closed(self, session: "Session") -> None:
        """A session of this gateway ended (any session, targeted or not)."""

    def on_listening(self) -> None:
        """The gateway (re)started listening (``gw.start()``)."""

    # ----- traffic hooks (only for targeted sessions) ----------------------------------------

    def on_inbound_bytes(self, session: "Session", data: bytes) -> bytes:
        return data

    def on_request(self, session: "Session", fields: list[str]) -> bool:
        """Return False to swallow a decoded request."""
        return True

    def on_inbound_request(self, session: "Session", fields: list[str]) -> list[list[str]]:
        """The requests to handle instead of ``fields`` (empty to swallow it, two to duplicate)."""
        return [fields] if self.on_request(session, fields) else []

    def on_outbound(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        """Return the frames to write instead of ``frame`` (empty to drop it)."""
        return [frame]

    # ----- link shaping (asked by the session's link stage; only when shapes_link) -------------

    def delay(self, session: "Session", direction: str) -> float:
        """Seconds to add to the next frame (``out``) or inbound chunk (``in``)."""
        return 0.0

    def holds_output(self, session: "Session") -> bool:
        """True while nothing may be sent to this session (queued frames wait)."""
        return False

    def slicing(self, session: "Session") -> tuple[int, float] | None:
        """(max bytes per write, seconds between the pieces of one frame), or None."""
        return None

    def bytes_per_second(self, session: "Session") -> float | None:
        """A bandwidth cap for this session's output, or None."""
        return None
