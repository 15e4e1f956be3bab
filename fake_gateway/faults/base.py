"""The one interface every fault implements, and the set a gateway consults on each hook.

A fault sees every accepted connection, every inbound chunk and request, and every outbound frame.
Each hook has a pass-through default, so a fault overrides only what it changes (Toxiproxy's
shape: one small object per behaviour). With no active fault the session skips this layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from ..session.session import Session


class Fault:
    """Base class of all faults: every hook passes traffic through unchanged."""

    name = "fault"

    def on_accept(self, session: "Session") -> bool:
        """Return False to drop a new connection before the handshake."""
        return True

    def on_inbound_bytes(self, session: "Session", data: bytes) -> bytes:
        return data

    def on_request(self, session: "Session", fields: list[str]) -> bool:
        """Return False to swallow a decoded request."""
        return True

    def on_outbound(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        """Return the frames to write instead of ``frame`` (empty to drop it)."""
        return [frame]


class FaultSet:
    """The faults currently active on a gateway, applied in order."""

    def __init__(self, faults: Iterable[Fault] = ()) -> None:
        self._faults: list[Fault] = list(faults)

    @property
    def active(self) -> bool:
        return bool(self._faults)

    def add(self, fault: Fault) -> Fault:
        self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        if fault in self._faults:
            self._faults.remove(fault)

    def clear(self) -> None:
        self._faults.clear()

    def __iter__(self):
        return iter(tuple(self._faults))

    def accept(self, session: "Session") -> bool:
        return all(fault.on_accept(session) for fault in self)

    def inbound_bytes(self, session: "Session", data: bytes) -> bytes:
        for fault in self:
            data = fault.on_inbound_bytes(session, data)
            if not data:
                return b""
        return data

    def inbound_request(self, session: "Session", fields: list[str]) -> bool:
        return all(fault.on_request(session, fields) for fault in self)

    def outbound(self, session: "Session", msg_id: int | None, frame: bytes) -> None:
        frames = [frame]
        for fault in self:
            frames = [out for f in frames for out in fault.on_outbound(session, msg_id, f)]
        for out in frames:
            session.raw_write(out)
