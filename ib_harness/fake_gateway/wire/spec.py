"""Declarative message layouts: the one source of truth for every frame the gateway writes.

A :class:`MessageSpec` lists its slots with the server versions where each exists. It compiles,
once per negotiated version, into a plain list of (name, default, formatter) so that encoding is a
loop over a tuple and never re-checks version gates on the hot path.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping, Sequence, Union

from .fast_encode import build_encoder
from .fields import Field, Formatter, fmt_bool, fmt_decimal, fmt_double, fmt_int, fmt_str

_LENGTH = struct.Struct(">I")


@dataclass(frozen=True)
class Repeat:
    """A counted group: the count, then each item's slots (bars, tag/value lists, secIds)."""

    name: str
    fields: tuple[Field, ...]
    since: int = 0
    until: int = 10**6
    counted: bool = True

    def present_at(self, version: int) -> bool:
        return self.since <= version < self.until


Slot = Union[Field, Repeat]
_Compiled = tuple[tuple[str, Any, Formatter, "tuple | None"], ...]


@dataclass(frozen=True, eq=False)
class MessageSpec:
    """The layout of one server-to-client message id."""

    msg_id: int
    name: str
    slots: tuple[Slot, ...] = field(default_factory=tuple)

    def names_at(self, version: int) -> list[str]:
        """Slot names present at ``version`` (repeat groups appear by their group name)."""
        return [slot.name for slot in self.slots if slot.present_at(version)]

    def compiled(self, version: int) -> _Compiled:
        return _compile(self, version)

    def fields(self, version: int, values: Mapping[str, Any] | None = None, **more: Any) -> list[str]:
        """Encode into text fields, message id first. Missing values take the slot default."""
        merged = {**values, **more} if (values and more) else (more or values or {})
        out = [str(self.msg_id)]
        _emit(out, self.compiled(version), merged)
        return out

    def frame(self, version: int, values: Mapping[str, Any] | None = None, **more: Any) -> bytes:
        """Encode into one length-prefixed frame ready for the socket."""
        return frame_fields(self.fields(version, values, **more))

    def parse(self, version: int, fields: Sequence[str]) -> dict[str, Any]:
        """The inverse of :meth:`fields`: name each field by its slot and convert it to its kind.

        Used to check layouts against real captured frames: parse, re-encode, compare; a slot of
        the wrong kind (``0`` where IB prints ``0.0``) then shows up as a difference.
        Raises ValueError when the frame has more or fewer fields than the layout.
        """
        if not fields or fields[0] != str(self.msg_id):
            raise ValueError(f"{self.name}: frame does not start with message id {self.msg_id}")
        position = 1
        values: dict[str, Any] = {}

        def take() -> str:
            nonlocal position
            if position >= len(fields):
                raise ValueError(f"{self.name}@{version}: frame ends at field {position}, layout wants more")
            position += 1
            return fields[position - 1]

        for name, _, formatter, sub in self.compiled(version):
            if sub is None:
                values[name] = _typed(formatter, take())
                continue
            items = []
            for _ in range(int(take() or 0)):
                items.append({sub_name: _typed(sub_fmt, take()) for sub_name, _, sub_fmt in sub})
            values[name] = items
        if position != len(fields):
            raise ValueError(f"{self.name}@{version}: layout has {position} fields, frame has {len(fields)}")
        return values

    @lru_cache(maxsize=None)  # noqa: B019 - layouts are module constants that live forever
    def positional(self, version: int) -> Callable[..., bytes]:
        """A fast encoder taking the variable slots positionally (ticks and bars are the hot path).

        Constant slots (the message's own version) are printed once, here, not per call, and the
        generated function is built once per layout and version for every session.
        """
        present = [slot for slot in self.slots if slot.present_at(version)]
        if any(isinstance(slot, Repeat) for slot in present):
            raise ValueError(f"{self.name} has repeat groups; use fields()")
        return build_encoder(self.name, self.msg_id, present)  # type: ignore[arg-type]


def _typed(formatter: Formatter, text: str) -> Any:
    """Convert captured text to the Python value its slot kind expects (text stays text if it won't)."""
    if text == "" or formatter is fmt_str:
        return text
    try:
        if formatter is fmt_int or formatter is fmt_bool:
            return int(text)
        if formatter is fmt_double or formatter is fmt_decimal:
            return float(text)
    except ValueError:
        return text
    return text


@lru_cache(maxsize=None)
def _compile(spec: MessageSpec, version: int) -> _Compiled:
    compiled: list[tuple[str, Any, Formatter, Any]] = []
    for slot in spec.slots:
        if not slot.present_at(version):
            continue
        if isinstance(slot, Repeat):
            sub = tuple(
                (f.name, f.default, f.formatter) for f in slot.fields if f.present_at(version)
            )
            compiled.append((slot.name, (), _count_formatter(slot.counted), sub))
        else:
            compiled.append((slot.name, slot.default, slot.formatter, None))
    return tuple(compiled)


def _count_formatter(counted: bool) -> Formatter:
    return (lambda items: str(len(items))) if counted else (lambda items: None)  # type: ignore[return-value]


def _emit(out: list[str], compiled: _Compiled, values: Mapping[str, Any]) -> None:
    for name, default, formatter, sub in compiled:
        value = values.get(name, default)
        if sub is None:
            out.append(formatter(value))
            continue
        items: Sequence[Mapping[str, Any]] = value or ()
        count = formatter(items)
        if count is not None:
            out.append(count)
        for item in items:
            for sub_name, sub_default, sub_formatter in sub:
                out.append(sub_formatter(item.get(sub_name, sub_default)))


def frame_fields(fields: Iterable[str]) -> bytes:
    """Join text fields with NULs (each field NUL-terminated) and add the length prefix."""
    payload = ("\0".join(fields) + "\0").encode()
    return _LENGTH.pack(len(payload)) + payload


def frame_payload(payload: bytes) -> bytes:
    """Length-prefix a payload that is already encoded."""
    return _LENGTH.pack(len(payload)) + payload
