"""Helpers of the IB status fault tests, and a barrier that proves a negative.

To show that a tick did NOT reach a client, the test sends that client a marker notice (an
``ib_error`` fault) after the price change: the gateway writes frames in order on one socket, so
once the marker has arrived, any tick sent before it would have arrived too.
"""

from __future__ import annotations

import itertools
from typing import Any

from ib_insync import Stock

from ib_harness.fake_gateway import FakeGateway
from tests.faults.clients import Observed
from tests.waiting import until

AAPL = 265598
ACCOUNT = "DU1234567"
MARKER_CODE = 2107  # a harmless farm-status warning; the clients only log it
_markers = itertools.count(1)


def aapl() -> Stock:
    return Stock("AAPL", "SMART", "USD")


async def barrier(gateway: FakeGateway, client: Observed, client_id: int) -> None:
    """Return once everything the gateway wrote to ``client_id`` so far has reached the client."""
    text = f"barrier {next(_markers)}"
    gateway.faults.inject({"kind": "ib_error", "client_id": client_id, "code": MARKER_CODE, "text": text})
    await until(lambda: (-1, MARKER_CODE, text) in client.errors, what=f"the marker {text!r}")


def session_of(gateway: FakeGateway, client_id: int) -> Any:
    session = gateway.session_for(client_id)
    assert session is not None, f"client {client_id} has no session"
    return session
