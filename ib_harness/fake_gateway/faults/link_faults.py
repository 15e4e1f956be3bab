"""Link faults: what the network between client and gateway does to the byte stream.

latency (with seeded jitter, either direction), bandwidth, slicer (frames split into small writes),
garbage (random bytes into the stream) and truncate (a frame cut part-way, then the close).
Timing goes through the session's ordered link queue, so frames keep their order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator

from .base import Fault, register
from .spec import FaultSpec, message_id

if TYPE_CHECKING:
    from ..session.session import Session


class LatencySpec(FaultSpec):
    kind: Literal["latency"]
    ms: float = Field(ge=0)
    jitter_ms: float = Field(0.0, ge=0, description="each frame gets ms +/- a seeded uniform jitter")
    direction: Literal["in", "out", "both"] = "both"


class Latency(Fault):
    """Every frame (out) or inbound chunk (in) is held ``ms`` (+/- jitter) before it moves on."""

    shapes_link = True

    def __init__(self, spec: LatencySpec) -> None:
        super().__init__(spec)
        self.config = spec

    def delay(self, session: "Session", direction: str) -> float:
        spec = self.config
        if spec.direction not in (direction, "both"):
            return 0.0
        jitter = self.random.uniform(-spec.jitter_ms, spec.jitter_ms) if spec.jitter_ms else 0.0
        return max(0.0, spec.ms + jitter) / 1000.0


class BandwidthSpec(FaultSpec):
    kind: Literal["bandwidth"]
    bytes_per_s: float = Field(gt=0)


class Bandwidth(Fault):
    """The gateway's output to a session is paced to ``bytes_per_s``."""

    shapes_link = True

    def bytes_per_second(self, session: "Session") -> float | None:
        assert isinstance(self.spec, BandwidthSpec)
        return self.spec.bytes_per_s


class SlicerSpec(FaultSpec):
    kind: Literal["slicer"]
    max_bytes: int = Field(ge=1)
    delay_ms: float = Field(0.0, ge=0, description="pause between the pieces of one frame")


class Slicer(Fault):
    """Each frame goes out in pieces of at most ``max_bytes``, ``delay_ms`` apart (clients must reassemble)."""

    shapes_link = True

    def slicing(self, session: "Session") -> tuple[int, float] | None:
        assert isinstance(self.spec, SlicerSpec)
        return self.spec.max_bytes, self.spec.delay_ms / 1000.0


class GarbageSpec(FaultSpec):
    kind: Literal["garbage"]
    bytes: int = Field(ge=1, le=1_000_000)
    direction: Literal["in", "out"] = Field("out", description="to the client, or into what the gateway reads")


class Garbage(Fault):
    """``bytes`` seeded random bytes go into the stream of each targeted session: to the client
    (``out``), or into what the gateway reads (``in``: the gateway must reject them as IB does).

    One-shot without a duration; with one, targeted clients that connect meanwhile get them too.
    """

    def attach(self, session: "Session") -> None:
        assert isinstance(self.spec, GarbageSpec) and session.link is not None
        noise = self.random.randbytes(self.spec.bytes)
        self.record("garbage_sent", session, bytes=len(noise), head=noise[:16].hex(), direction=self.spec.direction)
        if self.spec.direction == "out":
            session.link.emit(noise, None, whole=False)
        else:
            session.link.receive(noise)

    def start(self) -> None:
        if self.spec is None or self.spec.duration is None:
            self.finish()


class TruncateSpec(FaultSpec):
    kind: Literal["truncate"]
    message: str | int | None = Field(None, description="cut this outbound message; absent: the next frame")
    keep_bytes: int | None = Field(None, ge=1, description="bytes of the frame that go out; absent: seeded")
    rst: bool = False

    @field_validator("message")
    @classmethod
    def _known(cls, value: str | int | None) -> str | int | None:
        if value is not None:
            message_id(value, "out")
        return value


class Truncate(Fault):
    """The next (matching) frame goes out cut part-way, then the connection closes (FIN or RST).

    One-shot without a duration; with one, every targeted session is cut once until it ends.
    """

    def __init__(self, spec: TruncateSpec) -> None:
        super().__init__(spec)
        self.config = spec
        self.msg_id = message_id(spec.message, "out") if spec.message is not None else None

    def on_outbound(self, session: "Session", msg_id: int | None, frame: bytes) -> list[bytes]:
        if self.msg_id is not None and msg_id != self.msg_id:
            return [frame]
        keep = min(self.config.keep_bytes or self.random.randint(1, len(frame) - 1), len(frame) - 1)
        self.record("frame_truncated", session, msg_id=msg_id, kept=keep, length=len(frame))
        assert session.link is not None
        session.link.emit(frame[:keep], msg_id, whole=False)
        if self.config.rst:
            session.flush()  # the cut bytes leave before the RST
        session.close("truncate fault", abort=self.config.rst)
        if self.config.duration is None:
            self.finish()
        return []


register("latency", LatencySpec, Latency)
register("bandwidth", BandwidthSpec, Bandwidth)
register("slicer", SlicerSpec, Slicer)
register("garbage", GarbageSpec, Garbage)
register("truncate", TruncateSpec, Truncate)
