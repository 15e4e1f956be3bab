"""CI load smoke: ``ib-harness load`` end to end on the local stack (gateway and API in
subprocesses), Locust distributed with 2 workers, a few users and one injected stall."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd


def test_load_with_a_stall_keeps_failures_inside_the_fault_and_loses_no_order(tmp_path: Path) -> None:
    out = tmp_path / "load"
    done = subprocess.run([sys.executable, "-m", "ib_harness", "load", "--users", "6", "--spawn-rate", "6",
                           "--duration", "10", "--workers", "2", "--chaos", "ib_harness/load/chaos/stall.yaml",
                           "--out", str(out)], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["passed"] is True
    chaos = summary["chaos"]
    [stall] = chaos["fault_windows"]
    assert stall["label"] == "stall" and 1.4 <= stall["end"] - stall["start"] <= 2.5
    assert chaos["failures_outside"] == 0
    assert chaos["failures_inside"] > 0, "the stall must be visible to the users (503s while not ready)"
    [recovery] = chaos["recovery_seconds"]
    assert recovery is not None and recovery <= 5.0
    assert summary["orders"]["lost"] == 0 and summary["orders"]["duplicated"] == 0
    assert summary["orders"]["journal_orders"] > 0
    assert (out / "report.html").stat().st_size > 10_000
    stats = pd.read_csv(out / "locust_stats.csv")
    assert {"/orders", "/positions", "/account", "reqCurrentTime"} <= set(stats["Name"])
    assert "PASSED" in done.stdout and "p99 ms" in done.stdout
    assert len(list((out / "requests").glob("requests-*.jsonl"))) == 2  # one per worker
