"""The incremental frame parser: any chunking of the stream yields the same frames."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ib_harness.fake_gateway.wire.framing import (
    BadFrame,
    FrameParser,
    FrameTooLarge,
    MalformedHandshake,
    parse_version_range,
    split_fields,
)
from ib_harness.fake_gateway.wire.spec import frame_fields

FRAMES = [["49", "1"], ["71", "2", "7", ""], ["6", "2", "1", "DU1234567"], ["1"] + ["x" * 300]]
STREAM = b"".join(frame_fields(f) for f in FRAMES)


def test_many_frames_in_one_read() -> None:
    parser = FrameParser()
    assert [split_fields(p) for p in parser.feed(STREAM)] == FRAMES
    assert parser.pending == 0


def test_frame_split_byte_by_byte() -> None:
    parser = FrameParser()
    out = []
    for index in range(len(STREAM)):
        out += parser.feed(STREAM[index:index + 1])
    assert [split_fields(p) for p in out] == FRAMES


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=len(STREAM)), min_size=1, max_size=20))
def test_any_chunking_gives_the_same_frames(cuts: list[int]) -> None:
    parser = FrameParser()
    points = sorted(set(cuts + [len(STREAM)]))
    out, start = [], 0
    for point in points:
        out += parser.feed(STREAM[start:point])
        start = point
    assert [split_fields(p) for p in out] == FRAMES


def test_truncated_frame_stays_pending() -> None:
    parser = FrameParser()
    assert parser.feed(STREAM[:-3]) == [frame_fields(f)[4:] for f in FRAMES[:-1]]
    assert parser.pending > 0


def test_length_over_the_cap_is_refused_with_its_size() -> None:
    parser = FrameParser(max_frame=1024)
    with pytest.raises(FrameTooLarge, match="2000 bytes, over the cap of 1024"):
        parser.feed((2000).to_bytes(4, "big") + b"x")


def test_fields_must_be_utf8_and_nul_terminated() -> None:
    with pytest.raises(BadFrame, match="field 1 is not valid UTF-8"):
        split_fields(b"49\0\xff\xfe\0", 3)
    with pytest.raises(BadFrame, match="does not end with a NUL"):
        split_fields(b"49\x001", 1)
    with pytest.raises(BadFrame, match="empty"):
        split_fields(b"", 1)


@pytest.mark.parametrize("text,expected", [
    (b"v157..176", (157, 176, "")),
    (b"v100..200 +PACEAPI", (100, 200, "+PACEAPI")),
    (b"v176", (176, 176, "")),
])
def test_version_range(text: bytes, expected: tuple) -> None:
    assert parse_version_range(text) == expected


@pytest.mark.parametrize("text", [b"157..176", b"vabc..176", b"v180..170", b"\xff\xfe"])
def test_bad_version_range(text: bytes) -> None:
    with pytest.raises(MalformedHandshake):
        parse_version_range(text)
