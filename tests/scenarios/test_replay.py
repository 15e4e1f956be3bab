"""Replays for real: the real broker against an in-process gateway, through the CLI and the batch."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from ib_harness_cli import main
from scenarios.loader import LIBRARY

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
                      .replace("detection: {fault: crash, max: 0.5}", "detection: {fault: crash, max: 0.000001}"))
    assert main(["replay", str(strict), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "FAIL strict-crash [builtin]" in out
    assert "detection {'fault': 'crash', 'max': 1e-06}: left ready" in out and "s too slow" in out


def test_k_selects_by_name_and_an_empty_selection_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(LIBRARY), "-k", "no-such-incident"]) == 2
    assert "-k: no scenario name contains 'no-such-incident'" in capsys.readouterr().err
