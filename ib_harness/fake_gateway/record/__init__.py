"""Recording real TWS sessions: a transparent proxy that writes every frame both ways as JSON."""

from .model import Recording, RecordedFrame, RecordedSession
from .proxy import RecordingProxy

__all__ = ["RecordedFrame", "RecordedSession", "Recording", "RecordingProxy"]
