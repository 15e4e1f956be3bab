"""The failure-mode suite: every scenario of the library is a test case, id = the scenario's name,
under the builtin supervisor and under the client library's Watchdog, on both client libraries
(ib_insync, ib_async). Each case replays through the plugin's ``scenario`` marker, so a failure
reads as the runner's explanation. Known gaps are xfail(strict=True) with their reason
(known_gaps.py)."""

from __future__ import annotations

from typing import Any

import pytest

from ib_harness.broker.backends import BACKENDS
from ib_harness.scenarios.loader import LIBRARY, load_all

from .known_gaps import FLAKY, KNOWN_GAPS, flaky_for, gaps_for

LIBRARY_FILES = load_all([LIBRARY])


def cases(supervisor: str) -> list[Any]:
    """One case per scenario and client library; ids read ``<scenario>-<library>``."""
    params = []
    for backend in BACKENDS:
        gaps, flakies = gaps_for(supervisor, backend), flaky_for(supervisor, backend)
        for item in LIBRARY_FILES:
            marks = [pytest.mark.scenario(str(item.path), supervisor=supervisor, backend=backend)]
            gap = gaps.get(item.scenario.name)
            if gap is not None:
                marks.append(pytest.mark.xfail(strict=True, reason=gap))
            flaky = flakies.get(item.scenario.name)
            if flaky is not None:
                marks.append(pytest.mark.xfail(strict=False, reason=flaky))
            params.append(pytest.param(item.scenario.name, backend, marks=marks, id=f"{item.scenario.name}-{backend}"))
    return params


@pytest.mark.parametrize("name, backend", cases("builtin"))
def test_builtin(name: str, backend: str, scenario_result: Any) -> None:
    assert (scenario_result.name, scenario_result.supervisor, scenario_result.backend) == (name, "builtin", backend)


@pytest.mark.parametrize("name, backend", cases("watchdog"))
def test_watchdog(name: str, backend: str, scenario_result: Any) -> None:
    assert (scenario_result.name, scenario_result.supervisor, scenario_result.backend) == (name, "watchdog", backend)


@pytest.mark.parametrize("supervisor", sorted(KNOWN_GAPS))
def test_known_gaps_name_library_scenarios(supervisor: str) -> None:
    names = {item.scenario.name for item in LIBRARY_FILES}
    for table in (KNOWN_GAPS, FLAKY):
        stale = set(table[supervisor]) - names
        assert not stale, f"{supervisor}: entries for scenarios that are not in the library: {sorted(stale)}"
        assert all(reason.strip() for reason in table[supervisor].values())
    assert not set(KNOWN_GAPS[supervisor]) & set(FLAKY[supervisor]), "a scenario is either a gap or flaky"


@pytest.mark.parametrize("backend", BACKENDS)
def test_known_gaps_per_backend_name_library_scenarios(backend: str) -> None:
    names = {item.scenario.name for item in LIBRARY_FILES}
    for supervisor in KNOWN_GAPS:
        gaps, flakies = gaps_for(supervisor, backend), flaky_for(supervisor, backend)
        assert not (set(gaps) | set(flakies)) - names
        assert not set(gaps) & set(flakies), "a scenario is either a gap or flaky"
