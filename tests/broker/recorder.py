"""A pass-through observer on the gateway's Fault hook interface (the fault kinds cover every
failure; this only records what the broker sends)."""

from __future__ import annotations

from ib_harness.fake_gateway.faults.base import Fault
from ib_harness.fake_gateway.session.session import Session


class RecordRequests(Fault):
    """Pass-through that records the message id of every request."""

    def __init__(self, seen: list[str]) -> None:
        super().__init__()
        self.seen = seen

    def on_request(self, session: Session, fields: list[str]) -> bool:
        self.seen.append(fields[0])
        return True
