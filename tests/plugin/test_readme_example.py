"""The README's copyable test file, run as written in a throwaway project (strict mode, the
strictest reader of async tests): the documentation cannot drift from what works."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    text = README.read_text()
    match = re.search(r"```python\n(# tests/test_my_strategy\.py\n.*?)```", text, flags=re.DOTALL)
    assert match, "README.md lost its copyable example (```python block starting '# tests/test_my_strategy.py')"
    return match.group(1)


def test_the_readme_example_passes_as_written(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_my_strategy=readme_example())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    tests = len(re.findall(r"^(?:async )?def test_", readme_example(), re.M))
    assert tests >= 3, "the example shows a broker test, a fault and a scenario"
    result.assert_outcomes(passed=tests)
