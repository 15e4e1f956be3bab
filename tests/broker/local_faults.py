"""Minimal faults on the gateway's Fault hook interface, for broker tests of paths whose fault kind
the gateway's fault layer does not provide (see each class)."""

from __future__ import annotations

from fake_gateway import FakeGateway
from fake_gateway.faults.base import Fault
from fake_gateway.session.session import Session


class Silence(Fault):
    """The sessions open now stop sending anything; the socket stays open (a silent stall)."""

    def __init__(self, gw: FakeGateway) -> None:
        self.sessions = set(gw.sessions)

    def on_outbound(self, session: Session, msg_id: int | None, frame: bytes) -> list[bytes]:
        return [] if session in self.sessions else [frame]


class HalfOpen(Silence):
    """The peer of the sessions open now vanished: nothing is read or written, nothing closes."""

    def on_inbound_bytes(self, session: Session, data: bytes) -> bytes:
        return b"" if session in self.sessions else data


class CloseOnAccept(Fault):
    """The next ``count`` connections are accepted and closed at once (docker/socat while IB is down)."""

    def __init__(self, count: int) -> None:
        self.remaining = count

    def on_accept(self, session: Session) -> bool:
        if self.remaining > 0:
            self.remaining -= 1
            return False
        return True


class DuplicateOutbound(Fault):
    """Every frame of message ``msg_id`` is sent twice."""

    def __init__(self, msg_id: int) -> None:
        self.msg_id = msg_id

    def on_outbound(self, session: Session, msg_id: int | None, frame: bytes) -> list[bytes]:
        return [frame, frame] if msg_id == self.msg_id else [frame]


class SwallowRequests(Fault):
    """The next ``count`` requests with message id ``msg_id`` never reach the gateway."""

    def __init__(self, msg_id: int, count: int = 1) -> None:
        self.msg_id = str(msg_id)
        self.remaining = count

    def on_request(self, session: Session, fields: list[str]) -> bool:
        if fields and fields[0] == self.msg_id and self.remaining > 0:
            self.remaining -= 1
            return False
        return True


class DropOutbound(Fault):
    """The next ``count`` frames of each message id in ``msg_ids`` are lost on the way out."""

    def __init__(self, msg_ids: set[int], count: int = 1) -> None:
        self.remaining = {msg_id: count for msg_id in msg_ids}

    def on_outbound(self, session: Session, msg_id: int | None, frame: bytes) -> list[bytes]:
        if msg_id is not None and self.remaining.get(msg_id, 0) > 0:
            self.remaining[msg_id] -= 1
            return []
        return [frame]


class RecordRequests(Fault):
    """Pass-through that records the message id of every request."""

    def __init__(self, seen: list[str]) -> None:
        self.seen = seen

    def on_request(self, session: Session, fields: list[str]) -> bool:
        self.seen.append(fields[0])
        return True


def send_ib_error(gw: FakeGateway, client_id: int, code: int, message: str, req_id: int = -1) -> None:
    """Send an IB error frame to a client's session, as the gateway's layout table encodes it."""
    session = gw.session_for(client_id)
    assert session is not None, f"no live session for client {client_id}"
    session.send_error(req_id, code, message)
