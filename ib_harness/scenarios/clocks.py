"""Which clock a replay runs on, and how to start a replay on it.

``virtual``: a fresh :class:`ib_harness.sim.VirtualClockLoop` whose wall clock starts at the
scenario's ``gateway.start_time``; production timings cost only the callbacks that run.
``real``: an ordinary asyncio loop on the wall clock (the cross-check, threads, real sockets).
One name, one place: the CLI's ``--clock``, the scenario's ``clock:`` key and the plugin's
``--scenario-clock`` all resolve here (flag over file over default).
"""

from __future__ import annotations

import asyncio
from typing import Any, Coroutine, Literal, TypeVar

from ib_harness import sim

Clock = Literal["virtual", "real"]
CLOCKS: tuple[Clock, ...] = ("virtual", "real")
DEFAULT_CLOCK: Clock = "real"
T = TypeVar("T")


def check_clock(value: str, where: str = "--clock") -> Clock:
    """A clock name, or a ValueError that names where the bad value came from."""
    if value not in CLOCKS:
        raise ValueError(f"{where}: {value!r} is not a clock; use one of {', '.join(CLOCKS)}")
    return value  # type: ignore[return-value]


def resolve(flag: str | None, scenario_clock: str | None) -> Clock:
    if flag is not None:
        return check_clock(flag)
    if scenario_clock is not None:
        return check_clock(scenario_clock, "clock")
    return DEFAULT_CLOCK


def run_on(clock: Clock, main: Coroutine[Any, Any, T], start: Any = None, seed: int = 0) -> T:
    """Run ``main`` to completion on a fresh loop of that clock (blocking; from a thread or process)."""
    if clock == "virtual":
        return sim.run(main, start=start, seed=seed)
    return asyncio.run(main)


def on_virtual_loop() -> bool:
    try:
        return sim.is_virtual()
    except RuntimeError:  # no running loop
        return False
