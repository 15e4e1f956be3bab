"""Bad command-line values for the scenario commands: exit 2 and a message naming the flag or path, before
anything runs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ib_harness.cli import main


@pytest.mark.parametrize("command", ["replay", "compare"])
@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_jobs_must_be_a_positive_whole_number(command: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--jobs", value, "-k" if command == "replay" else "--clock", "silent-stall"
              if command == "replay" else "virtual"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "argument --jobs" in captured.err and repr(value) in captured.err
    assert "replaying" not in captured.out


@pytest.mark.parametrize("command", ["replay", "validate", "compare"])
def test_a_directory_without_scenario_files_is_named(tmp_path: Path, command: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("not a scenario")
    assert main([command, str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert f"{tmp_path}: no scenario files (*.yaml, *.yml) in this directory" in captured.err
    assert "replaying" not in captured.out


QUIET_DAY = """\
name: quiet-day
description: A day with no incident at all, two seconds long.
seed: 3
duration: 2
steps:
  - {at: 0.5, get_positions: {}}
expect:
  - orders: {lost: 0, duplicated: 0}
"""


@pytest.mark.parametrize("argv", [["replay", "--backend", "ib_async"], ["replay", "--backend", "both"],
                                  ["compare", "--backend", "ib_async"], ["compare", "--backend", "both"]])
def test_a_backend_that_is_not_installed_is_refused_before_anything_runs(
        tmp_path: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "ib_async", None)  # as on a machine without the [ib_async] extra
    (tmp_path / "quiet.yaml").write_text(QUIET_DAY)
    assert main([*argv, str(tmp_path / "quiet.yaml")]) == 2
    captured = capsys.readouterr()
    assert "--backend: ib_async is not installed: pip install 'ib-harness[ib_async]'" in captured.err
    assert "replaying" not in captured.out


def test_compare_by_default_compares_on_the_installed_libraries_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "ib_async", None)
    (tmp_path / "quiet.yaml").write_text(QUIET_DAY)
    assert main(["compare", "--jobs", "1", str(tmp_path / "quiet.yaml")]) == 0
    captured = capsys.readouterr()
    assert "replaying 2 scenario run(s)" in captured.out  # builtin and watchdog, on ib_insync
    assert "ERROR" not in captured.out and "ib_async" not in captured.out
    assert "ib_async is not installed: comparing on ib_insync only" in captured.err


def test_an_out_file_that_cannot_be_written_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = Path(__file__).parent / "data" / "nightly_reset_ib_insync.log"
    nowhere = tmp_path / "missing-dir" / "out.yaml"
    for argv in (["schema", "--out", str(nowhere)], ["from-log", str(log), "--out", str(nowhere)]):
        assert main(argv) == 2
        assert f"--out {nowhere}: cannot write: No such file or directory" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["0", "-1", "nan"])
def test_from_log_max_duration_must_be_positive(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    log = Path(__file__).parent / "data" / "nightly_reset_ib_insync.log"
    with pytest.raises(SystemExit) as exit_info:
        main(["from-log", str(log), "--max-duration", value])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "argument --max-duration" in captured.err and captured.out == ""


@pytest.mark.parametrize("command", ["smoke", "validate", "gateway"])
def test_an_unknown_flag_shows_the_subcommands_usage(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"usage: ib-harness {command}" in err
    assert f"ib-harness {command}: error: unrecognized arguments: --bogus" in err
