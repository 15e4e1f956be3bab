"""Connection faults, below the protocol: what sockets and listeners do when things go wrong.

stall, half_open, stop_reading, half_close, crash act on targeted sessions; down,
accept_then_close and no_handshake act on the listener (a connection's client id is not known
before its startApi, so these refuse a ``client_id``); linger_client_id holds client ids (326).
The gateway-wide restarts (daily_restart, token_expiry) live in :mod:`.restart`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import model_validator

from ..session.session import reset
from .base import Fault, register
from .spec import FaultSpec

if TYPE_CHECKING:
    from ..session.session import Session


class ListenerFaultSpec(FaultSpec):
    """Kinds that act before a connection has a client id: ``client_id`` cannot be used."""

    @model_validator(mode="after")
    def _no_client_id(self) -> "ListenerFaultSpec":
        if self.client_id is not None:
            raise ValueError(f"field 'client_id': kind {self.kind!r} acts before startApi, when the "
                             "client id is not known yet; it applies to every new connection")
        return self


# ----- stall / half_open / stop_reading / half_close --------------------------------------------

class StallSpec(FaultSpec):
    kind: Literal["stall"]
    release: Literal["flush", "drop"] = "flush"


class Stall(Fault):
    """The socket stays open and requests are still read, but nothing is sent until it ends."""

    shapes_link = True

    def holds_output(self, session: "Session") -> bool:
        return True

    def stop(self) -> None:
        assert isinstance(self.spec, StallSpec)
        if self.spec.release == "drop":
            for session in self.sessions():
                assert session.link is not None
                dropped = session.link.discard_output()
                self.record("frames_dropped", session, fault=self.handle.id if self.handle else None,
                            frames=dropped)


class HalfOpenSpec(FaultSpec):
    kind: Literal["half_open"]


class HalfOpen(Stall):
    """Nothing is read or sent (a peer that vanished without a FIN); held frames go out at the end."""

    def attach(self, session: "Session") -> None:
        session.hold_reading("half_open")

    def detach(self, session: "Session") -> None:
        session.release_reading("half_open")

    def stop(self) -> None:
        pass  # held frames are flushed


class StopReadingSpec(FaultSpec):
    kind: Literal["stop_reading"]


class StopReading(HalfOpen):
    """The gateway stops reading (the socket stays open, the client's writes back up); it still sends."""

    shapes_link = False

    def holds_output(self, session: "Session") -> bool:
        return False


class HalfCloseSpec(FaultSpec):
    kind: Literal["half_close"]


class HalfClose(Fault):
    """The gateway shuts its sending side (FIN) but keeps reading: the client sees end of stream."""

    def attach(self, session: "Session") -> None:
        transport = session.transport
        if transport is not None and not transport.is_closing() and transport.can_write_eof():
            session.flush()
            transport.write_eof()
            self.record("half_closed", session)

    def start(self) -> None:
        if self.spec is None or self.spec.duration is None:
            self.finish()


# ----- crash -------------------------------------------------------------------------------------

class CrashSpec(FaultSpec):
    kind: Literal["crash"]
    rst: bool = False


class Crash(Fault):
    """Every targeted session closes at once, with FIN or RST; the brokerage keeps its state.

    Without a duration it is one-shot; with one, targeted clients that connect meanwhile are
    closed as soon as their startApi names them.
    """

    def attach(self, session: "Session") -> None:
        assert isinstance(self.spec, CrashSpec)
        session.close(f"crash fault ({'RST' if self.spec.rst else 'FIN'})", abort=self.spec.rst)

    def start(self) -> None:
        if self.spec is None or self.spec.duration is None:
            self.finish()


# ----- listener faults --------------------------------------------------------------------------

class DownSpec(ListenerFaultSpec):
    kind: Literal["down"]


class Down(Fault):
    """The listener is closed (connects get ECONNREFUSED); live sessions carry on. Listens again at the end."""

    per_session = False

    def start(self) -> None:
        self.gateway.close_listener()

    def stop(self) -> None:
        if not self.faults or self.faults.closing:
            return
        self.spawn(self.gateway.start())


class AcceptThenCloseSpec(ListenerFaultSpec):
    kind: Literal["accept_then_close"]
    rst: bool = False


class AcceptThenClose(Fault):
    """Connections are accepted and closed at once (FIN or RST): docker/socat before a down gateway."""

    per_session = False

    def on_accept(self, session: "Session") -> bool:
        assert isinstance(self.spec, AcceptThenCloseSpec)
        if self.spec.rst and session.transport is not None:
            session.aborted = True
            reset(session.transport)
        return False


class NoHandshakeSpec(ListenerFaultSpec):
    kind: Literal["no_handshake"]


class NoHandshake(Fault):
    """New connections are accepted and never answered; they are closed (FIN) when the fault ends."""

    def __init__(self, spec: FaultSpec | None = None) -> None:
        super().__init__(spec)
        self._muted: set[int] = set()

    def on_accept(self, session: "Session") -> bool:
        self._muted.add(session.number)
        return True

    def on_inbound_bytes(self, session: "Session", data: bytes) -> bytes:
        return b"" if session.number in self._muted else data

    def detach(self, session: "Session") -> None:
        if session.number in self._muted:
            self._muted.discard(session.number)
            session.close("no_handshake fault ended")


# ----- client ids -------------------------------------------------------------------------------

class LingerClientIdSpec(FaultSpec):
    kind: Literal["linger_client_id"]


class LingerClientId(Fault):
    """A client id stays taken after its session died, so reconnects get 326 and are closed.

    With ``client_id`` that id is held (from the moment its session ends, or at once when no
    session has it); without, every id whose session ends while the fault is active is held.
    Ids are released when the fault ends (``duration``).
    """

    per_session = False

    def __init__(self, spec: FaultSpec | None = None) -> None:
        super().__init__(spec)
        self.held: set[int] = set()

    def start(self) -> None:
        client_id = self.client_id
        if client_id is not None and self.gateway.session_for(client_id) is None:
            self.held.add(client_id)

    def on_session_closed(self, session: "Session") -> None:
        client_id = session.client_id
        if client_id is not None and self.client_id in (None, client_id) \
                and self.gateway.client_ids.get(client_id) in (None, session):
            self.held.add(client_id)

    def on_claim(self, session: "Session", client_id: int) -> bool:
        return client_id not in self.held


register("stall", StallSpec, Stall)
register("half_open", HalfOpenSpec, HalfOpen)
register("stop_reading", StopReadingSpec, StopReading)
register("half_close", HalfCloseSpec, HalfClose)
register("crash", CrashSpec, Crash)
register("down", DownSpec, Down)
register("accept_then_close", AcceptThenCloseSpec, AcceptThenClose)
register("no_handshake", NoHandshakeSpec, NoHandshake)
register("linger_client_id", LingerClientIdSpec, LingerClientId)
