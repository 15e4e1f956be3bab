"""``ib-harness gateway`` with a bad flag value: exit 2 and one line naming the flag, the problem and the value."""

from __future__ import annotations

import pytest

from ib_harness.cli import main


@pytest.mark.parametrize("argv, line", [
    (["--port", "99999"], "--port: Input should be less than or equal to 65535, got 99999"),
    (["--max-clients", "0"], "--max-clients: Input should be greater than or equal to 1, got 0"),
])
def test_a_bad_flag_value_is_named_in_one_line(argv: list[str], line: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gateway", *argv]) == 2
    err = capsys.readouterr().err
    assert line in err
    assert "errors.pydantic.dev" not in err and "validation error for" not in err
