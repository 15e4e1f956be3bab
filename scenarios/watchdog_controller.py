"""The controller ib_insync's Watchdog drives in watchdog mode: here it starts and stops the
in-process fake gateway, as IBC starts and stops the real one in production.

Watchdog only needs ``await startAsync()`` and ``await terminateAsync()``. A cold restart keeps the
brokerage (orders, fills, positions), as a real IB Gateway restart keeps the account on IB's side.
"""

from __future__ import annotations

from fake_gateway import FakeGateway


class GatewayController:
    """IBC's role for an in-process FakeGateway."""

    def __init__(self, gateway: FakeGateway) -> None:
        self.gateway = gateway
        self.starts = 0
        self.terminations = 0

    async def startAsync(self) -> None:  # noqa: N802 (Watchdog's name)
        self.starts += 1
        await self.gateway.start()

    async def terminateAsync(self) -> None:  # noqa: N802 (Watchdog's name)
        self.terminations += 1
        await self.gateway.close()
