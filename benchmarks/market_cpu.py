"""Market-model path cost per message, in gateway CPU seconds (robust to a busy machine).

``python -m benchmarks.market_cpu``: one gateway, one real subscriber process (drain_client)
holding a market-data line on AAPL; the market model of the watched contract is stepped (walk,
quote, order matching, subscribers, tick encoding, socket write) and the gateway's own CPU time
is measured. Wall-clock end-to-end figures are in benchmarks.ticks; on a machine shared with
other work they swing, while messages per CPU-second of the gateway stay comparable.
"""

from __future__ import annotations

import asyncio
import sys
import time

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.session.streams import MKT_DATA

STEPS_PER_BATCH = 100


async def market_cpu(batches: int = 100, runs: int = 5) -> tuple[int, list[float]]:
    """(messages received by the subscriber, gateway CPU seconds per run)."""
    async with FakeGateway(market_ticker=False) as gateway:
        reader = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.drain_client", str(gateway.port), stdout=asyncio.subprocess.PIPE)
        while not any(s.subscriptions.get(MKT_DATA) for s in gateway.sessions):
            await asyncio.sleep(0.01)
        [session] = list(gateway.sessions)
        market = gateway.brokerage.market
        cpu_seconds = []
        for _ in range(runs):
            started = time.process_time()
            for _ in range(batches):
                market.advance(STEPS_PER_BATCH)
                await session.drain()
            session.flush()
            await session.drain()
            cpu_seconds.append(time.process_time() - started)
        await gateway.close()
        out, _ = await reader.communicate()
    return int(out.split()[0]) - 20, cpu_seconds  # minus the greeting and the line's first snapshot


if __name__ == "__main__":
    messages, cpu = asyncio.run(market_cpu())
    print(f"{messages} messages, {sum(cpu):.3f} gateway CPU s, {messages / sum(cpu):,.0f} messages per CPU-second")
