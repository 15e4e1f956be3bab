"""A keepalive stopped in the very loop turn its probe's answer arrives ends: on Python 3.11
asyncio.wait_for returns the answer and drops the cancellation, and the orphaned loop went on
probing beside the next session's (explore seed 12: no_leaks found Keepalive._run left running)."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from ib_harness.broker.events import EventBus
from ib_harness.broker.probe import Keepalive


class Client:
    """Only what the keepalive uses: a probe that is never answered unless the test says so."""

    def __init__(self) -> None:
        self.sent = 0

    def on_data(self, callback: Callable[[bytes], None]) -> None:
        pass

    def off_data(self, callback: Callable[[bytes], None]) -> None:
        pass

    def on_current_time(self, callback: Callable[[], None]) -> Callable[[], None]:
        return lambda: None

    def decoded_messages(self) -> int:
        return 0

    def send_frame(self, frame: Any) -> None:
        self.sent += 1


async def test_a_keepalive_stopped_as_its_answer_arrives_ends() -> None:
    client = Client()
    calls: list[str] = []
    keepalive = Keepalive(client, EventBus(), interval=0.01, timeout=5.0, overdue=5.0,  # type: ignore[arg-type]
                          on_overdue=lambda: calls.append("overdue"), on_answered=lambda: calls.append("answered"),
                          on_dead=lambda silence: calls.append("dead"))
    keepalive.start()
    while client.sent < 2:  # the seed probe, then a regular one now waiting for its answer
        await asyncio.sleep(0.005)
    task = keepalive._slot.task
    assert task is not None
    keepalive._arrived.set()  # its answer and the session's end in one loop turn
    keepalive.stop()
    await asyncio.sleep(0.05)
    assert task.done() and "answered" not in calls, (task, calls)
    await keepalive.close()
