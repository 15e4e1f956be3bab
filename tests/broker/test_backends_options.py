"""Choosing the client library from outside: the scenario key, `ib-harness replay --backend`, and
the pytest plugin's --ib-backend / ib_backend fixture (ib_client gives either client)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ib_harness.scenarios.loader import LIBRARY, load_scenario
from ib_harness.scenarios.runner import replay

pytest_plugins = ["pytester"]


def with_backend(text: str, backend: str) -> str:
    """A library file with ``broker.backend`` set (the file has no broker section of its own)."""
    assert "\nbroker:" not in text and "\nsteps:\n" in text
    return text.replace("\nsteps:\n", f"\nbroker:\n  backend: {backend}\nsteps:\n", 1)


async def test_the_scenario_key_chooses_the_backend(tmp_path: Path) -> None:
    text = (LIBRARY / "silent-stall.yaml").read_text()
    path = tmp_path / "silent-stall-ib-async.yaml"
    path.write_text(with_backend(text, "ib_async"))
    item = load_scenario(path)
    assert item.scenario.broker.backend == "ib_async"
    result = await replay(item)
    assert result.backend == "ib_async" and result.variant == "builtin on ib_async"
    assert result.verdict == "pass", [e.detail for e in result.expectations if not e.ok] or result.error
    assert any(e.source == "broker" for e in result.events)


def test_a_bad_backend_in_a_scenario_is_named(tmp_path: Path) -> None:
    text = (LIBRARY / "silent-stall.yaml").read_text()
    path = tmp_path / "bad.yaml"
    path.write_text(with_backend(text, "ib_sync"))
    result = subprocess.run([sys.executable, "-m", "ib_harness.cli", "validate", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "backend" in result.stdout + result.stderr


def test_replay_takes_the_backend_option(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "ib_harness.cli", "replay", str(LIBRARY / "silent-stall.yaml"),
                             "--backend", "both", "--quiet", "--jobs", "2", "--report", str(tmp_path)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads((tmp_path / "report.json").read_text())["results"]
    assert sorted((r["backend"], r["variant"]) for r in results) == [
        ("ib_async", "builtin on ib_async"), ("ib_insync", "builtin")]
    assert "builtin on ib_async: verdict" in result.stdout  # the comparison table's column


def test_a_bad_backend_option_exits_2() -> None:
    result = subprocess.run([sys.executable, "-m", "ib_harness.cli", "replay", "--backend", "ibapi"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--backend" in result.stderr


PLUGIN_TESTS = '''
import pytest

pytestmark = pytest.mark.asyncio

async def test_broker_on_the_option(ib_broker, ib_backend):
    assert type(ib_broker.ib).__mro__[2].__module__.split(".")[0] == ib_backend == "BACKEND"

@pytest.mark.parametrize("ib_backend", ["ib_insync", "ib_async"], indirect=True)
async def test_either_client(ib_client, ib_backend):
    assert type(ib_client).__module__.split(".")[0] == ib_backend
    assert ib_client.isConnected() and ib_client.managedAccounts()
'''


@pytest.mark.parametrize("backend", ["ib_insync", "ib_async"])
def test_the_plugin_option_and_fixture(pytester: pytest.Pytester, backend: str) -> None:
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_backend=textwrap.dedent(PLUGIN_TESTS).replace("BACKEND", backend))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "--ib-backend", backend)
    result.assert_outcomes(passed=3)


def test_the_pinned_versions_are_the_tested_ones() -> None:
    """pyproject's lower bounds are the versions this harness is tested with, and they are the ones
    installed here: an upgrade is re-verified (tests/broker/test_client_adapter.py names any
    internal that moved) before the pins and TESTED_VERSIONS move together."""
    import importlib.metadata
    import re
    import tomllib

    from ib_harness.broker.backends import SUPPORTED_VERSIONS, TESTED_VERSIONS

    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"],
                    *project["optional-dependencies"]["ib_async"]]
    for library, tested in TESTED_VERSIONS.items():
        pins = {re.sub(r"\s", "", r)[len(library):] for r in requirements if re.match(rf"{library}\b", r)}
        assert pins and all(pin.startswith((f"=={tested}", f">={tested}")) for pin in pins), (library, pins)
        assert SUPPORTED_VERSIONS[library].split(" ")[0] in pins, (library, SUPPORTED_VERSIONS[library], pins)
        assert importlib.metadata.version(library) == tested, f"{library}: installed {importlib.metadata.version(library)}, tested {tested}"
