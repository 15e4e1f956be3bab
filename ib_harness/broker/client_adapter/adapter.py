"""ClientAdapter: the broker's only door, at run time, to the client library's internals (see
internals.py for why each is used)."""

from __future__ import annotations

import logging
import struct
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (either library)
    from ib_insync import IB, BarDataList, Ticker


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
