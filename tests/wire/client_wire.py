"""The three real TWS clients (ib_insync, ib_async, official ibapi) driven without a socket.

Layout tests need two things from each client, at a chosen server version: the fields its own
send path writes for a call, and the callbacks its own decoder makes for our frames. Each client
gets exactly one way of doing each, here, so the order and market tests check layouts the same way.
A client library is imported only when that client is driven.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import struct
from datetime import timezone
from types import ModuleType, SimpleNamespace
from typing import Any, Awaitable, Callable, Iterable

from tests.ibapi_app import EWRAPPER_CALLBACKS

Call = tuple[str, tuple]
CLIENTS = ("ib_insync", "ib_async", "ibapi")
# The highest server version each client is driven at: MaxClientVersion for ib_insync and
# ib_async; for ibapi, the last version before messages turn to protobuf (201).
MAX_VERSION = {"ib_insync": 176, "ib_async": 178, "ibapi": 200}


def client_cases(versions: Iterable[int], clients: Iterable[str] = CLIENTS) -> list[tuple[str, int]]:
    """(client, version) pairs for each client, at the given versions it can speak."""
    versions = tuple(versions)
    return [(c, v) for c in clients for v in versions if v <= MAX_VERSION[c]]


def split_frame(frame: bytes) -> list[str]:
    """Undo the framing: the length prefix must match, and every field ends with a NUL."""
    (length,) = struct.unpack(">I", frame[:4])
    assert length == len(frame) - 4
    fields = frame[4:].decode().split("\0")
    assert fields[-1] == ""
    return fields[:-1]


# --- recording wrappers ------------------------------------------------------------------------


class InsyncRecorder:
    """Stands in for ib_insync's / ib_async's Wrapper: every callback is recorded.

    ``ib`` and ``defaultTimezone`` are read by the decoders when they parse execution times.
    """

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.ib = SimpleNamespace(TimezoneTWS=None)
        self.defaultTimezone = timezone.utc

    def __getattr__(self, name: str) -> Callable[..., None]:
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args: self.calls.append((name, args))


@functools.cache
def _ibapi_recorder_class() -> type:
    """An EWrapper whose every public callback (logAnswer aside) records (name, args)."""
    from ibapi.wrapper import EWrapper

    def recording(name: str) -> Callable[..., None]:
        return lambda self, *args: self.calls.append((name, args))

    def __init__(self: Any) -> None:
        EWrapper.__init__(self)
        self.calls = []

    return type("IbapiRecorder", (EWrapper,), {"__init__": __init__, **{n: recording(n) for n in EWRAPPER_CALLBACKS}})


def ibapi_recorder() -> Any:
    """A fresh recording EWrapper; ``.calls`` holds what it received, errors included."""
    return _ibapi_recorder_class()()


# --- requests: what each client's own send path writes -----------------------------------------


def record_insync(pkg: str, version: int,
                  action: Callable[[Any, ModuleType], Awaitable[None] | None]) -> list[list[str]]:
    """Run ``action(ib, module)`` on an IB whose client is 'connected' to a recording stub.

    The real ``Client.sendMsg`` runs (it frames and throttles on the event loop), so a fresh
    loop is set for the call; request ids count from 3, and requests still awaiting replies
    that never come are cancelled at the end.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    sent: list[bytes] = []
    try:
        module = importlib.import_module(pkg)
        ib = module.IB()
        client = ib.client
        client.conn = SimpleNamespace(sendMsg=sent.append, disconnect=lambda: None, numBytesSent=0, numMsgSent=0)
        client.connState, client._apiReady = client.CONNECTED, True
        client._serverVersion, client._reqIdSeq = version, 3

        async def run() -> None:
            try:
                result = action(ib, module)
                if asyncio.iscoroutine(result):
                    await result
            finally:
                pending = asyncio.all_tasks() - {asyncio.current_task()}
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                client.connState = client.DISCONNECTED  # IB.__del__ then leaves the stub alone

        loop.run_until_complete(run())
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return [split_frame(frame) for frame in sent]


def record_ibapi(version: int, action: Callable[[Any], None]) -> list[list[str]]:
    """Run ``action(client)`` on an EClient 'connected' to a recording stub.

    EClient reports a refused request through ``wrapper.error`` rather than raising, so no
    callback at all must have reached the wrapper.
    """
    from ibapi.client import EClient

    wrapper = ibapi_recorder()
    client = EClient(wrapper)
    sent: list[bytes] = []
    client.conn = SimpleNamespace(sendMsg=sent.append, isConnected=lambda: True)
    client.serverVersion_, client.connState = version, EClient.CONNECTED
    action(client)
    assert wrapper.calls == [], "client-side error"
    return [split_frame(frame) for frame in sent]


# --- replies: what each client's own decoder makes of our frames -------------------------------


def feed(client: str, version: int, frames: Iterable[bytes]) -> list[Call]:
    """Decode ``frames`` with the client's own decoder and return the callbacks it made."""
    if client == "ibapi":
        return _feed_ibapi(version, frames)
    recorder = InsyncRecorder()
    decoder = importlib.import_module(f"{client}.decoder").Decoder(recorder, version)
    for frame in frames:  # interpret() logs and drops a message it cannot unpack
        decoder.interpret(split_frame(frame))
    return recorder.calls


def _feed_ibapi(version: int, frames: Iterable[bytes]) -> list[Call]:
    """Split like ``EClient.run`` does below version 201: id text, then the remaining fields.

    A message with a plain signature goes through ``interpret``, which drops it on a wrong field
    count; one with its own reader is read directly, so fields it leaves unread fail the test.
    """
    from ibapi import comm
    from ibapi.decoder import Decoder

    wrapper = ibapi_recorder()
    decoder = Decoder(wrapper, version)
    for frame in frames:
        split_frame(frame)
        payload = frame[4:]
        cut = payload.index(b"\0")
        msg_id, fields = int(payload[:cut]), comm.read_fields(payload[cut + 1:])
        info = decoder.msgId2handleInfo.get(msg_id)
        if info is None or info.processMeth is None:
            decoder.interpret(fields, msg_id)
        else:
            remaining = iter(fields)
            info.processMeth(decoder, remaining)
            assert next(remaining, None) is None, f"ibapi left fields of message {msg_id} unread"
    return wrapper.calls
