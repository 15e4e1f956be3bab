"""The load run's arithmetic on hand-made request logs: summary, windows, recovery, keys."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ib_harness.load.report import (Window, accepted_keys, chaos_report, error_windows, failed_503_p99, fault_windows,
                         read_requests, summary_table)


def log(tmp_path: Path, rows: list[dict[str, object]]) -> pd.DataFrame:
    directory = tmp_path / "requests"
    directory.mkdir()
    half = len(rows) // 2
    for index, part in enumerate((rows[:half], rows[half:])):  # two processes' files
        (directory / f"requests-{index}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in part))
    return read_requests(directory)


def row(t: float, name: str = "/positions", ok: bool = True, status: int | None = 200, ms: float = 2.0,
        type_: str = "GET", key: str | None = None, fail_fast: bool | None = None) -> dict[str, object]:
    return {"t": t, "type": type_, "name": name, "ms": ms, "ok": ok, "status": status, "key": key,
            "fail_fast": fail_fast}


def test_summary_per_endpoint_and_overall(tmp_path: Path) -> None:
    rows = [row(100 + i * 0.1, ms=float(i + 1)) for i in range(100)]
    rows += [row(100.05 + i, "/orders", ok=i != 3, status=201 if i != 3 else 503, type_="POST", key=f"k{i}")
             for i in range(10)]
    table = summary_table(log(tmp_path, rows))
    positions = table.loc[("GET", "/positions")]
    assert positions["requests"] == 100 and positions["failures"] == 0
    assert positions["p50 ms"] == 50.5 and positions["p99 ms"] == 99.0
    assert table.loc[("POST", "/orders")]["failures"] == 1
    assert table.loc[("", "all")]["requests"] == 110


def test_failures_inside_and_outside_fault_windows_and_recovery(tmp_path: Path) -> None:
    rows = [row(t / 10) for t in range(0, 100)]                                  # 0..9.9 s, all fine
    rows += [row(3.05 + i * 0.1, ok=False, status=503, ms=1.0, fail_fast=True)  # 3.05..3.95: during the fault
             for i in range(10)]
    rows += [row(4.25, ok=False, status=503, fail_fast=False)]                    # after it, within the grace
    rows += [row(8.5, ok=False, status=500)]                                      # unrelated
    requests = log(tmp_path, rows)
    faults = [Window("stall", 3.0, 4.0)]
    report = chaos_report(requests[~((requests["t"] > 4.25) & (requests["t"] < 4.3))], faults, grace=1.0)
    assert report["failures_inside"] == 11 and report["failures_outside"] == 1
    assert report["outside_examples"][0]["t"] == 8.5
    assert [round(r, 2) for r in report["recovery_seconds"]] == [0.3]  # first success after 4.25 is 4.3
    assert [(w["start"], w["end"]) for w in report["error_windows"]] == [(3.05, 4.25), (8.5, 8.5)]
    assert round(failed_503_p99(requests) or 0.0, 2) == 1.9  # ten 503s of 1 ms, one of 2 ms
    assert failed_503_p99(requests, fail_fast_only=True) == 1.0  # the one in flight left out


def test_a_request_in_flight_when_the_fault_began_is_the_faults(tmp_path: Path) -> None:
    """Request times are start times: one sent just before the stall began and failed by it lies
    in the fault window; one that ended before the window did not meet the fault."""
    rows = [row(t / 10) for t in range(0, 60)]
    rows += [row(2.99, ok=False, status=503, ms=400.0, fail_fast=False)]  # 2.99..3.39: in flight at 3.0
    rows += [row(2.5, ok=False, status=500, ms=400.0)]                    # 2.5..2.9: over before 3.0
    report = chaos_report(log(tmp_path, rows), [Window("stall", 3.0, 4.0)], grace=1.0)
    assert report["failures_inside"] == 1 and report["failures_outside"] == 1
    assert [e["t"] for e in report["outside_examples"]] == [2.5]


def test_error_windows_split_on_quiet_gaps(tmp_path: Path) -> None:
    requests = log(tmp_path, [row(1.0, ok=False), row(1.4, ok=False), row(2.0, ok=False), row(2.2)])
    assert [(w.start, w.end) for w in error_windows(requests, gap=0.5)] == [(1.0, 1.4), (2.0, 2.0)]


def test_no_recovery_when_nothing_succeeds_after_the_fault(tmp_path: Path) -> None:
    requests = log(tmp_path, [row(1.0), row(2.5, ok=False, status=503), row(3.5, ok=False, status=503)])
    assert chaos_report(requests, [Window("down", 2.0, 3.0)], grace=1.0)["recovery_seconds"] == [None]


def test_fault_windows_from_the_gateway_event_log() -> None:
    events = [{"kind": "listening", "at": 0.5, "data": {}},
              {"kind": "fault_started", "at": 1.0, "data": {"id": "f1", "kind": "stall"}},
              {"kind": "fault_started", "at": 2.0, "data": {"id": "f2", "kind": "latency"}},
              {"kind": "fault_stopped", "at": 3.0, "data": {"id": "f1", "kind": "stall"}}]
    assert fault_windows(events, run_end=9.0) == [Window("stall", 1.0, 3.0), Window("latency", 2.0, 9.0)]


def test_accepted_keys_are_the_placements_answered_200_or_201(tmp_path: Path) -> None:
    requests = log(tmp_path, [row(1, "/orders", status=201, type_="POST", key="a"),
                              row(2, "/orders", status=200, type_="POST", key="a"),
                              row(3, "/orders", ok=False, status=503, type_="POST", key="b"),
                              row(4, "/orders/[ref]", status=200, key=None)])
    assert accepted_keys(requests) == {"a"}


def test_a_failure_outside_a_fault_says_why_in_the_report(tmp_path: Path) -> None:
    """The request log keeps the answer's body of a failure (else the exception): a stray 503
    names its cause in ``outside_examples`` without a rerun."""
    from types import SimpleNamespace

    from ib_harness.load.request_log import RequestLog

    requests_log = RequestLog(str(tmp_path / "requests"))
    body = '{"detail":"broker unavailable (state=degraded, last error: keepalive probe overdue)"}'
    refused = SimpleNamespace(status_code=503, headers={"X-Fail-Fast": "0"}, text=body)
    requests_log.write("GET", "/prices/[symbol]", 300.0, exception=RuntimeError("503"), response=refused,
                       start_time=10.0)
    requests_log.write("GET", "/positions", 2.0, response=SimpleNamespace(status_code=200, headers={}, text="[]"),
                       start_time=10.5)
    requests_log.write("TWS", "reqCurrentTime", 900.0, exception=OSError("connection reset"), start_time=11.0)
    requests_log.close()
    requests = read_requests(tmp_path / "requests")
    report = chaos_report(requests, [Window("stall", 20.0, 21.5)], grace=1.0)
    assert report["failures_outside"] == 2
    details = [example["detail"] for example in report["outside_examples"]]
    assert details == [body, "connection reset"]
    assert requests.loc[requests["ok"], "detail"].isna().all()
