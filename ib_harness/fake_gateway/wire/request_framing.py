"""The gateway's side of framing: a request is judged as soon as its length prefix arrives.

A client can make the gateway read whatever it sends, but not keep it: ``admit`` (the message-rate
limit) is asked once per frame when its 4-byte length arrives, and its fields are counted while its
bytes come in. A frame refused either way is never buffered: the bytes of it still to come are
skipped as they arrive, so a flood above the rate or a 1 MiB frame of empty fields costs the reads
and nothing else. Frames are screened strictly in order, one per call of ``admit``, so what the
session answers keeps the order of the requests.
"""

from __future__ import annotations

from typing import Callable

from .framing import LENGTH, FrameParser, check_header

COUNT_STEP = 8192  # bytes whose NULs are counted at a time: stops soon after a frame is over the limit
DROPS_PER_CALL = 16  # frames dropped unread per call: this many times the slice handed out (256: ~40 us)


class Refused:
    """A frame with more fields than the gateway reads: the session answers 320 in its place."""

    __slots__ = ("number", "reason")

    def __init__(self, number: int, reason: str) -> None:
        self.number = number
        self.reason = reason


class RequestParser(FrameParser):
    """Request frames, screened at their header, with the fields counted before anything is split."""

    def __init__(self, max_frame: int, max_fields: int, require_message_id: bool = False) -> None:
        super().__init__(max_frame, require_message_id)
        self.max_fields = max_fields
        self.more = False  # complete frames are left for the next call (the slice was used up)
        self.dropped_unasked = 0  # frames the last call dropped along with a refused one
        self.discarded = 0  # bytes of refused frames the last call threw away (read for nothing)
        self._skip = 0  # bytes of a refused frame that have not arrived yet
        self._open = 0  # number of the admitted frame at the buffer's head that is still arriving
        self._fields = 0  # NULs counted in the open frame so far
        self._counted = 0  # bytes of the open frame's payload counted so far

    def take(self, data: bytes, limit: int, admit: Callable[[int], bool]) -> list[bytes | Refused]:
        """Add ``data``; return at most ``limit`` whole frames (or refusals), in order.

        ``admit(number)`` is called once for each frame as its header is reached; a False drops the
        frame: what has arrived of it is discarded and the rest skipped. At most ``limit`` frames
        handed out and ``limit * DROPS_PER_CALL`` dropped per call; ``more`` says whether any wait.
        """
        self.discarded = 0
        if self._skip and data:
            skipped = min(self._skip, len(data))
            self._skip -= skipped
            self.discarded = skipped
            data = data[skipped:] if skipped < len(data) else b""
        buffer = self._buffer
        if data:
            buffer += data
        items: list[bytes | Refused] = []
        offset, end, dropped = 0, len(buffer), 0
        self.more = False
        self.dropped_unasked = 0
        refusing = False  # admit said no: the frames that arrived with that one go the same way
        while end - offset >= 4:
            if len(items) >= limit or dropped >= limit * DROPS_PER_CALL:
                self.more = True
                break
            if refusing:
                offset = self._drop_run(buffer, offset, end, limit * DROPS_PER_CALL - dropped)
                break  # at the budget (``more``) or the buffer's end
            length = check_header(self, buffer, offset, end)
            number = self.frames_seen + 1
            start = offset + 4
            arrived = min(end - start, length)
            if self._open != number:  # reached this frame's header just now
                if not admit(number):
                    dropped += 1
                    refusing = True
                    offset = self._drop(start, arrived, length)
                    continue
                self._open, self._fields, self._counted = number, 0, 0
            if self._count_fields(buffer, start, arrived):
                items.append(Refused(number, f"frame {number} has more than {self.max_fields} fields "
                                             f"({self._fields} in its first {self._counted} bytes)"))
                offset = self._drop(start, arrived, length)
                continue
            if arrived < length:
                break  # the rest of this frame is still to come
            if length > 4096:  # one copy of a big frame, not a slice and then a copy of it
                with memoryview(buffer) as view:
                    items.append(bytes(view[start : start + length]))
            else:
                items.append(bytes(buffer[start : start + length]))
            offset = start + length
            self.frames_seen += 1
            self._open = 0
        if offset:
            del buffer[:offset]
        return items

    def _drop_run(self, buffer: bytearray, offset: int, end: int, budget: int) -> int:
        """Drop up to ``budget`` frames from ``offset`` without asking (they arrived with one that
        was refused: the same second, over the same rate); the tight loop of a flood's tail."""
        max_frame, digits_only = self.max_frame, self.require_message_id
        unpack, count = LENGTH.unpack_from, 0
        while end - offset >= 4 and count < budget:
            (length,) = unpack(buffer, offset)
            if not 0 < length <= max_frame or (digits_only and end - offset > 4
                                                and not 0x30 <= buffer[offset + 4] <= 0x39):
                check_header(self, buffer, offset, end)  # raises, saying what is wrong
            start = offset + 4
            arrived = min(end - start, length)
            self.discarded += 4 + arrived
            offset = start + arrived
            count += 1
            if arrived < length:
                self._skip = length - arrived
                break
        self.frames_seen += count
        self.dropped_unasked += count
        self.more = self.more or (count >= budget and end - offset >= 4)
        return offset

    def _drop(self, start: int, arrived: int, length: int) -> int:
        """Forget a refused frame: its bytes so far go, the rest will be skipped as it arrives."""
        self.frames_seen += 1
        self._open = 0
        self._skip = length - arrived
        self.discarded += 4 + arrived
        return start + arrived

    def _count_fields(self, buffer: bytearray, start: int, arrived: int) -> bool:
        """Count the NULs of the open frame's bytes not counted yet; True once over ``max_fields``."""
        position, stop = start + self._counted, start + arrived
        while position < stop and self._fields <= self.max_fields:
            step = min(position + COUNT_STEP, stop)
            self._fields += buffer.count(b"\0", position, step)
            position = step
        self._counted = position - start
        return self._fields > self.max_fields

    @property
    def skipping(self) -> int:
        """Bytes of a refused frame still to be skipped."""
        return self._skip
