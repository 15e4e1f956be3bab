"""Access to the real frames captured from IB (copied into tests/conformance/captures).

Besides the two published captures, every ``ib-harness record`` file in ``captures/recordings/``
counts as a capture: its server frames, at the version each session negotiated.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ib_harness.fake_gateway.record import Recording

CAPTURES = Path(__file__).parent / "conformance" / "captures"
RECORDINGS = CAPTURES / "recordings"
CAPTURED_VERSION = 176  # the published captures' server version


@lru_cache(maxsize=None)
def session_exchanges() -> list[dict]:
    """The EncertAI v176 session: a list of {request, responses} exchanges in order."""
    return json.loads((CAPTURES / "encertai_v176_session.json").read_text())


@lru_cache(maxsize=None)
def nautilus_messages() -> dict[str, list[list[str]]]:
    return json.loads((CAPTURES / "nautilus_responses.json").read_text())


def recorded_frames(directory: Path = RECORDINGS) -> list[tuple[str, int, list[str]]]:
    """(label, server version, fields) of every server frame in the recordings of ``directory``."""
    frames: list[tuple[str, int, list[str]]] = []
    for path in sorted(directory.glob("*.json")) if directory.is_dir() else ():
        recording = Recording.load(path)
        for session in recording.sessions:
            for number, fields in enumerate(session.server_frames()):
                frames.append((f"recording:{path.stem}:{session.number}#{number}", session.server_version or 0, fields))
    return frames


def versioned_frames() -> list[tuple[str, int, list[str]]]:
    """Every captured server frame with its label and server version, recordings included."""
    published = [(label, CAPTURED_VERSION, frame) for label, frame in all_frames()]
    return published + recorded_frames()


def all_frames() -> list[tuple[str, list[str]]]:
    """Every published captured server frame (v176) with a label saying where it came from (handshake excluded)."""
    frames: list[tuple[str, list[str]]] = []
    for index, exchange in enumerate(session_exchanges()):
        if isinstance(exchange["request"], dict):
            continue
        for number, frame in enumerate(exchange["responses"]):
            frames.append((f"encertai[{index}]#{number}", frame))
    for stem, messages in nautilus_messages().items():
        for number, frame in enumerate(messages):
            frames.append((f"nautilus:{stem}#{number}", frame))
    return frames
