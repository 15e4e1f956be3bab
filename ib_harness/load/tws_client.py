"""A blocking TWS API connection on plain sockets (gevent makes them cooperative under Locust).

Framing and layouts come from the gateway's wire package: requests are encoded by
:mod:`load.tws_codec` from the request table, replies are split by its ``FrameParser`` and read
by name with the outgoing layouts (``MessageSpec.parse``). No asyncio: Locust users are greenlets.
"""

from __future__ import annotations

import socket
import time
from typing import Any, Callable, Mapping

from ib_harness.fake_gateway.wire.framing import FrameParser, split_fields
from ib_harness.fake_gateway.wire.table import OUTGOING

from .tws_codec import handshake_bytes, request_frame

ERR_MSG = OUTGOING["errMsg"]
# IB's warnings (as TWS clients read them: 2100-2199, and the order warnings such as 399 "your order will
# not be placed at the exchange until ...", held outside the trading session): a request still goes on
NOTICE_CODES = frozenset({165, 399, 404, 434, 492, 10167, *range(2100, 2200)})
CLIENT_ID_IN_USE = 326
ORDER_CANCELLED = 202  # IB's "Order Canceled - reason:" is how a cancel is confirmed


class TwsError(Exception):
    """The gateway answered a request with an error (or the connection broke)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TwsConnection:
    MIN_VERSION, MAX_VERSION = 157, 176

    def __init__(self, host: str, port: int, client_id: int, timeout: float = 5.0) -> None:
        self.client_id = client_id
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.parser = FrameParser()
        self._frames: list[list[str]] = []
        self.bytes_in = 0
        self.sock.sendall(handshake_bytes(self.MIN_VERSION, self.MAX_VERSION))
        reply = self.read()
        self.version = int(reply[0])
        self.next_order_id = 0
        self.send("startApi", {"version": 2, "clientId": client_id, "optionalCapabilities": ""})
        ready = self.read_until(lambda f: f[0] == "9")
        self.next_order_id = int(OUTGOING["nextValidId"].parse(self.version, ready[-1])["orderId"])

    def send(self, name: str, values: Mapping[str, Any]) -> None:
        self.sock.sendall(request_frame(name, self.version, values))

    def read(self) -> list[str]:
        while not self._frames:
            data = self.sock.recv(65536)
            if not data:
                raise TwsError("gateway closed the connection")
            self.bytes_in += len(data)
            self._frames.extend(split_fields(payload) for payload in self.parser.feed(data))
        return self._frames.pop(0)

    def read_until(self, done: Callable[[list[str]], bool], req_id: int | None = None,
                   deadline: float | None = None, expected_codes: frozenset[int] = frozenset()) -> list[list[str]]:
        """Frames up to the first for which ``done`` holds; an error for ``req_id`` (or a
        connection-level error) raises TwsError unless its code is expected (202 after a
        cancel); the gateway's notices are skipped."""
        deadline = deadline or time.monotonic() + self.timeout
        frames: list[list[str]] = []
        while True:
            self.sock.settimeout(max(deadline - time.monotonic(), 0.001))
            try:
                frame = self.read()
            except socket.timeout:
                raise TwsError(f"no answer within {self.timeout} s") from None
            frames.append(frame)
            if frame[0] == "4":
                error = ERR_MSG.parse(self.version, frame)
                code = int(error["errorCode"])
                if code not in NOTICE_CODES | expected_codes and error["id"] in (req_id, -1):
                    raise TwsError(f"IB error {code}: {error['errorString']}", code)
                if not done(frame):
                    continue
            if done(frame):
                return frames

    def request(self, name: str, values: Mapping[str, Any], reply: str, req_id: int | None = None,
                where: Callable[[dict[str, Any]], bool] | None = None,
                expected_codes: frozenset[int] = frozenset()) -> list[list[str]]:
        """Send one request and read until the message named ``reply`` (optionally matching)."""
        layout = OUTGOING[reply]
        wanted = str(layout.msg_id)

        def done(frame: list[str]) -> bool:
            return frame[0] == wanted and (where is None or where(layout.parse(self.version, frame)))

        self.send(name, values)
        return self.read_until(done, req_id, expected_codes=expected_codes)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
