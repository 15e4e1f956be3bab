"""HTTP API and Locust load figures, each against its reference measured in the same run.

- GET /positions at a fixed offered rate next to a bare FastAPI endpoint served the same way
  (PositionsReader and BareReader users in one Locust run).
- POST /orders latency in a mixed run (Trader and DashboardReader), with the orders audit.
- A stall injected through the control API: the 503s' latency and the time to 200 again after
  the gateway recovers, with the orders audit.
- TWS-protocol users (with orders) against the fake gateway: what one Locust worker sustains.

``python -m benchmarks.api_load --update BENCHMARKS.md`` measures only these and replaces their
section; ``make bench`` includes them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pandas as pd

import ib_harness.load
from ib_harness.load.audit import audit
from ib_harness.load.chaos import ChaosPlayer, load_chaos
from ib_harness.load.locust_procs import LocustRun, run_timed
from ib_harness.load.report import (accepted_keys, chaos_report, failed_503_p99, fault_windows, read_requests, summary_table)
from ib_harness.load.stack import FAST_BROKER, LocalStack, spawn

from .sections import update_file

WARM_UP = 3.0  # seconds at the start of a run left out of the steady-state figures (users ramping up)
COLD_START = ("; the first requests wait for the first contract lookups and market data lines, sent behind"
              " the broker's own startup requests through its request throttle.")

HEADING = "## HTTP API and Locust load"
CHAOS_FILE = Path(ib_harness.load.__file__).parent / "chaos" / "stall.yaml"


@dataclass
class Run:
    name: str
    table: pd.DataFrame
    requests: pd.DataFrame
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)

    def row(self, method: str, name: str) -> pd.Series:
        return self.table.loc[(method, name)]


def locust(stack: LocalStack, out: Path, classes: list[str], users: int, duration: int, workers: int = 0,
           options: list[str] | None = None, player: ChaosPlayer | None = None) -> tuple[pd.DataFrame, float, float]:
    spec = LocustRun(stack.api_url, users, users, duration, workers, out, classes,
                     ["--gateway-host", stack.gateway_host, "--gateway-port", str(stack.gateway_port), *(options or [])],
                     {"IB_API_TOKEN": stack.token})  # the token in the environment, never in argv (ps)
    _code, started, ended = run_timed(spec, duration + 120, player)
    return read_requests(out / "requests"), started, ended


def positions_vs_bare(root: Path, users: int = 40, pace: float = 0.1, duration: int = 20) -> Run:
    out = root / "positions"
    with LocalStack(out) as stack:
        bare = spawn("bare api", ["-m", "benchmarks.bare_api"], out / "bare.log")
        try:
            bare_url = bare.wait_listening({"bare api"}, 60)["bare api"]
            requests, started, ended = locust(stack, out, ["PositionsReader", "BareReader"], users, duration,
                                              options=["--bare-url", f"{bare_url}/bare", "--pace", str(pace)])
        finally:
            bare.stop()
    steady = requests[requests["t"] >= started + WARM_UP]
    return Run("positions", summary_table(steady), steady, ended - started, {"offered": users / 2 / pace})


def mixed_orders(root: Path, users: int = 12, duration: int = 20) -> Run:
    out = root / "mixed"
    with LocalStack(out) as stack:
        requests, started, ended = locust(stack, out, ["Trader", "DashboardReader"], users, duration)
        orders = audit(stack.api_url, stack.token, stack.control_url, accepted_keys(requests))
    steady = requests[requests["t"] >= started + WARM_UP]
    return Run("mixed", summary_table(requests), requests, ended - started,
               {"orders": orders, "steady": summary_table(steady)})


def under_stall(root: Path, users: int = 12, duration: int = 15) -> Run:
    out = root / "stall"
    with LocalStack(out) as stack:
        player = ChaosPlayer(stack.control_url, load_chaos(CHAOS_FILE))
        requests, started, ended = locust(stack, out, ["Trader", "DashboardReader"], users, duration, player=player)
        windows = fault_windows(httpx.get(f"{stack.control_url}/events", timeout=10).json(), ended)
        report = chaos_report(requests, windows, grace=5.0)
        orders = audit(stack.api_url, stack.token, stack.control_url, accepted_keys(requests))
    return Run("stall", summary_table(requests), requests, ended - started,
               {"chaos": report, "orders": orders, "p99_503": failed_503_p99(requests),
                "p99_503_fast": failed_503_p99(requests, fail_fast_only=True),
                "count_503": int((requests["status"] == 503).sum()),
                "count_503_fast": int(((requests["status"] == 503) & (requests["fail_fast"] == True)).sum())})  # noqa: E712


def tws_users(root: Path, users: int = 70, think: float = 0.04, duration: int = 20) -> Run:
    out = root / "tws"
    with LocalStack(out) as stack:
        requests, started, ended = locust(stack, out, ["TwsUser"], users, duration, workers=1,
                                          options=["--allow-orders", "--tws-think", str(think)])
    steady = requests[requests["t"] >= started + WARM_UP]
    return Run("tws", summary_table(steady), steady, ended - started, {"users": users, "think": think})


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def _table(table: pd.DataFrame) -> list[str]:
    lines = ["| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | failures |", "|---|---|---|---|---|---|---|"]
    for (method, name), r in table.iterrows():
        lines.append(f"| {method} {name} | {int(r['requests'])} | {r['req/s']:.1f} | {r['p50 ms']:.1f} | "
                     f"{r['p95 ms']:.1f} | {r['p99 ms']:.1f} | {int(r['failures'])} |")
    return lines


def section(positions: Run, mixed: Run, stall: Run, tws: Run) -> list[str]:
    pos, bare = positions.row("GET", "/positions"), positions.row("GET", "/bare")
    post = mixed.row("POST", "/orders")
    steady_post = mixed.extra["steady"].loc[("POST", "/orders")]
    chaos, stall_orders, mixed_orders_ = stall.extra["chaos"], stall.extra["orders"], mixed.extra["orders"]
    [recovery] = chaos["recovery_seconds"] or [None]
    p99_503, p99_fast = stall.extra["p99_503"], stall.extra["p99_503_fast"]
    tws_all = tws.row("", "all")
    origin = float(stall.requests["t"].min())

    def spans(windows: list[dict[str, Any]]) -> str:
        return ", ".join(f"{w['start'] - origin:.2f}-{w['end'] - origin:.2f} s" for w in windows) or "none"

    lines = [
        HEADING, "",
        "Run with `python -m benchmarks.api_load --update BENCHMARKS.md` (only this section) or `make bench`.",
        "Every run boots the local stack as `ib-harness load` does (standalone fake gateway with its control",
        "API and the HTTP API, each in a subprocess) and drives it with Locust; latencies are Locust's",
        "client-side times from the per-request logs (`load/report.py`), so they include the load generator",
        f"on the same 2 cores (load average {os.getloadavg()[0]:.1f} when this section was written: other",
        "work shares the machine, so the bare endpoint measured alongside is the reference).", "",
        "### GET /positions at a fixed offered rate, next to a bare FastAPI endpoint",
        "",
        f"{positions.extra['offered']:.0f} req/s offered to each (PositionsReader and BareReader users in one Locust",
        f"process; the first {WARM_UP:g} s of ramp-up left out). The bare app is served by the same `ApiServer`.", "",
        *_table(positions.table.drop(index=("", "all"))), "",
        f"- /positions p99 at or under 25 ms at 200 req/s or more with 0 failures: "
        f"**{_mark(pos['p99 ms'] <= 25 and pos['req/s'] >= 200 and pos['failures'] == 0)}** "
        f"({pos['p99 ms']:.1f} ms at {pos['req/s']:.0f} req/s, {int(pos['failures'])} failures; the bare "
        f"endpoint: {bare['p99 ms']:.1f} ms at {bare['req/s']:.0f} req/s).", "",
        "### POST /orders in a mixed run (Trader and DashboardReader users)", "",
        *_table(mixed.table), "",
        f"- POST /orders p99 at or under 50 ms, after the first {WARM_UP:g} s as for /positions: "
        f"**{_mark(steady_post['p99 ms'] <= 50)}** ({steady_post['p99 ms']:.1f} ms, p50 {steady_post['p50 ms']:.1f} ms, "
        f"{int(steady_post['requests'])} placements). Over the whole run, cold start included: "
        f"{post['p99 ms']:.1f} ms{COLD_START if post['p99 ms'] > 1.5 * steady_post['p99 ms'] else '.'}",
        "- Why a placement costs tens of ms here: the Trader user sends its own key (`lt-...`, for the audit),",
        "  and the broker looks a caller's key up at the gateway before placing it (completed orders, then every",
        "  client's open orders, one look-up at a time), so a key another journal or process sent is never placed",
        "  twice; a key the broker mints needs no look-up (see \"place_order, caller's key (looked up first)\" in",
        "  the broker section).",
        f"- Orders: {mixed_orders_['journal_orders']} journaled, lost {mixed_orders_['lost']}, duplicated "
        f"{mixed_orders_['duplicated']}: **{_mark(mixed_orders_['lost'] == 0 and mixed_orders_['duplicated'] == 0)}**.",
        "",
        "### Under an injected stall (`ib_harness/load/chaos/stall.yaml`: every session silent for 1.5 s)", "",
        *_table(stall.table), "",
        f"- Fault window {spans(chaos['fault_windows'])}, error windows {spans(chaos['error_windows'])} (from the first",
        f"  request); failures inside the fault windows {chaos['failures_inside']}, outside {chaos['failures_outside']}.",
        f"- 503 p99 at or under 50 ms, for the {stall.extra['count_503_fast']} requests the readiness gate refused "
        f"(`X-Fail-Fast: 1`): **{_mark(p99_fast is not None and p99_fast <= 50)}** "
        f"({'n/a' if p99_fast is None else f'{p99_fast:.1f} ms'}).",
        f"- Over all {stall.extra['count_503']} answers 503 the p99 is "
        f"{'n/a' if p99_503 is None else f'{p99_503:.1f} ms'}: requests already waiting on the gateway when it went",
        "  silent fail when the broker leaves ready (its keepalive probe overdue: idle probe_interval"
        f" {FAST_BROKER['PROBE_INTERVAL']} s",
        f"  + probe_overdue {FAST_BROKER['PROBE_OVERDUE']} s here), the time a silent link takes to notice; none waits"
        " for its timeout.",
        f"- 200 again within 1 s of the gateway recovering: **{_mark(recovery is not None and recovery <= 1.0)}** "
        f"({'never' if recovery is None else f'{recovery:.2f} s'} after the fault ended).",
        f"- Orders: {stall_orders['journal_orders']} journaled, lost {stall_orders['lost']}, duplicated "
        f"{stall_orders['duplicated']}: **{_mark(stall_orders['lost'] == 0 and stall_orders['duplicated'] == 0)}**.",
        "",
        "### TWS-protocol users against the fake gateway (one Locust worker)", "",
        f"{tws.extra['users']} TwsUsers (one connection each) on gevent sockets with the gateway's wire table as codec,",
        f"{tws.extra['think'] * 1000:.0f} ms mean think time (each connection stays under IB's 50 messages per second: back",
        "to back, the gateway answers error 100 as IB does), orders allowed (placeOrder until Submitted,",
        "cancelOrder until Cancelled), one master and one worker process; the gateway runs in its own",
        "process on the same 2 cores.", "",
        *_table(tws.table), "",
        f"- One worker sustained **{tws_all['req/s']:.0f} requests/s** (p50 {tws_all['p50 ms']:.1f} ms, "
        f"p99 {tws_all['p99 ms']:.1f} ms, {int(tws_all['failures'])} failures).", "",
    ]
    return lines


def collect(root: Path | None = None) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        base = root or Path(tmp)
        return section(positions_vs_bare(base), mixed_orders(base), under_stall(base), tws_users(base))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", metavar="FILE", help="replace this section of FILE (BENCHMARKS.md)")
    parser.add_argument("--keep", metavar="DIR", help="keep the Locust reports of every run in DIR")
    args = parser.parse_args(argv)
    lines = collect(Path(args.keep) if args.keep else None)
    print("\n".join(lines))
    if args.update:
        path = Path(args.update)
        update_file(path, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
