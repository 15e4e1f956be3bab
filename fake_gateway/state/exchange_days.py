"""US exchange trading days from exchange_calendars (the NYSE calendar, XNYS), not hand-written
holiday lists: option expirations, trading hours and history all skip the same holidays.

The calendar is built once per process (it takes a moment) and covers 20 years back to 3 years
ahead, enough for LEAPS; dates outside it count weekdays as trading days.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import exchange_calendars
import pandas as pd


@lru_cache(maxsize=1)
def _sessions() -> tuple[frozenset[date], date, date]:
    today = pd.Timestamp.today().normalize()
    calendar = exchange_calendars.get_calendar("XNYS", start=today - pd.DateOffset(years=20),
                                               end=today + pd.DateOffset(years=3))
    sessions = frozenset(ts.date() for ts in calendar.sessions)
    return sessions, calendar.first_session.date(), calendar.last_session.date()


def is_trading_day(day: date) -> bool:
    sessions, first, last = _sessions()
    if first <= day <= last:
        return day in sessions
    return day.weekday() < 5


def trading_day_on_or_before(day: date) -> date:
    while not is_trading_day(day):
        day -= timedelta(days=1)
    return day
