"""Run as a child process: connect a broker, place one order and SIGKILL this process either right
after the journal committed the intent ("after-journal") or right after the order hit the socket
("after-send"). The parent then starts a new broker on the same journal file.

"After the send" means after the placeOrder frame went to the socket, not after ib_insync's
``client.placeOrder`` returned: the broker's throttle can hold a message in ib_insync's queue for up
to a tenth of a second, and a process killed then never sent the order (the broker's restart
rightly reports NOT_SENT; the test would wrongly expect SUBMITTED).

    python -m tests.broker.killed_broker HOST PORT JOURNAL MODE KEY
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from typing import Any

from ib_harness.broker import IBKRInsyncBroker, Order, OrderSide, OrderType


PLACE_ORDER = b"3\0"  # the placeOrder message id, first field of the frame after its length prefix


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def main(host: str, port: int, journal: str, mode: str, key: str) -> None:
    broker = IBKRInsyncBroker(host, port, 1, journal_path=journal, check_buying_power=False)
    await broker.connect(timeout=10)
    if mode == "after-journal":
        record_intent = broker.journal.record_intent

        def record_then_die(*args: Any, **kwargs: Any) -> None:
            record_intent(*args, **kwargs)
            die()
        broker.journal.record_intent = record_then_die  # type: ignore[method-assign]
    else:
        connection = broker.ib.client.conn
        write = connection.sendMsg

        def write_then_die(frame: bytes) -> None:
            write(frame)
            if frame[4:].startswith(PLACE_ORDER):
                die()
        connection.sendMsg = write_then_die  # type: ignore[method-assign]
    print("connected", flush=True)
    await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=3, order_type=OrderType.LIMIT,
                                   limit_price=50.0, key=key))
    print("placed without being killed", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]))
