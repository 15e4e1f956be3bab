"""Every layout the fake emits must equal IB's real frames at server version 176, field for field.

For each captured frame whose message id the fake also emits: name its fields with our layout,
re-encode them, and require the exact captured frame back. A wrong slot count fails the parse;
a wrong kind (``0`` vs ``0.0``, ``E308``) fails the comparison.
"""

from __future__ import annotations

import pytest

from fake_gateway.wire.table import OUTGOING
from tests.captures import all_frames

VERSION = 176
# openOrder and contractData are identified by id alone; several layouts share no id.
LAYOUTS_BY_ID = {}
for _spec in OUTGOING.values():
    LAYOUTS_BY_ID.setdefault(_spec.msg_id, []).append(_spec)

FRAMES = [(label, frame) for label, frame in all_frames() if int(frame[0]) in LAYOUTS_BY_ID]


def test_every_captured_message_id_has_a_layout() -> None:
    captured = {int(frame[0]) for _, frame in all_frames()}
    assert captured - set(LAYOUTS_BY_ID) == set()


@pytest.mark.parametrize("label,frame", FRAMES, ids=[label for label, _ in FRAMES])
def test_layout_reproduces_captured_frame(label: str, frame: list[str]) -> None:
    errors = []
    for spec in LAYOUTS_BY_ID[int(frame[0])]:
        try:
            values = spec.parse(VERSION, frame)
        except ValueError as exc:
            errors.append(str(exc))
            continue
        assert spec.fields(VERSION, values) == frame, f"{spec.name} re-encodes {label} differently"
        return
    pytest.fail(f"no layout for message {frame[0]} fits {label} ({len(frame)} fields): {errors}")
