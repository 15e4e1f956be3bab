"""Silent-stall detection: any inbound message proves the link; silence for probe_interval sends a
reqCurrentTime probe, an answer overdue degrades, no message within probe_timeout declares it dead.

It watches ib_insync's socket directly (after ib_insync has decoded each chunk, through the
client adapter), so it works whether the gateway is silent with the socket open or the peer vanished and
the socket is half-open: both look the same from here, nothing arrives. Progress is counted in
decoded messages, not bytes: bytes that never complete a frame (a stream out of sync) are silence.
Sending never blocks on a dead peer (the kernel buffers it).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

from .client_adapter import ClientAdapter
from .events import EventBus

log = logging.getLogger("ib_harness.broker.probe")

PROBE = b"49\x001\x00"  # reqCurrentTime, version 1: the cheapest request IB answers


class Keepalive:
    def __init__(self, client: ClientAdapter, events: EventBus, interval: float, timeout: float, overdue: float,
                 on_overdue: Callable[[], None], on_answered: Callable[[], None],
                 on_dead: Callable[[float], None]) -> None:
        self.client = client
        self.events = events
        self.interval = interval
        self.timeout = timeout
        self.overdue = min(overdue, timeout)
        self.on_overdue = on_overdue
        self.on_answered = on_answered
        self.on_dead = on_dead
        self.last_rx = 0.0
        self._decoded = 0
        self.suspended = False  # during IB 1100 silence is expected; the grace timer escalates instead
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        client.on_data(self._on_data)

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _on_data(self, data: bytes) -> None:
        decoded = self.client.decoded_messages()
        if decoded != self._decoded:
            self._decoded = decoded
            self.last_rx = self._now()
            self._arrived.set()

    def start(self) -> None:
        self.stop()
        self.last_rx = self._now()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="broker-keepalive")

    def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def close(self) -> None:
        task, self._task = self._task, None
        while task is not None and not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=0.1)
        self.client.off_data(self._on_data)

    def _send_probe(self) -> None:
        """reqCurrentTime (49,1) written straight to the socket: queued behind ib_insync's request
        throttle it could wait seconds and make a busy but healthy link look dead."""
        self.client.send_frame(PROBE)

    async def _answered_within(self, seconds: float) -> bool:
        """Whether a message arrived within ``seconds``. An answer read in the same loop turn as the
        timer fired counts: after a busy stretch of this process (a burst of API requests) the
        socket is read first and the timer runs next, before the waiting task could wake."""
        if seconds <= 0:
            return self._arrived.is_set()
        try:
            await asyncio.wait_for(self._arrived.wait(), seconds)
            return True
        except asyncio.TimeoutError:
            return self._arrived.is_set()

    async def _run(self) -> None:
        while True:
            idle = self._now() - self.last_rx
            if self.suspended:
                await asyncio.sleep(self.interval)
                continue
            if idle < self.interval:
                await asyncio.sleep(self.interval - idle)
                continue
            self._arrived.clear()
            sent_at = self._now()
            try:
                self._send_probe()
            except ConnectionError:
                self._task = None
                self.on_dead(self._now() - self.last_rx)
                return
            self.events.publish("probe_sent", idle=round(idle, 3))
            if not await self._answered_within(self.overdue):
                if self.suspended:
                    continue
                self.on_overdue()
                remaining = self.timeout - (self._now() - sent_at)
                if not await self._answered_within(remaining) and not self.suspended:
                    silence = self._now() - self.last_rx
                    self.events.publish("probe_timeout", silence=round(silence, 3))
                    self._task = None
                    self.on_dead(silence)
                    return
            self.on_answered()
