"""The locustfile ``ib-harness load`` runs (``locust -f load/locustfile.py`` works too).

The API's bearer token comes from $IB_API_TOKEN only (an option would show it to ``ps``).
It adds the options the users need and logs every request to one JSON-lines file per process
(``request_log``), from which the runner computes error windows, recovery and the accepted orders
the audit checks.
"""

from __future__ import annotations

import time
from typing import Any

from locust import events
from locust.runners import WorkerRunner

from ib_harness.load.request_log import RequestLog
from ib_harness.load.users import BareReader, DashboardReader, PositionsReader, Trader, TwsUser

__all__ = ["BareReader", "DashboardReader", "PositionsReader", "Trader", "TwsUser"]


@events.init_command_line_parser.add_listener
def add_options(parser: Any) -> None:
    parser.add_argument("--gateway-host", default="127.0.0.1", help="TWS API host for TwsUser")
    parser.add_argument("--gateway-port", type=int, default=4002, help="TWS API port for TwsUser")
    parser.add_argument("--allow-orders", action="store_true", help="let TwsUser place orders on a real gateway")
    parser.add_argument("--request-log", default="", help="directory for per-process JSON-lines request logs")
    parser.add_argument("--bare-url", default="", help="URL of the bare FastAPI reference endpoint (BareReader)")
    parser.add_argument("--tws-think", type=float, default=0.125, help="mean seconds TwsUser waits between requests")
    parser.add_argument("--pace", type=float, default=0.1, help="seconds between requests of PositionsReader/BareReader")


@events.init.add_listener
def start_request_log(environment: Any, **_: Any) -> None:
    directory = getattr(environment.parsed_options, "request_log", "") if environment.parsed_options else ""
    if directory:
        log = RequestLog(directory)
        environment.events.request.add_listener(log.write)
        environment.events.quitting.add_listener(log.close)


@events.test_start.add_listener
def announce_start(environment: Any, **_: Any) -> None:
    """The runner starts its chaos clock on this line (the master's, or the only process's)."""
    if not isinstance(environment.runner, WorkerRunner):
        print(f"load started at {time.time():.3f}", flush=True)
