"""The copyable test files (README, quickstart, the pytest plugin page), run as written in a throwaway
project (strict mode, the strictest reader of async tests, warnings as errors): the documentation
cannot drift from what works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", ROOT / "docs" / "quickstart.md", ROOT / "docs" / "howto" / "pytest-plugin.md"]


def copyable_example(page: Path) -> str:
    text = page.read_text()
    match = re.search(r"```python\n(# tests/test_my_strategy\.py\n.*?)```", text, flags=re.DOTALL)
    assert match, f"{page.name} lost its copyable example (```python block starting '# tests/test_my_strategy.py')"
    return match.group(1)


def readme_example() -> str:
    return copyable_example(ROOT / "README.md")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_the_copyable_example_passes_as_written(pytester: pytest.Pytester, page: Path) -> None:
    example = copyable_example(page)
    pytester.makeini("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_my_strategy=example)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "-W", "error::pytest.PytestWarning")
    tests = len(re.findall(r"^(?:async )?def test_", example, re.M))
    if page.name == "README.md":
        assert tests >= 3, "the example shows a broker test, a fault and a scenario"
    result.assert_outcomes(passed=tests)
