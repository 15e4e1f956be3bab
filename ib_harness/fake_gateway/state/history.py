"""Historical bars: synthesized from the seed and the market model, or replayed from a file.

Synthetic bars walk back from the market's current price with returns drawn per bar slot from
(seed, conId, bar size, slot), so the same seed and the same market state give the same bars,
and the last bar closes where live ticks and keepUpToDate updates go on. A symbol configured with a CSV or Parquet file
(columns date, open, high, low, close, volume[, wap, barCount]) is served from that file instead,
aggregated to the requested bar size with pandas. Requests are checked with IB's own rules and
error texts, so a client's error handling meets the messages it will meet in production.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as day_time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import pandas as pd

from .bar_files import load_bar_file, resample_bars
from .bar_grid import HMDS, RTH_OPEN, TIME_LENGTH_EXCEEDED, BarGrid, BarSize, HistoryError
from .market import Market
from .quote import Quote

MONTH = 30 * 86400
BAR_SECONDS: dict[str, int] = {
    "1 secs": 1, "5 secs": 5, "10 secs": 10, "15 secs": 15, "30 secs": 30,
    "1 min": 60, "2 mins": 120, "3 mins": 180, "5 mins": 300, "10 mins": 600, "15 mins": 900,
    "20 mins": 1200, "30 mins": 1800, "1 hour": 3600, "2 hours": 7200, "3 hours": 10800,
    "4 hours": 14400, "8 hours": 28800, "1 day": 86400, "1 week": 604800, "1w": 604800,
    "1 month": MONTH, "1m": MONTH,
}
LEGAL_BAR_SIZES = ("1 secs, 5 secs, 10 secs, 15 secs, 30 secs, 1 min, 2 mins, 3 mins, 5 mins, 10 mins, "
                   "15 mins, 20 mins, 30 mins, 1 hour, 2 hours, 3 hours, 4 hours, 8 hours, 1 day, 1W, 1M")
WHAT_TO_SHOW = {"TRADES", "MIDPOINT", "BID", "ASK", "BID_ASK", "ADJUSTED_LAST"}
SESSION_SECONDS = 6_000  # a session's variance in seconds of the live walk: ~1.5%/day at 0.0002
HEAD_TIMESTAMP = 1_074_868_200.0  # 20040123 14:30:00 UTC: the earliest synthetic data point
HEAD_TIMESTAMP_BY_SEC_TYPE = {"CASH": 1_109_635_200.0}  # 20050301 00:00:00 UTC: IDEALPRO history
BLOCK = 1024
VALIDATION = "Error validating request.-'bK' : cause - "
END_DATE_INVALID = (
    "End Date/Time: The date, time, or time-zone entered is invalid. The correct format is yyyymmdd "
    "hh:mm:ss xx/xxx where yyyymmdd and xx/xxx are optional. E.g.: 20031126 15:59:00 US/Eastern  Note "
    "that there is a space between the date and time, and between the time and time-zone.  If no date "
    "is specified, current date is assumed. If no time-zone is specified, local time-zone is assumed"
    "(deprecated).  You can also provide yyyymmddd-hh:mm:ss time is in UTC. Note that there is a dash "
    "between the date and time in UTC notation."
)


@dataclass(frozen=True)
class Duration:
    count: int
    unit: str  # S D W M Y


@dataclass(frozen=True)
class Bar:
    """One bar; ``time`` is the bar's start in epoch seconds. volume/wap/count -1 = not applicable."""

    time: float
    open: float
    high: float
    low: float
    close: float
    volume: float = -1
    wap: float = -1
    count: int = -1


def parse_bar_size(text: str) -> BarSize:
    seconds = BAR_SECONDS.get(text.strip().lower())
    if seconds is None:
        raise HistoryError(321, f"{VALIDATION}Historical data bar size setting is invalid. Legal ones are: {LEGAL_BAR_SIZES}")
    unit = {86400: "D", 604800: "W", MONTH: "M"}.get(seconds, "s")
    return BarSize(text, seconds, unit)


def parse_duration(text: str) -> Duration:
    """IB's duration rules and texts: 'N S|D|W|M|Y', with the unit ceilings below a year."""
    if not text.strip():
        raise HistoryError(321, f"{VALIDATION}Historical data request duration not specified.")
    match = re.fullmatch(r"(\d+) ([SDWMY])", text.strip(), re.IGNORECASE)
    if match is None:
        raise HistoryError(321, f"{VALIDATION}When specifying a unit, historical data request duration "
                                "format is integer{SPACE}unit (S|D|W|M|Y).")
    count, unit = int(match.group(1)), match.group(2).upper()
    limits = {"S": (86400, "Historical data request for greater than 86400 seconds rejected."),
              "D": (365, "Historical data requests for durations longer than 365 days must be made in years."),
              "W": (52, "Historical data request for durations longer than 52 weeks must be made in years."),
              "M": (12, "Historical data request for durations longer than 12 months must be made in years.")}
    if count <= 0 or (unit == "S" and count < 30) or count > 2**31:
        raise HistoryError(321, f"{VALIDATION}Historical data requested duration is invalid.")
    if unit in limits and count > limits[unit][0]:
        raise HistoryError(321, f"{VALIDATION}{limits[unit][1]}")
    return Duration(count, unit)


def parse_end(text: str, now: float, timezone: str) -> float:
    """endDateTime: '' (now), 'yyyymmdd hh:mm:ss[ zone]' or UTC 'yyyymmdd-hh:mm:ss'; else 10314."""
    text = text.strip()
    if not text:
        return now
    match = re.fullmatch(r"(\d{8})([ -])(\d{2}:\d{2}:\d{2})(?: (\S+))?", text)
    if match is None or (match.group(2) == "-" and match.group(4)):
        raise HistoryError(10314, END_DATE_INVALID)
    zone_name = "UTC" if match.group(2) == "-" else (match.group(4) or timezone)
    try:
        naive = datetime.strptime(match.group(1) + match.group(3), "%Y%m%d%H:%M:%S")
        return naive.replace(tzinfo=ZoneInfo(zone_name)).timestamp()
    except (ValueError, ZoneInfoNotFoundError):
        raise HistoryError(10314, END_DATE_INVALID) from None


class History(BarGrid):
    """Bars for any catalog contract, from the market model or from configured files."""

    def __init__(self, market: Market, seed: int = 0, timezone: str = "US/Eastern",
                 files: dict[str, str] | None = None, max_bars: int = 100_000) -> None:
        self.market = market
        self.seed = seed
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)
        self.files = dict(files or {})
        self.max_bars = max_bars
        self._frames: dict[str, pd.DataFrame] = {}

    # ----- formatting ------------------------------------------------------------------------

    def format_time(self, t: float, daily: bool = False, format_date: int = 1) -> str:
        """formatDate 1: 'yyyymmdd hh:mm:ss Zone' (daily 'yyyymmdd'); 2: epoch seconds."""
        local = datetime.fromtimestamp(t, self.zone)
        if daily:
            return local.strftime("%Y%m%d")
        if format_date == 2:
            return str(int(t))
        return local.strftime("%Y%m%d %H:%M:%S ") + self.timezone

    # ----- requests --------------------------------------------------------------------------

    def request(self, con_id: int, end_text: str, duration: str, bar_size: str, what: str,
                use_rth: bool, format_date: int, now: float) -> tuple[list[Bar], float, float, BarSize]:
        """Validate like IB (end date, duration, bar size, whatToShow, formatDate), then the bars
        with the window's start and end."""
        symbol = self.market.contract(con_id).symbol
        end = self.file_end(symbol) if not end_text.strip() and symbol in self.files else parse_end(end_text, now, self.timezone)
        span = parse_duration(duration)
        size = parse_bar_size(bar_size)
        if what.upper() not in WHAT_TO_SHOW:
            raise HistoryError(321, f"{VALIDATION}What to show value of {what} rejected.")
        if format_date not in (1, 2):
            raise HistoryError(321, f"{VALIDATION}Date formatting selection of {format_date} rejected.")
        try:  # a window beyond the calendar (999999 Y, an end in year 9999) is too long, not a crash
            start = self.window_start(end, span, size, use_rth, self._exchange_days(con_id))
            bars = self.bars(con_id, start, end, size, what.upper(), use_rth)
        except (OverflowError, ValueError):
            raise HistoryError(162, TIME_LENGTH_EXCEEDED) from None
        if not bars:
            contract = self.market.contract(con_id)
            raise HistoryError(162, f"{HMDS}HMDS query returned no data: {contract.details.get('localSymbol', symbol)}"
                                    f"@{contract.details.get('exchange', '')} {what.title()}")
        return bars, start, end, size

    def window_start(self, end: float, span: Duration, size: BarSize, use_rth: bool, holidays: bool = True) -> float:
        """The start of the requested window; 'N D' counts trading days (weekdays, less the
        exchange's holidays unless ``holidays`` is False, as for forex)."""
        local_end = datetime.fromtimestamp(end, self.zone)
        if span.unit == "S":
            return end - span.count
        if span.unit == "D" and (size.daily or use_rth):
            day, found = local_end.date(), 0
            while True:
                opens = datetime.combine(day, RTH_OPEN if use_rth and not size.daily else day_time(0), self.zone)
                if self._trades_on(day, holidays) and opens.timestamp() < end:
                    found += 1
                    if found == span.count:
                        return opens.timestamp()
                day -= timedelta(days=1)
        if span.unit == "D":
            return end - span.count * 86400
        if span.unit == "W":
            return end - span.count * 7 * 86400
        months = span.count * (12 if span.unit == "Y" else 1)
        year, month = divmod(local_end.year * 12 + local_end.month - 1 - months, 12)
        return local_end.replace(year=year, month=month + 1, day=min(local_end.day, 28)).timestamp()

    def bars(self, con_id: int, start: float, end: float, size: BarSize, what: str = "TRADES",
             use_rth: bool = False) -> list[Bar]:
        """Bars whose start lies in [start, end), newest last."""
        symbol = self.market.contract(con_id).symbol
        if symbol in self.files:
            return self._file_bars(symbol, start, end, size)
        slots = self._slots(start, end, size, use_rth and self.market.contract(con_id).sec_type != "CASH",
                            self._exchange_days(con_id))
        return self._synthetic(con_id, slots, size, what)

    def head_timestamp(self, con_id: int) -> float:
        """The earliest data point: the file's first row, the catalog's ``headTimestamp``
        (yyyymmdd), else by secType: a future's listing about two years before it expires, an
        option's a year before, forex from 2005, stocks and indices from 2004."""
        contract = self.market.contract(con_id)
        if contract.symbol in self.files:
            return float(self._frame(contract.symbol).index[0])
        listed = str(contract.details.get("headTimestamp") or "")
        if listed:
            return datetime.strptime(listed, "%Y%m%d").replace(hour=9, minute=30, tzinfo=self.zone).timestamp()
        expiry = str(contract.details.get("lastTradeDateOrContractMonth") or "")
        years_before = {"FUT": 2, "CONTFUT": 2, "FOP": 1, "OPT": 1}.get(contract.sec_type)
        if years_before and len(expiry) == 8:
            day = datetime.strptime(expiry, "%Y%m%d").replace(hour=9, minute=30, tzinfo=self.zone)
            return day.replace(year=day.year - years_before).timestamp()
        return HEAD_TIMESTAMP_BY_SEC_TYPE.get(contract.sec_type, HEAD_TIMESTAMP)

    def file_end(self, symbol: str) -> float:
        """For a file-backed symbol, 'now' is just after the file's last bar."""
        index = self._frame(symbol).index
        step = float(np.median(np.diff(index))) if len(index) > 1 else 86400.0
        return float(index[-1]) + step

    # ----- the time grid ---------------------------------------------------------------------

    def _exchange_days(self, con_id: int) -> bool:
        """Whether the contract keeps the exchange's holidays (forex trades through them)."""
        return self.market.contract(con_id).sec_type != "CASH"

    # ----- synthetic bars --------------------------------------------------------------------

    def _normals(self, con_id: int, size: BarSize, indexes: np.ndarray) -> np.ndarray:
        """Four standard normals per bar slot, the same for a slot whatever the request."""
        out = np.empty((len(indexes), 4))
        cache: dict[int, np.ndarray] = {}
        for row, index in enumerate(indexes):
            block, offset = divmod(int(index), BLOCK)
            if block not in cache:
                seq = [self.seed % 2**63, con_id, size.seconds, block % 2**63]
                cache[block] = np.random.default_rng(seq).standard_normal((BLOCK, 4))
            out[row] = cache[block][offset]
        return out

    def _synthetic(self, con_id: int, slots: list[float], size: BarSize, what: str) -> list[Bar]:
        if not slots:
            return []
        book = self.market.book(con_id)
        quote = self.market.quote(con_id)
        if size.unit == "M":
            indexes = np.array([_month_index(t, self.zone) for t in slots])
        else:
            indexes = (np.array(slots) // size.seconds).astype(np.int64)
        z = self._normals(con_id, size, indexes)
        seconds = {"s": size.seconds, "D": SESSION_SECONDS, "W": 5 * SESSION_SECONDS, "M": 21 * SESSION_SECONDS}[size.unit]
        sd = book.volatility * math.sqrt(seconds)
        anchor = quote.last if what in ("TRADES", "ADJUSTED_LAST") else quote.mid
        returns = z[:, 0] * sd
        after = np.concatenate([np.cumsum(returns[::-1])[::-1][1:], [0.0]])
        close = anchor * np.exp(-after)
        open_ = close * np.exp(-returns)
        high = np.maximum(open_, close) * np.exp(np.abs(z[:, 1]) * sd * 0.5)
        low = np.minimum(open_, close) * np.exp(-np.abs(z[:, 2]) * sd * 0.5)
        grid = book.tick if what in ("TRADES", "ADJUSTED_LAST") else book.tick / 2
        shift = {"BID": -book.tick / 2, "ASK": book.tick / 2}.get(what, 0.0)
        snap = lambda a: np.round(np.round((a + shift) / grid) * grid, book.decimals + 1)  # noqa: E731
        o, h, lo, c = snap(open_), snap(high), snap(low), snap(close)
        c[-1] = round(anchor + shift, book.decimals + 1) if what not in ("BID", "ASK") else c[-1]
        h, lo = np.maximum.reduce([h, o, c]), np.minimum.reduce([lo, o, c])
        trades = what in ("TRADES", "ADJUSTED_LAST") and book.trades
        volume = np.round(book.lot * np.maximum(1.0, np.exp(z[:, 3] * 0.5) * max(1.0, seconds / 30))).tolist()
        o, h, lo, c = o.tolist(), h.tolist(), lo.tolist(), c.tolist()
        bars = []
        for i, t in enumerate(slots):
            if trades:
                wap = round((o[i] + h[i] + lo[i] + c[i]) / 4, book.decimals + 2)
                bars.append(Bar(t, o[i], h[i], lo[i], c[i], float(volume[i]), wap, max(1, int(volume[i] / book.lot / 2))))
            elif what == "BID_ASK":
                bars.append(Bar(t, round(o[i] - book.tick / 2, book.decimals + 1), round(h[i] + book.tick / 2, book.decimals + 1),
                                round(lo[i] - book.tick / 2, book.decimals + 1), round(c[i] + book.tick / 2, book.decimals + 1)))
            else:
                bars.append(Bar(t, o[i], h[i], lo[i], c[i]))
        return bars

    # ----- bars from files -------------------------------------------------------------------

    def _frame(self, symbol: str) -> pd.DataFrame:
        frame = self._frames.get(symbol)
        if frame is None:
            frame = load_bar_file(self.files[symbol], self.zone)
            self._frames[symbol] = frame
        return frame

    def _file_bars(self, symbol: str, start: float, end: float, size: BarSize) -> list[Bar]:
        frame = self._frame(symbol)
        rows = frame[(frame.index >= start) & (frame.index < end)]
        step = float(np.median(np.diff(frame.index))) if len(frame) > 1 else float(size.seconds)
        if len(rows) and size.seconds > step * 1.5:
            rows = resample_bars(rows, {"D": "1D", "W": "W-MON", "M": "MS"}.get(size.unit, f"{size.seconds}s"), self.zone)
        return [Bar(float(t), float(r.open), float(r.high), float(r.low), float(r.close), float(r.volume),
                    float(r.wap), int(r.barCount)) for t, r in rows.iterrows()]


def _month_index(t: float, zone: ZoneInfo) -> int:
    local = datetime.fromtimestamp(t, zone)
    return local.year * 12 + local.month


@dataclass
class LiveBar:
    """The bar a keepUpToDate subscription is building from live quotes."""

    size: BarSize
    what: str
    zone: ZoneInfo
    bar: Bar | None = None
    volume_seen: float = 0.0

    def slot(self, t: float) -> float:
        if not self.size.daily:
            return float(t // self.size.seconds * self.size.seconds)
        local = datetime.fromtimestamp(t, self.zone)
        return datetime.combine(local.date(), day_time(0), self.zone).timestamp()

    def update(self, quote: Quote) -> Bar | None:
        """Fold a quote into the current bar; the bar when it changed, else None."""
        traded = quote.volume > self.volume_seen
        size = quote.volume - self.volume_seen if traded and self.volume_seen else quote.last_size
        self.volume_seen = max(self.volume_seen, quote.volume)
        price = {"BID": quote.bid, "ASK": quote.ask}.get(self.what, quote.mid)
        if self.what in ("TRADES", "ADJUSTED_LAST"):
            if not traded:
                return None
            price = quote.last
        start = self.slot(quote.time)
        old = self.bar
        if old is None or start > old.time:
            count, volume = (1, size) if self.what in ("TRADES", "ADJUSTED_LAST") else (-1, -1)
            self.bar = Bar(start, price, price, price, price, volume, price if count > 0 else -1, count)
        elif start == old.time:
            trades = self.what in ("TRADES", "ADJUSTED_LAST")
            volume = old.volume + size if trades else -1
            wap = (old.wap * old.volume + price * size) / volume if trades and volume > 0 else -1
            self.bar = Bar(old.time, old.open, max(old.high, price), min(old.low, price), price, volume,
                           round(wap, 8) if trades else -1, old.count + 1 if trades else -1)
        return self.bar if self.bar != old else None
