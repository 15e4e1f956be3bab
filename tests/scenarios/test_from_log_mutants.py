"""from-log drafts test something: for each sample incident log (grounded in a public report, named in
the file), the draft passes against the broker and fails against the broker mutant that breaks the
recovery the incident needs (tests/suite/mutants.py, and two local ones for 326 and 10182)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable

import pytest

from ib_harness.broker.error_handling import IbErrorHandler
from ib_harness.broker.market_data import MarketData
from ib_harness.scenarios.from_log import draft_scenario, draft_yaml
from ib_harness.scenarios.loader import load_scenario
from ib_harness.scenarios.runner import replay
from ib_harness.scenarios.trace import ScenarioResult
from tests.suite.mutants import MUTANTS

SAMPLES = Path(__file__).parent / "data" / "from_log"
# short supervision timings so each replay takes seconds (the draft's windows follow them)
SETTINGS: dict[str, Any] = {
    "probe_interval": 5.0, "probe_timeout": 1.0, "connectivity_grace": 5.0, "connect_timeout": 1.0,
    "request_timeout": 1.0, "order_ack_timeout": 1.0, "backoff_initial": 0.2, "backoff_max": 0.4,
    "stream_check_timeout": 3.0, "circuit_failures": 30, "circuit_half_open_after": 6.0,
}


def _gives_up_on_326(mp: pytest.MonkeyPatch) -> None:
    """A broker that stops for good on 326 (some clients do)."""
    def give_up(self: IbErrorHandler, req_id: int, code: int, message: str) -> None:
        asyncio.get_running_loop().create_task(self.broker.supervisor.stop())
    mp.setattr(IbErrorHandler, "_on_client_id_in_use", give_up)


def _no_bar_restart(mp: pytest.MonkeyPatch) -> None:
    """A broker that lets a bar stream ended by 10182 stay dead."""
    mp.setattr(MarketData, "bars_failed", lambda self, req_id: None)


def _suite(name: str) -> Callable[[pytest.MonkeyPatch], None]:
    return next(m.apply for m in MUTANTS if m.name == name)


CASES = {
    "nightly_1101_data_lost.log": ("no-resubscribe-on-1101", _suite("no-resubscribe-on-1101"), "market_data"),
    "daily_restart_refused.log": ("no-backoff", _suite("no-backoff"), "broker_state"),
    "client_id_326_at_connect.log": ("gives-up-on-326", _gives_up_on_326, "broker_state"),
    "hmds_10182_bars.log": ("no-bar-restart", _no_bar_restart, "bars_flowing"),
}


def test_every_sample_names_its_public_source() -> None:
    assert sorted(p.name for p in SAMPLES.glob("*.log")) == sorted(CASES)
    for sample in SAMPLES.glob("*.log"):
        header = " ".join(line for line in sample.read_text().splitlines() if line.startswith("#"))
        assert "Source:" in header and "#" in header.split("Source:", 1)[1], sample  # owner/repo#number


async def _replay(tmp_path: Path, sample: str) -> ScenarioResult:
    path = tmp_path / f"{Path(sample).stem}.yaml"
    path.write_text(draft_yaml(draft_scenario(SAMPLES / sample, max_duration=3.0, settings=SETTINGS)))
    return await replay(load_scenario(path))


@pytest.mark.parametrize("sample", sorted(CASES))
async def test_the_draft_passes_against_the_broker(tmp_path: Path, sample: str) -> None:
    result = await _replay(tmp_path, sample)
    assert result.verdict == "pass", [(e.expectation, e.detail) for e in result.expectations if not e.ok]


@pytest.mark.parametrize("sample", sorted(CASES))
async def test_the_draft_fails_against_the_mutant_that_breaks_the_recovery(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: str) -> None:
    name, apply, symptom = CASES[sample]
    apply(monkeypatch)
    result = await _replay(tmp_path, sample)
    failed = [f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok]
    assert result.verdict == "fail", f"mutant {name} survived the draft of {sample}"
    assert any(line.startswith(symptom) for line in failed), failed
