"""Values print the way IB's Java servers print them."""

from __future__ import annotations

import pytest

from ib_harness.fake_gateway.wire.fields import UNSET_DOUBLE, fmt_bool, fmt_decimal, fmt_double, fmt_int


@pytest.mark.parametrize("value,text", [
    (0.0, "0.0"), (1.05955, "1.05955"), (100, "100.0"), (UNSET_DOUBLE, "1.7976931348623157E308"),
    (1e7, "1.0E7"), (12345678.5, "1.23456785E7"), (5e-05, "5.0E-5"), (None, ""), ("", ""),
    (float("nan"), "NaN"),
])
def test_double(value, text) -> None:
    assert fmt_double(value) == text


@pytest.mark.parametrize("value,text", [
    (100, "100"), (100.0, "100"), (1.24115341, "1.24115341"), (0.00005, "0.00005"), (0, "0"), (None, ""),
])
def test_decimal(value, text) -> None:
    assert fmt_decimal(value) == text


def test_int_and_bool() -> None:
    assert fmt_int(2**31 - 1) == "2147483647"
    assert fmt_int(None) == ""
    assert fmt_bool(True) == "1" and fmt_bool(False) == "0"
