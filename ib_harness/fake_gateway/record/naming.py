"""Name a recorded frame's fields with the gateway's own layout table, when a layout reads it."""

from __future__ import annotations

from typing import Any

from ..wire.reading import BadRequest
from ..wire.spec import MessageSpec
from ..wire.table import INCOMING, OUTGOING
from .model import Direction, json_safe

_OUT_BY_ID: dict[int, list[MessageSpec]] = {}
for _spec in OUTGOING.values():
    _OUT_BY_ID.setdefault(_spec.msg_id, []).append(_spec)


def name_fields(sender: Direction, fields: list[str], version: int) -> tuple[str | None, dict[str, Any] | None]:
    """(layout name, named values), or (None, None) when no layout reads the frame exactly."""
    try:
        msg_id = int(fields[0])
    except (ValueError, IndexError):
        return None, None
    if sender == "server":
        for spec in _OUT_BY_ID.get(msg_id, ()):
            try:
                return spec.name, json_safe(spec.parse(version, fields))
            except ValueError:
                continue
        return None, None
    request = INCOMING.get(msg_id)
    if request is None:
        return None, None
    try:
        return request.name, json_safe(request.decode(fields, version, exact=True))
    except (BadRequest, ValueError):
        return None, None
