"""from-log: a real-format ib_insync log becomes a draft with the same codes at the same times."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ib_harness.cli import main
from ib_harness.scenarios.from_log import draft_scenario, draft_yaml, read_log

DATA = Path(__file__).parent / "data"


def test_reads_errors_and_disconnects_at_their_relative_times() -> None:
    events = read_log(DATA / "nightly_reset_ib_insync.log")
    assert [(e.kind, e.data.get("code")) for e in events] == [
        ("ib_error", 2104), ("ib_error", 2106), ("connected", None), ("ib_error", 1100), ("ib_error", 2103),
        ("ib_error", 2104), ("ib_error", 1102), ("peer_closed", None)]
    assert events[0].at == pytest.approx(0.039)   # from the log's first line, 23:44:58.112
    assert events[3].at == pytest.approx(3.391)   # 23:45:01.503
    assert events[6].data["text"].startswith("Connectivity between IB and Trader Workstation has been restored")


def faults(draft: dict) -> list[tuple[float, dict]]:
    return [(step["at"], step["fault"]) for step in draft["steps"] if "fault" in step]


def test_draft_keeps_the_incident_with_its_side_effects_and_timing() -> None:
    draft = draft_scenario(DATA / "nightly_reset_ib_insync.log")
    steps = faults(draft)
    assert [fault["kind"] for _, fault in steps] == ["connectivity_lost", "connectivity_restored", "crash"]
    assert steps[1][1] == {"kind": "connectivity_restored", "data_lost": False}
    # the quiet minutes before the incident are cut; the incident keeps its own timing (1100 -> 1102: 14.917 s)
    assert steps[0][0] == pytest.approx(1.054) and steps[1][0] - steps[0][0] == pytest.approx(14.917)
    assert draft["expect"][0] == {"error_codes": {"include": [1100, 1102]}}
    kinds = [next(iter(e)) for e in draft["expect"]]
    assert {"market_data", "broker_state", "reconnects"} <= set(kinds)
    calls = {next(k for k in step if k not in ("at", "every", "until")) for step in draft["steps"] if "every" in step}
    assert calls == {"get_market_price", "get_positions"}


def test_long_incidents_are_scaled_and_say_so(tmp_path: Path) -> None:
    log = tmp_path / "long.log"
    log.write_text("2026-01-01 00:00:00,000 ib_insync.wrapper ERROR Error 1100, reqId -1: lost\n"
                   "2026-01-01 10:00:00,000 ib_insync.wrapper ERROR Error 1102, reqId -1: restored\n")
    draft = draft_scenario(log, max_duration=20)
    assert [at for at, _ in faults(draft)] == [1.0, 21.0]
    assert "scaled by 0.0005556" in draft["description"]


@pytest.mark.parametrize("content, where, problem", [
    (None, "missing.log", "no such file"),
    (b"hello\nworld\n", "plain.log", "no ib_insync or ib_async log lines"),
    (b"2026-01-01 00:00:00,000 ib_insync.client INFO Connected\n", "quiet.log", "no IB error lines"),
    (b"2026-01-01 00:00:00,000 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm\n"
     b"2026-01-01 00:00:00,100 ib_insync.client INFO API connection ready\n", "greeting.log", "no incident to replay"),
    (b"2026-01-01 00:00:05,000 ib_insync.client INFO Connected\n"
     b"2026-01-01 00:00:01,000 ib_insync.wrapper ERROR Error 1100, reqId -1: lost\n", "backwards.log:2",
     "time goes backwards"),
])
def test_unreadable_logs_exit_2_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   content: bytes | None, where: str, problem: str) -> None:
    path = tmp_path / where.split(":")[0]
    if content is not None:
        path.write_bytes(content)
    assert main(["scenario", "from-log", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / where}" in err and problem in err


def test_binary_garbage_names_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scenario", "from-log", str(DATA / "truncated_binary.log")]) == 2
    assert f"{DATA / 'truncated_binary.log'}:3: cannot read the log: not UTF-8" in capsys.readouterr().err


def test_cli_writes_a_draft_that_validates(tmp_path: Path) -> None:
    out = tmp_path / "draft.yaml"
    assert main(["scenario", "from-log", str(DATA / "nightly_reset_ib_insync.log"), "--out", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["name"] == "from-log-nightly_reset_ib_insync"
    assert main(["validate", str(out)]) == 0


def test_a_from_log_draft_replays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "incident.yaml"
    draft.write_text(draft_yaml(draft_scenario(DATA / "nightly_reset_ib_insync.log", max_duration=2)))
    assert main(["replay", str(draft), "--quiet"]) == 0
    assert "PASS  from-log-nightly_reset_ib_insync [builtin]" in capsys.readouterr().out


def test_ib_async_logs_and_refused_connects_become_a_down_window(tmp_path: Path) -> None:
    log = tmp_path / "ib_async.log"
    log.write_text(
        "2026-03-11 09:30:00,000 ib_async.client INFO Connecting to 127.0.0.1:4002 with clientId 3...\n"
        "2026-03-11 09:30:00,050 ib_async.client INFO API connection ready\n"
        "2026-03-11 09:30:02,000 ib_async.wrapper ERROR Error 10197, reqId 4: No market data during competing live session\n"
        "2026-03-11 09:30:03,000 ib_async.client ERROR Peer closed connection.\n"
        "2026-03-11 09:30:03,500 ib_async.client ERROR API connection failed: ConnectionRefusedError(111, "
        "\"Connect call failed ('127.0.0.1', 4002)\")\n"
        "2026-03-11 09:30:04,500 ib_async.client ERROR API connection failed: ConnectionRefusedError(111, "
        "\"Connect call failed ('127.0.0.1', 4002)\")\n"
        "2026-03-11 09:30:05,000 ib_async.client INFO API connection ready\n")
    draft = draft_scenario(log)
    # the peer close and the refused connects are one outage: the gateway is down from the close on
    assert faults(draft) == [
        (1.05, {"kind": "ib_error", "code": 10197, "text": "No market data during competing live session", "req_id": 4}),
        (2.05, {"kind": "crash"}),
        (2.05, {"kind": "down", "duration": 2.0}),
    ]


def test_a_custom_format_is_read_with_pattern(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "app.log"
    log.write_text("[2026-03-11T09:30:00.000] broker | connected: API connection ready\n"
                   "[2026-03-11T09:30:02.000] broker | ib: Error 1100, reqId -1: Connectivity lost\n"
                   "[2026-03-11T09:30:05.000] broker | ib: Error 1101, reqId -1: restored - data lost\n")
    pattern = r"^\[(?P<ts>[^\]]+)\] \S+ \| \w+: (?P<message>.*)$"
    draft = draft_scenario(log, pattern=pattern)
    assert [fault["kind"] for _, fault in faults(draft)] == ["connectivity_lost", "connectivity_restored"]
    out = tmp_path / "draft.yaml"
    assert main(["scenario", "from-log", str(log), "--pattern", pattern, "--out", str(out)]) == 0
    assert main(["validate", str(out)]) == 0
    assert main(["scenario", "from-log", str(log)]) == 2  # without the pattern: not the clients' format
    assert "--pattern" in capsys.readouterr().err


@pytest.mark.parametrize("pattern, problem", [
    (r"(?P<ts>\S+) (?P<message", "not a regular expression"),
    (r"(?P<when>\S+) (?P<message>.*)", "missing ['ts']"),
])
def test_a_bad_pattern_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], pattern: str, problem: str) -> None:
    assert main(["scenario", "from-log", str(DATA / "nightly_reset_ib_insync.log"), "--pattern", pattern]) == 2
    assert problem in capsys.readouterr().err
