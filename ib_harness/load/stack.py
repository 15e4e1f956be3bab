"""The local stack a load run drives: the standalone fake gateway (with its control API) and the
HTTP API, each in its own subprocess, each ready when it prints its "listening on" line.

Readiness is read from the child's stdout with a deadline (select), never guessed with a sleep;
closing sends SIGTERM, waits, and kills only a child that does not exit. Closing twice is safe.
"""

from __future__ import annotations

import os
import re
import secrets
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

LISTENING = re.compile(r"^(?P<what>.+?) listening on (?P<address>\S+)$")

# Supervision tuned for a load run: a stall is noticed within ~1 s and the broker is back as soon
# as the gateway answers again (the defaults suit a production link, not a 20 s smoke). The probe's
# overdue mark leaves room for a gateway process slowed by the load itself. (The ~0.2-0.56 s answers
# once seen at the start of a run were the gateway building its exchange calendar inside the first
# reqContractDetails; it now builds it before listening, and start-of-run round trips stay under
# 0.05 s with a CPU hog beside the run.)
FAST_BROKER = {"PROBE_INTERVAL": "0.3", "PROBE_TIMEOUT": "0.6", "PROBE_OVERDUE": "0.25", "CONNECT_TIMEOUT": "1.5",
               "BACKOFF_INITIAL": "0.05", "BACKOFF_MAX": "0.25", "REQUEST_TIMEOUT": "3", "ORDER_ACK_TIMEOUT": "2",
               "CIRCUIT_FAILURES": "1000", "MAX_REQUESTS_PER_SECOND": "50"}


class StackError(RuntimeError):
    """A child died or never said it was listening; the message carries its output."""


@dataclass
class Child:
    name: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    def wait_listening(self, wanted: set[str], timeout: float) -> dict[str, str]:
        """Read stdout until every ``<what> listening on <address>`` in ``wanted`` was printed."""
        found: dict[str, str] = {}
        deadline = time.monotonic() + timeout
        stream: IO[str] = self.process.stdout  # type: ignore[assignment]
        while not wanted <= set(found):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise StackError(f"{self.name} did not print {sorted(wanted - set(found))} within {timeout} s; "
                                 f"output: {self.lines[-20:]}")
            readable, _, _ = select.select([stream], [], [], remaining)
            if not readable:
                continue
            line = stream.readline()
            if not line:
                raise StackError(f"{self.name} exited with {self.process.wait()} before it listened; "
                                 f"output: {self.lines[-20:]}")
            self.lines.append(line.rstrip())
            match = LISTENING.match(line.strip())
            if match:
                found[match["what"]] = match["address"]
        return found

    def stop(self, timeout: float = 10.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode


def spawn(name: str, args: list[str], log_path: Path, env: dict[str, str] | None = None) -> Child:
    """Start ``python -m ...``; stderr goes to ``log_path``, stdout is read for readiness."""
    log = open(log_path, "w")
    process = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=log, text=True,
                               env={**os.environ, **(env or {})}, bufsize=1)
    log.close()  # the child holds its own descriptor
    return Child(name, process)


class LocalStack:
    """``with LocalStack(out_dir) as stack:`` gives ``stack.api_url``, ``stack.control_url``,
    ``stack.gateway_host``/``gateway_port`` and ``stack.token``."""

    def __init__(self, out_dir: Path, seed: int = 0, max_clients: int = 200, api_client_id: int = 1,
                 broker_env: dict[str, str] | None = None, startup_timeout: float = 60.0,
                 token: str | None = None) -> None:
        self.out_dir = out_dir
        self.seed = seed
        self.max_clients = max_clients
        self.api_client_id = api_client_id
        self.broker_env = {**FAST_BROKER, **(broker_env or {})}
        self.startup_timeout = startup_timeout
        # passed in the API's environment (IB_API_TOKEN), never as an argument: ps shows arguments
        self.token = token or secrets.token_urlsafe(16)
        self.children: list[Child] = []
        self.api_url = self.control_url = self.gateway_host = ""
        self.gateway_port = 0

    def start(self) -> "LocalStack":
        self.out_dir.mkdir(parents=True, exist_ok=True)
        try:
            gateway = spawn("fake gateway", ["-m", "ib_harness.fake_gateway", "--port", "0", "--control-port", "0",
                                             "--seed", str(self.seed), "--max-clients", str(self.max_clients),
                                             "--log-level", "WARNING"], self.out_dir / "gateway.log")
            self.children.append(gateway)
            lines = gateway.wait_listening({"fake gateway", "control api"}, self.startup_timeout)
            self.gateway_host, port = lines["fake gateway"].rsplit(":", 1)
            self.gateway_port = int(port)
            self.control_url = "http://" + lines["control api"]
            env = {f"IB_BROKER_{name}": value for name, value in self.broker_env.items()}
            env["IB_API_TOKEN"] = self.token
            api = spawn("api", ["-m", "ib_harness", "api", "--gateway", lines["fake gateway"], "--port", "0",
                                "--client-id", str(self.api_client_id),
                                "--journal", str(self.out_dir / "journal.sqlite3")],
                        self.out_dir / "api.log", env)
            self.children.append(api)
            self.api_url = api.wait_listening({"api"}, self.startup_timeout)["api"]
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        while self.children:
            self.children.pop().stop()

    def __enter__(self) -> "LocalStack":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()
