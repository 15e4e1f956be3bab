"""Code generation for the hot-path encoders (ticks, bars, account rows).

A layout at one version is turned into one Python function whose body is a single f-string with
each slot's formatting inlined for the common case (an int for an int slot, a str for a str slot,
a float in Java's plain range for a double) and the general formatter as the fallback. This is the
same output as :meth:`MessageSpec.fields`, only without a call per field.
"""

from __future__ import annotations

import struct
from typing import Any, Callable, Sequence

from .fields import Field, fmt_bool, fmt_decimal, fmt_double, fmt_int, fmt_str

_NAMESPACE: dict[str, Any] = {
    "pack": struct.Struct(">I").pack,
    "fs": fmt_str, "fi": fmt_int, "fb": fmt_bool, "fd": fmt_double, "fq": fmt_decimal,
}
_INLINE = {
    "str": "{{{v} if {v}.__class__ is str else fs({v})}}",
    "int": "{{{v} if {v}.__class__ is int else fi({v})}}",
    "bool": "{{fb({v})}}",
    "double": "{{repr({v}) if {v}.__class__ is float and 1e-3 <= {v} < 1e7 else fd({v})}}",
    "decimal": "{{{v} if {v}.__class__ is int else (int({v}) if {v}.__class__ is float and {v}.is_integer() "
               "and -1e15 < {v} < 1e15 else fq({v}))}}",
}


def _literal(text: str) -> str:
    """Text as it must appear inside the generated f-string (braces doubled, NULs escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("{", "{{").replace("}", "}}").replace("\0", "\\x00")


def build_encoder(name: str, msg_id: int, slots: Sequence[Field]) -> Callable[..., bytes]:
    """One function taking the non-constant slots positionally and returning a whole frame."""
    params: list[str] = []
    pieces = [_literal(str(msg_id))]
    for slot in slots:
        if slot.constant:
            pieces.append(_literal(str(slot.default)))
            continue
        param = f"v{len(params)}"
        params.append(param)
        pieces.append(_INLINE[slot.kind].format(v=param))
    body = "\\x00".join(pieces) + "\\x00"
    source = (
        f"def encode_{name}({', '.join(params)}):\n"
        f"    payload = f\"{body}\".encode()\n"
        f"    return pack(len(payload)) + payload\n"
    )
    namespace = dict(_NAMESPACE)
    exec(compile(source, f"<encoder {name}>", "exec"), namespace)  # noqa: S102 - generated from our own layouts
    return namespace[f"encode_{name}"]
