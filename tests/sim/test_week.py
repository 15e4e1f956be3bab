"""A week in a minute: seven simulated days of trading at production timings, with IB's schedule."""

from __future__ import annotations

from ib_harness.scenarios.loader import LIBRARY, load_scenario
from ib_harness.scenarios.runner import replay_blocking

WEEK = LIBRARY / "week-of-trading.yaml"


def test_a_week_of_trading_loses_and_duplicates_nothing() -> None:
    item = load_scenario(WEEK)
    result = replay_blocking(item)
    assert result.clock == "virtual" and result.duration == 7 * 86400
    missed = [f"{e.expectation}: {e.detail}" for e in result.expectations if not e.ok]
    assert missed == [] and result.verdict == "pass", missed or result.error
    orders = [e for e in result.events if e.source == "client" and e.kind == "call"
              and e.data.get("method") == "place_order"]
    assert len(orders) == 273  # every five minutes of 3 full days and Friday to 13:00, and one on the holiday
    # IB's schedule happened: five daily restarts, six nightly resets, the Sunday expiry
    kinds = [f["kind"] for f in result.faults]
    assert kinds.count("daily_restart") == 5 and kinds.count("nightly_reset") == 6 and "token_expiry" in kinds
    # and the report says where the week went
    states = result.state_seconds
    assert set(states) == {"ready", "degraded", "down"} and abs(sum(states.values()) - 7 * 86400) < 1
    assert states["ready"] > 6 * 86400 and states["down"] > 20 * 60  # the Sunday login took 20 minutes
