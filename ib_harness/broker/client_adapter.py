"""Every use of ib_insync's internals, in this one module (no other broker module touches them).

The broker needs a few things ib_insync has no public API for: the count of decoded messages (the
keepalive judges progress in messages, not bytes), the bytes of the frame still being read and the
decoder's logger (the stream guard), failing the request futures a dead socket leaves pending, the
request id of a market-data line and whether a subscription is still registered (market data), and
a startup sync that survives an unanswered request (ib_insync#638, ib_async#82). Each is listed in
INTERNALS with why it is used; :func:`check_internals` names every one a new ib_insync, or ib_async
(its fork, which keeps the same names), no longer has, and tests/broker/test_client_adapter.py runs
it against the installed versions so an upgrade fails loudly instead of the broker degrading quietly.

Both backends (ib_insync, ib_async: see backends.py) go through here: :func:`supervised_ib_class`
builds SupervisedIB on either library's IB, and the same :class:`ClientAdapter` serves both (their
internals carry the same names; check_internals proves it for the installed versions).
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import struct
from dataclasses import dataclass
from typing import Any, Callable

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (either library)
    from ib_insync import IB, BarDataList, Ticker

log = logging.getLogger("ib_harness.broker.client_adapter")


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
    import ast
    import inspect
    import textwrap
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


class SupervisedSync:
    """The startup sync of ib_insync 0.9.86 (ib_async 2.1's is the same steps), except that a
    request left unanswered (reqExecutions without execDetailsEnd: ib_insync#638, ib_async#82) is
    recorded in ``sync_gaps`` instead of failing the whole connect with TimeoutError. The Watchdog
    calls this connectAsync too, so both supervisors get it. Mixed into either library's IB by
    :func:`supervised_ib_class`.

    On ib_async it takes ib_async's extra parameters: ``fetchFields`` (default ``startup_fetch``,
    which the broker sets from its backend) leaves out what it does not name, as ib_async does
    (``sync_skipped`` names what was left out), except that sub-account updates are still asked
    for when no single account's updates are (they are then the only account values);
    ``raiseSyncErrors`` raises ConnectionError naming the gaps instead of connecting with them."""

    sync_gaps: tuple[str, ...] = ()
    sync_skipped: tuple[str, ...] = ()  # what fetchFields left out of the last startup sync
    sync_account = ""  # the account the startup sync subscribed to
    startup_fetch: Any = None  # ib_async's StartupFetch flags (None: everything)

    async def connectAsync(self: Any, host: str = "127.0.0.1", port: int = 7497, clientId: int = 1,  # noqa: N803
                           timeout: float | None = 4, readonly: bool = False, account: str = "",
                           raiseSyncErrors: bool = False, fetchFields: Any = None) -> Any:  # noqa: N803
        fetch = fetchFields if fetchFields is not None else self.startup_fetch
        flags = getattr(importlib.import_module(type(self)._library), "StartupFetch", None)

        def wanted(flag: str) -> bool:
            return fetch is None or flags is None or bool(fetch & getattr(flags, flag))

        client_id = int(clientId)
        self.wrapper.clientId = client_id
        wait = timeout or None
        self.sync_gaps = ()
        self.sync_skipped = tuple(name for flag, name in (("ORDERS_OPEN", "open orders"),
                                                          ("ORDERS_COMPLETE", "completed orders"),
                                                          ("EXECUTIONS", "executions")) if not wanted(flag))
        try:
            await self.client.connectAsync(host, port, client_id, wait)
            if client_id == 0:
                self.reqAutoOpenOrders(True)  # autobind manual orders
            accounts = self.client.getAccounts()
            if not account and len(accounts) == 1:
                account = accounts[0]
            self.sync_account = account
            requests: dict[str, Any] = {"positions": self.reqPositionsAsync()}
            if not readonly and wanted("ORDERS_OPEN"):
                requests["open orders"] = self.reqOpenOrdersAsync()
            if not readonly and self.client.serverVersion() >= 150 and wanted("ORDERS_COMPLETE"):
                requests["completed orders"] = self.reqCompletedOrdersAsync(False)
            if account and wanted("ACCOUNT_UPDATES"):
                requests["account updates"] = self.reqAccountUpdatesAsync(account)
            if len(accounts) <= self.MaxSyncedSubAccounts and (wanted("SUB_ACCOUNT_UPDATES")
                                                               or "account updates" not in requests):
                for acc in accounts:
                    requests[f"account updates for {acc}"] = self.reqAccountUpdatesMultiAsync(acc)
            answers = await asyncio.gather(*(asyncio.wait_for(r, wait) for r in requests.values()),
                                           return_exceptions=True)
            gaps = [name for name, answer in zip(requests, answers) if _unanswered(answer)]
            if wanted("EXECUTIONS"):
                try:  # after the orders, as ib_insync does: executions need their orders
                    await asyncio.wait_for(self.reqExecutionsAsync(), wait)
                except asyncio.TimeoutError:
                    gaps.append("executions")
            if raiseSyncErrors and gaps:
                raise ConnectionError(f"startup sync incomplete: {', '.join(gaps)} unanswered")
            if not self.client.isReady():
                raise ConnectionError("Socket connection broken while connecting")
            self.sync_gaps = tuple(gaps)
            if gaps:
                log.warning("startup sync incomplete: %s unanswered", ", ".join(gaps))
            self.connectedEvent.emit()
        except BaseException:
            self.disconnect()
            raise
        return self


@cache
def supervised_ib_class(library: Any) -> type:
    """SupervisedIB on ``library``'s IB (the ib_insync or ib_async module): one class per library."""
    return type("SupervisedIB", (SupervisedSync, library.IB),
                {"__module__": __name__, "__doc__": SupervisedSync.__doc__, "_library": library.__name__})


def _unanswered(answer: object) -> bool:
    if isinstance(answer, ConnectionError):
        raise answer
    return isinstance(answer, BaseException)


class ClientAdapter:
    """The broker's only door to ib_insync's internals (see INTERNALS for why each is used)."""

    def __init__(self, ib: IB) -> None:
        self.ib = ib

    # ----- the socket and the decoder ---------------------------------------------------------------

    def decoded_messages(self) -> int:
        """Messages ib_insync has decoded on this connection (reset per connect)."""
        return int(self.ib.client._numMsgRecv)

    def pending_input(self) -> bytes:
        """The bytes received but not yet decoded (the start of the next frame)."""
        return bytes(self.ib.client._data)

    def on_data(self, callback: Callable[[bytes], None]) -> None:
        """``callback`` runs after ib_insync has decoded each received chunk."""
        self.ib.client.conn.hasData += callback

    def off_data(self, callback: Callable[[bytes], None]) -> None:
        self.ib.client.conn.hasData -= callback

    def on_closed(self, callback: Callable[[str], None]) -> None:
        self.ib.client.conn.disconnected += callback

    def off_closed(self, callback: Callable[[str], None]) -> None:
        self.ib.client.conn.disconnected -= callback

    def has_socket(self) -> bool:
        return self.ib.client.conn.transport is not None

    def abort_socket(self) -> bool:
        """Drop the socket at once (RST, no flush): a dead peer cannot hold us in close()."""
        transport = self.ib.client.conn.transport
        if transport is None:
            return False
        transport.abort()
        return True

    def send_frame(self, payload: bytes) -> None:
        """Write one message straight to the socket, past ib_insync's request throttle."""
        if not self.ib.client.isConnected() or self.ib.client.conn.transport is None:
            raise ConnectionError("Not connected")
        self.ib.client.conn.sendMsg(struct.pack(">I", len(payload)) + payload)

    def fail_pending_requests(self) -> None:
        """Fail every request future still pending (IB.disconnect alone leaves them waiting)."""
        self.ib.wrapper.connectionClosed()

    def close(self) -> None:
        """Disconnect with every pending request failed. The futures are failed first: ib_async's
        IB.disconnect() resets the wrapper, which forgets them (still pending) for good."""
        self.fail_pending_requests()
        try:
            self.ib.disconnect()
        except OSError:  # the peer already reset the socket: write_eof fails
            self.abort_socket()
        self.fail_pending_requests()

    def fail_request(self, req_id: int, error: Exception) -> bool:
        """Fail the pending request ``req_id`` with ``error``; False when none is pending. For the
        codes a backend treats as warnings although they refuse a request (ib_async: 321, 329)."""
        future = self.ib.wrapper._futures.get(req_id)
        if future is None or future.done():
            return False
        self.ib.wrapper._endReq(req_id, error, success=False)
        return True

    def on_current_time(self, callback: Callable[[], None]) -> Callable[[], None]:
        """``callback`` runs for each decoded currentTime answer (the probe's round trip); returns
        the function that disconnects it. ib_insync's decoder looks the wrapper method up per
        message, so an instance attribute wrapping it is seen at once."""
        wrapper = self.ib.wrapper
        original = wrapper.currentTime

        def current_time(*args: Any) -> None:
            original(*args)
            callback()

        wrapper.currentTime = current_time

        def disconnect() -> None:
            if wrapper.__dict__.get("currentTime") is current_time:
                wrapper.currentTime = original
        return disconnect

    def on_open_order(self, callback: Callable[[Any, Any], None]) -> Callable[[], None]:
        """``callback(order, order_state)`` runs after the library handled each decoded openOrder
        (an answer to an open-orders request as much as a live one); returns the function that
        disconnects it. Both libraries read orderState.status only for an order they did not
        track yet: for our own orders IB's word in it would otherwise be lost."""
        wrapper = self.ib.wrapper
        original = wrapper.openOrder

        def open_order(order_id: int, contract: Any, order: Any, order_state: Any) -> None:
            original(order_id, contract, order, order_state)
            if not order.whatIf:
                callback(order, order_state)

        wrapper.openOrder = open_order

        def disconnect() -> None:
            if wrapper.__dict__.get("openOrder") is open_order:
                wrapper.openOrder = original
        return disconnect

    def decoder_logger(self) -> logging.Logger:
        logger: logging.Logger = self.ib.client.decoder.logger
        return logger

    def set_decoder_logger(self, logger: logging.Logger) -> None:
        self.ib.client.decoder.logger = logger

    def sync_gaps(self) -> tuple[str, ...]:
        """What the last startup sync could not get (SupervisedIB); () with a plain IB."""
        return tuple(getattr(self.ib, "sync_gaps", ()))

    def sync_skipped(self) -> tuple[str, ...]:
        """What the last startup sync left out on purpose (ib_async's fetchFields)."""
        return tuple(getattr(self.ib, "sync_skipped", ()))

    # ----- the wrapper's bookkeeping ------------------------------------------------------------------

    def market_data_req_id(self, ticker: Ticker) -> int:
        return int(self.ib.wrapper.ticker2ReqId["mktData"].get(ticker, -1))

    def market_data_subscribed(self, ticker: Ticker) -> bool:
        return ticker in self.ib.wrapper.ticker2ReqId["mktData"]

    def forget_market_line(self, ticker: Ticker) -> None:
        """Drop a line IB refused (101) from ib_insync's books without sending a cancel for it."""
        self.ib.wrapper.endTicker(ticker, "mktData")

    def bars_subscribed(self, bars: BarDataList) -> bool:
        return bars.reqId in self.ib.wrapper.reqId2Subscriber

    def current_chunk(self) -> object:
        """An object that changes with each data chunk ib_insync processes."""
        return self.ib.wrapper.lastTime

    def ticked_in_current_chunk(self, ticker: Ticker) -> bool:
        return ticker in self.ib.wrapper.pendingTickers
