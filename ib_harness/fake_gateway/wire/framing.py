"""Incremental framing of the TWS byte stream.

TCP delivers bytes, not messages: one read may hold half a frame or a hundred frames. The parser
keeps one buffer and trims it once per read (not once per message, unlike ib_insync's own
receive buffer) and hands out complete payloads. A payload must start with a decimal message id
(text protocol up to server version 200), which catches garbage as soon as it arrives. Errors are typed so a session can log exactly what was wrong.
"""

from __future__ import annotations

import re
import struct

DEFAULT_MAX_FRAME = 0xFFFFFF  # the official client's own cap (on what it receives)
MAX_REQUEST_FRAME = 1024 * 1024  # the gateway's default cap on a request frame (GatewayConfig.max_frame)
API_PREFIX = b"API\0"
LENGTH = struct.Struct(">I")  # the 4-byte big-endian length before every frame
_VERSION_RANGE = re.compile(r"^v(\d+)(?:\.\.(\d+))?$")


class ProtocolError(Exception):
    """A peer broke the protocol; the message says what and where."""


class MalformedHandshake(ProtocolError):
    pass


class FrameTooLarge(ProtocolError):
    pass


class BadFrame(ProtocolError):
    pass


class FrameParser:
    """Accumulates bytes and yields complete frame payloads."""

    def __init__(self, max_frame: int = DEFAULT_MAX_FRAME, require_message_id: bool = True) -> None:
        self.max_frame = max_frame
        self.require_message_id = require_message_id
        self._buffer = bytearray()
        self.frames_seen = 0

    def feed(self, data: bytes, limit: int | None = None) -> list[bytes]:
        """Add bytes; return the payloads now complete, in order (at most ``limit``: the rest
        stay buffered for the next call, so a burst can be handled a slice at a time)."""
        buffer = self._buffer
        buffer += data
        payloads: list[bytes] = []
        offset = 0
        end = len(buffer)
        while end - offset >= 4 and (limit is None or len(payloads) < limit):
            length = check_header(self, buffer, offset, end)
            if end - offset - 4 < length:
                break
            start = offset + 4
            if length > 4096:  # one copy of a big frame, not a slice and then a copy of it
                with memoryview(buffer) as view:
                    payloads.append(bytes(view[start : start + length]))
            else:  # the usual small request: slicing is cheaper than making a view
                payloads.append(bytes(buffer[start : start + length]))
            offset = start + length
            self.frames_seen += 1
        if offset:
            del buffer[:offset]
        return payloads

    @property
    def pending(self) -> int:
        """Bytes held that do not yet make a whole frame (a truncated frame at EOF)."""
        return len(self._buffer)

    def describe_pending(self) -> str:
        """Say how much of the unfinished frame arrived, for the log line when a peer leaves mid-frame."""
        if len(self._buffer) < 4:
            return f"{len(self._buffer)} bytes of a length prefix"
        (length,) = LENGTH.unpack_from(self._buffer, 0)
        return f"{len(self._buffer) - 4} of {length} payload bytes"


def check_header(parser: FrameParser, buffer: bytearray, offset: int, end: int) -> int:
    """The length of the frame at ``offset``, once its prefix is known to be sane (and, when the
    parser asks for it, its first byte a digit): one set of checks for every reader of requests."""
    (length,) = LENGTH.unpack_from(buffer, offset)
    number = parser.frames_seen + 1
    if length > parser.max_frame:
        raise FrameTooLarge(f"frame {number} declares {length} bytes, over the cap of {parser.max_frame}")
    if length == 0:
        raise BadFrame(f"frame {number} is empty")
    if parser.require_message_id and end - offset > 4 and not 0x30 <= buffer[offset + 4] <= 0x39:
        raise BadFrame(f"frame {number} does not start with a message id: {bytes(buffer[offset + 4:offset + 12])!r}")
    return int(length)


def split_fields(payload: bytes, frame_number: int = 0) -> list[str]:
    """Split a text payload into fields; every field must be NUL-terminated UTF-8 (the gateway has
    counted a request's fields before it gets here: wire/request_framing.py)."""
    if not payload:
        raise BadFrame(f"frame {frame_number} is empty")
    if not payload.endswith(b"\0"):
        raise BadFrame(f"frame {frame_number} does not end with a NUL field terminator")
    parts = payload[:-1].split(b"\0")
    fields: list[str] = []
    for index, part in enumerate(parts):
        try:
            fields.append(part.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise BadFrame(
                f"frame {frame_number} field {index} is not valid UTF-8 "
                f"(byte {exc.start}: {part[exc.start:exc.start + 1]!r})"
            ) from None
    return fields


def parse_version_range(payload: bytes) -> tuple[int, int, str]:
    """Parse the client's ``v{min}..{max}[ options]`` announcement."""
    try:
        text = payload.decode("ascii")
    except UnicodeDecodeError:
        raise MalformedHandshake(f"version announcement is not ASCII: {payload[:40]!r}") from None
    text = text.rstrip("\0")
    head, _, options = text.partition(" ")
    match = _VERSION_RANGE.match(head)
    if not match:
        raise MalformedHandshake(f"expected 'v<min>..<max>' after API\\0, got {text[:40]!r}")
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if low > high:
        raise MalformedHandshake(f"version range {low}..{high} is empty")
    return low, high, options
