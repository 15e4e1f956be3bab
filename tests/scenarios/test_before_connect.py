"""Faults on the initial connect: `before_connect` fault steps act on the broker's first connect,
and the timeline starts with it (before this, the runner connected before any fault existed).
On the virtual clock at production timings: the broker's default settings, a 10 s outage."""

from __future__ import annotations

from pathlib import Path

import pytest

from ib_harness.scenarios.loader import load_scenario
from ib_harness.scenarios.runner import replay
from tests.scenarios.test_bad_input import error_of, write

DOWN_AT_START = """\
name: gateway-down-at-start
description: The gateway is not listening when the broker starts; it comes up 10 s later.
duration: 60
steps:
  - id: down
    at: 0
    before_connect: true
    fault: {kind: down, duration: 10}
  - id: poll
    at: 1
    every: 2
    until: 56
    get_positions: {}
expect:
  - broker_state: {states: [ready], within: 34, of: {fault_end: down}}   # backoff_max 30 s + connect_timeout 4 s
  - connect_attempts: {min: 2}
  - calls_refused: {min: 1, window: {after: {start: true}, until: {fault_end: down}}}
  - call: {step: poll, ok: true, which: last}
"""
CLIENT_ID_AT_START = """\
name: client-id-in-use-at-start
description: The broker's client id is still held by a dead session when it first connects (326).
duration: 60
steps:
  - id: held
    at: 0
    before_connect: true
    fault: {kind: client_id_in_use, count: 3}
expect:
  - error_codes: {include: [326]}
  - connect_attempts: {min: 3}
  - broker_state: {states: [ready], within: 8, of: {start: true}}   # backoff ceilings 0.5 + 1 + 2 s + connect_timeout 4 s
"""


@pytest.mark.parametrize("text", [DOWN_AT_START, CLIENT_ID_AT_START], ids=["down", "326"])
async def test_a_fault_on_the_first_connect_is_measured(tmp_path: Path, text: str) -> None:
    result = await replay(load_scenario(write(tmp_path, text)))
    assert result.verdict == "pass", [(e.expectation, e.detail) for e in result.expectations]
    started = next(e for e in result.events if e.kind == "timeline_started")
    assert started.at == pytest.approx(0.0, abs=0.05) and started.data["state"] == "disconnected"
    assert next(w for w in result.faults)["start"] == pytest.approx(0.0, abs=0.1)


def test_only_a_fault_at_zero_can_be_before_connect(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, DOWN_AT_START.replace("    at: 0\n    before_connect", "    at: 0.5\n    before_connect")))
    assert error.line == 5 and "only a fault step `at: 0` can be `before_connect`" in error.message
