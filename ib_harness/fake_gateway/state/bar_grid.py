"""The time grid of historical bars: where each bar starts, by the exchange's calendar.

Intraday bars up to one hour sit on the clock (the bar that straddles the open starts at the
open: 09:30, 10:00, 11:00 for hourly RTH bars); bars above one hour are laid out from each
session's start; daily, weekly and monthly bars start on trading days. Regular hours end at the
early close on half days (13:00 the day after Thanksgiving), from the exchange calendar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_time
from zoneinfo import ZoneInfo

from .exchange_days import early_close, is_trading_day

RTH_OPEN, RTH_CLOSE = day_time(9, 30), day_time(16, 0)
HMDS = "Historical Market Data Service error message:"
TIME_LENGTH_EXCEEDED = f"{HMDS}Time length exceed max."


class HistoryError(Exception):
    """A request IB would refuse: the error code and text to send to the client."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class BarSize:
    text: str
    seconds: int
    unit: str  # "s" intraday, "D" day, "W" week, "M" month

    @property
    def daily(self) -> bool:
        return self.unit != "s"


class BarGrid:
    """Bar start times in ``zone`` (the gateway's time zone), at most ``max_bars`` per request."""

    zone: ZoneInfo
    max_bars: int

    @staticmethod
    def _trades_on(day: date, holidays: bool) -> bool:
        return is_trading_day(day) if holidays else day.weekday() < 5

    def _slots(self, start: float, end: float, size: BarSize, rth: bool, holidays: bool = True) -> list[float]:
        if not size.daily and size.seconds > 3600:
            return self._session_slots(start, end, size.seconds, rth, holidays)
        if not size.daily:
            step = size.seconds
            first = math.ceil(start / step) * step
            count = max(0, math.ceil(end / step) - math.ceil(start / step))
            if count > self.max_bars:
                raise HistoryError(162, TIME_LENGTH_EXCEEDED)
            if not rth:
                return [float(first + i * step) for i in range(count)]
            # the bar that straddles the open starts at the open (1 hour: 09:30, 10:00, 11:00 ...)
            grid = (float(first + i * step) for i in range(-1, count))
            opened = (self._rth_start(t, step) for t in grid)
            return [t for t in opened if t is not None and start <= t < end]
        day = datetime.fromtimestamp(start, self.zone).date()
        last = datetime.fromtimestamp(end, self.zone).date()
        if (last - day).days > 40 * 366:
            raise HistoryError(162, TIME_LENGTH_EXCEEDED)
        out: list[float] = []
        while day <= last:
            if self._trades_on(day, holidays) and self._opens_bar(day, size, holidays):
                midnight = datetime.combine(day, day_time(0), self.zone).timestamp()
                if midnight < end and (midnight >= start or size.unit != "D"):
                    out.append(midnight)
            day += timedelta(days=1)
        return out

    def _session_slots(self, start: float, end: float, step: int, rth: bool, holidays: bool) -> list[float]:
        """Bars above one hour are laid out from each session's start (the open with RTH, else the
        day's start in the exchange's zone), the last one cut short by the close: 4 hours in RTH
        is 09:30 and 13:30, not slots counted from the epoch."""
        day = datetime.fromtimestamp(start, self.zone).date()
        last = datetime.fromtimestamp(end, self.zone).date()
        if (last - day).days * 86400 // step > self.max_bars:
            raise HistoryError(162, TIME_LENGTH_EXCEEDED)
        out: list[float] = []
        while day <= last:
            if self._trades_on(day, holidays) or not rth:
                begins = datetime.combine(day, RTH_OPEN if rth else day_time(0), self.zone).timestamp()
                closes = (datetime.combine(day, self.close_on(day), self.zone).timestamp() if rth
                          else datetime.combine(day + timedelta(days=1), day_time(0), self.zone).timestamp())
                t = begins
                while t < closes:
                    if start <= t < end:
                        out.append(t)
                    t += step
            day += timedelta(days=1)
        return out

    @staticmethod
    def close_on(day: date) -> day_time:
        """The regular session's close: 16:00, or the early close of a half day (13:00)."""
        return early_close(day) or RTH_CLOSE

    @classmethod
    def _opens_bar(cls, day: date, size: BarSize, holidays: bool = True) -> bool:
        """A weekly (monthly) bar starts on the first trading day of its week (month)."""
        if size.unit == "W":
            first = day - timedelta(days=day.weekday())
        elif size.unit == "M":
            first = day.replace(day=1)
        else:
            return True
        return not any(cls._trades_on(first + timedelta(days=d), holidays) for d in range((day - first).days))

    def _rth_start(self, t: float, step: int) -> float | None:
        """Where the RTH bar of grid slot [t, t + step) starts: t inside regular hours, the open
        when the slot straddles it (IB's first hourly RTH bar is 09:30-10:00), else no bar."""
        if self.in_rth(t):
            return t
        local = datetime.fromtimestamp(t, self.zone)
        opens = datetime.combine(local.date(), RTH_OPEN, self.zone).timestamp()
        return opens if t < opens < t + step and is_trading_day(local.date()) else None

    def in_rth(self, t: float) -> bool:
        """Inside regular trading hours (09:30-16:00 on trading days, 13:00 on half days, in the
        gateway's zone)."""
        local = datetime.fromtimestamp(t, self.zone)
        day = local.date()
        return RTH_OPEN <= local.time() < self.close_on(day) and is_trading_day(day)
