"""The pytest plugin replays against a user's broker: the marker's broker= and --scenario-broker."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

TESTS = '''
import pytest

@pytest.mark.scenario("order-crash-before-ack", broker="my_broker:make_broker")
def test_marker_with_my_broker(scenario_result):
    pass

async def test_runner_with_the_option(scenario_runner):
    result = await scenario_runner.run("order-crash-before-ack")
    assert result.supervisor == "my_broker:make_broker"
    assert result.verdict == "fail"  # the example broker loses track of the order the crash cut off
'''


def test_marker_and_option_take_a_broker_factory(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(EXAMPLES))
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_mine=TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--scenario-broker", "my_broker:make_broker")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*scenario order-crash-before-ack [[]my_broker:make_broker, seed 61[]]: FAIL*"])


def test_a_bad_factory_in_the_marker_is_an_error_naming_it(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_bad='''
import pytest

@pytest.mark.scenario("order-crash-before-ack", broker="no_such_module_xyz:make")
def test_bad(scenario_result):
    pass
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*cannot import module 'no_such_module_xyz'*"])
