"""The event log keeps the newest ``max_events`` and numbers events from the first ever, so a
long-running gateway does not grow without bound and a poller's ``since`` stays right."""

from __future__ import annotations

import itertools

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.event_log import EventLog


def test_the_oldest_events_go_and_since_still_counts_them() -> None:
    ticks = itertools.count()
    log = EventLog(lambda: float(next(ticks)), max_events=3)
    for number in range(5):
        log.record("error_sent", None, None, code=number)
    assert [event.data["code"] for event in log] == [2, 3, 4]
    assert (log.dropped, log.total) == (2, 5)
    assert [event["data"]["code"] for event in log.as_dicts(since=3)] == [3, 4]
    assert [event["data"]["code"] for event in log.as_dicts(since=0)] == [2, 3, 4]  # what is left
    assert log.as_dicts(since=5) == []


async def test_the_gateway_setting_bounds_its_log() -> None:
    async with FakeGateway(max_events=100) as gateway:
        for number in range(150):
            gateway.events.record("error_sent", None, None, code=number)
        assert len(gateway.events) == 100
        assert gateway.events.total == len(gateway.events) + gateway.events.dropped
