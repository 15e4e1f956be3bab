"""The failure-mode suite: every scenario of the library is a test case, id = the scenario's name,
under the builtin supervisor and under ib_insync's Watchdog. Each case replays through the
plugin's ``scenario`` marker, so a failure reads as the runner's explanation. Known gaps are
xfail(strict=True) with their reason (known_gaps.py)."""

from __future__ import annotations

from typing import Any

import pytest

from ib_harness.scenarios.loader import LIBRARY, load_all

from .known_gaps import FLAKY, KNOWN_GAPS

LIBRARY_FILES = load_all([LIBRARY])


def cases(supervisor: str) -> list[Any]:
    params = []
    for item in LIBRARY_FILES:
        marks = [pytest.mark.scenario(str(item.path), supervisor=supervisor)]
        gap = KNOWN_GAPS[supervisor].get(item.scenario.name)
        if gap is not None:
            marks.append(pytest.mark.xfail(strict=True, reason=gap))
        flaky = FLAKY[supervisor].get(item.scenario.name)
        if flaky is not None:
            marks.append(pytest.mark.xfail(strict=False, reason=flaky))
        params.append(pytest.param(item.scenario.name, marks=marks, id=item.scenario.name))
    return params


@pytest.mark.parametrize("name", cases("builtin"))
def test_builtin(name: str, scenario_result: Any) -> None:
    assert (scenario_result.name, scenario_result.supervisor) == (name, "builtin")


@pytest.mark.parametrize("name", cases("watchdog"))
def test_watchdog(name: str, scenario_result: Any) -> None:
    assert (scenario_result.name, scenario_result.supervisor) == (name, "watchdog")


@pytest.mark.parametrize("supervisor", sorted(KNOWN_GAPS))
def test_known_gaps_name_library_scenarios(supervisor: str) -> None:
    names = {item.scenario.name for item in LIBRARY_FILES}
    for table in (KNOWN_GAPS, FLAKY):
        stale = set(table[supervisor]) - names
        assert not stale, f"{supervisor}: entries for scenarios that are not in the library: {sorted(stale)}"
        assert all(reason.strip() for reason in table[supervisor].values())
    assert not set(KNOWN_GAPS[supervisor]) & set(FLAKY[supervisor]), "a scenario is either a gap or flaky"
