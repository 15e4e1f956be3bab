"""The locustfile ``ib-harness load`` runs (``locust -f load/locustfile.py`` works too).

The API's bearer token comes from $IB_API_TOKEN only (an option would show it to ``ps``).
It adds the options the users need and logs every request (start time, name, latency, outcome,
idempotency key) to one JSON-lines file per process, from which the runner computes error
windows, recovery and the accepted orders the audit checks.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import IO, Any

from locust import events
from locust.runners import WorkerRunner

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


class RequestLog:
    def __init__(self, directory: str) -> None:
        self.path = Path(directory) / f"requests-{os.getpid()}.jsonl"
        self._file: IO[str] | None = None

    def write(self, request_type: str, name: str, response_time: float, exception: Any = None,
              response: Any = None, context: Any = None, start_time: float | None = None, **_: Any) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a", buffering=1)
        status = getattr(response, "status_code", None)
        key = (context or {}).get("key")
        headers = getattr(response, "headers", None) or {}
        fail_fast = headers.get("X-Fail-Fast") == "1" if status == 503 else None
        self._file.write(json.dumps({"t": start_time, "type": request_type, "name": name, "ms": response_time,
                                     "ok": exception is None, "status": status, "key": key,
                                     "fail_fast": fail_fast}) + "\n")

    def close(self, **_: Any) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


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
