"""What a load run measured, computed with pandas from the per-request logs: the summary table
per endpoint, error windows set against fault windows, and the recovery after each fault."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

COLUMNS = ["t", "type", "name", "ms", "ok", "status", "key", "fail_fast", "detail"]


@dataclass(frozen=True)
class Window:
    label: str
    start: float
    end: float

    def holds(self, t: float, grace: float = 0.0, duration: float = 0.0) -> bool:
        """Whether a request started at ``t`` and lasting ``duration`` s overlaps this window (plus
        ``grace`` after it): a request already in flight when the fault began is the fault's too."""
        return t + duration >= self.start and t <= self.end + grace


def read_requests(directory: Path) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for path in sorted(directory.glob("requests-*.jsonl")):
        with open(path) as lines:
            rows.extend(json.loads(line) for line in lines if line.strip())
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["ok"] = frame["ok"].astype(bool)
    return frame.sort_values("t", kind="stable").reset_index(drop=True)


def summary_table(requests: pd.DataFrame) -> pd.DataFrame:
    """Per endpoint (method and name): count, req/s over the run, p50/p95/p99 in ms, failures."""
    if requests.empty:
        return pd.DataFrame(columns=["requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "failures"])
    span = max(requests["t"].max() - requests["t"].min(), 1e-9)
    grouped = requests.groupby(["type", "name"])
    table = pd.DataFrame({
        "requests": grouped.size(),
        "req/s": grouped.size() / span,
        "p50 ms": grouped["ms"].quantile(0.50),
        "p95 ms": grouped["ms"].quantile(0.95),
        "p99 ms": grouped["ms"].quantile(0.99),
        "failures": grouped["ok"].apply(lambda ok: int((~ok).sum())),
    })
    total = pd.DataFrame({"requests": [len(requests)], "req/s": [len(requests) / span],
                          "p50 ms": [requests["ms"].quantile(0.50)], "p95 ms": [requests["ms"].quantile(0.95)],
                          "p99 ms": [requests["ms"].quantile(0.99)], "failures": [int((~requests["ok"]).sum())]},
                         index=pd.MultiIndex.from_tuples([("", "all")], names=["type", "name"]))
    return pd.concat([table, total]).round(1)


def fault_windows(events: Iterable[dict[str, Any]], run_end: float) -> list[Window]:
    """Each fault from its fault_started to its fault_stopped event (the gateway's clock)."""
    started: dict[str, tuple[str, float]] = {}
    windows: list[Window] = []
    for event in events:
        data = event.get("data") or {}
        if event.get("kind") == "fault_started":
            started[str(data.get("id"))] = (str(data.get("kind")), float(event["at"]))
        elif event.get("kind") == "fault_stopped" and str(data.get("id")) in started:
            kind, start = started.pop(str(data.get("id")))
            windows.append(Window(kind, start, float(event["at"])))
    windows += [Window(kind, start, run_end) for kind, start in started.values()]
    return sorted(windows, key=lambda w: w.start)


def error_windows(requests: pd.DataFrame, gap: float = 0.5) -> list[Window]:
    """Failures clustered in time: a new window starts after ``gap`` seconds without one."""
    windows: list[Window] = []
    for t in requests.loc[~requests["ok"], "t"]:
        if windows and t - windows[-1].end <= gap:
            windows[-1] = Window(windows[-1].label, windows[-1].start, t)
        else:
            windows.append(Window("errors", t, t))
    return windows


def recovery_after(requests: pd.DataFrame, fault: Window, grace: float) -> float | None:
    """Seconds from the fault's end until HTTP requests succeed for good: the first success after
    the last failure that started within the fault window plus ``grace``. None: never recovered."""
    http = requests[requests["type"] != "TWS"]
    inside = http[(http["t"] >= fault.start) & (http["t"] <= fault.end + grace)]
    failed = inside.loc[~inside["ok"], "t"]
    after = failed.max() if not failed.empty else fault.end
    later = http[(http["t"] > max(after, fault.end)) & http["ok"]]
    if later.empty:
        return None
    return max(0.0, float(later["t"].iloc[0]) - fault.end)


def chaos_report(requests: pd.DataFrame, faults: list[Window], grace: float) -> dict[str, Any]:
    failures = requests.loc[~requests["ok"]]
    outside = failures[[not any(w.holds(t, grace, ms / 1000.0) for w in faults)
                        for t, ms in zip(failures["t"], failures["ms"])]]
    return {
        "fault_windows": [vars(w) for w in faults],
        "error_windows": [vars(w) for w in error_windows(requests)],
        "failures_inside": int(len(failures) - len(outside)),
        "failures_outside": int(len(outside)),
        "outside_examples": outside.head(5).to_dict("records"),
        "recovery_seconds": [recovery_after(requests, w, grace) for w in faults],
    }


def failed_503_p99(requests: pd.DataFrame, fail_fast_only: bool = False) -> float | None:
    """p99 latency (ms) of the 503 answers; ``fail_fast_only``: only those the readiness gate
    refused before any work (not the requests in flight when the link died)."""
    refused = requests[requests["status"] == 503]
    if fail_fast_only:
        refused = refused[refused["fail_fast"] == True]  # noqa: E712 (a column with None in it)
    return None if refused.empty else float(refused["ms"].quantile(0.99))


def accepted_keys(requests: pd.DataFrame) -> set[str]:
    """Idempotency keys the API answered 200/201 for: orders it said it has."""
    placed = requests[(requests["name"] == "/orders") & requests["status"].isin([200, 201]) & requests["key"].notna()]
    return set(placed["key"])
