"""The wall clock tied to the virtual loop, and the entry points that run code on it.

While a :class:`~.loop.VirtualEventLoop` runs, ``time.time()``, ``datetime.now()`` and friends
read ``epoch + loop.time()``: what ib_insync stamps on ticks and trades, its idle timer (the
Watchdog's), the broker's and the journal's timestamps and the fake gateway's clock all move with
the loop. ``time.monotonic``/``perf_counter`` stay real (the loop does not use them, and wall
time must stay measurable). The patching is time-machine's: it swaps the C functions once, with
no module scan (freezegun's scan is slow and made pandas/pyarrow imports crash in the spike).

One process can tie one virtual loop to the wall clock at a time (the patch is process-wide);
a second one meanwhile is an error, not a silent fight over ``time.time``.
"""

from __future__ import annotations

import asyncio
import random
import threading
import uuid
from datetime import datetime, timezone
from typing import Any, Coroutine, TypeVar

import time_machine

from .loop import VirtualEventLoop
from .scaled import ScaledEventLoop

T = TypeVar("T")
DEFAULT_EPOCH = datetime(2026, 1, 6, 14, 30, tzinfo=timezone.utc)  # a Tuesday, the NYSE open
_tied: list[Any] = []  # the loop whose clock drives time.time() now
_tie_lock = threading.Lock()
BUSY = ("another virtual loop already drives this process's wall clock; "
        "run virtual replays one at a time per process")


def _epoch_seconds(start: datetime | float | None) -> float:
    if start is None:
        start = DEFAULT_EPOCH
    if isinstance(start, datetime):
        if start.tzinfo is None:
            raise ValueError(f"virtual clock start {start.isoformat()} needs a time zone")
        return start.timestamp()
    return float(start)


class WallClock:
    """``time.time() == epoch + loop.time()`` while the loop runs (re-entrant per run)."""

    def __init__(self, loop: "VirtualEventLoop | ScaledEventLoop", start: datetime | float | None = None) -> None:
        self.loop = loop
        self.epoch = _epoch_seconds(start)
        self.epoch_ns = round(self.epoch * 1e9)
        self._traveller: Any = None
        self._coordinates: Any = None
        self._unsubscribe: Any = None

    def now_ns(self) -> int:
        return self.epoch_ns + round(self.loop.time() * 1e9)

    def now(self) -> float:
        """The virtual wall time, patched or not (the gateway's clock uses this); exactly what
        ``time.time()`` returns meanwhile, so stamps taken either way compare equal."""
        return self.now_ns() / 1_000_000_000

    def _follow(self, _: float) -> None:
        coordinates = self._coordinates
        if hasattr(coordinates, "_destination_timestamp_ns"):  # time-machine 2.x/3.x: exact, no tzset
            coordinates._destination_timestamp_ns = self.now_ns()
        else:
            coordinates.move_to(self.now())

    def start(self) -> None:
        with _tie_lock:
            if _tied and _tied[-1] is not self.loop:
                raise RuntimeError(BUSY)
            _tied.append(self.loop)
        self._traveller = time_machine.travel(self.now(), tick=False)
        self._coordinates = self._traveller.start()
        self._follow(0.0)
        self._unsubscribe = self.loop.on_advance(self._follow)

    def stop(self) -> None:
        if self._traveller is None:
            return
        self._unsubscribe()
        self._traveller.stop()
        self._traveller = self._coordinates = None
        with _tie_lock:
            _tied.remove(self.loop)


class SeededIds:
    """``uuid.uuid4()`` from a seeded generator while the loop runs: ids (the broker's order keys)
    repeat from run to run, so traces can be compared byte for byte."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self._original: Any = None

    def uuid4(self) -> uuid.UUID:
        return uuid.UUID(int=self.random.getrandbits(128), version=4)

    def start(self) -> None:
        self._original, uuid.uuid4 = uuid.uuid4, self.uuid4  # type: ignore[assignment]

    def stop(self) -> None:
        if self._original is not None:
            uuid.uuid4, self._original = self._original, None  # type: ignore[assignment]


class VirtualClockLoop(VirtualEventLoop):
    """A virtual loop that ties the wall clock (and seeds uuid4) whenever it runs; pytest-asyncio
    runs one loop many times."""

    def __init__(self, start: datetime | float | None = None, seed: int = 0) -> None:
        super().__init__()
        self.wall = WallClock(self, start)
        self.ids = SeededIds(seed)

    def run_forever(self) -> None:
        self.wall.start()
        self.ids.start()
        try:
            super().run_forever()
        finally:
            self.ids.stop()
            self.wall.stop()


class VirtualLoopPolicy(asyncio.DefaultEventLoopPolicy):
    """New loops are virtual (for pytest-asyncio's ``event_loop_policy`` fixture and the plugin)."""

    def __init__(self, start: datetime | float | None = None) -> None:
        super().__init__()
        self.start = start

    def new_event_loop(self) -> VirtualClockLoop:
        return VirtualClockLoop(self.start)


def run(main: Coroutine[Any, Any, T], start: datetime | float | None = None, seed: int = 0) -> T:
    """``asyncio.run`` on a fresh virtual loop whose wall clock starts at ``start``."""
    if _tied:
        main.close()
        raise RuntimeError(BUSY)
    with asyncio.Runner(loop_factory=lambda: VirtualClockLoop(start, seed)) as runner:
        asyncio.set_event_loop(runner.get_loop())  # ib_insync asks the policy, not the running loop
        try:
            return _run_unprinted(runner, main)
        finally:
            asyncio.set_event_loop(None)


def _run_unprinted(runner: asyncio.Runner, main: Coroutine[Any, Any, T]) -> T:
    """``runner.run(main)`` whose main task ends with None: in the main thread the Runner's SIGINT
    bookkeeping (signal.getsignal on its handler, a partial holding the task) reprs the task, and
    with it the result (for a replay the whole trace, seconds for a week)."""
    box: list[T] = []

    async def keep() -> None:
        box.append(await main)

    runner.run(keep())
    return box[0]


def run_scaled(main: Coroutine[Any, Any, T], scale: float, start: datetime | float | None = None) -> T:
    """``asyncio.run`` on a real-time loop whose clock (and ``time.time()``) runs ``1/scale`` times faster."""
    if _tied:
        main.close()
        raise RuntimeError(BUSY)

    def make() -> ScaledEventLoop:
        loop = ScaledEventLoop(scale)
        loop.wall = WallClock(loop, start)  # type: ignore[attr-defined]
        return loop

    with asyncio.Runner(loop_factory=make) as runner:
        asyncio.set_event_loop(runner.get_loop())
        try:
            return _run_unprinted(runner, main)
        finally:
            asyncio.set_event_loop(None)


def is_virtual(loop: asyncio.AbstractEventLoop | None = None) -> bool:
    """True when ``loop`` (default: the running one) runs on virtual time."""
    return isinstance(loop or asyncio.get_running_loop(), VirtualEventLoop)
