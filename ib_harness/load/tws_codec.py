"""Client-side encoding of TWS requests from the gateway's own request table.

The gateway's table (``fake_gateway.wire``) says how to *read* each request; this writes one by
running that very reader over named values and recording the order in which it asks for fields.
So a request is laid out exactly as the gateway decodes it, at the negotiated version, with no
second copy of any layout (placeOrder's 100-odd fields included).
"""

from __future__ import annotations

import builtins
from typing import Any, Mapping

from ib_harness.fake_gateway.wire.framing import API_PREFIX
from ib_harness.fake_gateway.wire.reading import FieldReader, RequestSpec
from ib_harness.fake_gateway.wire.spec import frame_fields, frame_payload
from ib_harness.fake_gateway.wire.table import INCOMING

BY_NAME: dict[str, RequestSpec] = {spec.name: spec for spec in INCOMING.values()}


class _Recorder(FieldReader):
    """A reader that answers every field from ``values`` (empty when absent) and keeps them in order."""

    def __init__(self, request: str, values: Mapping[str, Any]) -> None:
        super().__init__([], request)
        self.values = values
        self.out: list[str] = []

    def _next(self, name: builtins.str) -> builtins.str:
        value = self.values.get(name, "")
        text = value if isinstance(value, str) else ("1" if value is True else "0" if value is False else str(value))
        self.out.append(text)
        return text


def request_fields(name: str, version: int, values: Mapping[str, Any]) -> list[str]:
    """The text fields of request ``name`` (message id first) at server ``version``."""
    spec = BY_NAME.get(name)
    if spec is None:
        raise KeyError(f"no request {name!r} in the gateway's table")
    recorder = _Recorder(name, values)
    if spec.custom is not None:
        spec.custom(recorder, version)
    else:  # the same slot walk RequestSpec.decode does, over the recording reader
        spec._read_slots(recorder, version)
    return [str(spec.msg_id), *recorder.out]


def request_frame(name: str, version: int, values: Mapping[str, Any]) -> bytes:
    return frame_fields(request_fields(name, version, values))


def handshake_bytes(low: int, high: int) -> bytes:
    return API_PREFIX + frame_payload(f"v{low}..{high}".encode())
