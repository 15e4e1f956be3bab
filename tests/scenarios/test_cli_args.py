"""Bad command-line values for the scenario commands: exit 2 and a message naming the flag or path, before
anything runs."""

from __future__ import annotations

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
