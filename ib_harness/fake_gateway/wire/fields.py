"""Field kinds of the TWS text protocol and how IB's servers print them.

IB's servers are Java: doubles print like ``Double.toString`` (``0.0``, ``1.7976931348623157E308``),
sizes are ``Decimal`` strings with no trailing ``.0`` (``100``, ``1.24115341``), booleans are ``0``/``1``.
The captures in ``tests/conformance/captures`` show every one of these shapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

UNSET_DOUBLE = 1.7976931348623157e308
UNSET_INTEGER = 2**31 - 1
UNSET_DECIMAL_TEXT = ""

Formatter = Callable[[Any], str]


def fmt_str(value: Any) -> str:
    """Strings pass through; None is an empty field."""
    return "" if value is None else str(value)


def fmt_int(value: Any) -> str:
    """Integers, with None as an empty field (IB leaves unset ints empty in some slots)."""
    if value is None or value == "":
        return ""
    return str(int(value))


def fmt_bool(value: Any) -> str:
    """Booleans are ``1``/``0``."""
    if isinstance(value, str):
        return value
    return "1" if value else "0"


def _given_text(value: Any) -> str | None:
    """Empty for None/"", the text itself for a str (already formatted), else None: format it."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    return None


def fmt_double(value: Any) -> str:
    """Print a double like Java's ``Double.toString`` for the ranges IB uses."""
    text = _given_text(value)
    if text is not None:
        return text
    number = float(value)
    if number == UNSET_DOUBLE:
        return "1.7976931348623157E308"
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    text = repr(number)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        return f"{mantissa}E{int(exponent)}"
    if abs(number) >= 1e7 and "." in text:
        return _java_scientific(number)
    return text


def _java_scientific(number: float) -> str:
    """Java switches to E notation at 1e7; Python's repr does so only at 1e16."""
    exponent = int(math.floor(math.log10(abs(number))))
    mantissa = repr(number / 10**exponent)
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}E{exponent}"


def fmt_decimal(value: Any) -> str:
    """Sizes and quantities: Java ``BigDecimal.stripTrailingZeros().toPlainString()``."""
    text = _given_text(value)
    if text is not None:
        return text
    number = float(value)
    if number == UNSET_DOUBLE:
        return UNSET_DECIMAL_TEXT
    if number.is_integer():
        return str(int(number))
    text = f"{number:.10f}".rstrip("0").rstrip(".")
    return text


KINDS: dict[str, Formatter] = {
    "str": fmt_str,
    "int": fmt_int,
    "bool": fmt_bool,
    "double": fmt_double,
    "decimal": fmt_decimal,
}


@dataclass(frozen=True)
class Field:
    """One slot of a message, present for server versions ``since <= v < until``."""

    name: str
    kind: str = "str"
    default: Any = ""
    since: int = 0
    until: int = 10**6
    constant: bool = False

    def present_at(self, version: int) -> bool:
        return self.since <= version < self.until

    @property
    def formatter(self) -> Formatter:
        return KINDS[self.kind]


def S(name: str, default: Any = "", since: int = 0, until: int = 10**6) -> Field:
    """A string slot."""
    return Field(name, "str", default, since, until)


def I(name: str, default: Any = 0, since: int = 0, until: int = 10**6) -> Field:  # noqa: E743
    """An integer slot."""
    return Field(name, "int", default, since, until)


def B(name: str, default: Any = False, since: int = 0, until: int = 10**6) -> Field:
    """A boolean slot printed as 0/1."""
    return Field(name, "bool", default, since, until)


def D(name: str, default: Any = 0.0, since: int = 0, until: int = 10**6) -> Field:
    """A double slot printed like Java."""
    return Field(name, "double", default, since, until)


def Q(name: str, default: Any = 0, since: int = 0, until: int = 10**6) -> Field:
    """A Decimal size/quantity slot."""
    return Field(name, "decimal", default, since, until)


def C(name: str, value: str, since: int = 0, until: int = 10**6) -> Field:
    """A constant slot, such as a message's own version number."""
    return Field(name, "str", value, since, until, constant=True)
