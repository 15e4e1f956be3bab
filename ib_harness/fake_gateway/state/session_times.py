"""When a contract's regular session next opens and closes, on the gateway clock.

DAY orders expire at the close, MOC/LOC orders execute at it and OPG orders at the next open, so
the order book needs those instants. They are read from the same weekly schedule that contract
details print (``trading_hours.hours``: liquid hours per secType, exchange holidays CLOSED, half
days short), so an order expires exactly when the schedule a client was shown says it should.
A contract whose catalog entry pins its own ``liquidHours`` keeps those, repeated every weekday.
"""

from __future__ import annotations

import re
from datetime import datetime, time as day_time, timedelta
from zoneinfo import ZoneInfo

from .contracts import ContractDef
from .trading_hours import hours

_RANGE = re.compile(r"(\d{8}):(\d{4})-(\d{8}):(\d{4})")
_DEFAULT_ZONE = "US/Eastern"
_DEFAULT_HOURS = (day_time(9, 30), day_time(16, 0))


def _sessions(contract: ContractDef, now: float) -> list[tuple[float, float]]:
    """(open, close) epoch pairs of the contract's liquid sessions from today for a week."""
    details = contract.details
    zone_name = str(details.get("timeZoneId") or _DEFAULT_ZONE)
    schedule = hours(contract.sec_type, zone_name, now)
    text = schedule[1] if schedule is not None else str(details.get("liquidHours") or "")
    zone = ZoneInfo(zone_name)
    return _parse(text, zone) or _weekday_sessions(now, zone)


def _parse(text: str, zone: ZoneInfo) -> list[tuple[float, float]]:
    sessions = []
    for day_open, at_open, day_close, at_close in _RANGE.findall(text):
        start = datetime.strptime(day_open + at_open, "%Y%m%d%H%M").replace(tzinfo=zone)
        end = datetime.strptime(day_close + at_close, "%Y%m%d%H%M").replace(tzinfo=zone)
        sessions.append((start.timestamp(), end.timestamp()))
    return sessions


# Where an order may execute: US stocks and options in the regular session (liquidHours), a stock
# limit order with outsideRth also 04:00-20:00 (tradingHours); forex and futures in their whole
# trading session. IB ignores outsideRth for other order types (warning 2109).
ROUND_THE_CLOCK = frozenset({"CASH", "FUT", "CONTFUT", "FOP"})
EXTENDED_HOURS_TYPES = frozenset({"LMT", "STP LMT"})
ALWAYS = (float("-inf"), float("inf"))


def working_session(contract: ContractDef, now: float, outside_rth: bool) -> tuple[float, float]:
    """The (open, close) of the session an order may execute in: the current one when ``now`` is
    inside it, else the next. ALWAYS for a secType without a modelled schedule (not gated)."""
    zone_name = str(contract.details.get("timeZoneId") or _DEFAULT_ZONE)
    extended = contract.sec_type in ROUND_THE_CLOCK or outside_rth
    for horizon in (now, now + 7 * 86400):
        schedule = hours(contract.sec_type, zone_name, horizon)
        if schedule is None:
            return ALWAYS
        later = [s for s in _parse(schedule[0 if extended else 1], ZoneInfo(zone_name)) if s[1] > now]
        if later:
            return min(later)
    raise ValueError(f"no trading session for {contract.symbol} within two weeks")


def _weekday_sessions(now: float, zone: ZoneInfo) -> list[tuple[float, float]]:
    """09:30-16:00 every weekday: the fallback for a contract with no schedule at all."""
    today = datetime.fromtimestamp(now, zone).date()
    days = (today + timedelta(days=offset) for offset in range(8))
    return [(datetime.combine(day, _DEFAULT_HOURS[0], zone).timestamp(),
             datetime.combine(day, _DEFAULT_HOURS[1], zone).timestamp())
            for day in days if day.weekday() < 5]


def next_close(contract: ContractDef, now: float) -> float:
    """The first session close strictly after ``now`` (epoch seconds)."""
    return _next_edge(contract, now, 1, "close")


def next_open(contract: ContractDef, now: float) -> float:
    """The first session open strictly after ``now`` (epoch seconds)."""
    return _next_edge(contract, now, 0, "open")


def _next_edge(contract: ContractDef, now: float, edge: int, name: str) -> float:
    """The first session open (edge 0) or close (edge 1) after ``now``; a week of holidays still
    finds next week's."""
    for horizon in (now, now + 7 * 86400):
        later = [session[edge] for session in _sessions(contract, horizon) if session[edge] > now]
        if later:
            return min(later)
    raise ValueError(f"no session {name} for {contract.symbol} within two weeks")


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
