"""``ib-harness replay | validate | schema | scenario from-log | compare``: the scenario commands.

Bad input (a file that does not parse or validate, a log that cannot be read) exits with code 2
and a ``file:line: field: problem`` message, before anything runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from ib_harness.broker.backends import BACKENDS

from .loader import LIBRARY, ScenarioErrors, load_all
from .yaml_lines import ScenarioError

BAD_INPUT = 2


def add_commands(commands: Any) -> None:
    replay = commands.add_parser("replay", help="replay scenario files against the real broker and a fake gateway")
    replay.add_argument("paths", nargs="*", default=[str(LIBRARY)], help="files or directories (default: the library)")
    replay.add_argument("-k", dest="keyword", help="only scenarios whose name contains this")
    replay.add_argument("--seed", type=int, help="override every scenario's seed")
    replay.add_argument("--supervisor", choices=["builtin", "watchdog", "both"], help="default: each file's own")
    replay.add_argument("--backend", choices=[*BACKENDS, "both"],
                        help="the broker's client library (default: each file's own, else ib_insync)")
    replay.add_argument("--report", type=Path, help="write report.html, report.json and junit.xml here")
    replay.add_argument("--junit", type=Path, help="write JUnit XML here")
    replay.add_argument("--jobs", type=int, help="scenarios replayed at once")
    replay.add_argument("--quiet", action="store_true", help="progress and summary only, no timelines")
    replay.set_defaults(run=run_replay)

    validate = commands.add_parser("validate", help="check scenario files without running them")
    validate.add_argument("paths", nargs="*", default=[str(LIBRARY)])
    validate.set_defaults(run=run_validate)

    schema = commands.add_parser("schema", help="write the scenario JSON Schema")
    schema.add_argument("--out", type=Path, help="default: scenarios/scenario.schema.json")
    schema.set_defaults(run=run_schema)

    scenario = commands.add_parser("scenario", help="scenario tools")
    tools = scenario.add_subparsers(dest="tool", required=True)
    from_log = tools.add_parser("from-log", help="draft a scenario from an ib_insync/ib_async log")
    from_log.add_argument("logfile", type=Path)
    from_log.add_argument("--out", type=Path, help="write the YAML here (default: stdout)")
    from_log.add_argument("--max-duration", type=float, default=30.0, help="scale longer incidents down to this")
    from_log.add_argument("--name", help="scenario name (default: from-log-<file>)")
    from_log.set_defaults(run=run_from_log)

    compare = commands.add_parser("compare", help="replay the library under both supervisors on both client "
                                  "libraries; print the table")
    compare.add_argument("paths", nargs="*", default=[str(LIBRARY)])
    compare.add_argument("--report", type=Path)
    compare.add_argument("--jobs", type=int)
    compare.add_argument("--backend", choices=[*BACKENDS, "both"], default="both",
                         help="the client libraries compared (default: both: four columns)")
    compare.set_defaults(run=run_compare)


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
    from .schema import SCHEMA_PATH, write_schema

    print(f"wrote {write_schema(args.out or SCHEMA_PATH)}")
    return 0


def run_from_log(args: argparse.Namespace) -> int:
    from .from_log import draft_scenario, draft_yaml
    from .model import Scenario

    try:
        draft = draft_scenario(args.logfile, max_duration=args.max_duration, name=args.name)
    except ScenarioError as exc:
        return _bad_input(exc)
    Scenario.model_validate(draft)  # a draft this tool writes must validate
    text = draft_yaml(draft)
    if args.out:
        args.out.write_text(text)
        print(f"wrote {args.out}: {len(draft['steps'])} steps over {draft['duration']} s", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _supervisors(choice: str | None) -> tuple[str | None, ...]:
    return ("builtin", "watchdog") if choice == "both" else (choice,)


def _backends(choice: str | None) -> tuple[str | None, ...]:
    return BACKENDS if choice == "both" else (choice,)


def run_replay(args: argparse.Namespace, supervisors: tuple[str | None, ...] | None = None) -> int:
    from .batch import DEFAULT_JOBS, run_batch
    from .console import render_comparison, render_result, render_summary
    from .reports import write_junit, write_reports

    logging.basicConfig(level=logging.WARNING)
    try:
        files = _load(args.paths, getattr(args, "keyword", None))
    except (ScenarioError, ScenarioErrors) as exc:
        return _bad_input(exc)
    supervisors = supervisors or _supervisors(getattr(args, "supervisor", None))
    backends = _backends(getattr(args, "backend", None))
    quiet = getattr(args, "quiet", False)
    total = len(files) * len(supervisors) * len(backends)
    print(f"replaying {total} scenario run(s) with {args.jobs or DEFAULT_JOBS} at a time", flush=True)

    def progress(result: Any, done: int, total: int) -> None:
        print(f"[{done}/{total}] {result.verdict.upper():5} {result.name} [{result.variant}] "
              f"{result.wall:.1f} s", flush=True)
        if not quiet:
            print(render_result(result), flush=True)

    run = run_batch(files, seed=getattr(args, "seed", None), supervisors=supervisors,
                    jobs=args.jobs or DEFAULT_JOBS, on_result=progress, backends=backends)
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
    """Both supervisors (on each --backend); the verdicts differ on purpose, so the exit code is 0
    when it completed."""
    run_replay(args, supervisors=("builtin", "watchdog"))
    return 0
