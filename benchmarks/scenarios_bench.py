"""Scenario figures on the virtual clock at production timings: each library scenario's simulated
and wall seconds, the whole library's wall time, the week of trading, both supervisors side by side,
and determinism (trace hashes equal over many replays, and beside two CPU hogs).

``python -m benchmarks.scenarios_bench [--soak 20] [--update BENCHMARKS.md]`` prints the Markdown
sections and, with ``--update``, replaces them in that file. Verdicts are the broker's, measured;
a failed scenario is reported, not hidden.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import subprocess
import time
from collections import Counter
from datetime import datetime, timezone
from typing import Iterator
from contextlib import contextmanager

from benchmarks.sections import update_file
from ib_harness.scenarios.batch import run_batch
from ib_harness.scenarios.console import render_comparison
from ib_harness.scenarios.loader import LIBRARY, load_all
from ib_harness.scenarios.trace import RunResult

SOAK_SAMPLE = ["order-duplicated-execdetails", "order-place-swallowed", "slow-sliced-link", "silent-stall"]
WEEK = "week-of-trading"


def _spin() -> None:
    while True:
        pass


@contextmanager
def cpu_hogs(count: int = 2) -> Iterator[None]:
    hogs = [multiprocessing.get_context("spawn").Process(target=_spin, daemon=True) for _ in range(count)]
    for hog in hogs:
        hog.start()
    try:
        yield
    finally:
        for hog in hogs:
            hog.terminate()
            hog.join()


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor()) if os.path.exists("/proc/cpuinfo") else platform.processor()
    revision = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return (f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, revision {revision or '?'}.")


def library_lines(run: RunResult, jobs: int) -> list[str]:
    simulated = sum(r.duration for r in run.results)
    lines = [f"- Whole library ({len(run.results)} scenarios, {simulated:,.0f} s simulated): **{run.wall:.1f} s wall** "
             f"with {jobs} worker processes (goal: at most 15 s on 2 cores); builtin "
             f"{sum(r.ok for r in run.results)}/{len(run.results)} pass.", "",
             "| scenario | simulated s | wall s | x real time | verdict |", "|---|---|---|---|---|"]
    for r in sorted(run.results, key=lambda r: r.name):
        lines.append(f"| {r.name} | {r.duration:,.0f} | {r.wall:.2f} | {r.duration / r.wall:,.0f}x | {r.verdict} |")
    slowest = min(run.results, key=lambda r: r.duration / r.wall)
    lines += ["", f"- Slowest ratio: {slowest.name} at {slowest.duration / slowest.wall:,.0f}x real time "
                  "(goal: every scenario at least 100x)."]
    return lines


def week_lines(jobs: int) -> list[str]:
    [week] = run_batch(load_all([LIBRARY / f"{WEEK}.yaml"]), jobs=1).results
    states = ", ".join(f"{state} {seconds / 3600:.2f} h" for state, seconds in week.state_seconds.items())
    return [f"- `{WEEK}`: {week.duration / 86400:.0f} simulated days in **{week.wall:.1f} s wall** (goal: at most "
            f"60 s), verdict {week.verdict}; broker {states}."]


def soak_lines(repeats: int, jobs: int) -> list[str]:
    files = [item for item in load_all([LIBRARY]) if item.scenario.name in SOAK_SAMPLE]
    lines = []
    for label, hogs in (("idle machine", 0), ("beside two busy CPU hogs", 2)):
        started = time.perf_counter()
        with cpu_hogs(hogs):
            run = run_batch(files * repeats, seed=7, jobs=jobs)
        lines.append(f"- Determinism, {label}: {len(files)} scenarios x {repeats} replays with seed 7 "
                     f"({time.perf_counter() - started:.1f} s wall):")
        for item in files:
            hashes = Counter(r.trace_sha256 for r in run.results if r.name == item.scenario.name)
            verdicts = Counter(r.verdict for r in run.results if r.name == item.scenario.name)
            lines.append(f"  - {item.scenario.name}: {len(hashes)} distinct trace_sha256 "
                         f"({', '.join(f'{v} x{n}' for v, n in verdicts.items())})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--soak", type=int, default=20, help="replays per determinism scenario")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--update", metavar="FILE", help="replace these sections of FILE (BENCHMARKS.md)")
    args = parser.parse_args(argv)
    files = [item for item in load_all([LIBRARY]) if item.scenario.name != WEEK]
    library = run_batch(files, jobs=args.jobs)
    both = run_batch(files, supervisors=("builtin", "watchdog"), jobs=args.jobs)
    watchdog = [r for r in both.results if r.supervisor == "watchdog"]
    builtin = [r for r in both.results if r.supervisor == "builtin"]
    lines = ["## Scenarios on the virtual clock (production timings)", "",
             "Command: `make bench-scenarios` (`python -m benchmarks.scenarios_bench --update BENCHMARKS.md`).",
             machine(), "", *library_lines(library, args.jobs), *week_lines(args.jobs),
             *soak_lines(args.soak, args.jobs), "",
             "## Scenarios: the library under both supervisors", "",
             "Command: `make compare` (`ib-harness compare`), virtual clock, production timings: the broker at its "
             "defaults, ib_insync's Watchdog at its own (appTimeout 20 s, probeTimeout 4 s, appStartupTime 30 s, "
             "retryDelay 2 s), its controller restarting only the gateway process (IB-side incidents go on). "
             f"Builtin {sum(r.ok for r in builtin)}/{len(builtin)} pass, Watchdog {sum(r.ok for r in watchdog)}/"
             f"{len(watchdog)} pass; detection = first fault start to the broker leaving ready, recovery = the "
             "time out of ready, from leaving it (after the first fault starts) to ready again:", "", render_comparison(both), ""]
    print("\n".join(lines))
    if args.update:
        update_file(args.update, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
