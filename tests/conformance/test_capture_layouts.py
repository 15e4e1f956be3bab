"""Every layout the fake emits must reproduce IB's real frames, field for field.

For each captured frame (the published v176 captures and every recording in
``captures/recordings/``, at the version its session negotiated) whose message id the fake also
emits: name its fields with our layout, re-encode them, and require the exact frame back. A wrong
slot count fails the parse; a wrong kind (``0`` vs ``0.0``, ``E308``) fails the comparison. This
proves widths and print kinds, not meaning: test_layout_cases checks meaning.
"""

from __future__ import annotations

import pytest

from ib_harness.fake_gateway.wire.table import OUTGOING
from tests.captures import versioned_frames

# openOrder and contractData are identified by id alone; several layouts share no id.
LAYOUTS_BY_ID: dict[int, list] = {}
for _spec in OUTGOING.values():
    LAYOUTS_BY_ID.setdefault(_spec.msg_id, []).append(_spec)

FRAMES = [(label, version, frame) for label, version, frame in versioned_frames() if int(frame[0]) in LAYOUTS_BY_ID]


def reproduction_problem(version: int, frame: list[str]) -> str | None:
    """None when some layout of the frame's id parses it and re-encodes it exactly, else why not."""
    errors = []
    for spec in LAYOUTS_BY_ID.get(int(frame[0]), ()):
        try:
            values = spec.parse(version, frame)
        except ValueError as exc:
            errors.append(str(exc))
            continue
        if spec.fields(version, values) == frame:
            return None
        errors.append(f"{spec.name} re-encodes it differently")
    return f"no layout for message {frame[0]} reproduces it at v{version} ({len(frame)} fields): {errors}"


def test_every_captured_message_id_has_a_layout() -> None:
    captured = {int(frame[0]) for _, _, frame in versioned_frames()}
    assert captured - set(LAYOUTS_BY_ID) == set()


@pytest.mark.parametrize("label,version,frame", FRAMES, ids=[label for label, _, _ in FRAMES])
def test_layout_reproduces_captured_frame(label: str, version: int, frame: list[str]) -> None:
    assert reproduction_problem(version, frame) is None
