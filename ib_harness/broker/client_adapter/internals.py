"""The client library's internals the broker uses, each with why, and the check that they are all
still there (:func:`check_internals`): an upgrade that moved one fails by name, in
tests/broker/test_client_adapter.py, instead of the broker degrading quietly."""

from __future__ import annotations

import ast
import inspect
import logging
import textwrap
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Internal:
    name: str
    why: str
    check: Callable[[Any], str | None]  # given an IB instance: None, or what is wrong


def _attr(path: str, *types: type) -> Callable[[Any], str | None]:
    def check(ib: Any) -> str | None:
        value: Any = ib
        for part in path.split("."):
            if not hasattr(value, part):
                return f"{path}: {type(value).__name__} has no attribute {part!r}"
            value = getattr(value, part)
        if types and not isinstance(value, types):
            return f"{path}: expected {' or '.join(t.__name__ for t in types)}, found {type(value).__name__}"
        return None
    return check


def _callable(path: str) -> Callable[[Any], str | None]:
    def check(ib: Any) -> str | None:
        problem = _attr(path)(ib)
        if problem is None and not callable(_get(ib, path)):
            return f"{path}: not callable"
        return problem
    return check


def _event(path: str) -> Callable[[Any], str | None]:
    def check(ib: Any) -> str | None:
        problem = _attr(path)(ib)
        if problem is None and not (hasattr(_get(ib, path), "connect") and hasattr(_get(ib, path), "emit")):
            return f"{path}: not an event (no connect/emit)"
        return problem
    return check


def read_warning_codes(library: Any) -> frozenset[int]:
    """The library's own warning set, read from its source (it is a local in Wrapper.error)."""
    return _warning_codes_of(library.wrapper.Wrapper)


def _warning_codes_of(wrapper: Any) -> frozenset[int]:
    tree = ast.parse(textwrap.dedent(inspect.getsource(wrapper.error)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "warningCodes" for t in node.targets):
            return frozenset(c.value for c in ast.walk(node.value) if isinstance(c, ast.Constant) and isinstance(c.value, int))
    raise RuntimeError(f"{wrapper.__module__}.{wrapper.__name__}.error: no warningCodes set (the error handling moved)")



def _warning_code_set(ib: Any) -> str | None:
    try:
        _warning_codes_of(type(ib.wrapper))
    except (RuntimeError, TypeError, OSError, SyntaxError) as exc:
        return str(exc)
    return None


def _market_data_map(ib: Any) -> str | None:
    problem = _attr("wrapper.ticker2ReqId", dict)(ib)
    if problem is None and not isinstance(ib.wrapper.ticker2ReqId["mktData"], dict):
        return "wrapper.ticker2ReqId['mktData']: not a dict of ticker -> request id"
    return problem


STARTUP_SYNC_PARAMETERS = ["self", "host", "port", "clientId", "timeout", "readonly", "account"]
# what each library's connectAsync adds after those (ib_async 2.x: sync errors raised, fields fetched)
EXTRA_SYNC_PARAMETERS = {"ib_insync": [], "ib_async": ["raiseSyncErrors", "fetchFields"]}


def _startup_sync(ib: Any) -> str | None:
    """The sync SupervisedIB repeats is ib_insync 0.9.86's; upstream changing its signature (as
    ib_async did: raiseSyncErrors, fetchFields) means its steps may have changed too."""
    found = list(inspect.signature(getattr(_library_ib(ib), "connectAsync")).parameters)
    if found[:len(STARTUP_SYNC_PARAMETERS)] != STARTUP_SYNC_PARAMETERS:
        return f"IB.connectAsync{tuple(found)}: expected the parameters {tuple(STARTUP_SYNC_PARAMETERS)} first"
    library = _library_ib(ib).__module__.split(".")[0]
    extra = EXTRA_SYNC_PARAMETERS.get(library, [])
    if found[len(STARTUP_SYNC_PARAMETERS):] != extra:
        return (f"IB.connectAsync{tuple(found)}: after {STARTUP_SYNC_PARAMETERS[-1]!r} {library} had "
                f"{tuple(extra)}, found {tuple(found[len(STARTUP_SYNC_PARAMETERS):])}")
    for name in ("reqPositionsAsync", "reqOpenOrdersAsync", "reqCompletedOrdersAsync", "reqAccountUpdatesAsync",
                 "reqAccountUpdatesMultiAsync", "reqExecutionsAsync", "reqAutoOpenOrders"):
        if not callable(getattr(ib, name, None)):
            return f"IB.{name}: missing (used by the startup sync)"
    return _attr("MaxSyncedSubAccounts", int)(ib)


INTERNALS: tuple[Internal, ...] = (
    Internal("client._numMsgRecv", "the keepalive counts decoded messages: bytes that never complete a "
             "frame (a stream out of sync) are silence", _attr("client._numMsgRecv", int)),
    Internal("client._data", "the stream guard reads the length prefix of the frame being received",
             _attr("client._data", bytes, bytearray)),
    Internal("client.decoder.logger", "the stream guard counts the decoder's exception records (it logs "
             "an undecodable frame and carries on)", _attr("client.decoder.logger", logging.Logger)),
    Internal("client.conn.hasData", "probe and stream guard run after each chunk ib_insync decoded",
             _event("client.conn.hasData")),
    Internal("client.conn.disconnected", "a connect fails at once when the peer closes meanwhile",
             _event("client.conn.disconnected")),
    Internal("client.conn.transport", "abort the socket (RST) so a dead peer cannot hold a close",
             _attr("client.conn.transport")),
    Internal("client.conn.sendMsg", "the probe bypasses ib_insync's request throttle",
             _callable("client.conn.sendMsg")),
    Internal("client.MaxRequests", "the request throttle (documented, but a rename would silently unthrottle)",
             _attr("client.MaxRequests", int)),
    Internal("client.RequestsInterval", "the request throttle (documented, but a rename would silently unthrottle)",
             _attr("client.RequestsInterval", int, float)),
    Internal("wrapper.connectionClosed", "fail the request futures a dead socket leaves pending",
             _callable("wrapper.connectionClosed")),
    Internal("wrapper.currentTime", "the probe's round trip ends when its currentTime answer is decoded "
             "(the decoder looks the method up per message)", _callable("wrapper.currentTime")),
    Internal("wrapper.openOrder", "IB's status in an openOrder's orderState: the libraries drop it for an "
             "order they already track, and it is the acknowledgement when the orderStatus frames are lost",
             _callable("wrapper.openOrder")),
    Internal("wrapper._futures", "a request a backend does not fail on a refusing code (ib_async: 321, 329) "
             "is failed by the broker", _attr("wrapper._futures", dict)),
    Internal("wrapper._endReq", "ends such a request with IB's error", _callable("wrapper._endReq")),
    Internal("wrapper.error warningCodes", "the codes the library does not fail a request or order on "
             "(backends.py reads them; ib_async added 105, 321, 329 and dropped 202)", _warning_code_set),
    Internal("wrapper.clientId", "set before the handshake, as IB.connectAsync does", _attr("wrapper.clientId", int)),
    Internal("wrapper.ticker2ReqId['mktData']", "the request id of a market-data line (to match IB's errors)",
             _market_data_map),
    Internal("wrapper.endTicker", "forget a line IB refused (101) without cancelling it at IB",
             _callable("wrapper.endTicker")),
    Internal("wrapper.reqId2Subscriber", "whether a bar subscription is still registered",
             _attr("wrapper.reqId2Subscriber", dict)),
    Internal("wrapper.lastTime", "marks which data chunk a 10197 fell in", _attr("wrapper.lastTime")),
    Internal("wrapper.pendingTickers", "tickers with ticks in the chunk being processed",
             _attr("wrapper.pendingTickers", set)),
    Internal("IB.connectAsync startup sync", "SupervisedIB repeats its steps with a gap list instead of a "
             "TimeoutError", _startup_sync),
    Internal("IB.connectedEvent", "emitted when the sync is done (the Watchdog and the broker follow it)",
             _event("connectedEvent")),
)


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _library_ib(ib: Any) -> type:
    """The library's own IB class of ``ib`` (SupervisedIB overrides connectAsync)."""
    for cls in type(ib).__mro__:
        if cls.__name__ == "IB" and cls.__module__.split(".")[0] in ("ib_insync", "ib_async"):
            return cls
    return type(ib)


def check_internals(ib: Any) -> list[str]:
    """Every internal the broker uses that ``ib`` (an IB of ib_insync or ib_async) lacks, by name."""
    problems = []
    for internal in INTERNALS:
        try:
            problem = internal.check(ib)
        except Exception as exc:  # a changed shape can fail in any way: report it, by name
            problem = f"{internal.name}: {exc!r}"
        if problem is not None:
            problems.append(f"{internal.name} ({internal.why}): {problem}")
    return problems
