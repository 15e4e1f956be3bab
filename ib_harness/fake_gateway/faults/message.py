"""Message faults: one named message (ibapi's name or its id), inbound or outbound.

drop_message, delay_message, duplicate_message, reorder_message and corrupt_field. Inbound they
act on a decoded request before the brokerage sees it (swallow a placeOrder, send it twice);
outbound on a frame the gateway wrote (lose an orderStatus, duplicate an execDetails). ``count``
limits how many matching messages are affected; the fault ends after the last one. ``req_id``,
``symbol`` and ``order_id`` narrow the message to one request, contract or order
(:mod:`.message_select`).
"""

from __future__ import annotations

import asyncio
import string
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from ..wire.framing import split_fields
from ..wire.spec import frame_fields
from .base import Fault, register
from .message_select import LineSymbols, MessageSelection, selects
from .spec import MessageFaultSpec

if TYPE_CHECKING:
    from ..session.session import Session


class SelectedMessageSpec(MessageFaultSpec, MessageSelection):
    """One message, one way, how many, and optionally of which request, contract or order."""


class MessageFault(Fault):
    """Selects the messages of one id in one direction and counts them; subclasses act on them."""

    action = "faulted"

    def __init__(self, spec: SelectedMessageSpec) -> None:
        super().__init__(spec)
        self.config = spec
        self.msg_id = spec.msg_id
        self.matched = 0
        self.lines = LineSymbols()  # which symbol each request id of a session is about

    def on_outbound(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        if self.config.direction != "out" or not self._take(msg_id) \
                or not selects(self.config, session, "out", msg_id, frame, self.lines):
            return [frame]
        self._note(session)
        frames = self.act_out(session, msg_id, frame)
        self._counted()
        return frames

    def on_inbound_request(self, session: "Session", fields: list[str]) -> list[list[str]]:
        if self.config.symbol is not None:
            self.lines.learn(session, fields)
        if self.config.direction != "in" or not self._take(_request_id(fields)) \
                or not selects(self.config, session, "in", _request_id(fields), fields, self.lines):
            return [fields]
        self._note(session)
        requests = self.act_in(session, fields)
        self._counted()
        return requests

    def act_out(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        return [frame]

    def act_in(self, session: "Session", fields: list[str]) -> list[list[str]]:
        return [fields]

    def _take(self, msg_id: int | None) -> bool:
        count = self.config.count
        return msg_id == self.msg_id and (count is None or self.matched < count) and self.handle is not None \
            and self.handle.active

    def _note(self, session: "Session") -> None:
        self.matched += 1
        self.record("message_" + self.action, session, fault=self.handle.id if self.handle else None,
                    message=self.msg_id, direction=self.config.direction, number=self.matched)

    def _counted(self) -> None:
        if self.config.count is not None and self.matched >= self.config.count and self.done_when_counted():
            self.finish()

    def done_when_counted(self) -> bool:
        return True


class DropMessageSpec(SelectedMessageSpec):
    kind: Literal["drop_message"]


class DropMessage(MessageFault):
    action = "dropped"

    def act_out(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        return []

    def act_in(self, session: "Session", fields: list[str]) -> list[list[str]]:
        return []


class DuplicateMessageSpec(SelectedMessageSpec):
    kind: Literal["duplicate_message"]


class DuplicateMessage(MessageFault):
    action = "duplicated"

    def act_out(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        return [frame, frame]

    def act_in(self, session: "Session", fields: list[str]) -> list[list[str]]:
        return [fields, list(fields)]


class DelayMessageSpec(SelectedMessageSpec):
    kind: Literal["delay_message"]
    delay_ms: float = Field(ge=0)


class DelayMessage(MessageFault):
    """The message arrives ``delay_ms`` late; the traffic behind it is not held (it overtakes)."""

    action = "delayed"

    def act_out(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        asyncio.get_running_loop().call_later(self._seconds(), session.deliver, frame, msg_id)
        return []

    def act_in(self, session: "Session", fields: list[str]) -> list[list[str]]:
        asyncio.get_running_loop().call_later(self._seconds(), session.dispatch, fields)
        return []

    def _seconds(self) -> float:
        assert isinstance(self.config, DelayMessageSpec)
        return self.config.delay_ms / 1000.0


class ReorderMessageSpec(SelectedMessageSpec):
    kind: Literal["reorder_message"]


class ReorderMessage(MessageFault):
    """The message is held back and sent right after the next message of that session (a swap)."""

    action = "reordered"

    def __init__(self, spec: SelectedMessageSpec) -> None:
        super().__init__(spec)
        self._held_out: dict["Session", tuple[bytes, int | None]] = {}
        self._held_in: dict["Session", list[str]] = {}

    def on_outbound(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        if session in self._held_out:
            held, _ = self._held_out.pop(session)
            self._finish_if_done()
            return [frame, held]
        return super().on_outbound(session, msg_id, frame)

    def act_out(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        self._held_out[session] = (frame, msg_id)
        return []

    def on_inbound_request(self, session: "Session", fields: list[str]) -> list[list[str]]:
        if session in self._held_in:
            held = self._held_in.pop(session)
            self._finish_if_done()
            return [fields, held]
        return super().on_inbound_request(session, fields)

    def act_in(self, session: "Session", fields: list[str]) -> list[list[str]]:
        self._held_in[session] = fields
        return []

    def done_when_counted(self) -> bool:
        return not self._held_out and not self._held_in

    def _finish_if_done(self) -> None:
        count = self.config.count
        if count is not None and self.matched >= count and self.done_when_counted():
            self.finish()

    def stop(self) -> None:
        """Whatever is still held goes out (late rather than never)."""
        for session, (frame, msg_id) in list(self._held_out.items()):
            session.deliver(frame, msg_id)
        for session, fields in list(self._held_in.items()):
            session.dispatch(fields)
        self._held_out.clear()
        self._held_in.clear()


class CorruptFieldSpec(SelectedMessageSpec):
    kind: Literal["corrupt_field"]
    field: int | None = Field(None, ge=1, description="index of the field to spoil (0 is the message id); absent: seeded")


class CorruptField(MessageFault):
    """One field of the message is replaced by seeded junk text (the frame stays well formed)."""

    action = "corrupted"

    def act_out(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        return [frame_fields(self._spoil(split_fields(frame[4:])))]

    def act_in(self, session: "Session", fields: list[str]) -> list[list[str]]:
        return [self._spoil(list(fields))]

    def _spoil(self, fields: list[str]) -> list[str]:
        assert isinstance(self.config, CorruptFieldSpec)
        if len(fields) < 2:
            return fields
        index = self.config.field if self.config.field is not None else self.random.randrange(1, len(fields))
        index = min(index, len(fields) - 1)
        junk = "".join(self.random.choice(string.ascii_letters + "#%!") for _ in range(self.random.randint(1, 6)))
        fields[index] = junk
        return fields


def _request_id(fields: list[str]) -> int | None:
    try:
        return int(fields[0])
    except (ValueError, IndexError):
        return None


register("drop_message", DropMessageSpec, DropMessage)
register("duplicate_message", DuplicateMessageSpec, DuplicateMessage)
register("delay_message", DelayMessageSpec, DelayMessage)
register("reorder_message", ReorderMessageSpec, ReorderMessage)
register("corrupt_field", CorruptFieldSpec, CorruptField)
