"""Trading and liquid hours by secType, as contract details print them for the coming week.

IB lists one range per day, ``yyyymmdd:hhmm-yyyymmdd:hhmm``, separated by ``;``, and a day without
a session as ``yyyymmdd:CLOSED``, all in the contract's timeZoneId:

- US stocks and options: 04:00-20:00 Eastern trading (outside RTH), 09:30-16:00 liquid (RTH),
  13:00 on half days;
- indices: 09:30-16:00 Eastern (printed in the catalog's zone);
- forex (IDEALPRO): nearly round the clock, 17:15 the day before to 17:00, Sunday to Friday;
- futures: 17:00 the day before to 16:00 Central, liquid from 08:30.

Holidays and half days come from exchange_calendars (see exchange_days).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .exchange_days import early_close, is_trading_day

DAYS = 7
EASTERN = ZoneInfo("US/Eastern")


def _range(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    a, b = start.astimezone(zone), end.astimezone(zone)
    return f"{a:%Y%m%d:%H%M}-{b:%Y%m%d:%H%M}"


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, zone)


def hours(sec_type: str, zone_name: str, now: float) -> tuple[str, str] | None:
    """(tradingHours, liquidHours) for the week from today; None for secTypes without a schedule."""
    zone = ZoneInfo(zone_name or "US/Eastern")
    today = datetime.fromtimestamp(now, EASTERN).date()
    trading: list[str] = []
    liquid: list[str] = []
    if sec_type not in ("STK", "OPT", "IND", "CASH", "FUT", "CONTFUT", "FOP"):
        return None
    central = ZoneInfo("US/Central")
    for offset in range(DAYS):
        day = today + timedelta(days=offset)
        round_the_clock = sec_type in ("CASH", "FUT", "CONTFUT", "FOP")
        if round_the_clock and day.weekday() == 6:
            continue  # Sunday evening opens Monday's session
        if day.weekday() == 5 or (sec_type != "CASH" and not is_trading_day(day)):
            trading.append(f"{day:%Y%m%d}:CLOSED")
            liquid.append(f"{day:%Y%m%d}:CLOSED")
            continue
        close = early_close(day) or time(16, 0)
        if sec_type == "CASH":  # IDEALPRO keeps its own week, not the NYSE's holidays
            span = _range(_at(day - timedelta(days=1), time(17, 15), EASTERN), _at(day, time(17, 0), EASTERN), zone)
            trading.append(span)
            liquid.append(span)
        elif round_the_clock:
            end = _at(day, close, EASTERN) if close != time(16, 0) else _at(day, time(16, 0), central)
            trading.append(_range(_at(day - timedelta(days=1), time(17, 0), central), end, zone))
            liquid.append(_range(_at(day, time(8, 30), central), end, zone))
        else:
            first = time(4, 0) if sec_type == "STK" else time(9, 30)
            last = time(20, 0) if sec_type == "STK" and close == time(16, 0) else close
            trading.append(_range(_at(day, first, EASTERN), _at(day, last, EASTERN), zone))
            liquid.append(_range(_at(day, time(9, 30), EASTERN), _at(day, close, EASTERN), zone))
    return ";".join(trading), ";".join(liquid)
