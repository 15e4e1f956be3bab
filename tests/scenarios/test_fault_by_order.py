"""A scenario names an order for a message fault by its place_order step; the runner injects the
fault with that order's id, so one order's messages are lost and the other's are not. On the virtual
clock at production timings (the broker's default settings)."""

from __future__ import annotations

from pathlib import Path

from ib_harness.scenarios.loader import load_scenario
from ib_harness.scenarios.runner import replay
from tests.scenarios.test_bad_input import error_of, write

SCENARIO = """\
name: one-orders-status-lost
description: Only the cancel confirmation of one of two working orders is lost on the way to the client.
duration: 40
steps:
  - id: a
    at: 2
    place_order: {symbol: AAPL, side: BUY, quantity: 1, type: LIMIT, limit_price: 50}
  - id: b
    at: 2
    place_order: {symbol: AAPL, side: BUY, quantity: 2, type: LIMIT, limit_price: 50}
  - id: lose-a
    at: 8
    fault: {kind: drop_message, message: orderStatus, order: a}
  - at: 10
    cancel_order: {order: a}
  - at: 10
    cancel_order: {order: b}
expect:
  - order_status: {order: b, status: [CANCELLED]}
"""


async def test_only_the_named_orders_messages_are_dropped(tmp_path: Path) -> None:
    result = await replay(load_scenario(write(tmp_path, SCENARIO)))
    assert result.verdict == "pass", [(e.expectation, e.detail) for e in result.expectations]
    [fault] = [s for s in result.injected if s["step"] == "lose-a"]
    assert fault["argument"]["order"] == "a"
    placed = {e.data["step"]: e.data["order_id"] for e in result.events
              if e.kind == "call" and e.data.get("method") == "place_order"}
    started = next(e for e in result.events if e.source == "gateway" and e.kind == "fault_started")
    assert started.data["spec"]["order_id"] == placed["a"] != placed["b"]
    assert any(e.kind == "message_dropped" for e in result.events)


def test_the_order_must_be_a_place_order_step_before_it(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, SCENARIO.replace("order: a}", "order: c}")))
    assert error.line == 13 and "refers to place_order step 'c'" in error.message


def test_only_message_faults_take_an_order(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, SCENARIO.replace("{kind: drop_message, message: orderStatus, order: a}",
                                                      "{kind: stall, order: a}")))
    assert "only message faults" in error.message
