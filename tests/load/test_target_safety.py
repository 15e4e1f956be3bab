"""``load --target`` against a deployment: read-only unless --allow-orders, and no secret in argv.

One load run against a local stack (standing in for staging): while it runs, the command lines
of every process it started are read from /proc, as any local user could with ``ps``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from ib_harness.load.stack import LocalStack



def children_of(pid: int) -> set[int]:
    """Every descendant of ``pid`` now (from /proc/<pid>/stat's parent field)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def command_line(pid: int) -> list[str]:
    try:
        return [part.decode() for part in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if part]
    except OSError:
        return []


@dataclass
class TargetRun:
    done: subprocess.CompletedProcess[str]
    summary: dict[str, object]
    gateway_orders: dict[str, list[object]]
    command_lines: list[list[str]]
    stack_command_lines: list[list[str]]
    stack_token: str
    statuses: set[int | None]


def watch(pid: int, stop: threading.Event, seen: list[list[str]]) -> None:
    while not stop.wait(0.2):
        for child in children_of(pid):
            line = command_line(child)
            if line and line not in seen:
                seen.append(line)


@pytest.fixture(scope="module")
def target_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TargetRun]:
    base = tmp_path_factory.mktemp("target")
    with LocalStack(base / "stack") as stack:
        stack_lines = [command_line(child.process.pid) for child in stack.children]
        env = {**os.environ, "IB_API_TOKEN": stack.token}
        command = [sys.executable, "-m", "ib_harness", "load", "--target", stack.api_url, "--control", stack.control_url,
                   "--gateway", f"{stack.gateway_host}:{stack.gateway_port}", "--users", "4", "--spawn-rate", "4",
                   "--duration", "4", "--workers", "1", "--out", str(base / "out")]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        seen: list[list[str]] = []
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(process.pid, stop, seen))
        watcher.start()
        try:
            stdout, stderr = process.communicate(timeout=240)
        finally:
            stop.set()
            watcher.join()
            if process.poll() is None:
                process.kill()
                process.wait()
        book = httpx.get(f"{stack.control_url}/orders", timeout=10).json()
        summary = json.loads((base / "out" / "summary.json").read_text())
        statuses = {json.loads(line)["status"] for log in (base / "out" / "requests").glob("*.jsonl")
                    for line in log.read_text().splitlines() if line.strip()}
        yield TargetRun(subprocess.CompletedProcess(command, process.returncode, stdout, stderr), summary, book,
                        seen, stack_lines, stack.token, statuses)


def test_a_target_run_without_allow_orders_places_no_order(target_run: TargetRun) -> None:
    """The default users included Trader (MARKET orders): one 8 s run left 19 orders and 4 fills."""
    done = target_run.done
    assert done.returncode in (0, 1), done.stdout[-2000:] + done.stderr[-2000:]
    assert target_run.summary["requests"] > 0
    assert 401 not in target_run.statuses, "the read-only users send the token from the environment"
    assert target_run.gateway_orders == {"orders": [], "executions": []}
    assert "Trader" not in target_run.summary["users"]
    assert "DashboardReader" in target_run.summary["users"] and "TwsUser" in target_run.summary["users"]
    assert "users: DashboardReader, TwsUser (read-only: --target without --allow-orders)" in done.stdout


def test_no_child_process_carries_the_token_in_its_command_line(target_run: TargetRun) -> None:
    locust = [line for line in target_run.command_lines if "locust" in " ".join(line)]
    assert len(locust) >= 2, target_run.command_lines  # the master and one worker were seen
    for line in target_run.command_lines:
        assert not any(target_run.stack_token in part for part in line), line
        assert not any("token" in part for part in line), line
    for line in target_run.stack_command_lines:
        assert line and not any(target_run.stack_token in part or "token" in part for part in line), line
