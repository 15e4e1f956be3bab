"""Decoding client requests: a field reader with exact error locations, and request layouts.

Requests are laid out like responses (see :mod:`fake_gateway.wire.spec`): slots gated by the
negotiated server version, because a client only sends a field when the server is new enough.
Requests with conditional sections (placeOrder) use a decode function over the same reader.
"""

from __future__ import annotations

import builtins

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Union

from .fields import UNSET_DOUBLE, UNSET_INTEGER, Field
from .spec import Repeat


class BadRequest(Exception):
    """A request that cannot be decoded; the message names the request and the field."""


class FieldReader:
    """Reads typed fields from a decoded frame, naming the field on any error."""

    def __init__(self, fields: list[builtins.str], request: builtins.str, start: int = 1) -> None:
        self.fields = fields
        self.request = request
        self.index = start

    def _next(self, name: builtins.str) -> builtins.str:
        if self.index >= len(self.fields):
            raise BadRequest(
                f"{self.request}: field {self.index} ({name}) is missing; frame has {len(self.fields)} fields"
            )
        value = self.fields[self.index]
        self.index += 1
        return value

    def str(self, name: builtins.str = "") -> builtins.str:
        return self._next(name)

    def int(self, name: builtins.str = "", default: builtins.int = 0) -> builtins.int:
        text = self._next(name)
        if text == "":
            return default
        try:
            return int(text)
        except ValueError:
            raise BadRequest(f"{self.request}: field {self.index - 1} ({name}) is not an integer: {text[:40]!r}") from None

    def float(self, name: builtins.str = "", default: builtins.float = 0.0) -> builtins.float:
        text = self._next(name)
        if text == "":
            return default
        try:
            return float(text)
        except ValueError:
            raise BadRequest(f"{self.request}: field {self.index - 1} ({name}) is not a number: {text[:40]!r}") from None

    def bool(self, name: builtins.str = "") -> builtins.bool:
        return self.int(name) != 0

    def optional_float(self, name: builtins.str = "") -> builtins.float:
        """A double that may be sent empty for 'unset' (IB's UNSET_DOUBLE)."""
        return self.float(name, UNSET_DOUBLE)

    def optional_int(self, name: builtins.str = "") -> builtins.int:
        return self.int(name, UNSET_INTEGER)

    def skip(self, count: builtins.int, name: builtins.str = "") -> None:
        for _ in range(count):
            self._next(name)

    @property
    def remaining(self) -> builtins.int:
        return len(self.fields) - self.index


_READERS: dict[str, Callable[[FieldReader, str, Any], Any]] = {
    "str": lambda r, n, d: r.str(n),
    "int": lambda r, n, d: r.int(n, d if isinstance(d, int) else 0),
    "bool": lambda r, n, d: r.bool(n),
    "double": lambda r, n, d: r.float(n, d if isinstance(d, float) else 0.0),
    "decimal": lambda r, n, d: r.float(n, 0.0),
}

Decoder = Callable[[FieldReader, int], dict[str, Any]]


@dataclass(frozen=True)
class RequestSpec:
    """The layout of one client-to-server message id."""

    msg_id: int
    name: str
    slots: tuple[Union[Field, Repeat], ...] = field(default_factory=tuple)
    custom: Decoder | None = None

    def decode(self, fields: list[str], version: int, exact: bool = False) -> dict[str, Any]:
        """Read the request's fields; with ``exact``, fields left unread are an error (tests use
        this to prove a layout reads exactly what a real client sends)."""
        reader = FieldReader(fields, self.name)
        values = self.custom(reader, version) if self.custom is not None else self._read_slots(reader, version)
        if exact and reader.remaining:
            raise BadRequest(f"{self.name}: {reader.remaining} unread field(s) at the end of a {len(fields)}-field frame")
        return values

    def _read_slots(self, reader: FieldReader, version: int) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for slot in self.slots:
            if not slot.present_at(version):
                continue
            if isinstance(slot, Repeat):
                count = reader.int(f"{slot.name} count")
                items = []
                for _ in range(count):
                    items.append({f.name: _READERS[f.kind](reader, f.name, f.default) for f in slot.fields})
                values[slot.name] = items
            else:
                values[slot.name] = _READERS[slot.kind](reader, slot.name, slot.default)
        return values


@dataclass(frozen=True)
class Request:
    """A decoded request as a session sees it."""

    msg_id: int
    name: str
    values: Mapping[str, Any]
    raw: list[str]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


CONTRACT_KEYS = (
    "conId", "symbol", "secType", "lastTradeDateOrContractMonth", "strike", "right",
    "multiplier", "exchange", "primaryExchange", "currency", "localSymbol", "tradingClass",
)


def read_contract(reader: FieldReader) -> dict[str, Any]:
    """Read the 12-field contract block every client sends in the same order.

    Shared by all request decoders so that a contract is parsed one way everywhere.
    """
    contract: dict[str, Any] = {
        "conId": reader.int("conId"),
        "symbol": reader.str("symbol"),
        "secType": reader.str("secType"),
        "lastTradeDateOrContractMonth": reader.str("lastTradeDateOrContractMonth"),
        "strike": reader.float("strike"),
        "right": reader.str("right"),
        "multiplier": reader.str("multiplier"),
        "exchange": reader.str("exchange"),
    }
    contract["primaryExchange"] = reader.str("primaryExchange")
    contract["currency"] = reader.str("currency")
    contract["localSymbol"] = reader.str("localSymbol")
    contract["tradingClass"] = reader.str("tradingClass")
    return contract
