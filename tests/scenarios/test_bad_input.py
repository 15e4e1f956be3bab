"""Bad scenario files: each gets ``file:line: field: problem`` and exit code 2, and nothing runs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ib_harness.cli import main
from ib_harness.scenarios.loader import load_scenario
from ib_harness.scenarios.yaml_lines import ScenarioError

GOOD = """\
name: quiet-day
description: A day with no incident at all, used as the base of the bad variants below.
seed: 3
duration: 2
steps:
  - id: buy
    at: 0.5
    place_order: {symbol: AAPL, side: BUY, quantity: 5, type: LIMIT, limit_price: 100}
  - at: 1.0
    cancel_order: {order: buy}
expect:
  - order_status: {order: buy, status: [CANCELLED]}
"""


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def error_of(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    return caught.value


def test_the_base_file_is_valid(tmp_path: Path) -> None:
    loaded = load_scenario(write(tmp_path, GOOD))
    assert loaded.scenario.name == "quiet-day"
    assert [step.action for step in loaded.scenario.steps] == ["place_order", "cancel_order"]


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("  - at: 1.0\n", "  - at: [1.0\n"))
    error = error_of(path)
    assert error.path == str(path) and error.line is not None and 9 <= error.line <= 11
    assert "not valid YAML" in str(error)


def test_duplicate_key_names_its_line(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD.replace("seed: 3\n", "seed: 3\nseed: 4\n")))
    assert (error.line, "duplicate key 'seed'") == (4, error.message)


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD.replace("    at: 0.5\n", "    at: 0.5\n    colour: red\n")))
    assert error.line == 8
    assert "steps.0.colour: unknown key 'colour'" in error.message and "place_order" in error.message


def test_negative_time_is_refused_at_its_line(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD.replace("at: 1.0", "at: -1.0")))
    assert error.line == 9 and "steps.1.at" in error.message and "greater than or equal to 0" in error.message


def test_time_after_the_timeline_end_is_impossible(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD.replace("at: 1.0", "at: 7.5")))
    assert error.line == 9 and "steps.1.at" in error.message and "after the end of the timeline" in error.message


def test_expectation_naming_an_unknown_order(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD.replace("order_status: {order: buy", "order_status: {order: sell")))
    assert error.line == 12 and "expect.0.order_status" in error.message and "'sell'" in error.message


def test_step_referring_to_an_unknown_order(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD.replace("cancel_order: {order: buy}", "cancel_order: {order: nope}")))
    assert error.line == 10 and "steps.1.cancel_order" in error.message and "'nope'" in error.message


def test_a_step_with_two_actions(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, GOOD.replace("    cancel_order: {order: buy}\n",
                                                  "    cancel_order: {order: buy}\n    get_account: {}\n")))
    assert error.line == 9 and "exactly one action" in error.message


def test_validate_exits_2_and_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path, GOOD, "good.yaml")
    bad = write(tmp_path, GOOD.replace("seed: 3", "seed: three"), "bad.yaml")
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3: seed: should be a whole number, got 'three'" in err


def test_replay_of_a_bad_file_runs_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, GOOD.replace("duration: 2", "duration: 0"), "bad.yaml")
    assert main(["replay", str(bad), "--report", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert f"{bad}:4: duration" in captured.err
    assert "replaying" not in captured.out and not (tmp_path / "out").exists()


WITH_FAULT = GOOD.replace("  - at: 1.0\n    cancel_order: {order: buy}\n",
                          "  - at: 1.0\n    cancel_order: {order: buy}\n  - id: stall\n    at: 1.2\n"
                          "    fault: {kind: stall, duration: 0.5}\n")


def test_fault_steps_use_the_gateways_vocabulary(tmp_path: Path) -> None:
    assert load_scenario(write(tmp_path, WITH_FAULT)).scenario.step("stall").fault == {"kind": "stall", "duration": 0.5}


def test_unknown_fault_kind_names_file_line_and_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, WITH_FAULT.replace("kind: stall", "kind: meteor_strike"))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:13: steps.2.fault: unknown fault kind 'meteor_strike'" in err


def test_bad_fault_parameter_names_the_field(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, WITH_FAULT.replace("duration: 0.5", "duration: -2")))
    assert error.line == 13 and "steps.2.fault" in error.message and "duration" in error.message


def test_expectation_naming_an_unknown_fault_step(tmp_path: Path) -> None:
    path = write(tmp_path, WITH_FAULT + "  - detection: {fault: stal, max: 1}\n")
    error = error_of(path)
    assert error.line == 16 and "expect.1.detection" in error.message and "unknown fault step 'stal'" in error.message


def test_stop_fault_naming_an_unknown_step(tmp_path: Path) -> None:
    path = write(tmp_path, WITH_FAULT.replace("expect:\n", "  - at: 1.5\n    stop_fault: nothing\nexpect:\n"))
    error = error_of(path)
    assert error.line == 15 and "steps.3.stop_fault" in error.message and "'nothing'" in error.message


def test_an_expectation_needing_calls_that_no_step_makes(tmp_path: Path) -> None:
    path = write(tmp_path, WITH_FAULT + "  - market_data: {within: 1, of: {fault_end: stall}}\n")
    error = error_of(path)
    assert error.line == 16 and "no step makes one" in error.message


def test_broker_settings_are_checked_against_the_broker(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("duration: 2\n", "duration: 2\nbroker:\n  settings: {probe_intervall: 1}\n"))
    error = error_of(path)
    assert error.line == 6 and "broker.settings" in error.message and "probe_intervall" in error.message


@pytest.mark.parametrize("value,problem", [("'2026-11-24T10:30:00'", "needs a time zone"),
                                           ("'tuesday morning'", "datetime")])
def test_a_start_time_without_a_zone_or_not_a_time_is_refused(tmp_path: Path, value: str, problem: str) -> None:
    error = error_of(write(tmp_path, GOOD + f"gateway:\n  start_time: {value}\n"))
    assert error.line == 14 and "gateway.start_time" in str(error) and problem in str(error)
