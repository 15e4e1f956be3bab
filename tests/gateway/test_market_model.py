"""The market model and historical bars on their own: determinism, pins, paths, files, IB's rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pydantic import ValidationError

from ib_harness.fake_gateway import GatewayConfig
from ib_harness.fake_gateway.state.brokerage import Brokerage
from ib_harness.fake_gateway.state.history import BAR_SECONDS, HistoryError, parse_bar_size, parse_duration, parse_end
from ib_harness.fake_gateway.state.quote import Quote

AAPL, EUR = 265598, 12087792
NOW = 1_701_705_600.0  # 20231204 11:00:00 US/Eastern, a Monday


class FakeClock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def brokerage(**config: Any) -> Brokerage:
    broker = Brokerage(GatewayConfig(**config))
    broker.market.clock = FakeClock()
    return broker


def published(broker: Brokerage) -> list[Quote]:
    """Every quote that went through Brokerage.price_changed, in order."""
    quotes: list[Quote] = []
    broker.events.subscribe(lambda event, payload: quotes.append(payload["quote"]) if event == "price_marked" else None)
    return quotes


def walk(broker: Brokerage, con_id: int, steps: int) -> list[tuple[float, ...]]:
    return [(q.bid, q.ask, q.last, q.bid_size, q.ask_size, q.volume)
            for q in (broker.market.step(con_id) for _ in range(steps))]


def test_the_same_seed_walks_the_same_path() -> None:
    assert walk(brokerage(seed=7), AAPL, 200) == walk(brokerage(seed=7), AAPL, 200)
    assert walk(brokerage(seed=7), AAPL, 200) != walk(brokerage(seed=8), AAPL, 200)


def test_a_contract_path_does_not_depend_on_other_contracts() -> None:
    alone, mixed = brokerage(seed=3), brokerage(seed=3)
    mixed.market.step(EUR, 50)
    assert walk(alone, AAPL, 50) == walk(mixed, AAPL, 50)


def test_the_walk_moves_on_the_tick_grid_and_every_change_reaches_the_brokerage() -> None:
    broker = brokerage(volatility={"AAPL": 0.002})
    quotes = published(broker)
    path = walk(broker, AAPL, 100)
    assert len({p[0] for p in path}) > 5, "the bid should move"
    assert all(round(p[0] * 100, 6).is_integer() and p[1] > p[0] for p in path)
    assert quotes and quotes[-1] == broker.market.quote(AAPL) == broker.quote(AAPL)
    assert broker.mark(AAPL) == quotes[-1].last


def test_forex_has_no_trades_and_marks_at_the_midpoint() -> None:
    broker = brokerage()
    quote = broker.market.step(EUR, 20)
    assert quote.volume == 0 and broker.mark(EUR) == pytest.approx(quote.mid)


def test_pin_holds_the_price_until_unpinned() -> None:
    broker = brokerage()
    quotes = published(broker)
    pinned = broker.market.pin("AAPL", 150.0)
    assert (pinned.bid, pinned.ask, pinned.last) == (150.0, 150.0, 150.0)
    assert quotes[-1] == pinned and broker.mark(AAPL) == 150.0
    broker.market.step(AAPL, 20)
    assert broker.market.quote(AAPL).last == 150.0
    spread = broker.market.pin("AAPL", 151.0, spread=0.02)
    assert (spread.bid, spread.ask) == (150.99, 151.01)
    broker.market.unpin("AAPL")
    assert len({q[0] for q in walk(broker, AAPL, 100)}) > 1


def test_a_price_path_is_played_one_step_at_a_time_then_held() -> None:
    broker = brokerage()
    broker.market.set_path("AAPL", [101.0, 100.5, 99.0])
    assert [broker.market.step(AAPL).last for _ in range(5)] == [101.0, 100.5, 99.0, 99.0, 99.0]


def test_a_timed_path_follows_the_market_clock() -> None:
    broker = brokerage()
    clock = broker.market.clock
    assert isinstance(clock, FakeClock)
    broker.market.set_path("AAPL", [(0.0, 120.0), (10.0, 118.0)])
    assert broker.market.step(AAPL).last == 120.0
    clock.now += 5
    assert broker.market.step(AAPL).last == 120.0
    clock.now += 5
    assert broker.market.step(AAPL).last == 118.0


def test_set_quote_is_published_once_and_held() -> None:
    broker = brokerage()
    quotes = published(broker)
    quote = broker.set_quote(AAPL, 99.0, 99.02, bid_size=300)
    assert (quote.bid, quote.ask, quote.last, quote.bid_size) == (99.0, 99.02, 99.01, 300)
    broker.market.step(AAPL, 5)
    assert quotes == [quote]


def test_bars_are_deterministic_and_end_at_the_market_price() -> None:
    def bars(seed: int) -> list[Any]:
        broker = brokerage(seed=seed)
        return broker.history.request(AAPL, "", "1 D", "5 mins", "TRADES", False, 1, NOW)[0]

    first = bars(1)
    assert first == bars(1) and first != bars(2)
    assert len(first) == 288 and first[-1].close == brokerage(seed=1).market.last(AAPL)
    assert all(b.low <= min(b.open, b.close) <= max(b.open, b.close) <= b.high for b in first)
    assert all(b.volume > 0 and b.count > 0 for b in first)


def test_watchdog_probe_and_what_to_show() -> None:
    broker = brokerage()
    bars, start, end, size = broker.history.request(EUR, "", "30 S", "5 secs", "MIDPOINT", False, 1, NOW)
    assert len(bars) == 6 and end - start == 30 and bars[-1].volume == -1
    assert broker.history.format_time(bars[0].time) == "20231204 10:59:30 US/Eastern"
    assert broker.history.format_time(bars[0].time, format_date=2) == str(int(NOW - 30))
    bid = broker.history.request(AAPL, "", "1 D", "1 hour", "BID", False, 1, NOW)[0]
    ask = broker.history.request(AAPL, "", "1 D", "1 hour", "ASK", False, 1, NOW)[0]
    assert all(a.close > b.close for a, b in zip(ask, bid))


def test_rth_and_daily_bars_count_trading_days() -> None:
    broker = brokerage()
    rth = broker.history.request(AAPL, "20231201 16:00:00", "1 D", "1 min", "TRADES", True, 1, NOW)[0]
    assert len(rth) == 390 and broker.history.format_time(rth[0].time) == "20231201 09:30:00 US/Eastern"
    daily, _, _, size = broker.history.request(AAPL, "", "10 D", "1 day", "TRADES", True, 1, NOW)
    assert size.daily and len(daily) == 10
    assert broker.history.format_time(daily[-1].time, daily=True) == "20231204"
    weekly = broker.history.request(AAPL, "", "1 Y", "1 week", "TRADES", True, 2, NOW)[0]
    assert 52 <= len(weekly) <= 53


def test_hourly_rth_bars_start_with_the_opening_half_hour() -> None:
    """IB's 1-hour RTH bars are 09:30, 10:00 ... 15:00. Without the 09:30 bar, a "1 D" request
    between 09:30 and 10:00 had no bar at all and got 162 (seen as CI failing only in that window)."""
    broker = brokerage()
    day = broker.history.request(AAPL, "20231201 16:00:00", "1 D", "1 hour", "TRADES", True, 1, NOW)[0]
    assert [broker.history.format_time(b.time)[9:14] for b in day] == [
        "09:30", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00"]
    early = broker.history.request(AAPL, "20231201 09:45:00", "1 D", "1 hour", "TRADES", True, 1, NOW)[0]
    assert [broker.history.format_time(b.time) for b in early] == ["20231201 09:30:00 US/Eastern"]
    before_open = broker.history.request(AAPL, "20231201 09:15:00", "1 D", "1 hour", "TRADES", True, 1, NOW)[0]
    assert broker.history.format_time(before_open[-1].time) == "20231130 15:00:00 US/Eastern"  # the day before
    halves = broker.history.request(AAPL, "20231201 16:00:00", "1 D", "30 mins", "TRADES", True, 1, NOW)[0]
    assert len(halves) == 13 and broker.history.format_time(halves[0].time)[9:14] == "09:30"


@pytest.mark.parametrize("size", sorted(BAR_SECONDS))
def test_every_ib_bar_size_parses(size: str) -> None:
    assert parse_bar_size(size).seconds == BAR_SECONDS[size]


@pytest.mark.parametrize("duration,bar_size,code,text", [
    ("1 D", "1 sec", 321, "Historical data bar size setting is invalid. Legal ones are: 1 secs, 5 secs"),
    ("1 X", "1 min", 321, "duration format is integer{SPACE}unit (S|D|W|M|Y)."),
    ("400 D", "1 day", 321, "durations longer than 365 days must be made in years."),
    ("13 M", "1 day", 321, "durations longer than 12 months must be made in years."),
    ("10 S", "1 secs", 321, "Historical data requested duration is invalid."),
    ("1 D", "1 secs", 162, "Historical Market Data Service error message:Time length exceed max."),
])
def test_invalid_requests_get_ib_errors(duration: str, bar_size: str, code: int, text: str) -> None:
    broker = brokerage()
    broker.history.max_bars = 20_000
    with pytest.raises(HistoryError) as caught:
        broker.history.request(AAPL, "", duration, bar_size, "TRADES", False, 1, NOW)
    assert caught.value.code == code and text in caught.value.message


def test_end_date_forms() -> None:
    assert parse_end("", NOW, "US/Eastern") == NOW
    assert parse_end("20231204 16:00:00 UTC", NOW, "US/Eastern") == parse_end("20231204-16:00:00", NOW, "US/Eastern")
    assert parse_end("20231204 11:00:00", NOW, "US/Eastern") == NOW
    with pytest.raises(HistoryError) as caught:
        parse_end("yesterday", NOW, "US/Eastern")
    assert caught.value.code == 10314
    assert parse_duration("2 W").count == 2


def _minute_bars(path: Path) -> Path:
    frame = pd.DataFrame({
        "date": [f"20231204 09:{m:02d}:00" for m in range(30, 60)],
        "open": [100.0 + i for i in range(30)],
        "high": [101.0 + i for i in range(30)],
        "low": [99.0 + i for i in range(30)],
        "close": [100.5 + i for i in range(30)],
        "volume": [1000] * 30,
    })
    frame.to_csv(path, index=False)
    return path


def test_bars_from_a_csv_file_are_served_and_aggregated(tmp_path: Path) -> None:
    csv = _minute_bars(tmp_path / "aapl.csv")
    broker = brokerage(history_files={"AAPL": str(csv)})
    minutes = broker.history.request(AAPL, "", "1 D", "1 min", "TRADES", False, 1, NOW)[0]
    assert len(minutes) == 30 and minutes[0].open == 100.0 and minutes[-1].close == 129.5
    assert broker.history.format_time(minutes[0].time) == "20231204 09:30:00 US/Eastern"
    fives = broker.history.request(AAPL, "20231204 10:00:00", "1 D", "5 mins", "TRADES", False, 1, NOW)[0]
    assert len(fives) == 6
    assert (fives[0].open, fives[0].high, fives[0].low, fives[0].close, fives[0].volume) == (100.0, 105.0, 99.0, 104.5, 5000)
    assert broker.history.head_timestamp(AAPL) == minutes[0].time


def test_bars_from_a_parquet_file(tmp_path: Path) -> None:
    frame = pd.read_csv(_minute_bars(tmp_path / "bars.csv"))
    frame.to_parquet(tmp_path / "bars.parquet")
    broker = brokerage(history_files={"AAPL": str(tmp_path / "bars.parquet")})
    assert len(broker.history.request(AAPL, "", "1 D", "1 min", "TRADES", False, 1, NOW)[0]) == 30


def test_config_validation(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="does not exist"):
        GatewayConfig(history_files={"AAPL": str(tmp_path / "missing.csv")})
    with pytest.raises(ValidationError, match="volatility of AAPL"):
        GatewayConfig(volatility={"AAPL": -1.0})
    with pytest.raises(ValidationError):
        GatewayConfig(market_tick_interval=0)
