"""``ib-harness explore``: generated fault schedules against a broker until a budget or a violation.

Exit codes: 0 nothing violated, 1 a violation (shrunk and written under ``--out``), 2 bad input.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from ib_harness.broker.backends import BACKENDS

BAD_INPUT = 2
DEFAULT_OUT = Path("explore-found")


def positive(kind: type) -> Any:
    """An argparse type: ``kind`` above zero, else a usage error naming the flag and the value."""
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a positive {kind.__name__}, got {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"must be > 0, got {text!r}")
        return value
    return parse


def add_explore(commands: Any) -> None:
    parser = commands.add_parser("explore", help="generated fault schedules against a broker; shrink what fails")
    parser.add_argument("--broker", metavar="MODULE:FACTORY", help="your broker's factory (default: the library's)")
    limit = parser.add_mutually_exclusive_group()
    limit.add_argument("--budget", type=positive(float), metavar="SECONDS", help="wall seconds to explore (default 60)")
    limit.add_argument("--runs", type=positive(int), metavar="N", help="number of schedules to run (default: none, the --budget decides)")
    parser.add_argument("--seed", type=int, default=0, help="the master seed (default 0)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where shrunk scenarios go")
    parser.add_argument("--shrink-runs", type=positive(int), default=40, help="replays the shrinker may spend")
    parser.add_argument("--jobs", type=positive(int), default=1,
                        help="schedules run at once in worker processes (default 1)")
    parser.add_argument("--clock", choices=("virtual", "real"), default=None,
                        help="virtual (default): simulated time, production timings, two simulated minutes a "
                             "schedule; real: the wall clock with the library's scaled-down timings, 10 s a schedule")
    parser.add_argument("--backend", choices=BACKENDS, default=None,
                        help="the library broker's client library; recorded in every shrunk file (default: ib_insync)")
    parser.add_argument("--kinds", help="comma-separated fault kinds to draw from (default: every kind)")
    parser.set_defaults(run=run_explore)


def run_explore(args: argparse.Namespace) -> int:
    from ..broker_factory import BrokerFactoryError, check_factory
    from . import fault_params
    from .explorer import explore
    from dataclasses import replace

    from .explorer import default_profile
    from .run import CLOCK

    if args.broker:
        try:
            check_factory(args.broker)
        except BrokerFactoryError as exc:
            print(str(exc), file=sys.stderr)
            return BAD_INPUT
    clock = args.clock or CLOCK
    profile = default_profile(clock)
    if args.kinds:
        kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
        unknown = [k for k in kinds if k not in fault_params.kinds()]
        if unknown:
            print(f"--kinds: unknown fault kind(s) {unknown} (known: {', '.join(fault_params.kinds())})",
                  file=sys.stderr)
            return BAD_INPUT
        profile = replace(profile, kinds=tuple(kinds))
    if args.backend:
        profile = replace(profile, backend=args.backend)
    budget = args.budget if args.budget is not None or args.runs is not None else 60.0
    logging.basicConfig(level=logging.CRITICAL)
    print(f"exploring {args.broker or 'the library broker'} from seed {args.seed} "
          f"({f'{args.runs} runs' if args.runs else f'{budget:g} s'}, {clock} clock)", flush=True)

    def progress(index: int, outcome: Any) -> None:
        faults = [s["fault"]["kind"] for s in outcome.scenario["steps"] if "fault" in s]
        state = "VIOLATED " + ", ".join(outcome.violated) if outcome.failed else "ok"
        print(f"[{index + 1}] seed {outcome.scenario['seed']}: {len(outcome.scenario['steps'])} steps, "
              f"faults {','.join(faults)}: {state} ({outcome.result.wall:.1f} s)", flush=True)

    report = asyncio.run(explore(args.broker, seed=args.seed, runs=args.runs, budget=budget, out=args.out,
                                 profile=profile, shrink_runs=args.shrink_runs, on_run=progress, jobs=args.jobs,
                                 clock=clock))
    print(f"{report.runs} schedule(s) in {report.wall:.1f} s: {report.per_second:.2f} schedules/s, "
          f"{report.simulated:.0f} simulated s, {report.faults} faults of {len(report.kinds)} kinds")
    for found in report.violations:
        print(f"VIOLATION {found.invariant} (run {found.run}, scenario seed {found.seed}): {found.detail}")
        print(f"  shrunk {found.original_steps} -> {found.steps} steps in {found.shrink_runs} replays"
              f"{'' if found.reproduced else ' (the shrunk file did not fail again on its last replay: flaky)'}")
        if found.path is not None:
            print(f"  wrote {found.path}; replay: ib-harness replay {found.path} --clock {clock}"
                  + (f" --broker {args.broker}" if args.broker else ""))
    return 1 if report.violations else 0
