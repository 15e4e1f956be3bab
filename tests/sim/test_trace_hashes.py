"""Byte-identical replays on the virtual clock: every library scenario twice, and once more beside
two busy CPU hogs, gives the same trace_sha256 and the same verdicts."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Iterator

import pytest

from ib_harness.cli import main
from ib_harness.scenarios.batch import run_batch
from ib_harness.scenarios.loader import LIBRARY, load_all, load_scenario
from ib_harness.scenarios.runner import replay_blocking
from ib_harness.scenarios.trace import RunResult

# the week of trading (~1 min wall) is replayed once, in test_week.py; every other file here 3 times
FILES = [item for item in load_all([LIBRARY]) if "week" not in item.scenario.tags]


def _spin() -> None:
    while True:
        pass


@pytest.fixture
def cpu_hogs() -> Iterator[None]:
    hogs = [multiprocessing.get_context("spawn").Process(target=_spin, daemon=True) for _ in range(2)]
    for hog in hogs:
        hog.start()
    try:
        yield
    finally:
        for hog in hogs:
            hog.terminate()
            hog.join()


def fingerprints(run: RunResult) -> dict[str, tuple[str | None, str, tuple[bool, ...]]]:
    return {r.name: (r.trace_sha256, r.verdict, tuple(e.ok for e in r.expectations)) for r in run.results}


@pytest.fixture(scope="module")
def first_run() -> RunResult:
    return run_batch(FILES, clock="virtual", jobs=2)


def test_every_library_scenario_twice_gives_the_same_hash(first_run: RunResult) -> None:
    again = run_batch(FILES, clock="virtual", jobs=2)
    first, second = fingerprints(first_run), fingerprints(again)
    assert len(first) == len(list(LIBRARY.glob("*.yaml"))) - 1
    assert all(sha is not None and len(sha) == 64 for sha, _, _ in first.values())
    assert first == second, {name: (first[name], second[name]) for name in first if first[name] != second[name]}


def test_the_same_hashes_under_cpu_load(first_run: RunResult, cpu_hogs: None) -> None:
    loaded = run_batch(FILES, clock="virtual", jobs=2)
    first, second = fingerprints(first_run), fingerprints(loaded)
    assert first == second, {name: (first[name], second[name]) for name in first if first[name] != second[name]}


def test_another_seed_gives_another_trace(first_run: RunResult) -> None:
    [other] = run_batch(load_all([LIBRARY / "gateway-crash-rst.yaml"]), seed=99, clock="virtual", jobs=1).results
    assert other.trace_sha256 != fingerprints(first_run)["gateway-crash-rst"][0]


def test_replay_prints_the_hash_and_the_json_report_carries_it(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(LIBRARY / "gateway-crash-rst.yaml"), "--clock", "virtual", "--quiet",
                 "--report", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "report.json").read_text())
    [result] = report["results"]
    assert len(result["trace_sha256"]) == 64 and f"trace sha256 {result['trace_sha256']}" in capsys.readouterr().out


def test_replays_in_one_process_give_the_same_hash() -> None:
    """A worker replays many files one after another. The seeded uuid4 mints the same order keys
    in every replay, so nothing the broker remembers per process (keys it sent) may leak from one
    replay into the next: it made the second replay look its order up at the gateway first, and
    ib_insync's throttle delayed the order by 0.1 s (2 distinct hashes in 20 replays)."""
    item = load_scenario(LIBRARY / "order-duplicated-execdetails.yaml")
    hashes = {replay_blocking(item, seed=7).trace_sha256 for _ in range(3)}
    assert len(hashes) == 1, hashes
