"""The standalone gateway's HTTP control API (Toxiproxy's shape): faults, sessions, market, events."""

from .app import build_app
from .server import ControlServer

__all__ = ["ControlServer", "build_app"]
