"""A controller for ib_insync's Watchdog that restarts the in-process fake gateway's *process*, the
way IBC restarts IB Gateway in production (Watchdog only needs startAsync/terminateAsync).

What a process restart ends and what it does not:

- ends: every session (closed), the listener (connects are refused until ``startAsync``) and every
  fault of the process or the link (stall, half-open, crash, link shaping, garbage, message faults,
  a lingering client id, the daily restart...);
- goes on: IB's side, which no restart of the gateway reaches: the brokerage (orders, positions,
  the order clock) and the faults marked ``ib_side`` (1100 connectivity, farms, a competing
  session, the nightly reset, pacing). A client that connects after the restart gets their notices.
"""

from __future__ import annotations

from ib_harness.fake_gateway import FakeGateway


class InProcessGatewayController:
    """startAsync listens (again, on the same port); terminateAsync stops the gateway process."""

    def __init__(self, gateway: FakeGateway) -> None:
        self.gateway = gateway
        self.starts = 0
        self.terminations = 0
        self.ended_faults: list[str] = []  # kinds of the faults restarts ended, in order

    async def startAsync(self) -> None:
        self.starts += 1
        await self.gateway.start()

    async def terminateAsync(self) -> None:
        self.terminations += 1
        gateway = self.gateway
        for handle in gateway.faults.handles():
            if handle.stopped_at is None and not handle.fault.ib_side:
                self.ended_faults.append(handle.kind)
                handle.stop()
        gateway.events.record("process_terminated")
        await gateway.stop_listening()
        await gateway.drop_sessions()
