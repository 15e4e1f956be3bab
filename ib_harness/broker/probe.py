"""Silent-stall detection: any inbound message proves the link; silence for probe_interval sends a
reqCurrentTime probe, an answer overdue degrades, no message within probe_timeout declares it dead.

"Overdue" is judged by the round trips the probe measures, not one fixed number: a link with
300-800 ms each way is slow but healthy. The bound is TCP's retransmission timeout (RFC 6298:
smoothed round trip + 4 x its variation), at least probe_overdue and at most probe_timeout. Each
session starts with a probe sent at once that only seeds it (the regular probes do the judging). A
sample is the time to the probe's own currentTime answer, not to whatever message came first.

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
from .tasks import TaskSlot

log = logging.getLogger("ib_harness.broker.probe")

PROBE = b"49\x001\x00"  # reqCurrentTime, version 1: the cheapest request IB answers; sent past
# ib_insync's request throttle (queued behind it, a busy but healthy link could look dead)


class RoundTrips:
    """The smoothed round trip and its variation (RFC 6298, alpha 1/8, beta 1/4)."""

    def __init__(self) -> None:
        self.srtt: float | None = None
        self.rttvar = 0.0

    def add(self, rtt: float) -> None:
        if self.srtt is None:
            self.srtt, self.rttvar = rtt, rtt / 2
        else:
            self.rttvar = 0.75 * self.rttvar + 0.25 * abs(self.srtt - rtt)
            self.srtt = 0.875 * self.srtt + 0.125 * rtt

    def bound(self, floor: float, ceiling: float) -> float:
        """When an answer is overdue: srtt + 4 rttvar within [floor, ceiling] (floor before any sample)."""
        if self.srtt is None:
            return floor
        return min(ceiling, max(floor, self.srtt + 4 * self.rttvar))


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
        self.round_trips = RoundTrips()
        self._probe_sent_at: float | None = None
        self._arrived = asyncio.Event()
        self._slot = TaskSlot()
        client.on_data(self._on_data)
        self._off_current_time = client.on_current_time(self._on_current_time)

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _on_data(self, data: bytes) -> None:
        decoded = self.client.decoded_messages()
        if decoded != self._decoded:
            self._decoded = decoded
            self.last_rx = self._now()
            self._arrived.set()

    def _on_current_time(self) -> None:
        """The probe's own answer: one round-trip sample (other messages prove the link, but
        arrive on their own schedule)."""
        sent_at, self._probe_sent_at = self._probe_sent_at, None
        if sent_at is None:
            return
        rtt = self._now() - sent_at
        self.round_trips.add(rtt)
        self.events.publish("probe_answered", rtt=round(rtt, 3), overdue_after=round(self.overdue_after(), 3))

    def start(self) -> None:
        self.stop()
        self.round_trips = RoundTrips()  # a new connection may take another route
        self.last_rx = self._now()
        self._slot.start(self._run(), "broker-keepalive")

    def stop(self) -> None:
        self._slot.stop()

    async def close(self) -> None:
        await self._slot.close()
        self.client.off_data(self._on_data)
        self._off_current_time()

    def _orphaned(self) -> bool:
        return not self._slot.owned_by_current()

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

    def _seed(self) -> None:
        """One probe at the start of a session: its answer is the first round-trip sample, so the
        first regular probe is judged by the link as measured (judging is the regular probes' job)."""
        try:
            self.client.send_frame(PROBE)
        except ConnectionError:
            return
        self._probe_sent_at = self._now()

    def overdue_after(self) -> float:
        return self.round_trips.bound(self.overdue, self.timeout)

    async def _run(self) -> None:
        self._seed()
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
                self.client.send_frame(PROBE)
            except ConnectionError:
                self._slot.release()
                self.on_dead(self._now() - self.last_rx)
                return
            self._probe_sent_at = sent_at
            overdue = self.overdue_after()
            self.events.publish("probe_sent", idle=round(idle, 3), overdue_after=round(overdue, 3))
            answered = await self._answered_within(overdue)
            if self._orphaned():
                return
            if not answered:
                if self.suspended:
                    continue
                self.on_overdue()
                remaining = self.timeout - (self._now() - sent_at)
                answered = await self._answered_within(remaining)
                if self._orphaned():
                    return
                if not answered and not self.suspended:
                    silence = self._now() - self.last_rx
                    self.events.publish("probe_timeout", silence=round(silence, 3))
                    self._slot.release()
                    self.on_dead(silence)
                    return
            self.on_answered()
