"""The suite's commands refuse bad arguments with a message naming the argument (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import legacy_compare, soak


def test_soak_needs_two_runs_to_compare(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        soak.main(["--runs", "1"])
    assert exit_info.value.code == 2
    assert "--runs must be at least 2 to compare verdicts, got 1" in capsys.readouterr().err


def test_legacy_compare_names_an_unknown_design(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        legacy_compare.main(["--designs", "legacy,watchdg"])
    assert exit_info.value.code == 2
    assert "--designs: unknown ['watchdg']" in capsys.readouterr().err


def test_the_legacy_factory_builds_the_real_broker_for_the_other_supervisors(tmp_path: Path) -> None:
    from ib_harness.broker import IBKRInsyncBroker
    from ib_harness.broker.legacy import LegacyBroker

    journal = f"{tmp_path}/j.sqlite3"
    legacy = legacy_compare.make_broker("127.0.0.1", 1, 1, supervisor="legacy", journal_path=journal)
    real = legacy_compare.make_broker("127.0.0.1", 1, 1, supervisor="builtin", journal_path=f"{tmp_path}/k.sqlite3")
    try:
        assert isinstance(legacy, LegacyBroker) and isinstance(real, IBKRInsyncBroker)
    finally:
        legacy.journal.close()
        real.journal.close()
