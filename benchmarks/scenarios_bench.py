"""Scenario figures: the library's wall time, the runner's overhead per scenario, both supervisors
side by side, and a determinism soak (the same scenarios replayed many times with one seed).

``python -m benchmarks.scenarios_bench [--soak 20] [--out FILE]`` prints a Markdown section for
BENCHMARKS.md. Verdicts here are the broker's, measured; a failed scenario is reported, not hidden.
"""

from __future__ import annotations

import argparse
import statistics
from collections import Counter
from pathlib import Path

from ib_harness.scenarios.batch import DEFAULT_JOBS, run_batch
from ib_harness.scenarios.console import render_comparison
from ib_harness.scenarios.loader import LIBRARY, load_all
from ib_harness.scenarios.trace import RunResult, ScenarioResult

SOAK_SAMPLE = ["order-duplicated-execdetails", "order-place-swallowed", "slow-sliced-link", "silent-stall"]


def _fingerprint(result: ScenarioResult) -> tuple[object, ...]:
    return result.verdict, tuple(e.ok for e in result.expectations), repr(result.injected)


def library_section(run: RunResult, jobs: int) -> list[str]:
    overheads = [r.overhead for r in run.results]
    timeline = sum(r.duration for r in run.results)
    failed = [r for r in run.results if not r.ok]
    lines = [
        f"- Library: {len(run.results)} scenarios, {timeline:.1f} s of timelines, replayed in **{run.wall:.1f} s wall** "
        f"with {jobs} worker processes (target: at most 60 s on 2 cores).",
        f"- Runner overhead per scenario (wall beyond its timeline: gateway, broker connect, teardown, audit): "
        f"median {statistics.median(overheads):.2f} s, max {max(overheads):.2f} s.",
        f"- Builtin supervisor: {len(run.results) - len(failed)} passed, {len(failed)} failed.",
    ]
    for result in failed:
        missed = "; ".join(f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok) or result.error
        lines.append(f"  - {result.name}: {missed}")
    return lines


def soak_section(repeats: int, jobs: int) -> list[str]:
    files = [item for item in load_all([LIBRARY]) if item.scenario.name in SOAK_SAMPLE]
    run = run_batch(files * repeats, seed=7, jobs=jobs)
    lines = [f"- Determinism soak: {len(files)} scenarios x {repeats} replays with seed 7 ({run.wall:.1f} s wall):"]
    for item in files:
        prints = Counter(_fingerprint(r) for r in run.results if r.name == item.scenario.name)
        verdicts = Counter(r.verdict for r in run.results if r.name == item.scenario.name)
        lines.append(f"  - {item.scenario.name}: {len(prints)} distinct injected timeline+verdict "
                     f"({', '.join(f'{v} x{n}' for v, n in verdicts.items())})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soak", type=int, default=20, help="replays per soak scenario")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    files = load_all([LIBRARY])
    both = run_batch(files, supervisors=("builtin", "watchdog"), jobs=args.jobs)
    builtin = RunResult(started=both.started, wall=0.0, results=[r for r in both.results if r.supervisor == "builtin"])
    alone = run_batch(files, jobs=args.jobs)
    lines = ["## Scenarios: the library under both supervisors", "",
             "Command: `python -m benchmarks.scenarios_bench` (also `make compare` for the table alone).", ""]
    lines += library_section(alone, args.jobs)
    lines += soak_section(args.soak, args.jobs)
    watchdog = [r for r in both.results if r.supervisor == "watchdog"]
    lines += ["", f"Comparison (same settings; Watchdog's appTimeout = probe_interval, probeTimeout = probe_timeout, "
              f"retryDelay = backoff_initial). Builtin {sum(r.ok for r in builtin.results)}/{len(builtin.results)} "
              f"pass, Watchdog {sum(r.ok for r in watchdog)}/{len(watchdog)} pass; detection = first fault start to "
              "the broker leaving ready, recovery = first fault end to ready again:", "", render_comparison(both), ""]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
