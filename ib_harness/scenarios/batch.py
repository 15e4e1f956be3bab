"""Replay many scenarios: each in a worker process with its own loop, gateway and broker.

Separate processes keep replays from disturbing each other (a leak check counts this process's
tasks and sockets; a slow scenario cannot stall another's timeline), and scenarios mostly wait,
so more workers than cores is fine.
"""

from __future__ import annotations

import faulthandler
import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from .clocks import resolve
from .loader import ScenarioFile, load_scenario
from .trace import RunResult, ScenarioResult

DEFAULT_JOBS = max(4, 2 * (os.cpu_count() or 1))
HANG_MARGIN = 60.0  # seconds beyond a scenario's timeline before its worker is declared hung
VIRTUAL_WALL_BUDGET = 300.0  # wall seconds any virtual replay gets (the week of trading takes ~35)


def _replay_file(path: str, seed: int | None, supervisor: str | None, clock: str | None = None,
                 time_scale: float = 1.0, broker: str | None = None, backend: str | None = None) -> str:
    from .runner import replay_blocking  # imported in the worker: the parent only validates

    # the clients' and the gateway's own log lines are in the trace already; keep stderr readable
    logging.getLogger().setLevel(logging.CRITICAL)
    logging.getLogger("ib_harness.scenarios").setLevel(logging.WARNING)
    item = load_scenario(Path(path))
    # a replay that wedges the worker is dumped (every thread's stack, to stderr) and ended, so
    # the run reports it instead of hanging
    virtual = resolve(clock, item.scenario.clock) == "virtual"
    expected_wall = VIRTUAL_WALL_BUDGET if virtual else item.scenario.duration * time_scale
    faulthandler.dump_traceback_later(expected_wall + HANG_MARGIN, exit=True)
    try:
        result = replay_blocking(item, seed=seed, supervisor=supervisor, clock=clock, time_scale=time_scale,
                                 broker=broker, backend=backend)
    finally:
        faulthandler.cancel_dump_traceback_later()
    return result.model_dump_json()


def _context() -> multiprocessing.context.BaseContext:
    """Workers come from a clean fork server (not a fork of the caller, which may hold locks or
    threads, e.g. under pytest), with the runner's imports done once in the server."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ib_harness.scenarios.worker_warmup"])  # the runner, warm
    return context


def run_batch(files: list[ScenarioFile], seed: int | None = None, supervisors: tuple[str | None, ...] = (None,),
              jobs: int = DEFAULT_JOBS, clock: str | None = None, time_scale: float = 1.0,
              on_result: Callable[[ScenarioResult, int, int], None] | None = None,
              broker: str | None = None, backends: tuple[str | None, ...] = (None,)) -> RunResult:
    """Replay every file under every supervisor on every backend (None: the file's own), all in one
    pool (or against ``broker``, a ``module:factory`` imported in each worker); results come back in
    file order per variant."""
    started = time.time()
    wall = time.perf_counter()
    work = [(item, supervisor, backend) for backend in backends for supervisor in supervisors for item in files]
    results: dict[int, ScenarioResult] = {}
    with ProcessPoolExecutor(max_workers=max(1, min(jobs, len(work))), mp_context=_context()) as pool:
        futures = {pool.submit(_replay_file, str(item.path), seed, supervisor, clock, time_scale, broker, backend): index
                   for index, (item, supervisor, backend) in enumerate(work)}
        for done in as_completed(futures):
            result = ScenarioResult.model_validate_json(done.result())
            results[futures[done]] = result
            if on_result is not None:
                on_result(result, len(results), len(work))
    return RunResult(started=started, wall=time.perf_counter() - wall,
                     results=[results[index] for index in range(len(work))])
