"""Gateway fuzz at the frame level: thousands of random or mutated frames on fresh connections
(valid prefixes with corrupted fields, wrong handshake versions, huge or zero lengths, missing
terminators, bytes that are not text, abrupt resets). The gateway never logs an internal error and
keeps serving a second, well-behaved client after every example.

CI runs the ``fuzz-ci`` profile; ``IB_HARNESS_FUZZ_PROFILE=fuzz-full`` sends more than 10,000 frames
(recorded in BENCHMARKS.md).
"""

from __future__ import annotations

import logging
import os
import struct
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ib_harness.fake_gateway.wire.framing import API_PREFIX
from ib_harness.fake_gateway.wire.spec import frame_fields, frame_payload
from tests.gateway.test_fuzz_requests import FIELD, TEMPLATES

from .gateway_thread import BlockingClient, GatewayThread

settings.register_profile("fuzz-ci", max_examples=200, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz-full", max_examples=2000, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("IB_HARNESS_FUZZ_PROFILE", "fuzz-ci")
MIN_FRAMES = {"fuzz-ci": 500, "fuzz-full": 10_000}  # CI: a sanity floor; the full run is the claim


def length_prefixed(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


@st.composite
def mutated_request(draw: st.DrawFn) -> bytes:
    """A request a real client sent, with fields replaced, dropped or appended."""
    fields = list(draw(st.sampled_from(TEMPLATES)))
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(1, max(1, len(fields))))
        value = draw(FIELD)
        if index < len(fields) and draw(st.booleans()):
            fields[index] = value
        else:
            fields.append(value)
    if draw(st.booleans()):
        fields = fields[: draw(st.integers(1, len(fields)))]
    return frame_fields(fields)


# Frames that the gateway answers or refuses but survives come first and twice, so most frames of a
# session reach the gateway; the ones that make it hang up (as IB does) end a session early.
SURVIVABLE = st.one_of(mutated_request(), st.builds(frame_fields, st.lists(FIELD, min_size=1, max_size=30)))
BAD_FRAME = st.one_of(
    SURVIVABLE, SURVIVABLE, SURVIVABLE,
    st.binary(max_size=200).map(length_prefixed),                                  # not text at all
    st.binary(min_size=1, max_size=60).map(lambda b: length_prefixed(b.replace(b"\0", b"x"))),  # no terminator
    st.just(struct.pack(">I", 0)),                                                 # zero length
    st.sampled_from([0x1000000, 0x7FFFFFFF, 0xFFFFFFFF]).map(lambda n: struct.pack(">I", n) + b"49\0"),  # huge
    st.binary(min_size=1, max_size=3),                                             # a torn length header
)

HANDSHAKE = st.one_of(
    st.just("v157..176"), st.just("v100..225"),
    st.sampled_from(["v1..2", "v999..1000", "v176..157", "vabc", "v", "", "v157..176 +PACEAPI", "176",
                     "v-5..-1", "v0..0", "v157..176 " + "x" * 300]),
    st.text(max_size=40),
)


@st.composite
def session(draw: st.DrawFn) -> tuple[list[bytes], bool]:
    """One connection's bytes (as separate writes) and whether it ends with a reset."""
    writes: list[bytes] = []
    stage = draw(st.sampled_from(["garbage", "handshake", "api"]))
    if stage == "garbage":
        writes.append(draw(st.binary(min_size=1, max_size=300)))
    else:
        prefix = API_PREFIX if draw(st.integers(0, 9)) else draw(st.binary(min_size=1, max_size=6))
        writes.append(prefix + frame_payload(draw(HANDSHAKE).encode("utf-8", "replace")))
        if stage == "api":
            writes.append(frame_fields(["71", "2", str(draw(st.integers(10, 40))), ""]))
    writes.extend(draw(st.lists(BAD_FRAME, min_size=10, max_size=60)))
    return writes, draw(st.booleans())


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


@pytest.fixture
def gateway_errors() -> Iterator[Errors]:
    handler = Errors()
    logger = logging.getLogger("ib_harness.fake_gateway")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def test_fuzzed_frames_never_break_the_gateway(gateway_errors: Errors) -> None:
    frames = examples = 0
    with GatewayThread(market_ticker=False, max_messages_per_second=100_000) as gt:
        witness = BlockingClient(gt.address)
        witness.handshake(client_id=1)

        @settings(settings.get_profile(PROFILE))
        @given(session())
        def abuse(example: tuple[list[bytes], bool]) -> None:
            nonlocal frames, examples
            examples += 1
            writes, reset = example
            client = BlockingClient(gt.address)
            try:
                for data in writes:
                    client.sock.sendall(data)
                    frames += 1
            except (BrokenPipeError, ConnectionResetError):
                pass  # the gateway may hang up on nonsense: IB does too
            finally:
                client.close(reset=reset)
            assert witness.served(), "the well-behaved client was not served"
            assert not gateway_errors.records, gateway_errors.records

        abuse()
        assert witness.served()
        sessions = gt.call(_session_count(gt))
        witness.close()
    print(f"gateway fuzz [{PROFILE}]: {frames} frames on {examples} connections, witness served after each")
    assert frames >= MIN_FRAMES[PROFILE], f"only {frames} frames sent under profile {PROFILE}"
    assert sessions >= 1


async def _session_count(gt: GatewayThread) -> int:
    assert gt.gateway is not None
    return len(gt.gateway.sessions)
