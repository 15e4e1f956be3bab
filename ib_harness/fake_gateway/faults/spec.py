"""Fault specs: the plain ``{"kind": ..., params}`` vocabulary shared by Python, YAML and HTTP.

Every kind has one pydantic model (extra keys forbidden) derived from :class:`FaultSpec`, which
holds the fields common to all kinds. :func:`parse_fault_spec` picks the model by ``kind`` and
turns every validation problem into a :class:`FaultSpecError` that names the kind and the field.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from ..wire.table import INCOMING, OUTGOING

if TYPE_CHECKING:
    from .base import Fault

Direction = Literal["in", "out"]

# Message names as ibapi spells them (EClient requests inbound, EWrapper/decoder messages outbound).
_IN_NAMES: dict[str, int] = {spec.name: msg_id for msg_id, spec in INCOMING.items()}
_OUT_NAMES: dict[str, int] = {name: spec.msg_id for name, spec in OUTGOING.items()}
_OUT_NAMES["error"] = _OUT_NAMES["errMsg"]  # ibapi's EWrapper.error


class FaultSpecError(ValueError):
    """A fault spec that cannot be used; the message names the kind and the field."""


def message_id(message: str | int, direction: Direction) -> int:
    """The numeric id of ``message`` (an ibapi name or an id) in ``direction``; ValueError if unknown."""
    names = _IN_NAMES if direction == "in" else _OUT_NAMES
    if isinstance(message, bool):
        raise ValueError(f"message must be a name or an id, got {message!r}")
    if isinstance(message, int) or (isinstance(message, str) and message.isdigit()):
        number = int(message)
        if number not in names.values():
            raise ValueError(f"no {'inbound' if direction == 'in' else 'outbound'} message has id {number}")
        return number
    if message not in names:
        raise ValueError(f"unknown {'inbound request' if direction == 'in' else 'outbound message'} "
                         f"{message!r} (known: {', '.join(sorted(names))})")
    return names[message]


# ----- triggers ---------------------------------------------------------------------------------

class _Trigger(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DelayTrigger(_Trigger):
    """Fire ``delay`` seconds after the fault is injected."""

    delay: float = Field(ge=0)


class _MessageTrigger(_Trigger):
    """Fire on the Nth message named by the field ``FIELD`` in ``DIRECTION``."""

    FIELD: ClassVar[str]
    DIRECTION: ClassVar[Direction]
    count: int = Field(1, ge=1)

    @model_validator(mode="after")
    def _known_message(self) -> "_MessageTrigger":
        try:
            message_id(getattr(self, self.FIELD), self.DIRECTION)
        except ValueError as exc:
            raise ValueError(f"field {self.FIELD!r}: {exc}") from None
        return self

    @property
    def msg_id(self) -> int:
        return message_id(getattr(self, self.FIELD), self.DIRECTION)


class RequestTrigger(_MessageTrigger):
    """Fire on the Nth inbound request of a message (from a targeted session)."""

    FIELD = "request"
    DIRECTION = "in"
    request: str | int


class ResponseTrigger(_MessageTrigger):
    """Fire on the Nth outbound frame of a message (to a targeted session)."""

    FIELD = "response"
    DIRECTION = "out"
    response: str | int


class ConnectTrigger(_Trigger):
    """Fire when a targeted client connects (its startApi claims the client id)."""

    connect: Literal[True]


BROKERAGE_EVENTS = ("order_filled", "order_updated", "order_executed", "order_commission",
                    "order_error", "order_bound", "account_changed", "price_marked")


class BrokerageTrigger(_Trigger):
    """Fire on the Nth brokerage event (``order_filled``: an order of a targeted client filled)."""

    brokerage: Literal[BROKERAGE_EVENTS]  # type: ignore[valid-type]
    count: int = Field(1, ge=1)


_TRIGGER_KEYS: dict[str, type[_Trigger]] = {
    "delay": DelayTrigger, "request": RequestTrigger, "response": ResponseTrigger,
    "connect": ConnectTrigger, "brokerage": BrokerageTrigger,
}


def _pick_trigger(value: Any) -> Any:
    """Choose the trigger model by its key, so errors speak of that trigger only."""
    if isinstance(value, _Trigger) or value is None:
        return value
    if not isinstance(value, dict):
        raise ValueError(f"a trigger is a mapping with one of {', '.join(_TRIGGER_KEYS)}; got {value!r}")
    keys = [key for key in _TRIGGER_KEYS if key in value]
    if len(keys) != 1:
        raise ValueError(f"a trigger needs exactly one of {', '.join(_TRIGGER_KEYS)}; got keys {sorted(value)}")
    return _TRIGGER_KEYS[keys[0]].model_validate(value)


TriggerSpec = Annotated[
    Union[DelayTrigger, RequestTrigger, ResponseTrigger, ConnectTrigger, BrokerageTrigger],
    BeforeValidator(_pick_trigger),
]


# ----- the spec models --------------------------------------------------------------------------

class FaultSpec(BaseModel):
    """Fields common to every kind. A kind's model narrows ``kind`` to a Literal and adds its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    client_id: int | None = Field(None, ge=0, description="the targeted client; absent: every session")
    duration: float | None = Field(None, gt=0, description="seconds active; absent: until stopped")
    after: TriggerSpec | None = Field(None, description="when the fault starts; absent: at once")
    until: TriggerSpec | None = Field(None, description="a trigger that stops the fault")
    seed: int | None = Field(None, description="seed of every random choice; absent: derived from the gateway seed")

    def to_dict(self) -> dict[str, Any]:
        """The spec as a plain JSON-ready dict (only the fields that were given or differ)."""
        return self.model_dump(mode="json", exclude_none=True)


class MessageFaultSpec(FaultSpec):
    """The fields shared by the message faults: which message, which way, how many."""

    message: str | int
    direction: Direction = "out"
    count: int | None = Field(None, ge=1, description="affect this many matching messages; absent: every one")

    @model_validator(mode="after")
    def _known_message(self) -> "MessageFaultSpec":
        try:
            message_id(self.message, self.direction)
        except ValueError as exc:
            raise ValueError(f"field 'message': {exc}") from None
        return self

    @property
    def msg_id(self) -> int:
        return message_id(self.message, self.direction)


def parse_fault_spec(spec: "dict[str, Any] | FaultSpec") -> FaultSpec:
    """Validate a plain spec into its kind's model; raise FaultSpecError naming the kind or field."""
    from .base import KINDS  # the registry is filled when the family modules are imported

    if isinstance(spec, FaultSpec):
        return spec
    if not isinstance(spec, dict):
        raise FaultSpecError(f"a fault spec is a mapping with a 'kind', got {type(spec).__name__}")
    kind = spec.get("kind")
    if kind is None:
        raise FaultSpecError(f"fault spec has no 'kind' (known kinds: {', '.join(sorted(KINDS))})")
    if not isinstance(kind, str) or kind not in KINDS:
        raise FaultSpecError(f"unknown fault kind {kind!r} (known kinds: {', '.join(sorted(KINDS))})")
    model = KINDS[kind][0]
    try:
        return model.model_validate(spec)
    except ValidationError as exc:
        raise FaultSpecError(f"fault {kind!r}: " + describe_errors(exc)) from None


def describe_errors(exc: ValidationError) -> str:
    """Pydantic's errors as ``field 'a.b': problem (got value)``, joined with semicolons.

    A validator that checks one field of its model says ``field 'x': ...``; that name is joined
    to the error's location, so the message always ends up naming the full path.
    """
    parts = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error["loc"] if not str(part).endswith("Trigger"))
        message = error["msg"].removeprefix("Value error, ")
        named = _NAMED_FIELD.match(message)
        if named:
            location = f"{location}.{named[1]}" if location else named[1]
            message = named[2]
        if error["type"] == "extra_forbidden":
            message = "unknown field for this kind"
        elif error["type"] != "missing" and not named:
            message += f" (got {error.get('input')!r})"
        parts.append(f"field {location!r}: {message}" if location else message)
    return "; ".join(parts)


_NAMED_FIELD = re.compile(r"field '([^']+)': (.*)", re.S)


def build_fault(spec: FaultSpec) -> "Fault":
    """The fault object a spec describes (its kind's registered class)."""
    from .base import KINDS

    return KINDS[spec.kind][1].from_spec(spec)
