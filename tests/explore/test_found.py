"""Scenarios explore found against the library's broker (scenarios/library/found/).

Each one names an invariant the broker broke. While the bug is open it is listed in OPEN with the
symptom, and this test asserts that symptom (the replay fails on that invariant with those words);
when a fix lands (branches ordersafety/supervision, issue 22) the replay passes, this test fails,
and the entry leaves OPEN: from then on the file is a regression scenario that must pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ib_harness.scenarios.loader import LIBRARY, load_scenario
from ib_harness.scenarios.runner import replay

FOUND = LIBRARY / "found"

# file stem -> words the failed expectation's detail must contain while the bug is open
OPEN: dict[str, str] = {}


def test_every_found_file_is_a_valid_library_scenario() -> None:
    files = sorted(FOUND.glob("*.yaml"))
    assert files, "scenarios/library/found is empty"
    for path in files:
        scenario = load_scenario(path).scenario
        assert "found" in scenario.tags and len(scenario.expect) == 1


@pytest.mark.parametrize("path", sorted(FOUND.glob("*.yaml")), ids=lambda p: p.stem)
async def test_found_scenario(path: Path) -> None:
    result = await replay(load_scenario(path))
    missed = [f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok]
    if path.stem in OPEN:
        assert result.verdict == "fail" and any(OPEN[path.stem] in line for line in missed), (
            f"{path.stem} no longer shows its bug ({result.verdict}: {missed or 'all expectations held'}); "
            f"if it was fixed, remove it from OPEN")
    else:
        assert result.verdict == "pass", missed or result.error
