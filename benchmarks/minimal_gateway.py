"""The reference for the connect benchmark: a gateway that sends only what a connect must have.

It answers the handshake, then nextValidId and managedAccounts, then only the end marker of
each startup-sync request. Frames come from the fake gateway's own layouts (one source of truth).
"""

from __future__ import annotations

import asyncio
from typing import Callable

from ib_harness.fake_gateway.wire import out_account, out_basic, out_executions, out_orders
from ib_harness.fake_gateway.wire.framing import API_PREFIX, FrameParser, parse_version_range, split_fields
from ib_harness.fake_gateway.wire.spec import frame_fields

VERSION = 176
ACCOUNT = "DU1234567"


def _replies() -> dict[str, Callable[[list[str]], bytes]]:
    return {
        "71": lambda f: out_basic.MANAGED_ACCOUNTS.frame(VERSION, accountsList=ACCOUNT)
        + out_basic.NEXT_VALID_ID.frame(VERSION, orderId=1),
        "61": lambda f: out_account.POSITION_END.frame(VERSION),
        "5": lambda f: out_orders.OPEN_ORDER_END.frame(VERSION),
        "99": lambda f: out_orders.COMPLETED_ORDERS_END.frame(VERSION),
        "6": lambda f: out_account.ACCOUNT_DOWNLOAD_END.frame(VERSION, accountName=ACCOUNT),
        "76": lambda f: out_account.ACCOUNT_UPDATE_MULTI_END.frame(VERSION, reqId=int(f[2])),
        "7": lambda f: out_executions.EXEC_DETAILS_END.frame(VERSION, reqId=int(f[2])),
    }


class MinimalGateway:
    """Port 0 on loopback, ``async with``, like the real fake."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.AbstractServer | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._replies = _replies()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        parser = FrameParser(require_message_id=False)
        self._writers.add(writer)
        handshaken = False
        try:
            await reader.readexactly(len(API_PREFIX))
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                for payload in parser.feed(data):
                    if not handshaken:
                        parse_version_range(payload)
                        writer.write(frame_fields([str(VERSION), "20261124 12:00:00 EST"]))
                        handshaken = True
                        continue
                    fields = split_fields(payload)
                    reply = self._replies.get(fields[0])
                    if reply is not None:
                        writer.write(reply(fields))
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def __aenter__(self) -> "MinimalGateway":
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            await self._server.wait_closed()
