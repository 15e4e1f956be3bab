"""``ib-harness load``: Locust against the local stack (or ``--target``), with optional chaos,
then the summary table, the chaos report and the orders audit.

Locust is imported only by the Locust processes themselves (gevent patches the process that
imports it), never by this command's own process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

from .audit import audit
from .chaos import ChaosError, ChaosPlayer, control_headers, load_chaos
from .locust_procs import LocustRun, run_timed
from .report import accepted_keys, chaos_report, failed_503_p99, fault_windows, read_requests, summary_table
from .stack import LocalStack
from ib_harness.secret_source import add_token_arguments, read_secret

DEFAULT_USERS = ("Trader", "DashboardReader", "TwsUser")
# Users that place orders whatever the flags (TwsUser places them only with --allow-orders):
# against --target they run only with --allow-orders.
ORDER_USERS = frozenset({"Trader"})


def endpoint(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host, int(port)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--users", type=int, default=10, help="concurrent Locust users (default 10)")
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="users started per second (default 5)")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load (default 30)")
    parser.add_argument("--workers", type=int, default=0, help="Locust worker processes; 0 runs one local process (default 0)")
    parser.add_argument("--chaos", default=None, help="scenario YAML whose fault steps are fired during the run (default: no chaos)")
    parser.add_argument("--out", default="load-report", help="directory for the CSV/HTML reports (default load-report)")
    parser.add_argument("--target", default=None, help="URL of an existing API deployment (default: a local stack is started)")
    add_token_arguments(parser, "IB_API_TOKEN", "API bearer token with --target")
    parser.add_argument("--gateway", type=endpoint, default=None, help="TWS API HOST:PORT for TwsUser with --target (default: none, TwsUser skipped)")
    parser.add_argument("--control", default=None,
                        help="gateway control API URL with --target (chaos, audit); its token from $IB_CONTROL_TOKEN (default: none)")
    parser.add_argument("--allow-orders", action="store_true",
                        help="with --target: run the order-placing users (Trader) and let TwsUser place orders; "
                             "without it a target only gets read-only users")
    parser.add_argument("--user-classes", default=None,
                        help=f"comma-separated Locust users (default {','.join(DEFAULT_USERS)}; "
                             "with --target and no --allow-orders, those that place no orders)")
    parser.add_argument("--recovery-limit", type=float, default=5.0,
                        help="seconds after a fault within which failures count as its own and service must be back")
    parser.add_argument("--seed", type=int, default=0, help="seed of the local fake gateway (default 0)")
    parser.set_defaults(run=run)
    return parser


def user_classes(args: argparse.Namespace) -> tuple[list[str], str]:
    """The users to run and why: a --target (a real deployment) gets no order unless --allow-orders."""
    if args.user_classes is not None:
        asked = [c.strip() for c in args.user_classes.split(",") if c.strip()]
        if not asked:
            raise ValueError("--user-classes is empty; name at least one user (e.g. DashboardReader)")
    else:
        asked = list(DEFAULT_USERS)
    if not args.target or args.allow_orders:
        return asked, "orders allowed" if args.allow_orders else "local stack"
    traders = [c for c in asked if c in ORDER_USERS]
    if traders and args.user_classes is not None:
        raise ValueError(f"{', '.join(traders)} place(s) orders; against --target add --allow-orders "
                         "(real orders at the target's gateway) or leave them out of --user-classes")
    return [c for c in asked if c not in ORDER_USERS], "read-only: --target without --allow-orders"


def run(args: argparse.Namespace) -> int:
    try:
        chaos = load_chaos(args.chaos) if args.chaos else []
        classes, why = user_classes(args)
        target_token = read_secret("IB_API_TOKEN", args.token_file) if args.target else None
    except (ChaosError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in (out / "requests").glob("requests-*.jsonl"):
        old.unlink()
    with contextlib.ExitStack() as stack:
        if args.target:
            api_url, token, control_url = args.target.rstrip("/"), target_token or "", args.control
            gateway = args.gateway
        else:
            local = stack.enter_context(LocalStack(out, seed=args.seed))
            api_url, token, control_url = local.api_url, local.token, local.control_url
            gateway = (local.gateway_host, local.gateway_port)
            print(f"local stack: api {api_url}, gateway {local.gateway_host}:{local.gateway_port}, "
                  f"control {control_url}", flush=True)
        if chaos and not control_url:
            print("--chaos needs the gateway's control API (--control URL with --target)", file=sys.stderr)
            return 2
        classes = [c for c in classes if c != "TwsUser" or gateway]
        print(f"users: {', '.join(classes)} ({why})", flush=True)
        options: list[str] = []  # the token travels in the environment: every argument is public (ps)
        if gateway:
            options += ["--gateway-host", gateway[0], "--gateway-port", str(gateway[1])]
        if args.allow_orders:
            options.append("--allow-orders")
        run_spec = LocustRun(api_url, args.users, args.spawn_rate, args.duration, args.workers, out, classes, options,
                             {"IB_API_TOKEN": token})
        player = ChaosPlayer(control_url, chaos) if chaos else None
        code, started, ended = run_timed(run_spec, args.duration + 120, player)
        result = analyse(args, out, api_url, token, control_url, player, started, ended)
    result["locust_exit_code"] = code
    result["users"] = classes
    (out / "summary.json").write_text(json.dumps(result, indent=2, default=str))
    print(f"reports: {out / 'report.html'}, {out}/locust_stats.csv, {out / 'summary.json'}")
    return 0 if result["passed"] else 1


def analyse(args: argparse.Namespace, out: Path, api_url: str, token: str, control_url: str | None,
            player: ChaosPlayer | None, started: float, ended: float) -> dict[str, Any]:
    requests = read_requests(out / "requests")
    table = summary_table(requests)
    with pd.option_context("display.width", 160, "display.max_columns", 10):
        print(table.to_string())
    result: dict[str, Any] = {"requests": int(len(requests)), "failures": int((~requests["ok"]).sum()),
                              "seconds": round(ended - started, 1), "summary": table.reset_index().to_dict("records"),
                              "p99_503_ms": failed_503_p99(requests),
                              "p99_503_fail_fast_ms": failed_503_p99(requests, fail_fast_only=True)}
    passed = not requests.empty
    if player is not None and control_url:
        events = httpx.get(f"{control_url}/events", timeout=10, headers=control_headers()).json()
        windows = fault_windows(events, ended)
        report = chaos_report(requests, windows, args.recovery_limit)
        report["played"] = player.log
        result["chaos"] = report
        recoveries = report["recovery_seconds"]
        print(f"chaos: faults {[(w['label'], round(w['start'] - started, 2), round(w['end'] - started, 2)) for w in report['fault_windows']]}"
              f" errors {[(round(w['start'] - started, 2), round(w['end'] - started, 2)) for w in report['error_windows']]}"
              f" (s from start); failures inside {report['failures_inside']}, outside {report['failures_outside']};"
              f" recovery {[None if r is None else round(r, 2) for r in recoveries]} s")
        passed = passed and report["failures_outside"] == 0 and bool(windows) and all(
            r is not None and r <= args.recovery_limit for r in recoveries)
    else:
        passed = passed and result["failures"] == 0
    if control_url:
        orders = audit(api_url, token, control_url, accepted_keys(requests))
        result["orders"] = orders
        print(f"orders: {orders['journal_orders']} journaled, {orders['gateway_orders']} at the gateway, "
              f"{orders['fills']} fills; lost {orders['lost']}, duplicated {orders['duplicated']}"
              + (f" ({'; '.join(orders['details'])})" if orders["details"] else ""))
        passed = passed and orders["lost"] == 0 and orders["duplicated"] == 0
    result["passed"] = passed
    print("PASSED" if passed else "FAILED", flush=True)
    return result
