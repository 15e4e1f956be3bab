"""Random requests of every known message id: answered or refused, never an internal error.

A handler that raises closes its connection with "internal error" in the log; for random input
that is a bug (a bad field must be refused with an IB error), so any such line fails the test.
"""

from __future__ import annotations

import asyncio
import logging

from hypothesis import given, settings
from hypothesis import strategies as st

from ib_harness.fake_gateway import FakeGateway, GatewayConfig
from ib_harness.fake_gateway.faults.base import Fault
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.session.session import Session
from ib_harness.scenarios.smoke import run_smoke
from ib_harness.fake_gateway.wire.table import INCOMING

FIELD = st.one_of(
    st.sampled_from(["", "0", "1", "-1", "2", "176", "AAPL", "STK", "SMART", "USD", "EUR", "CASH", "IDEALPRO",
                     "BUY", "SELL", "LMT", "MKT", "STP", "DAY", "GTC", "1.5", "nan", "inf", "1e308", "-5",
                     "265598", "DU1234567", "All", "1 D", "5 mins", "TRADES", "MIDPOINT", "20261124 10:00:00"]),
    st.integers(-2**40, 2**40).map(str),
    st.text(alphabet=st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), max_size=12),
)
REQUEST = st.tuples(st.sampled_from(sorted(INCOMING)), st.lists(FIELD, max_size=60))


@settings(max_examples=300, deadline=None)
@given(batch=st.lists(REQUEST, min_size=1, max_size=8))
def test_random_requests_never_raise_inside_the_gateway(batch: list[tuple[int, list[str]]]) -> None:
    asyncio.run(_exercise(batch))


async def _exercise(batch: list[tuple[int, list[str]]]) -> None:
    records: list[logging.LogRecord] = []
    handler = _ListHandler(records)
    logger = logging.getLogger("ib_harness.fake_gateway")
    logger.addHandler(handler)
    try:
        async with FakeGateway(market_ticker=False, max_messages_per_second=10_000) as gateway:
            fuzzer = await _ready_client(gateway, 1)
            witness = await _ready_client(gateway, 2)
            for msg_id, fields in batch:
                fuzzer.send([str(msg_id), *fields])
            fuzzer.send(["49", "1"])
            try:
                await fuzzer.read_until("49", timeout=2.0)
            except EOFError:
                pass  # a request that IB answers by disconnecting is allowed; a crash is not
            witness.send(["49", "1"])
            assert (await witness.read_until("49"))[-1][0] == "49"
            await fuzzer.close()
            await witness.close()
    finally:
        logger.removeHandler(handler)
    crashes = [r.getMessage() for r in records if "internal error" in r.getMessage() or r.levelno >= logging.ERROR]
    assert not crashes, f"{batch!r} -> {crashes}"


async def _ready_client(gateway: FakeGateway, client_id: int) -> RawTwsClient:
    client = await RawTwsClient.connect(gateway.host, gateway.port)
    await client.handshake()
    await client.start_api(client_id)
    await client.read_until("9")
    return client


class _ListHandler(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _RequestRecorder(Fault):
    """Keeps every request a real client sent: the templates for mutation."""

    def __init__(self) -> None:
        self.requests: list[list[str]] = []

    def on_request(self, session: Session, fields: list[str]) -> bool:
        self.requests.append(list(fields))
        return True


def _real_requests() -> list[list[str]]:
    """What ib_insync really sends in the smoke replay (startup sync, contracts, data, orders)."""
    async def record() -> list[list[str]]:
        recorder = _RequestRecorder()
        report = await run_smoke(GatewayConfig(market_ticker=False), faults=[recorder])
        assert report.ok
        return [r for r in recorder.requests if r[0] != "71"]

    return asyncio.run(record())


TEMPLATES = _real_requests()


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_real_requests_never_raise_inside_the_gateway(data: st.DataObject) -> None:
    batch = []
    for _ in range(data.draw(st.integers(1, 6), label="requests")):
        fields = list(data.draw(st.sampled_from(TEMPLATES), label="template"))
        for _ in range(data.draw(st.integers(1, 4), label="mutations")):
            index = data.draw(st.integers(1, max(1, len(fields) - 1)), label="index")
            if index < len(fields):
                fields[index] = data.draw(FIELD, label="value")
        if data.draw(st.booleans(), label="truncate"):
            fields = fields[: data.draw(st.integers(1, len(fields)), label="keep")]
        batch.append((int(fields[0]), fields[1:]))
    asyncio.run(_exercise(batch))
