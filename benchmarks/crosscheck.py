"""``make crosscheck``: the library on the real clock (real TCP, time scaled) and on the virtual
clock (in-memory network); exit 1 when a verdict differs, so the simulation cannot drift from
what real sockets and real time do.

``python -m benchmarks.crosscheck [--time-scale 0.05] [--max-duration 3600] [--jobs N]``.
Scenarios longer than ``--max-duration`` simulated seconds are left out of the real run (the week
of trading would take 8 hours at 0.05) and listed as such.
"""

from __future__ import annotations

import argparse

from ib_harness.scenarios.batch import DEFAULT_JOBS, run_batch
from ib_harness.scenarios.loader import LIBRARY, load_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--time-scale", type=float, default=0.05)
    parser.add_argument("--max-duration", type=float, default=3600.0)
    parser.add_argument("--supervisor", choices=["builtin", "watchdog"], default="builtin")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    args = parser.parse_args(argv)
    files = load_all([LIBRARY])
    kept = [item for item in files if item.scenario.duration <= args.max_duration]
    for item in files:
        if item not in kept:
            print(f"left out: {item.scenario.name} ({item.scenario.duration:,.0f} s simulated > --max-duration)")
    supervisors = (args.supervisor,)
    virtual = run_batch(kept, supervisors=supervisors, jobs=args.jobs, clock="virtual")
    real = run_batch(kept, supervisors=supervisors, jobs=args.jobs, clock="real", time_scale=args.time_scale)
    differ = 0
    print(f"| scenario | virtual | real x{args.time_scale:g} |\n|---|---|---|")
    for v, r in zip(virtual.results, real.results):
        mark = "" if v.verdict == r.verdict else " **differs**"
        differ += v.verdict != r.verdict
        print(f"| {v.name} | {v.verdict} | {r.verdict}{mark} |")
        if mark:
            for result in (v, r):
                missed = "; ".join(f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok)
                print(f"    {result.clock}: {missed or result.error}")
    print(f"{len(kept)} scenario(s): {differ} verdict(s) differ (virtual {virtual.wall:.1f} s wall, "
          f"real {real.wall:.1f} s wall)")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
