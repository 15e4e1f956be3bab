"""Replay workers start warm: the fork server builds the exchange calendar and imports the client
library once, so no scenario's measured wall time carries a worker's start-up."""

from __future__ import annotations

import subprocess
import sys

from ib_harness.scenarios import batch

PROBE = """
import sys
from ib_harness.fake_gateway.state import exchange_days
assert exchange_days._calendar.cache_info().currsize == 0, "built before the warm-up"
import ib_harness.scenarios.worker_warmup
assert exchange_days._calendar.cache_info().currsize == 1, "the warm-up did not build the calendar"
assert "ib_insync" in sys.modules and "ib_harness.scenarios.runner" in sys.modules
print("warm")
"""


def test_the_fork_server_preloads_the_warm_up() -> None:
    from multiprocessing import forkserver

    batch._context()
    assert forkserver._forkserver._preload_modules == ["ib_harness.scenarios.worker_warmup"]  # type: ignore[attr-defined]


def test_the_warm_up_builds_the_calendar_and_imports_the_client_library() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "warm", done.stderr
