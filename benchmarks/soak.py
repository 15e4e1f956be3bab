"""``make soak``: replay the scenario library N times and report every verdict that changed.

A verdict that flips between runs is a flaky scenario (or a racy broker): the failure-mode suite
would fail at random in CI. Each run replays every scenario under each supervisor with the
scenario's own seed, in parallel worker processes, exactly as ``ib-harness replay`` does.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from ib_harness.scenarios.batch import DEFAULT_JOBS, run_batch
from ib_harness.scenarios.loader import LIBRARY, load_all


def soak(paths: list[str], runs: int, supervisors: tuple[str, ...], jobs: int) -> tuple[str, int]:
    """Markdown summary and the number of (scenario, supervisor) pairs whose verdict changed."""
    files = [item for item in load_all(paths) if "week" not in item.scenario.tags]  # the week: bench-scenarios
    verdicts: dict[tuple[str, str], list[str]] = defaultdict(list)
    details: dict[tuple[str, str], set[str]] = defaultdict(set)
    started = time.perf_counter()
    for run in range(1, runs + 1):
        result = run_batch(files, supervisors=supervisors, jobs=jobs)
        for replay in result.results:
            key = (replay.name, replay.supervisor)
            verdicts[key].append(replay.verdict)
            details[key].update(f"{e.expectation}" for e in replay.expectations if not e.ok)
            if replay.error:
                details[key].add(replay.error)
        print(f"run {run}/{runs}: {sum(r.ok for r in result.results)}/{len(result.results)} passed "
              f"in {result.wall:.1f} s", file=sys.stderr, flush=True)
    wall = time.perf_counter() - started
    changed = {key: seq for key, seq in verdicts.items() if len(set(seq)) > 1}
    lines = [f"{runs} runs x {len(files)} scenarios x {len(supervisors)} supervisor(s) "
             f"({', '.join(supervisors)}) = {runs * len(verdicts)} replays in {wall:.0f} s; "
             f"**{len(changed)} changed verdict(s)**.", ""]
    lines += ["| scenario | supervisor | verdicts over the runs | missed when failing |", "|---|---|---|---|"]
    for (name, supervisor), seq in sorted(verdicts.items()):
        counts = ", ".join(f"{seq.count(v)} {v}" for v in ("pass", "fail", "error") if v in seq)
        flag = " **CHANGED**" if (name, supervisor) in changed else ""
        missed = "; ".join(sorted(details[(name, supervisor)]))[:160]
        lines.append(f"| {name} | {supervisor} | {counts}{flag} | {missed} |")
    return "\n".join(lines), len(changed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(LIBRARY)])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--supervisor", choices=["builtin", "watchdog", "both"], default="both")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    parser.add_argument("--out", type=Path, help="also write the markdown summary here")
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error(f"--runs must be at least 2 to compare verdicts, got {args.runs}")
    supervisors = ("builtin", "watchdog") if args.supervisor == "both" else (args.supervisor,)
    summary, changed = soak(args.paths, args.runs, supervisors, args.jobs)
    print(summary)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(summary + "\n")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
