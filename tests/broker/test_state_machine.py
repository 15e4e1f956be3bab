"""The broker's state machine: one transition table (anything else is a bug that raises), and
waiters that see every state they wait for, even one lasting a single loop turn."""

from __future__ import annotations

import asyncio

import pytest

from ib_harness.broker import BrokerState
from ib_harness.broker.events import EventBus
from ib_harness.broker.metrics import BrokerMetrics
from ib_harness.broker.supervision import TRANSITIONS, IllegalTransition, StateMachine
from ib_harness.fake_gateway import FakeGateway

from .conftest import BrokerFactory, transitions

S = BrokerState


def machine_in(state: BrokerState, strict: bool = True) -> StateMachine:
    machine = StateMachine(EventBus(), BrokerMetrics(), strict=strict)
    machine.state = state
    return machine


@pytest.mark.parametrize("old", list(BrokerState))
def test_every_transition_outside_the_table_raises_and_is_published(old: BrokerState) -> None:
    for new in BrokerState:
        machine = machine_in(old)
        if new == old:
            machine.to(new, "same state")  # a no-op, never an error
            assert machine.state == old
        elif new in TRANSITIONS[old]:
            machine.to(new, "allowed")
            assert machine.state == new
        else:
            with pytest.raises(IllegalTransition, match=f"{old.value} -> {new.value}"):
                machine.to(new, "not allowed")
            assert machine.state == old
            assert [e.data for e in machine._events.of_kind("illegal_transition")] == [
                {"from": old.value, "to": new.value, "cause": "not allowed"}]


def test_the_broker_machine_records_an_illegal_transition_and_keeps_going() -> None:
    """Not strict (the broker's): a supervisor bug is published, never a dead supervisor task."""
    machine = machine_in(S.STOPPED, strict=False)
    machine.to(S.READY, "after stop")
    assert machine.state == S.READY
    assert [e.data["to"] for e in machine._events.of_kind("illegal_transition")] == ["ready"]


def test_the_table_names_every_state_and_stopped_is_final() -> None:
    assert set(TRANSITIONS) == set(BrokerState)
    assert TRANSITIONS[S.STOPPED] == frozenset()
    assert all(S.STOPPED in targets for state, targets in TRANSITIONS.items() if state != S.STOPPED)


async def test_a_waiter_sees_a_state_that_lasts_no_loop_turn_at_all() -> None:
    machine = StateMachine(EventBus(), BrokerMetrics())
    waiter = asyncio.ensure_future(machine.wait_for(S.SYNCING, timeout=1))
    await asyncio.sleep(0)  # the waiter is registered
    machine.to(S.CONNECTING, "attempt 1")
    machine.to(S.SYNCING, "connected")
    machine.to(S.READY, "synced")  # in the same turn: SYNCING never lasted a loop turn
    assert await waiter == S.SYNCING


async def test_a_waiter_times_out_and_leaves_nothing_behind() -> None:
    machine = StateMachine(EventBus(), BrokerMetrics())
    with pytest.raises(asyncio.TimeoutError):
        await machine.wait_for(S.READY, timeout=0.05)
    assert machine._waiters == []


async def test_a_waiter_sees_syncing_of_a_real_connect(gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    broker = await make_broker(gateway, connect=False)
    seen = asyncio.ensure_future(broker.machine.wait_for(S.SYNCING, timeout=10))
    await asyncio.sleep(0)
    await broker.connect(timeout=10)
    assert await seen == S.SYNCING
    assert transitions(broker)[:3] == [("disconnected", "connecting"), ("connecting", "syncing"), ("syncing", "ready")]
