"""ib_insync's internals the broker uses live in one adapter; an ib_insync or ib_async that changes
any of them fails here, naming it, instead of the broker degrading quietly."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any, Callable

import pytest

import ib_harness.broker as broker_package
from ib_harness.broker.backends import load_backend
from ib_harness.broker.client_adapter import INTERNALS, ClientAdapter, check_internals
from ib_harness.fake_gateway import FakeGateway

LIBRARIES = ["ib_insync", "ib_async"]


def new_ib(library: str) -> Any:
    return importlib.import_module(library).IB()  # both are test dependencies: never skipped


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_installed_library_has_every_internal_the_broker_uses(library: str) -> None:
    assert check_internals(new_ib(library)) == []


@pytest.mark.parametrize("library", LIBRARIES)
def test_the_supervised_ib_keeps_them_too(library: str) -> None:
    assert check_internals(load_backend(library).IB()) == []


Breaker = Callable[[Any, pytest.MonkeyPatch], None]

BREAK: dict[str, Breaker] = {
    "client._numMsgRecv": lambda ib, mp: mp.delattr(ib.client, "_numMsgRecv"),
    "client._data": lambda ib, mp: mp.setattr(ib.client, "_data", "text, not bytes"),
    "client.decoder.logger": lambda ib, mp: mp.delattr(ib.client.decoder, "logger"),
    "client.conn.hasData": lambda ib, mp: mp.setattr(ib.client.conn, "hasData", object()),
    "client.conn.disconnected": lambda ib, mp: mp.delattr(ib.client.conn, "disconnected"),
    "client.conn.transport": lambda ib, mp: mp.delattr(ib.client.conn, "transport"),
    "client.conn.sendMsg": lambda ib, mp: mp.setattr(ib.client.conn, "sendMsg", None),
    "client.MaxRequests": lambda ib, mp: mp.setattr(ib.client, "MaxRequests", "45"),
    "client.RequestsInterval": lambda ib, mp: mp.setattr(ib.client, "RequestsInterval", None),
    "wrapper.connectionClosed": lambda ib, mp: mp.setattr(ib.wrapper, "connectionClosed", None),
    "wrapper.currentTime": lambda ib, mp: mp.delattr(type(ib.wrapper), "currentTime"),
    "wrapper.openOrder": lambda ib, mp: mp.delattr(type(ib.wrapper), "openOrder"),
    "wrapper._futures": lambda ib, mp: mp.setattr(ib.wrapper, "_futures", []),
    "wrapper._endReq": lambda ib, mp: mp.delattr(type(ib.wrapper), "_endReq"),
    "wrapper.error warningCodes": lambda ib, mp: mp.setattr(type(ib.wrapper), "error", lambda self, *args: None),
    "wrapper.clientId": lambda ib, mp: mp.setattr(ib.wrapper, "clientId", None),
    "wrapper.ticker2ReqId['mktData']": lambda ib, mp: mp.setattr(ib.wrapper, "ticker2ReqId", {"mktData": []}),
    "wrapper.endTicker": lambda ib, mp: mp.delattr(type(ib.wrapper), "endTicker"),
    "wrapper.reqId2Subscriber": lambda ib, mp: mp.delattr(ib.wrapper, "reqId2Subscriber"),
    "wrapper.lastTime": lambda ib, mp: mp.delattr(ib.wrapper, "lastTime"),
    "wrapper.pendingTickers": lambda ib, mp: mp.setattr(ib.wrapper, "pendingTickers", []),
    "IB.connectAsync startup sync": lambda ib, mp: mp.setattr(
        type(ib), "connectAsync", lambda self, host, port, client_id, timeout=4, readonly=False, account="": None),
    "IB.connectedEvent": lambda ib, mp: mp.setattr(ib, "connectedEvent", None),
}


def test_every_internal_has_a_breaker_here() -> None:
    assert set(BREAK) == {internal.name for internal in INTERNALS}


@pytest.mark.parametrize("library", LIBRARIES)
@pytest.mark.parametrize("name", sorted(BREAK))
def test_a_changed_internal_is_named(library: str, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    ib = new_ib(library)
    BREAK[name](ib, monkeypatch)
    problems = check_internals(ib)
    assert len(problems) == 1 and problems[0].startswith(f"{name} ("), problems


def test_no_other_broker_module_touches_ib_insync_internals() -> None:
    internal_use = re.compile(r"\._numMsgRecv|\.client\._data|\.decoder\b|\.connectionClosed\(|\.wrapper\.|"
                              r"\.conn\.(transport|hasData|disconnected|sendMsg)|_reqIdSeq")
    root = Path(broker_package.__file__).parent
    offenders = [f"{path.relative_to(root)}:{n}: {line.strip()}"
                 for path in sorted(root.rglob("*.py"))
                 if "client_adapter" not in path.relative_to(root).parts and "legacy" not in path.parts
                 for n, line in enumerate(path.read_text().splitlines(), 1) if internal_use.search(line)]
    assert offenders == []


@pytest.mark.parametrize("library", LIBRARIES)
async def test_the_internals_mean_what_the_broker_reads_them_for(gateway: FakeGateway, library: str) -> None:
    """Over a real session: messages are counted, nothing is left half-read, a line has its id."""
    lib = importlib.import_module(library)
    ib = lib.IB()
    adapter = ClientAdapter(ib)
    chunks: list[int] = []
    adapter.on_data(lambda data: chunks.append(adapter.decoded_messages()))
    await ib.connectAsync(gateway.host, gateway.port, 7, timeout=5)
    try:
        assert adapter.has_socket() and adapter.decoded_messages() > 0 and chunks and chunks == sorted(chunks)
        assert adapter.pending_input() == b""
        [contract] = await ib.qualifyContractsAsync(lib.Stock("AAPL", "SMART", "USD"))
        ticker = ib.reqMktData(contract)
        assert adapter.market_data_subscribed(ticker) and adapter.market_data_req_id(ticker) > 0
    finally:
        ib.disconnect()
        adapter.fail_pending_requests()
