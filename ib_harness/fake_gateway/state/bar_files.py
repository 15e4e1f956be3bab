"""Bars from files: a CSV or Parquet per symbol, read with pandas and indexed by epoch seconds.

Columns: date, open, high, low, close, volume, and optionally wap and barCount. Dates may be
epoch seconds, 'yyyymmdd' or any text pandas reads; naive times are in the gateway's time zone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd


def load_bar_file(path: str, zone: ZoneInfo) -> pd.DataFrame:
    """A CSV/Parquet of bars indexed by epoch seconds; naive times are in the gateway's zone."""
    source = Path(path)
    raw = _read_parquet(source) if source.suffix.lower() in (".parquet", ".pq") else pd.read_csv(source)
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = {"date", "open", "high", "low", "close", "volume"} - set(raw.columns)
    if missing:
        raise ValueError(f"{path}: bar file lacks column(s) {sorted(missing)}")
    dates = raw["date"]
    if pd.api.types.is_numeric_dtype(dates) and dates.astype("int64").min() > 10**9:
        stamps = pd.to_datetime(dates, unit="s", utc=True)
    else:
        text = dates.astype(str)
        stamps = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
        stamps = stamps.where(stamps.notna(), pd.to_datetime(text, errors="coerce"))
        if stamps.isna().any():
            raise ValueError(f"{path}: unreadable date {text[stamps.isna()].iloc[0]!r}")
        stamps = stamps.dt.tz_localize(zone) if stamps.dt.tz is None else stamps
    frame = raw.assign(wap=raw["wap"] if "wap" in raw else (raw["high"] + raw["low"] + raw["close"]) / 3,
                       barCount=raw["barCount"] if "barCount" in raw else 0)
    frame.index = np.array([stamp.timestamp() for stamp in stamps], dtype=float)
    return frame.sort_index()[["open", "high", "low", "close", "volume", "wap", "barCount"]]


def _read_parquet(source: Path) -> pd.DataFrame:
    """Parquet needs pyarrow, which only the [data] extra installs: say so instead of pandas' engine list."""
    try:
        return pd.read_parquet(source)
    except ImportError as exc:
        raise ValueError(f"{source}: reading Parquet needs the [data] extra: pip install 'ib-harness[data]'") from exc


def resample_bars(rows: pd.DataFrame, rule: str, zone: ZoneInfo) -> pd.DataFrame:
    """Aggregate finer bars to a pandas ``rule`` (first/max/min/last/sum, volume-weighted wap);
    intraday rules count from the epoch so bars line up with the synthetic ones."""
    frame = rows.copy()
    frame.index = pd.to_datetime(frame.index, unit="s", utc=True).tz_convert(zone)
    kwargs: dict[str, Any] = {"label": "left", "closed": "left"}
    if rule.endswith("s"):
        kwargs["origin"] = "epoch"
    frame["pv"] = frame["wap"] * frame["volume"]
    grouped = frame.resample(rule, **kwargs).agg({"open": "first", "high": "max", "low": "min", "close": "last",
                                                  "volume": "sum", "pv": "sum", "barCount": "sum"}).dropna(subset=["open"])
    grouped["wap"] = (grouped["pv"] / grouped["volume"].where(grouped["volume"] > 0)).fillna(grouped["close"])
    grouped.index = np.array([stamp.timestamp() for stamp in grouped.index], dtype=float)
    return grouped[["open", "high", "low", "close", "volume", "wap", "barCount"]]
