"""The connection and link fault tests run twice: on real TCP with the real clock, and on the
virtual clock's in-memory network (issue 20: every fault keeps its meaning in both modes)."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import pytest

from ib_harness.sim import VirtualClockLoop

BOTH_MODES = {"test_connection.py", "test_link.py", "test_link_order.py"}


def _real_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_event_loop_policy().new_event_loop()


@pytest.hookimpl(optionalhook=True)
def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Callable[[], Any]]:
    if item.path.name in BOTH_MODES:
        return {"real": _real_loop, "virtual": VirtualClockLoop}
    return {"real": _real_loop}
