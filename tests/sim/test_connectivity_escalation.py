"""The broker's answer to an 1100 that lasts, at production timings on the virtual clock.

IB's nightly reset is 1100 repeated for 15 s to ~2 min, then 1102 (IBC#251, IBC#143); reconnecting
cannot cure it (the gateway's own link to IB is down, and a fresh session hears 1100 at its
handshake). A stale session that never hears 1102 (Lean#258: 833 errors over 15 h) is cured by a
reconnect. So: one forced reconnect after connectivity_grace; while fresh sessions still hear 1100
the broker stays on its session and escalates again only after a growing grace, capped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ib_harness.broker.settings import BrokerSettings
from ib_harness.scenarios.loader import load_scenario
from ib_harness.scenarios.trace import ScenarioResult
from ib_harness.scenarios.runner import replay_blocking

NIGHTLY_RESET_2_MIN = """
name: nightly-reset-two-minutes
description: a long night (IBC#143) at production timings, with an order during and one after
seed: 143
duration: 300
clock: virtual
steps:
  - id: reset
    at: 20
    fault: {kind: nightly_reset, recover_after: 120, repeat_every: 15, outcome: maintained, flaps: 0}
  - id: during
    at: 60
    place_order: {symbol: MSFT, side: BUY, quantity: 1, type: LIMIT, limit_price: 1.0}
  - id: late
    at: 135
    place_order: {symbol: MSFT, side: BUY, quantity: 1, type: LIMIT, limit_price: 1.0}
  - id: after
    at: 200
    place_order: {symbol: MSFT, side: BUY, quantity: 1, type: LIMIT, limit_price: 1.0}
expect:
  - orders: {lost: 0, duplicated: 0}
"""

NEVER_RECOVERS = """
name: connectivity-lost-for-15-hours
description: an 1100 that never ends (Lean#258), 15 hours at production timings
seed: 258
duration: 54060
clock: virtual
steps:
  - id: lost
    at: 60
    fault: {kind: connectivity_lost}
expect:
  - orders: {lost: 0, duplicated: 0}
"""


def replay_text(tmp_path: Path, text: str) -> ScenarioResult:
    path = tmp_path / "scenario.yaml"
    path.write_text(text)
    return replay_blocking(load_scenario(path))


def broker_times(result: ScenarioResult, kind: str) -> list[float]:
    return [e.at for e in result.events if e.source == "broker" and e.kind == kind]


def order_outcome(result: ScenarioResult, step: str) -> dict[str, object]:
    [call] = [e.data for e in result.events if e.source == "client" and e.kind == "call" and e.data.get("step") == step]
    return call


def test_a_two_minute_nightly_reset_is_ridden_out_with_one_reconnect(tmp_path: Path) -> None:
    result = replay_text(tmp_path, NIGHTLY_RESET_2_MIN)
    assert result.verdict == "pass", [e.detail for e in result.expectations if not e.ok] or result.error
    heard = [(e.at, e.data["code"]) for e in result.events
             if e.source == "broker" and e.kind == "ib_error" and e.data["code"] in (1100, 1101, 1102)]
    assert (140.0, 1102) in heard, heard  # the session the broker is on hears the reset end
    # one reconnect, after connectivity_grace (a stale session would be cured by it); the fresh
    # session hears 1100 at once: IB is down, so the broker stays on it
    assert broker_times(result, "escalation") == [50.0]
    assert len(broker_times(result, "reconnected")) == 1
    for step in ("during", "late"):  # refused at once while IB is away
        call = order_outcome(result, step)
        assert call["ok"] is False and call["error_type"] == "BrokerUnavailable", call
        assert call["latency"] == 0.0
    after = order_outcome(result, "after")
    assert after["ok"] is True and after["entry_state"] == "ready", after


def test_an_1100_that_never_recovers_is_escalated_on_a_growing_schedule(tmp_path: Path) -> None:
    grace, growth, cap = (BrokerSettings.model_fields[name].default for name in
                          ("connectivity_grace", "connectivity_grace_growth", "connectivity_grace_max"))
    assert growth > 1 and cap > grace
    result = replay_text(tmp_path, NEVER_RECOVERS)
    escalations = broker_times(result, "escalation")
    gaps = [later - earlier for earlier, later in zip([60.0] + escalations, escalations)]
    expected, wait = [], grace
    for _ in gaps:
        expected.append(wait)
        wait = min(wait * growth, cap)
    # each wait runs from the 1100 of the session the broker is on: the fresh one hears it at its
    # handshake, a tenth of a second of virtual time after the drop
    assert gaps == pytest.approx(expected, abs=0.5), gaps
    # not every 30 s for hours (that would be ~1800), and never silent for longer than the cap
    assert 15 * 3600 / cap - 2 <= len(escalations) <= 15 * 3600 / cap + 4
    assert 54060 - escalations[-1] <= cap + 1
    assert len(broker_times(result, "reconnected")) == len(escalations)
    assert all(e.data["after"] == pytest.approx(gap, abs=0.5) for e, gap in zip(
        (e for e in result.events if e.source == "broker" and e.kind == "escalation"), expected))


TWO_OUTAGES = """
name: two-outages
description: a long outage escalated twice, IB back (1102), then a new outage
seed: 2953
duration: 420
clock: virtual
steps:
  - id: first
    at: 10
    fault: {kind: connectivity_lost, duration: 200}
  - id: second
    at: 300
    fault: {kind: connectivity_lost, duration: 100}
expect:
  - error_codes: {include: [1100, 1102]}
"""


def test_the_wait_starts_again_at_connectivity_grace_after_ib_came_back(tmp_path: Path) -> None:
    result = replay_text(tmp_path, TWO_OUTAGES)
    assert result.verdict == "pass", [e.detail for e in result.expectations if not e.ok] or result.error
    # first outage: 30 s, then 120 s on the fresh session (it heard 1100 too); 1102 at 210
    # second outage: a new incident, escalated after connectivity_grace again, not after 480 s
    assert broker_times(result, "escalation") == pytest.approx([40.0, 160.0, 330.0], abs=0.2)


OUTAGE_ENDS_WHILE_THE_GATEWAY_IS_DOWN = """
name: outage-ends-during-a-restart
description: IB comes back while the gateway restarts, so no session hears 1102; then a new outage
seed: 251
duration: 320
clock: virtual
steps:
  - id: first
    at: 10
    fault: {kind: connectivity_lost, duration: 60}
  - id: restart
    at: 50
    fault: {kind: daily_restart, down_seconds: 60}
  - id: second
    at: 200
    fault: {kind: connectivity_lost, duration: 100}
expect:
  - error_codes: {include: [1100, 1102]}
"""


def test_a_session_that_comes_up_without_1100_ends_the_outage(tmp_path: Path) -> None:
    """No 1102 ever reached the broker for the first outage, but the session after the restart
    came up without an 1100: IB is back, so the next outage starts at connectivity_grace again."""
    result = replay_text(tmp_path, OUTAGE_ENDS_WHILE_THE_GATEWAY_IS_DOWN)
    heard = [(e.at, e.data["code"]) for e in result.events
             if e.source == "broker" and e.kind == "ib_error" and e.data["code"] in (1100, 1102)]
    assert not [at for at, code in heard if code == 1102 and at < 200], heard
    assert broker_times(result, "escalation") == pytest.approx([40.0, 230.0], abs=0.2)
