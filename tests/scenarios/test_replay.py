"""Replays for real: the real broker against an in-process gateway, through the CLI and the batch."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.cli import main
from ib_harness.scenarios.loader import LIBRARY, load_scenario
from ib_harness.scenarios.runner import replay

CRASH = LIBRARY / "gateway-crash-rst.yaml"
DUPLICATE_FILL = LIBRARY / "order-duplicated-execdetails.yaml"


def test_cli_replay_prints_timelines_and_writes_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(CRASH), str(DUPLICATE_FILL), "--report", str(tmp_path / "out"),
                 "--junit", str(tmp_path / "junit.xml")]) == 0
    out = capsys.readouterr().out
    assert "replaying 2 scenario run(s)" in out and "[2/2]" in out
    assert "inject crash: crash {'rst': True}" in out                      # the fault, from the runner
    assert "session_closed reason=crash fault (RST), rst=True" in out      # the gateway's event log
    assert "state ready -> disconnected" in out and "reconnected attempt=" in out   # the broker's events
    assert "place_order(AAPL) -> ok order_id=" in out                        # a client call with latency
    assert "2 replay(s), 2 passed, 0 failed" in out
    assert (tmp_path / "out" / "report.html").is_file() and (tmp_path / "out" / "report.json").is_file()
    suite = ElementTree.parse(tmp_path / "junit.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "0"


def test_a_missed_expectation_exits_1_and_says_by_how_much(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    strict = tmp_path / "strict.yaml"
    strict.write_text(CRASH.read_text().replace("name: gateway-crash-rst", "name: strict-crash")
                      .replace("within: 30, of: {fault_start: crash}", "within: 0.01, of: {fault_start: crash}"))
    assert main(["replay", str(strict), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "FAIL strict-crash [builtin]" in out
    assert "broker_state {'states': ['ready'], 'within': 0.01, 'of': {'fault_start': 'crash', 'count': 1}}: ready" in out
    assert "s after fault_start crash: " in out and "s late" in out


def test_k_selects_by_name_and_an_empty_selection_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(LIBRARY), "-k", "no-such-incident"]) == 2
    assert "-k: no scenario name contains 'no-such-incident'" in capsys.readouterr().err


@pytest.mark.parametrize("start_time", [None, "2026-12-05T12:00:00-05:00"], ids=["default", "a-saturday"])
async def test_the_gateway_lives_at_the_scenarios_start_time(tmp_path: Path, start_time: str | None) -> None:
    """The replayed gateway's clock starts at ``gateway.start_time`` (default: a fixed Tuesday
    mid-session), so a replay does not change with the hour or the weekday it runs on; its events
    still land on the replay's own timeline."""
    text = CRASH.read_text()
    assert "\ngateway:" not in text
    if start_time is not None:
        text += f"\ngateway:\n  start_time: '{start_time}'\n"
    path = tmp_path / "crash.yaml"
    path.write_text(text)
    item = load_scenario(path)
    wanted = (item.scenario.gateway.start_time if start_time is None
              else datetime.fromisoformat(start_time)).timestamp()
    seen: list[float] = []
    original = FakeGateway.start

    async def start_and_read_the_clock(self: FakeGateway) -> FakeGateway:
        seen.append(self.clock())
        return await original(self)
    FakeGateway.start = start_and_read_the_clock  # type: ignore[method-assign]
    try:
        result = await replay(item)
    finally:
        FakeGateway.start = original  # type: ignore[method-assign]
    assert result.verdict == "pass", result.error
    assert len(seen) == 1 and abs(seen[0] - wanted) < 5
    [closed] = [e for e in result.events if e.source == "gateway" and e.kind == "session_closed"][:1]
    [crash] = [f for f in result.faults if f["kind"] == "crash"]
    assert closed.at == crash["start"] == 20.0  # on the replay's (virtual) clock, where the file put it
