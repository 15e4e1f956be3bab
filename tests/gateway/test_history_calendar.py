"""Synthetic history follows the exchange's calendar (issue 23 item 6): half days end at the early
close, and bars above one hour are laid out from the session's start, not from the epoch."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from ib_harness.fake_gateway.state.brokerage import Brokerage
from ib_harness.fake_gateway.state.exchange_days import early_close

AAPL = 265598
EASTERN = ZoneInfo("US/Eastern")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=EASTERN).timestamp()


def starts(bar_size: str, end: str, use_rth: bool, duration: str = "1 D") -> list[str]:
    broker = Brokerage()
    bars = broker.history.request(AAPL, end, duration, bar_size, "TRADES", use_rth, 1, NOW)[0]
    return [datetime.fromtimestamp(bar.time, EASTERN).strftime("%m%d %H:%M") for bar in bars]


def test_the_day_after_thanksgiving_closes_at_13_00() -> None:
    assert early_close(datetime(2026, 11, 27).date()) is not None  # the calendar knows the half day
    assert starts("1 hour", "20261127 23:00:00 US/Eastern", True) == ["1127 09:30", "1127 10:00", "1127 11:00",
                                                                     "1127 12:00"]
    assert starts("30 mins", "20261127 23:00:00 US/Eastern", True)[-1] == "1127 12:30"


def test_a_full_day_still_ends_at_16_00() -> None:
    assert starts("1 hour", "20261124 23:00:00 US/Eastern", True)[-1] == "1124 15:00"


@pytest.mark.parametrize(("bar_size", "expected"), [
    ("2 hours", ["1124 09:30", "1124 11:30", "1124 13:30", "1124 15:30"]),
    ("3 hours", ["1124 09:30", "1124 12:30", "1124 15:30"]),
    ("4 hours", ["1124 09:30", "1124 13:30"]),
    ("8 hours", ["1124 09:30"]),
])
def test_bars_above_one_hour_start_at_the_open(bar_size: str, expected: list[str]) -> None:
    assert starts(bar_size, "20261124 23:00:00 US/Eastern", True) == expected


def test_bars_above_one_hour_outside_rth_start_at_the_days_start() -> None:
    assert starts("4 hours", "20261125 00:00:00 US/Eastern", False) == [
        "1124 00:00", "1124 04:00", "1124 08:00", "1124 12:00", "1124 16:00", "1124 20:00"]


def test_a_half_day_in_four_hour_bars_ends_with_the_session() -> None:
    assert starts("4 hours", "20261127 23:00:00 US/Eastern", True) == ["1127 09:30"]
    assert starts("2 hours", "20261127 23:00:00 US/Eastern", True) == ["1127 09:30", "1127 11:30"]
