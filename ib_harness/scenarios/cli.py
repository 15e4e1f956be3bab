"""``ib-harness replay | validate | compare | schema | from-log``: the scenario commands.

Bad input (a file that does not parse or validate, a log that cannot be read) exits with code 2
and a ``file:line: field: problem`` message, before anything runs.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path
from typing import Any

from ib_harness.broker.backends import BACKENDS, DEFAULT_BACKEND

from .explore.cli import positive
from .loader import LIBRARY, ScenarioErrors, load_all
from .yaml_lines import ScenarioError

BAD_INPUT = 2
BROKER_HELP = ("replay against your own broker: a callable factory(host=, port=, client_id=, settings=) returning "
               "a BaseBroker (see docs/your-own-broker.md); default: the library's IBKRInsyncBroker")


def add_commands(commands: Any) -> None:
    """The scenario commands, registered side by side: replay, validate, compare, schema, from-log."""
    replay = commands.add_parser("replay", help="replay scenario files against the real broker and a fake gateway",
                                 description="replay scenario files against the real broker and a fake gateway")
    replay.add_argument("paths", nargs="*", default=[str(LIBRARY)],
                        help="scenario files or directories (default: the built-in library)")
    replay.add_argument("-k", dest="keyword", help="only scenarios whose name contains this (default: all)")
    replay.add_argument("--seed", type=int, help="override every scenario's seed (default: each file's own)")
    replay.add_argument("--supervisor", choices=["builtin", "watchdog", "both"],
                        help="who supervises the broker (default: each file's own)")
    replay.add_argument("--backend", choices=[*BACKENDS, "both"],
                        help="the broker's client library (default: each file's own, else ib_insync)")
    replay.add_argument("--report", type=Path,
                        help="directory for report.html, report.json and junit.xml (default: no report)")
    replay.add_argument("--junit", type=Path, help="also write JUnit XML to this file (default: none)")
    replay.add_argument("--jobs", type=positive(int), help="scenarios replayed at once (default: by CPU count)")
    replay.add_argument("--quiet", action="store_true", help="progress and summary only, no timelines")
    replay.add_argument("--broker", metavar="MODULE:FACTORY", help=BROKER_HELP)
    _clock_option(replay)
    replay.set_defaults(run=run_replay)

    validate = commands.add_parser("validate", help="check scenario files without running them",
                                   description="check scenario files without running them")
    validate.add_argument("paths", nargs="*", default=[str(LIBRARY)],
                          help="scenario files or directories (default: the built-in library)")
    validate.set_defaults(run=run_validate)

    compare = commands.add_parser("compare", help="replay scenarios under both supervisors; print the table",
                                  description="replay scenarios under both supervisors; print the table")
    compare.add_argument("paths", nargs="*", default=[str(LIBRARY)],
                         help="scenario files or directories (default: the built-in library)")
    compare.add_argument("--report", type=Path,
                         help="directory for report.html, report.json and junit.xml (default: no report)")
    compare.add_argument("--jobs", type=positive(int), help="scenarios replayed at once (default: by CPU count)")
    compare.add_argument("--backend", choices=[*BACKENDS, "both"],
                         help="the client libraries compared (default: both, four columns, when ib_async is "
                              "installed; else ib_insync)")
    compare.add_argument("--broker", metavar="MODULE:FACTORY",
                         help="compare this broker (instead of the library's builtin) with the Watchdog design "
                              "(default: the library's broker)")
    _clock_option(compare)
    compare.set_defaults(run=run_compare)

    schema = commands.add_parser("schema", help="print the scenario JSON Schema (for editors)",
                                 description="print the scenario JSON Schema (for editors)")
    schema.add_argument("--out", type=Path, help="write it to this file instead (default: stdout)")
    schema.set_defaults(run=run_schema)

    from .explore.cli import add_explore
    add_explore(commands)

    _add_from_log(commands.add_parser("from-log", help="draft a scenario from an ib_insync/ib_async log",
                                      description="draft a scenario from an ib_insync/ib_async log"))
    scenario = commands.add_parser("scenario", help="scenario tools (`scenario from-log` is `from-log`)",
                                   description="scenario tools, kept for existing scripts")
    tools = scenario.add_subparsers(dest="tool", required=True)
    _add_from_log(tools.add_parser("from-log", help="the same as `ib-harness from-log`"))


def _add_from_log(from_log: argparse.ArgumentParser) -> None:
    from_log.add_argument("logfile", type=Path, help="the log file to read")
    from_log.add_argument("--out", type=Path, help="write the YAML here (default: stdout)")
    from_log.add_argument("--max-duration", type=positive(float), default=30.0,
                          help="scale longer incidents down to this many seconds")
    from_log.add_argument("--name", help="scenario name (default: from-log-<file>)")
    from_log.add_argument("--pattern", help="regex for another log format, with named groups ts (ISO 8601 time) "
                                            "and message (and optionally logger); default: ib_insync/ib_async's format")
    from_log.set_defaults(run=run_from_log)


def _clock_option(parser: argparse.ArgumentParser) -> None:
    from .clocks import CLOCKS

    parser.add_argument("--clock", choices=CLOCKS, help="virtual: simulated time and an in-memory network "
                        "(production timings in seconds); real: the wall clock. Default: each file's clock:, "
                        "else virtual")
    parser.add_argument("--time-scale", type=float, default=1.0, metavar="FACTOR",
                        help="real clock only: run time FACTOR times as fast as the wall (0.05 = 20x faster); "
                             "every duration on both sides (scenario, broker, gateway) scales with it (default 1.0)")


def _check_clock_args(files: list[Any], args: argparse.Namespace) -> None:
    from .clocks import check_time_scale, resolve

    for item in files:
        check_time_scale(args.time_scale, resolve(args.clock, item.scenario.clock))


def _load(paths: list[str], keyword: str | None = None) -> list[Any]:
    files = load_all(paths)
    if keyword:
        files = [item for item in files if keyword in item.scenario.name]
        if not files:
            raise ScenarioError("-k", None, f"no scenario name contains {keyword!r}")
    return files


def _bad_input(exc: ValueError) -> int:
    print(str(exc), file=sys.stderr)
    return BAD_INPUT


def _unwritable(path: Path, exc: OSError) -> ValueError:
    return ValueError(f"--out {path}: cannot write: {exc.strerror or exc}")


def run_validate(args: argparse.Namespace) -> int:
    try:
        files = _load(args.paths)
    except (ScenarioError, ScenarioErrors) as exc:
        return _bad_input(exc)
    for item in files:
        print(f"ok  {item.path}: {item.scenario.name} ({len(item.scenario.steps)} steps, "
              f"{len(item.scenario.expect)} expectations)")
    print(f"{len(files)} scenario file(s) valid")
    return 0


def run_schema(args: argparse.Namespace) -> int:
    """To stdout unless --out names a file: never into the installed package."""
    from .schema import schema_text, write_schema

    if args.out is None:
        sys.stdout.write(schema_text())
        return 0
    try:
        print(f"wrote {write_schema(args.out)}", file=sys.stderr)
    except OSError as exc:
        return _bad_input(_unwritable(args.out, exc))
    return 0


def run_from_log(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from .from_log import draft_scenario, draft_yaml
    from .model import Scenario
    from .yaml_lines import LineMap, describe_validation_error

    try:
        draft = draft_scenario(args.logfile, max_duration=args.max_duration, name=args.name, pattern=args.pattern)
    except ScenarioError as exc:
        return _bad_input(exc)
    try:
        Scenario.model_validate(draft)  # a draft this tool writes must validate
    except ValidationError as exc:  # a bug in the drafting, said in words
        print(f"internal error: the draft does not validate: "
              f"{describe_validation_error(exc, args.logfile, LineMap(), Scenario).message}", file=sys.stderr)
        return 1
    text = draft_yaml(draft)
    if args.out:
        try:
            args.out.write_text(text)
        except OSError as exc:
            return _bad_input(_unwritable(args.out, exc))
        print(f"wrote {args.out}: {len(draft['steps'])} steps over {draft['duration']} s", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _supervisors(choice: str | None) -> tuple[str | None, ...]:
    return ("builtin", "watchdog") if choice == "both" else (choice,)


def _backends(choice: str | None) -> tuple[str | None, ...]:
    return BACKENDS if choice == "both" else (choice,)


def _installed(backend: str) -> bool:
    try:
        importlib.import_module(backend)
    except ImportError:
        return False
    return True


def _check_backends(backends: tuple[str | None, ...]) -> None:
    """A --backend whose library is missing stops before anything runs (not one ERROR per scenario)."""
    for name in backends:
        if name is not None and not _installed(name):
            raise ValueError(f"--backend: {name} is not installed: pip install 'ib-harness[{name}]'")


def _compare_backends() -> str:
    """compare's default: every library when all are installed, else the installed ones (said on stderr)."""
    missing = [name for name in BACKENDS if not _installed(name)]
    if not missing:
        return "both"
    print(f"{', '.join(missing)} is not installed: comparing on {DEFAULT_BACKEND} only "
          f"(pip install 'ib-harness[{missing[0]}]' for every library)", file=sys.stderr)
    return DEFAULT_BACKEND


def run_replay(args: argparse.Namespace, supervisors: tuple[str | None, ...] | None = None) -> int:
    from .batch import DEFAULT_JOBS, run_batch
    from .console import render_comparison, render_result, render_summary
    from .reports import write_junit, write_reports
    from .trace import RunResult

    logging.basicConfig(level=logging.WARNING)
    try:
        files = _load(args.paths, getattr(args, "keyword", None))
    except (ScenarioError, ScenarioErrors) as exc:
        return _bad_input(exc)
    try:
        _check_clock_args(files, args)
    except ValueError as exc:
        return _bad_input(exc)
    broker = getattr(args, "broker", None)
    if broker:
        from .broker_factory import BrokerFactoryError, check_factory
        try:
            check_factory(broker)
        except BrokerFactoryError as exc:
            return _bad_input(exc)
    supervisors = supervisors or _supervisors(getattr(args, "supervisor", None))
    if broker and "watchdog" in supervisors and supervisors != ("builtin", "watchdog"):
        print("--broker cannot run under --supervisor watchdog (a user broker supervises itself)", file=sys.stderr)
        return BAD_INPUT
    backends = _backends(getattr(args, "backend", None))
    try:
        _check_backends(backends)
    except ValueError as exc:
        return _bad_input(exc)
    quiet = getattr(args, "quiet", False)
    total = len(files) * len(supervisors) * len(backends)
    print(f"replaying {total} scenario run(s) with {args.jobs or DEFAULT_JOBS} at a time", flush=True)

    def progress(result: Any, done: int, total: int) -> None:
        print(f"[{done}/{total}] {result.verdict.upper():5} {result.name} [{result.variant}] "
              f"{result.wall:.1f} s ({result.clock} clock, {result.duration:g} s simulated) "
              f"trace sha256 {result.trace_sha256}", flush=True)
        if result.state_seconds:
            print("    " + ", ".join(f"{state} {seconds:.1f} s" for state, seconds in result.state_seconds.items()),
                  flush=True)
        if not quiet:
            print(render_result(result), flush=True)

    clock = getattr(args, "clock", None)
    time_scale = getattr(args, "time_scale", 1.0)
    if broker and supervisors == ("builtin", "watchdog"):
        # compare: the user's broker in the builtin column, the library's broker under Watchdog
        first = run_batch(files, seed=getattr(args, "seed", None), supervisors=("builtin",),
                          jobs=args.jobs or DEFAULT_JOBS, clock=clock, time_scale=time_scale, on_result=progress,
                          broker=broker, backends=backends)
        second = run_batch(files, seed=getattr(args, "seed", None), supervisors=("watchdog",),
                           jobs=args.jobs or DEFAULT_JOBS, clock=clock, time_scale=time_scale, on_result=progress,
                           backends=backends)
        run = RunResult(started=first.started, wall=first.wall + second.wall,
                        results=first.results + second.results)
    else:
        run = run_batch(files, seed=getattr(args, "seed", None), supervisors=supervisors,
                        jobs=args.jobs or DEFAULT_JOBS, clock=clock, time_scale=time_scale, on_result=progress,
                        broker=broker, backends=backends)
    print(render_summary(run))
    if len(supervisors) * len(backends) > 1:
        print(render_comparison(run))
    if args.report:
        written = write_reports(run, args.report)
        print(f"HTML report: {written['html'].resolve()}")
        print(f"JSON: {written['json'].resolve()}  JUnit: {written['junit'].resolve()}")
    if getattr(args, "junit", None):
        write_junit(run, args.junit)
    return 0 if run.ok else 1


def run_compare(args: argparse.Namespace) -> int:
    """Both supervisors (on each --backend); the verdicts differ on purpose, so the exit code is 0 when it completed
    (2 on bad input)."""
    if args.backend is None:
        args.backend = _compare_backends()
    code = run_replay(args, supervisors=("builtin", "watchdog"))
    return BAD_INPUT if code == BAD_INPUT else 0
