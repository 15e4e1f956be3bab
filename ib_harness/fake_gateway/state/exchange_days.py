"""US exchange trading days from exchange_calendars (the NYSE calendar, XNYS), not hand-written
holiday lists: option expirations, trading hours and history all skip the same holidays.

The calendar is built once per process and covers 20 years back to 3 years ahead, enough for
LEAPS; dates outside it count weekdays as trading days. Building it takes ~0.2 s of CPU (more on a
busy machine), so the gateway calls ``prepare`` before it listens: built inside a request, it froze
every session that long (IB does not go silent for a contract-details request).
"""

from __future__ import annotations

import warnings
from datetime import date, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import exchange_calendars
import pandas as pd

EASTERN = ZoneInfo("US/Eastern")


@lru_cache(maxsize=1)
def _calendar() -> tuple[frozenset[date], dict[date, time], date, date]:
    today = pd.Timestamp.today().normalize()
    with warnings.catch_warnings():  # the library's own pandas deprecations are not ours to fix
        warnings.simplefilter("ignore")
        calendar = exchange_calendars.get_calendar("XNYS", start=today - pd.DateOffset(years=20),
                                                   end=today + pd.DateOffset(years=3))
        sessions = frozenset(ts.date() for ts in calendar.sessions)
        early = {ts.date(): calendar.session_close(ts).tz_convert(EASTERN).time() for ts in calendar.early_closes}
    return sessions, early, calendar.first_session.date(), calendar.last_session.date()


def prepare() -> None:
    """Build the calendar now (off the event loop: ``await asyncio.to_thread(prepare)``)."""
    _calendar()


def is_trading_day(day: date) -> bool:
    sessions, _, first, last = _calendar()
    if first <= day <= last:
        return day in sessions
    return day.weekday() < 5


def trading_day_on_or_before(day: date) -> date:
    while not is_trading_day(day):
        day -= timedelta(days=1)
    return day


def early_close(day: date) -> time | None:
    """The regular session's close on a half day (13:00 Eastern), else None."""
    return _calendar()[1].get(day)
