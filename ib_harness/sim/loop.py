"""The virtual-time event loop: time jumps to the next timer whenever nothing is ready.

``VirtualEventLoop`` is a ``SelectorEventLoop`` whose ``time()`` is a number it owns. Its selector
first polls the real file descriptors without blocking (the self-pipe that threads use to wake the
loop); when nothing is ready it does not sleep but advances the loop's time by the timeout the
loop asked for, so the next timer is due at once. An hour of ``asyncio.sleep`` costs only the
callbacks that run in it. ``create_server``/``create_connection`` go to an in-memory network
(:mod:`.network`), so nothing real can arrive "during" a jump.

Work handed to a thread (``run_in_executor``, ``asyncio.to_thread``) stops the clock: while any
is outstanding the selector blocks on the self-pipe, so a thread's result arrives at the virtual
instant it was asked for. Other threads that call back into the loop are not supported.
"""

from __future__ import annotations

import asyncio
import selectors
from typing import Any, Callable

from .network import MemoryNetwork, MemoryServer, MemoryTransport


TICK = 1e-6  # how far time moves when only timers that are due right now remain


class VirtualDeadlock(RuntimeError):
    """Every task waits, no timer is set and no thread is working: nothing can ever happen."""


class VirtualSelector(selectors.BaseSelector):
    """A real selector that, instead of waiting, moves the loop's clock forward."""

    def __init__(self, loop: "VirtualEventLoop") -> None:
        self._real = selectors.DefaultSelector()
        self._loop = loop

    def register(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj: Any) -> selectors.SelectorKey:
        return self._real.unregister(fileobj)

    def modify(self, fileobj: Any, events: int, data: Any = None) -> selectors.SelectorKey:
        return self._real.modify(fileobj, events, data)

    def get_map(self) -> Any:
        return self._real.get_map()

    def close(self) -> None:
        self._real.close()

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = self._real.select(0)
        loop = self._loop
        if ready:
            return ready
        if timeout == 0:
            if not loop._ready:  # type: ignore[attr-defined]
                # only timers are due, at this very instant: a real clock would have moved on by
                # now, and code that reschedules "until strictly later" (ib_insync's request
                # throttle) spins forever unless it does
                loop.advance(TICK)
            return ready
        if loop.threads_working:
            return self._real.select(None)  # the clock stands still while a thread works
        if timeout is None:
            raise VirtualDeadlock("virtual clock: every task is waiting, no timer is scheduled and no "
                                  "thread is working, so nothing can ever happen (a deadlock)")
        loop.advance(timeout)
        return []


class VirtualEventLoop(asyncio.SelectorEventLoop):
    """An asyncio loop on virtual time with an in-memory network."""

    def __init__(self) -> None:
        self._virtual_now = 0.0
        self.threads_working = 0
        self._on_advance: list[Callable[[float], None]] = []
        super().__init__(VirtualSelector(self))
        self.network = MemoryNetwork(self)

    def time(self) -> float:
        return self._virtual_now

    def advance(self, seconds: float) -> None:
        """Move the clock forward (the selector does this; tests may too)."""
        if seconds < 0:
            raise ValueError(f"virtual time cannot go back ({seconds} s)")
        self._virtual_now += seconds
        for listener in tuple(self._on_advance):
            listener(self._virtual_now)

    def on_advance(self, listener: Callable[[float], None]) -> Callable[[], None]:
        """Call ``listener(now)`` after every jump; returns the unsubscribe function."""
        self._on_advance.append(listener)
        return lambda: self._on_advance.remove(listener)

    def run_in_executor(self, executor: Any, func: Callable[..., Any],  # type: ignore[override]
                        *args: Any) -> asyncio.Future[Any]:
        future = super().run_in_executor(executor, func, *args)
        self.threads_working += 1

        def done(_: asyncio.Future[Any]) -> None:
            self.threads_working -= 1

        future.add_done_callback(done)
        return future

    async def shutdown_default_executor(self, *args: Any) -> None:
        """The executor's joining thread calls back from outside ``run_in_executor``: the clock waits."""
        self.threads_working += 1
        try:
            await super().shutdown_default_executor(*args)
        finally:
            self.threads_working -= 1

    async def create_server(self, protocol_factory: Callable[[], asyncio.BaseProtocol],  # type: ignore[override]
                            host: Any = None, port: Any = None, *, sock: Any = None, ssl: Any = None,
                            start_serving: bool = True, **ignored: Any) -> MemoryServer:
        if sock is not None or ssl is not None:
            raise NotImplementedError("the virtual loop's in-memory network has no sockets and no TLS")
        if isinstance(host, (list, tuple)):
            host = host[0] if host else None
        return self.network.listen(protocol_factory, host, int(port or 0))

    async def create_connection(self, protocol_factory: Callable[[], asyncio.BaseProtocol],  # type: ignore[override]
                                host: Any = None, port: Any = None, *, sock: Any = None, ssl: Any = None,
                                **ignored: Any) -> tuple[MemoryTransport, asyncio.BaseProtocol]:
        if sock is not None or ssl is not None:
            raise NotImplementedError("the virtual loop's in-memory network has no sockets and no TLS")
        return await self.network.connect(protocol_factory, host, None if port is None else int(port))
