"""The failure-mode suite: every scenario of the library is a test case, id = the scenario's name,
under the builtin supervisor and under the client library's Watchdog, on both client libraries
(ib_insync, ib_async), at production timings on the virtual clock. ib_async's Watchdog misses the
same scenarios as ib_insync's, so one known-gaps table serves both. Passing cases replay through the plugin's ``scenario`` marker, so a failure reads as the
runner's explanation. Known gaps must fail with the symptom their reason names (known_gaps.py)."""

from __future__ import annotations

from typing import Any

import pytest

from ib_harness.broker.backends import BACKENDS
from ib_harness.pytest_plugin import ScenarioRunner
from ib_harness.scenarios.loader import LIBRARY, load_all

from .known_gaps import KNOWN_GAPS, PENDING

# the week of trading (~1 min wall) has its own test (tests/sim/test_week.py)
LIBRARY_FILES = [item for item in load_all([LIBRARY]) if "week" not in item.scenario.tags]
PATHS = {item.scenario.name: item.path for item in LIBRARY_FILES}


def cases(supervisor: str) -> list[Any]:
    """One case per scenario and client library; ids read ``<scenario>-<library>``."""
    params = []
    for backend in BACKENDS:
        for item in LIBRARY_FILES:
            name = item.scenario.name
            if name in KNOWN_GAPS[supervisor]:
                continue
            marks = [pytest.mark.scenario(str(item.path), supervisor=supervisor, backend=backend)]
            pending = PENDING[supervisor].get(name)
            if pending is not None:
                marks.append(pytest.mark.xfail(strict=False, reason=pending))
            params.append(pytest.param(name, backend, marks=marks, id=f"{name}-{backend}"))
    return params


def gaps(supervisor: str) -> list[Any]:
    return [pytest.param(supervisor, name, backend, id=f"{supervisor}-{name}-{backend}")
            for backend in BACKENDS for name in sorted(KNOWN_GAPS[supervisor])]


@pytest.mark.parametrize("name, backend", cases("builtin"))
def test_builtin(name: str, backend: str, scenario_result: Any) -> None:
    assert (scenario_result.name, scenario_result.supervisor, scenario_result.backend) == (name, "builtin", backend)


@pytest.mark.parametrize("name, backend", cases("watchdog"))
def test_watchdog(name: str, backend: str, scenario_result: Any) -> None:
    assert (scenario_result.name, scenario_result.supervisor, scenario_result.backend) == (name, "watchdog", backend)


@pytest.mark.parametrize("supervisor, name, backend", gaps("builtin") + gaps("watchdog"))
def test_known_gap_fails_with_its_symptom(supervisor: str, name: str, backend: str,
                                          scenario_runner: ScenarioRunner) -> None:
    reason, symptom = KNOWN_GAPS[supervisor][name]
    result = scenario_runner.run_in_thread(PATHS[name], supervisor=supervisor, backend=backend)
    missed = [f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok]
    assert result.verdict == "fail", f"gap closed: {name} [{supervisor}, {backend}] now {result.verdict} " \
                                     f"({result.error}); remove it from known_gaps.py"
    assert any(all(part in line for part in symptom) for line in missed), (
        f"{name} [{supervisor}, {backend}] fails, but not with the named symptom {symptom}: {missed}")
    pytest.xfail(reason)


@pytest.mark.parametrize("supervisor", sorted(KNOWN_GAPS))
def test_known_gaps_name_library_scenarios(supervisor: str) -> None:
    for table in (KNOWN_GAPS, PENDING):
        stale = set(table[supervisor]) - set(PATHS)
        assert not stale, f"{supervisor}: entries for scenarios that are not in the library: {sorted(stale)}"
    assert all(reason.strip() and symptom for reason, symptom in KNOWN_GAPS[supervisor].values())
    assert not set(KNOWN_GAPS[supervisor]) & set(PENDING[supervisor]), "a scenario is either a gap or pending"
