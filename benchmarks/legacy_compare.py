"""``make compare-legacy``: the scenario library replayed against three designs side by side:
the legacy ibapi design (broker/legacy), the broker under ib_insync's Watchdog, and the broker with
its builtin supervisor. The table is the evidence for the redesign (BENCHMARKS.md).

The scenario runner builds ``IBKRInsyncBroker``; :func:`installed` swaps in a factory that builds
a ``LegacyBroker`` when the replay's supervisor is ``legacy`` (the runner is not changed). The batch
workers come from a fork server and import the runner afresh, so the batch's worker function is
swapped too, for one that installs the factory in the worker before replaying.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any, Iterator

import ib_harness.scenarios.batch
import ib_harness.scenarios.runner
from ib_harness.broker import IBKRInsyncBroker
from ib_harness.broker.legacy import LegacyBroker
from ib_harness.scenarios.batch import DEFAULT_JOBS, run_batch
from ib_harness.scenarios.console import render_comparison, render_summary
from ib_harness.scenarios.loader import LIBRARY, load_all

DESIGNS = ("legacy", "watchdog", "builtin")


def make_broker(host: str, port: int, client_id: int, **settings: Any) -> Any:
    """The runner's broker constructor: the legacy design for supervisor 'legacy', else the real one."""
    if settings.get("supervisor") == "legacy":
        return LegacyBroker(host, port, client_id, journal_path=settings["journal_path"])
    return IBKRInsyncBroker(host, port, client_id, **settings)


_replay_file = ib_harness.scenarios.batch._replay_file  # the worker function as imported here: never the swapped one


def replay_file_with_legacy(path: str, seed: int | None, supervisor: str | None, clock: str | None = None,
                            time_scale: float = 1.0, broker: str | None = None, backend: str | None = None) -> str:
    """The batch's worker function, run in the worker with the factory installed."""
    with installed():
        return _replay_file(path, seed, supervisor, clock, time_scale, broker, backend)


@contextlib.contextmanager
def installed() -> Iterator[None]:
    """Within this block the scenario runner (and run_batch's workers) can replay with supervisor='legacy'."""
    original_broker, original_worker = ib_harness.scenarios.runner.IBKRInsyncBroker, ib_harness.scenarios.batch._replay_file
    ib_harness.scenarios.runner.IBKRInsyncBroker = make_broker  # type: ignore[misc,assignment]
    ib_harness.scenarios.batch._replay_file = replay_file_with_legacy
    try:
        yield
    finally:
        ib_harness.scenarios.runner.IBKRInsyncBroker = original_broker  # type: ignore[misc]
        ib_harness.scenarios.batch._replay_file = original_worker


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.legacy_compare", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(LIBRARY)])
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    parser.add_argument("--designs", default=",".join(DESIGNS), help=f"comma-separated subset of {DESIGNS}")
    args = parser.parse_args(argv)
    designs = tuple(d for d in args.designs.split(",") if d)
    unknown = set(designs) - set(DESIGNS)
    if unknown or not designs:
        parser.error(f"--designs: unknown {sorted(unknown)}; choose from {DESIGNS}")
    # ibapi's threads and sockets cannot run on the virtual clock: every design replays on the real
    # clock, 10x faster (the week of trading, 7 days, is left out)
    files = [item for item in load_all(args.paths) if item.scenario.duration <= 3600]
    with installed():
        run = run_batch(files, supervisors=designs, jobs=args.jobs, clock="real", time_scale=0.1,
                        on_result=lambda r, done, total: print(f"[{done}/{total}] {r.verdict.upper():5} {r.name} "
                                                               f"[{r.supervisor}] {r.wall:.1f} s", flush=True))
    table = render_comparison(run)
    passed = {design: sum(r.ok for r in run.results if r.supervisor == design) for design in designs}
    totals = ", ".join(f"{design} {passed[design]}/{len(files)}" for design in designs)
    print(render_summary(run))
    print(f"\npassed: {totals}\n\n{table}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(f"passed: {totals}\n\n{table}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
