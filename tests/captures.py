"""Access to the real frames captured from IB (copied into tests/conformance/captures)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

CAPTURES = Path(__file__).parent / "conformance" / "captures"


@lru_cache(maxsize=None)
def session_exchanges() -> list[dict]:
    """The EncertAI v176 session: a list of {request, responses} exchanges in order."""
    return json.loads((CAPTURES / "encertai_v176_session.json").read_text())


@lru_cache(maxsize=None)
def nautilus_messages() -> dict[str, list[list[str]]]:
    return json.loads((CAPTURES / "nautilus_responses.json").read_text())


def all_frames() -> list[tuple[str, list[str]]]:
    """Every captured server frame with a label saying where it came from (handshake excluded)."""
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
