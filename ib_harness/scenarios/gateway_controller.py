"""A controller for ib_insync's Watchdog that starts and stops an in-process fake gateway, the way
IBC starts and stops IB Gateway in production (Watchdog only needs startAsync/terminateAsync)."""

from __future__ import annotations

from ib_harness.fake_gateway import FakeGateway


class InProcessGatewayController:
    """startAsync listens (again, on the same port); terminateAsync closes every session and stops
    listening, like stopping the gateway process. The brokerage (orders, positions) survives."""

    def __init__(self, gateway: FakeGateway) -> None:
        self.gateway = gateway
        self.starts = 0
        self.terminations = 0

    async def startAsync(self) -> None:
        self.starts += 1
        await self.gateway.start()

    async def terminateAsync(self) -> None:
        self.terminations += 1
        await self.gateway.close()
