"""The recording file: readable, editable JSON validated by pydantic.

One file holds every connection the proxy carried. Each frame keeps its ``raw`` fields exactly as
they crossed the wire (the source of truth, and what conformance compares against) and, where a
layout of the gateway's table reads it, the same frame as ``named`` fields for people to read.
"""

from __future__ import annotations

import contextlib
import math
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Direction = Literal["client", "server"]  # who sent the frame


class RecordedFrame(BaseModel):
    """One message: when, who sent it, its fields, and their names when a layout exists."""

    model_config = ConfigDict(extra="forbid")

    at: float = Field(description="seconds since the session's connection was opened")
    sender: Direction
    msg_id: int | None = Field(None, description="None for the handshake frames")
    layout: str | None = Field(None, description="the layout that named the fields, if any")
    raw: list[str]
    named: dict[str, Any] | None = None


class RecordedSession(BaseModel):
    """One client connection through the proxy."""

    model_config = ConfigDict(extra="forbid")

    number: int
    started: float = Field(description="epoch seconds when the client connected")
    client_versions: str = Field("", description="the client's announcement, e.g. v157..178")
    server_version: int | None = None
    connection_time: str = ""
    frames: list[RecordedFrame] = Field(default_factory=list)

    def server_frames(self) -> list[list[str]]:
        """The server's messages after the handshake, as conformance takes captured frames."""
        return [f.raw for f in self.frames if f.sender == "server" and f.msg_id is not None]


class Recording(BaseModel):
    """Everything one ``ib-harness record`` run saw."""

    model_config = ConfigDict(extra="forbid")

    upstream: str
    sessions: list[RecordedSession] = Field(default_factory=list)

    def save(self, path: str | Path) -> None:
        """Write the whole recording, readable by its owner only (0600: it holds account numbers
        and balances); through a temporary file and a rename, so a reader or a kill never sees half."""
        write_private(Path(path), (self.model_dump_json(indent=1) + "\n").encode())

    @classmethod
    def load(cls, path: str | Path) -> "Recording":
        """Read a recording; a hand-edited file that no longer fits the model says where."""
        return cls.model_validate_json(Path(path).read_text())


def write_private(path: Path, data: bytes) -> None:
    """``data`` into ``path`` atomically, created 0600 whatever the umask or an older file's mode."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def json_safe(value: Any) -> Any:
    """Named values as JSON can hold them: non-finite numbers as text (``inf``, ``nan``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value
