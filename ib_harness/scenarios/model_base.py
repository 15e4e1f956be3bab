"""Shared pieces of the scenario models: strict models (unknown keys rejected) and names."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
BrokerStateName = Literal["disconnected", "connecting", "syncing", "ready", "degraded",
                          "backing_off", "circuit_open", "stopped"]


class Strict(BaseModel):
    """A scenario model: a typo in a key is an error, never silently ignored."""

    model_config = ConfigDict(extra="forbid")
