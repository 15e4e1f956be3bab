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
    # the holiday order is held as at IB (PreSubmitted, warning 399) and works at Friday's open
    [holiday] = [e.data for e in orders if e.data.get("step") == "holiday-order"]
    held = [e for e in result.events if e.source == "gateway" and e.kind == "error_sent"
            and e.data.get("code") == 399 and e.data.get("req_id") == holiday["order_id"]]
    assert [e.at for e in held] == [298800.0]
    assert "until 2026-11-27 09:30:00 US/Eastern." in held[0].data["text"]
    fills = [e.at for e in result.events if e.source == "broker" and e.kind == "fill" and e.data["key"] == holiday["key"]]
    friday_open = 4 * 86400 + 9.5 * 3600  # the gateway's clock starts at start_time, the trace's 0.1 s later
    assert len(fills) == 1 and friday_open - 0.5 < fills[0] <= friday_open
    # IB's schedule happened: five daily restarts, six nightly resets, the Sunday expiry
    kinds = [f["kind"] for f in result.faults]
    assert kinds.count("daily_restart") == 5 and kinds.count("nightly_reset") == 6 and "token_expiry" in kinds
    # and the report says where the week went
    states = result.state_seconds
    assert set(states) == {"ready", "degraded", "down"} and abs(sum(states.values()) - 7 * 86400) < 1
    assert states["ready"] > 6 * 86400 and states["down"] > 20 * 60  # the Sunday login took 20 minutes
