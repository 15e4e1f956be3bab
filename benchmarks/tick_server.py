"""A fake gateway in its own process for the end-to-end tick benchmark.

Run by ``benchmarks.ticks``: prints its port, then reads commands from stdin and prints ``done``
after each:

- ``market N``: step the market model of every watched contract N times (the full path: random
  walk, quote, order matching, account and market-data subscribers, tick encoding);
- ``ticks N``: write N tickPrice frames with varying prices to every market-data line through the
  session write path (encoding and socket only, so the client is the only possible bottleneck).

Keeping the gateway in another process leaves the client's core to ib_insync alone.
"""

from __future__ import annotations

import asyncio
import sys

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.session.market_ticks import encoders
from ib_harness.fake_gateway.session.streams import MKT_DATA
from ib_harness.fake_gateway.session.session import Session

BATCH = 2_000


def write_ticks(session: Session, count: int, offset: int) -> None:
    """``count`` bid/ask tickPrice frames to each of the session's market-data lines."""
    price = encoders(session.version).price
    for line in session.subscriptions.get(MKT_DATA, {}).values():
        for number in range(offset, offset + count):
            session.write(price(line.req_id, 1 + (number & 1), 100.0 + (number % 5000) * 0.01, 100 + number % 7, 0), 1)


async def main() -> None:
    async with FakeGateway(market_ticker=False, max_messages_per_second=1_000_000) as gateway:
        print(gateway.port, flush=True)
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line or line.strip() == "quit":
                return
            command, count = line.split()[0], int(line.split()[1])
            step = 200 if command == "market" else BATCH
            for start in range(0, count, step):
                size = min(step, count - start)
                if command == "market":
                    gateway.brokerage.market.advance(size)
                for session in list(gateway.sessions):
                    if command == "ticks":
                        write_ticks(session, size, start)
                    await session.drain()
            print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
