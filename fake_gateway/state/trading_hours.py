"""When a contract's trading session opens and closes, on the gateway clock.

DAY orders expire at the close, MOC/LOC orders execute at it and OPG orders at the next open, so
the order book needs those instants. They come from the contract's own ``liquidHours`` (the
regular session IB publishes in contract details: ``20231204:0930-20231204:1600``) read as times
of day in its ``timeZoneId``, repeated every weekday. Holidays are not modelled.
"""

from __future__ import annotations

import re
from datetime import datetime, time as day_time, timedelta
from zoneinfo import ZoneInfo

from .contracts import ContractDef

_SESSION = re.compile(r"\d{8}:(\d{2})(\d{2})-\d{8}:(\d{2})(\d{2})")
_DEFAULT = ("US/Eastern", day_time(9, 30), day_time(16, 0))


def regular_hours(contract: ContractDef) -> tuple[str, day_time, day_time]:
    """(time zone, open, close) of the contract's regular session."""
    details = contract.details
    match = _SESSION.search(str(details.get("liquidHours") or ""))
    if match is None:
        return _DEFAULT
    hour_open, minute_open, hour_close, minute_close = (int(part) for part in match.groups())
    zone = str(details.get("timeZoneId") or _DEFAULT[0])
    return zone, day_time(hour_open, minute_open), day_time(hour_close % 24, minute_close)


def next_close(contract: ContractDef, now: float) -> float:
    """The first session close strictly after ``now`` (epoch seconds)."""
    zone, _, close = regular_hours(contract)
    return _next_weekday_time(now, zone, close)


def next_open(contract: ContractDef, now: float) -> float:
    """The first session open strictly after ``now`` (epoch seconds)."""
    zone, start, _ = regular_hours(contract)
    return _next_weekday_time(now, zone, start)


def _next_weekday_time(now: float, zone: str, at: day_time) -> float:
    tz = ZoneInfo(zone)
    local = datetime.fromtimestamp(now, tz)
    candidate = datetime.combine(local.date(), at, tz)
    while candidate.timestamp() <= now or candidate.weekday() >= 5:
        candidate = datetime.combine(candidate.date() + timedelta(days=1), at, tz)
    return candidate.timestamp()


def parse_good_till(text: str, default_zone: str) -> float | None:
    """goodTillDate as clients send it: ``YYYYMMDD HH:MM:SS [zone]`` or ``YYYYMMDD-HH:MM:SS`` (UTC)."""
    text = text.strip()
    try:
        if len(text) >= 17 and text[8] == "-":
            return datetime.strptime(text[:17], "%Y%m%d-%H:%M:%S").replace(tzinfo=ZoneInfo("UTC")).timestamp()
        naive = datetime.strptime(text[:17], "%Y%m%d %H:%M:%S")
        zone = ZoneInfo(text[17:].strip() or default_zone)
    except (ValueError, KeyError):
        return None
    return naive.replace(tzinfo=zone).timestamp()


def standard_zone_name(zone: str, when: float) -> str:
    """The zone's standard-time abbreviation, as IB's Java server prints it all year round.

    The captured handshake of 2023-10-21 (daylight saving time in New York) reads ``EST``, not
    ``EDT``: TWS prints the zone's standard short name whatever the season.
    """
    tz = ZoneInfo(zone)
    year = datetime.fromtimestamp(when, tz).year
    for month in (1, 7):
        probe = datetime(year, month, 1, 12, tzinfo=tz)
        if not probe.dst():
            return probe.tzname() or zone
    return datetime.fromtimestamp(when, tz).tzname() or zone
