"""ib_insync connected to a fake gateway, with every error it hears (the notices at connect too)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import AsyncIterator

from ib_insync import IB

from ib_harness.fake_gateway import FakeGateway


@asynccontextmanager
async def ib_and_errors(gateway: FakeGateway, client_id: int = 1) -> AsyncIterator[tuple[IB, list[tuple[int, int, str]]]]:
    ib = IB()
    errors: list[tuple[int, int, str]] = []
    ib.errorEvent += lambda req_id, code, text, *rest: errors.append((req_id, code, text))
    await ib.connectAsync(gateway.host, gateway.port, clientId=client_id, timeout=2)
    try:
        yield ib, errors
    finally:
        ib.disconnect()
