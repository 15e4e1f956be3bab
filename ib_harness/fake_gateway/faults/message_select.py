"""Which messages a message fault takes: by request id, by symbol, by order id.

A message fault names one message (``orderStatus``); these selectors narrow it to the messages of
one request (``req_id``: a market-data line, a history request), one contract (``symbol``) or one
order (``order_id``), so a scenario can lose the orderStatus of *one* order or the ticks of *one*
line. The values are read with the wire table's own layouts (the one source of truth): inbound
through the request's decoder, outbound from the message's slots. A tick carries no symbol: its
request id is looked up in the session's subscriptions, as IB's servers know which line it feeds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from pydantic import BaseModel, Field

from ..wire.framing import split_fields
from ..wire.reading import BadRequest
from ..wire.spec import Repeat
from ..wire.table import INCOMING, OUTGOING

if TYPE_CHECKING:
    from ..session.session import Session

REQUEST_ID_NAMES = ("reqId", "tickerId", "id")
# message id -> its layout (tick-by-tick's three layouts share id 99 and their leading slots)
_OUT_BY_ID = {spec.msg_id: spec for spec in reversed(list(OUTGOING.values()))}
ORDER_ID_NAMES = ("orderId",)


class MessageSelection(BaseModel):
    """The selectors every message fault takes (all given ones must match)."""

    req_id: int | None = Field(None, description="only messages of this request id (a line, a history request)")
    symbol: str | None = Field(None, description="only messages about this contract's symbol")
    order_id: int | None = Field(None, description="only messages about this order id")

    def narrows(self) -> bool:
        return self.req_id is not None or self.symbol is not None or self.order_id is not None


class LineSymbols:
    """Request id -> symbol of the requests a session made while the fault watched it: a line's
    first ticks go out before the line is subscribed, so the subscriptions alone do not know them."""

    def __init__(self) -> None:
        self.by_session: dict[int, dict[int, str]] = {}

    def learn(self, session: "Session", fields: list[str]) -> None:
        values = _inbound_values(session, fields)
        req_id, symbol = _as_int(_first(values, REQUEST_ID_NAMES)), _first(values, ("symbol",))
        if req_id is not None and isinstance(symbol, str) and symbol:
            self.by_session.setdefault(session.number, {})[req_id] = symbol

    def of(self, session: "Session", req_id: int | None) -> str | None:
        if req_id is None:
            return None
        return self.by_session.get(session.number, {}).get(req_id) or _symbol_of_line(session, req_id)


def selects(selection: MessageSelection, session: "Session", direction: str, msg_id: int | None,
            payload: list[str] | bytes, lines: LineSymbols | None = None) -> bool:
    """Whether this message (inbound fields, or an outbound frame) is one the selectors name."""
    if not selection.narrows():
        return True
    fields = split_fields(payload[4:]) if isinstance(payload, bytes) else payload
    values = _inbound_values(session, fields) if direction == "in" else _outbound_values(session, msg_id, fields)
    if values is None:
        return False
    req_id = _first(values, REQUEST_ID_NAMES)
    if selection.req_id is not None and _as_int(req_id) != selection.req_id:
        return False
    if selection.order_id is not None and _as_int(_first(values, ORDER_ID_NAMES)) != selection.order_id:
        return False
    if selection.symbol is not None:
        symbol = _first(values, ("symbol",)) or (lines.of(session, _as_int(req_id)) if lines is not None
                                                  else _symbol_of_line(session, _as_int(req_id)))
        if symbol != selection.symbol:
            return False
    return True


def request_id_of(session: "Session", msg_id: int | None, frame: bytes) -> int | None:
    """The request id an outbound frame answers (a tick's line), read by its layout."""
    values = _outbound_values(session, msg_id, split_fields(frame[4:]))
    return None if values is None else _as_int(_first(values, REQUEST_ID_NAMES))


def _inbound_values(session: "Session", fields: list[str]) -> dict[str, Any] | None:
    try:
        spec = INCOMING.get(int(fields[0]))
        return None if spec is None else spec.decode(list(fields), session.version)
    except (BadRequest, ValueError, IndexError):
        return None


def _outbound_values(session: "Session", msg_id: int | None, fields: list[str]) -> dict[str, Any] | None:
    """The leading plain slots of the message (ids and contract come before any repeated group)."""
    spec = _OUT_BY_ID.get(msg_id) if msg_id is not None else None
    if spec is None:
        return None
    values: dict[str, Any] = {}
    position = 1
    for slot in spec.slots:
        if isinstance(slot, Repeat) or position >= len(fields):
            break
        if slot.present_at(session.version):
            values.setdefault(slot.name, fields[position])
            position += 1
    return values


def _first(values: Any, names: tuple[str, ...]) -> Any:
    for found in _walk(values):
        for name in names:
            if name in found and found[name] not in ("", None):
                return found[name]
    return None


def _walk(values: Any) -> Iterator[dict[str, Any]]:
    if isinstance(values, dict):
        yield values
        for value in values.values():
            yield from _walk(value)
    elif isinstance(values, list):
        for value in values:
            yield from _walk(value)


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _symbol_of_line(session: "Session", req_id: int | None) -> str | None:
    if req_id is None:
        return None
    for lines in session.subscriptions.values():
        line = lines.get(req_id)
        con_id = getattr(line, "con_id", None)
        if con_id is not None:
            contract = session.brokerage.catalog.by_con_id(con_id)
            return contract.symbol if contract is not None else None
    return None
