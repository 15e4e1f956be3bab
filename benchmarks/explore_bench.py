"""Explore figures for BENCHMARKS.md: schedules per wall minute, and per mutant the runs until the
first violation and the shrunk scenario's length.

    python -m benchmarks.explore_bench rate --budget 60 --jobs 1 2 4
    python -m benchmarks.explore_bench mutants [--runs 8] [--shrink-runs 10] [-k name]

``rate`` explores the library's broker over every fault kind (3 to 5 faults a schedule) without
stopping or shrinking; ``mutants`` runs explore against each mutant of tests/explore/teeth.py from
its fixed seed. Both print markdown rows.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

from ib_harness.scenarios.explore.explorer import default_profile, explore
from ib_harness.scenarios.explore.run import CLOCK

ROOT = Path(__file__).resolve().parents[1]


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, " \
           f"{time.strftime('%Y-%m-%d')}"


async def rate(budget: float, jobs: int) -> str:
    report = await explore(seed=2026, budget=budget, jobs=jobs, stop_on_violation=False, shrink_runs=0)
    per_minute = report.runs / report.wall * 60
    return (f"| {CLOCK} | {jobs} | {report.runs} | {report.wall:.0f} s | {per_minute:.1f} | "
            f"{default_profile(CLOCK).duration:g} s | {report.faults / max(report.runs, 1):.1f} | {len(report.kinds)} | "
            f"{len(report.violations)} |")


async def mutants(runs: int, shrink_runs: int, keyword: str | None) -> list[str]:
    import pytest

    sys.path.insert(0, str(ROOT))
    from tests.explore.teeth import TEETH

    rows = []
    for teeth in TEETH:
        if keyword and keyword not in teeth.name:
            continue
        patch = pytest.MonkeyPatch()
        teeth.apply(patch)
        try:
            with TemporaryDirectory() as out:
                started = time.perf_counter()
                report = await explore(seed=teeth.seed, runs=runs, out=Path(out), profile=teeth.profile,
                                       shrink_runs=shrink_runs)
                wall = time.perf_counter() - started
        finally:
            patch.undo()
        if report.violations:
            found = report.violations[0]
            rows.append(f"| {teeth.name} | {found.run + 1} | {found.invariant.removeprefix('invariant ')} | "
                        f"{found.original_steps} -> {found.steps} | {found.shrink_runs} | {wall:.0f} s |")
        else:
            rows.append(f"| {teeth.name} | not found in {report.runs} | - | - | - | {wall:.0f} s |")
        print(rows[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.explore_bench")
    sub = parser.add_subparsers(dest="what", required=True)
    r = sub.add_parser("rate")
    r.add_argument("--budget", type=float, default=60.0)
    r.add_argument("--jobs", type=int, nargs="+", default=[1, 4])
    m = sub.add_parser("mutants")
    m.add_argument("--runs", type=int, default=8)
    m.add_argument("--shrink-runs", type=int, default=10)
    m.add_argument("-k", dest="keyword")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)
    print(f"machine: {machine()}", flush=True)
    if args.what == "rate":
        print("| clock | jobs | schedules | wall | schedules / wall minute | simulated s each | faults each | kinds | "
              "violations |\n|---|---|---|---|---|---|---|---|---|", flush=True)
        for jobs in args.jobs:
            print(asyncio.run(rate(args.budget, jobs)), flush=True)
    else:
        print("| mutant | runs until found | invariant | steps (generated -> shrunk) | shrink replays | wall |\n"
              "|---|---|---|---|---|---|", flush=True)
        asyncio.run(mutants(args.runs, args.shrink_runs, args.keyword))
    return 0


if __name__ == "__main__":
    sys.exit(main())
