"""Run Locust headless as subprocesses: one process (W = 0) or a master and W workers.

The master's port is found by binding port 0 first; workers get the same options as the
master (custom options included) so every process sees the same configuration.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from .chaos import ChaosPlayer

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass
class LocustRun:
    host: str
    users: int
    spawn_rate: float
    duration: int
    workers: int
    out_dir: Path
    user_classes: list[str]
    options: list[str]
    env: dict[str, str] = field(default_factory=dict)  # secrets go here: every argument is public (ps)

    def common(self) -> list[str]:
        return [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--request-log", str(self.out_dir / "requests"),
                "--loglevel", "WARNING", *self.options]

    def master_command(self, master_port: int | None) -> list[str]:
        command = [*self.common(), "--headless", "--host", self.host, "-u", str(self.users), "-r", str(self.spawn_rate),
                   "-t", f"{self.duration}s", "--csv", str(self.out_dir / "locust"),
                   "--html", str(self.out_dir / "report.html"), "--stop-timeout", "2", "--only-summary"]
        if master_port is not None:
            command += ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(master_port),
                        "--expect-workers", str(self.workers)]
        return command + self.user_classes

    def worker_command(self, master_port: int) -> list[str]:
        return [*self.common(), "--worker", "--master-host", "127.0.0.1", "--master-port", str(master_port),
                "--host", self.host, *self.user_classes]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def follow(stream: IO[str], log: IO[str], on_start: Callable[[], None]) -> None:
    """Copy the master's output to the log; call ``on_start`` on its "load started" line."""
    for line in stream:
        log.write(line)
        log.flush()
        if line.startswith("load started at "):
            on_start()


def run_locust(run: LocustRun, timeout: float, on_start: Callable[[], None] = lambda: None) -> int:
    """Run to the end; returns the master's exit code (1 only says some request failed)."""
    run.out_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **run.env,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(LOCUSTFILE.parent.parent), os.environ.get("PYTHONPATH")]))}
    master_port = free_port() if run.workers > 0 else None
    with open(run.out_dir / "locust.log", "w") as log:
        master = subprocess.Popen(run.master_command(master_port), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  env=env, text=True, bufsize=1)
        assert master.stdout is not None
        reader = threading.Thread(target=follow, args=(master.stdout, log, on_start), name="locust-master-output")
        reader.start()
        workers: list[subprocess.Popen[Any]] = []
        if master_port is not None:
            workers = [subprocess.Popen(run.worker_command(master_port), stdout=log, stderr=subprocess.STDOUT,
                                        env=env) for _ in range(run.workers)]
        try:
            code = master.wait(timeout)
            reader.join()
            for worker in workers:
                worker.wait(30)
        finally:
            processes: list[subprocess.Popen[Any]] = [master, *workers]
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            reader.join()
    return code


def run_timed(run: LocustRun, timeout: float, player: "ChaosPlayer | None" = None) -> tuple[int, float, float]:
    """Run Locust; start ``player`` (the chaos) when the load starts. Returns the exit code and
    the wall-clock start (the "load started" line, not Locust's import time) and end."""
    clock = {"started": time.time()}

    def load_started() -> None:
        clock["started"] = time.time()
        if player is not None:
            player.start()

    try:
        code = run_locust(run, timeout, on_start=load_started)
    finally:
        if player is not None:
            player.stop()
    return code, clock["started"], time.time()
