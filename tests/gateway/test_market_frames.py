"""The exact frames a seeded market run sends, pinned so optimising the tick path cannot change them.

One raw client holds every kind of market line the streaming path serves (two lines on one stock,
a delayed line, forex without trades, an index, an option that is re-quoted off its underlying,
tick-by-tick BidAsk/MidPoint/Last/AllLast) while a fake clock steps the seeded walk, a halt, a
pin, a scripted path, a market-farm outage (the per-session pause) and a market data type change.
Every frame the client reads after its requests is compared, in order, with
``data/market_frames.txt``, which was recorded before the hot path was optimised. Regenerate it
only for an intended change of behaviour: ``python -m tests.gateway.test_market_frames --write``.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.raw_client import RawTwsClient
from ib_harness.fake_gateway.session import status
from ib_harness.fake_gateway.session.streams import MKT_DATA, TICK_BY_TICK
from tests.waiting import until

GOLDEN = Path(__file__).parent / "data" / "market_frames.txt"
NOW = 1_701_705_600.0  # 20231204 11:00:00 US/Eastern, a Monday
AAPL, MSFT, EUR, SPX = 265598, 272093, 12087792, 416904
END_MARK = "49"  # reqCurrentTime's answer closes the run: every frame before it has arrived


class SteppedClock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


def contract_fields(con_id: int, symbol: str, sec_type: str, exchange: str, currency: str = "USD",
                    expiry: str = "", strike: str = "0.0", right: str = "") -> list[str]:
    """The 12 contract fields of reqMktData/reqTickByTickData."""
    return [str(con_id), symbol, sec_type, expiry, strike, right, "", exchange, "", currency, "", ""]


def mkt_data(req_id: int, contract: list[str]) -> list[str]:
    return ["1", "11", str(req_id), *contract, "0", "", "0", "0", ""]


def tick_by_tick(req_id: int, contract: list[str], kind: str, ignore_size: bool) -> list[str]:
    return ["97", str(req_id), *contract, kind, "0", "1" if ignore_size else "0"]


async def record_frames() -> list[str]:
    """Every frame (fields joined by '|') the client reads during the seeded run, in order."""
    clock = SteppedClock()
    async with FakeGateway(clock=clock, seed=11, market_ticker=False, unsubscribed_symbols=["MSFT"],
                           volatility={"AAPL": 0.004, "EUR": 0.0004, "SPX": 0.002}) as gateway:
        market = gateway.brokerage.market
        aapl = contract_fields(AAPL, "AAPL", "STK", "SMART")
        [option] = [o for o in gateway.brokerage.catalog.options.find(
            {"symbol": "AAPL", "secType": "OPT", "exchange": "SMART", "currency": "USD", "right": "C",
             "lastTradeDateOrContractMonth": "", "strike": 190.0}) if o.details["tradingClass"] == "AAPL"][:1]
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        try:
            await client.handshake()
            await client.start_api(client_id=0)
            await client.read_until("9")
            for request in (
                ["59", "1", "3"],  # delayed where live is not subscribed (MSFT), live elsewhere
                mkt_data(1, aapl), mkt_data(2, aapl),
                mkt_data(3, contract_fields(MSFT, "MSFT", "STK", "SMART")),
                mkt_data(4, contract_fields(EUR, "EUR", "CASH", "IDEALPRO")),
                mkt_data(5, contract_fields(SPX, "SPX", "IND", "CBOE")),
                mkt_data(6, contract_fields(option.con_id, "AAPL", "OPT", "SMART")),
                tick_by_tick(7, aapl, "BidAsk", False), tick_by_tick(8, aapl, "BidAsk", True),
                tick_by_tick(9, aapl, "MidPoint", False), tick_by_tick(10, aapl, "Last", False),
                tick_by_tick(11, aapl, "AllLast", False),
            ):
                client.send(request)
            [session] = list(gateway.sessions)
            await until(lambda: len(session.subscribed(MKT_DATA)) == 6 and len(session.subscribed(TICK_BY_TICK)) == 5,
                        timeout=10, what="every line subscribed")
            frames: list[str] = []

            def steps(count: int) -> None:
                for _ in range(count):
                    clock.now += 0.25
                    market.advance(1)

            async def collect() -> None:
                client.send(["49", "1"])
                frames.extend("|".join(f) for f in await client.read_until(END_MARK, timeout=10))

            await collect()  # the first snapshot of every line
            steps(150)
            await collect()
            market.halt(AAPL)
            steps(5)
            market.halt(AAPL, False)
            steps(20)
            market.pin(AAPL, 190.0, spread=0.02)
            steps(5)
            market.set_path(SPX, [4570.5, 4571.25, 4569.0])
            market.unpin(AAPL)
            steps(30)
            status.farm_down(session, "market")
            steps(40)  # paused: the lines keep what their client last saw
            status.farm_up(session, "market")  # what changed meanwhile, at once
            steps(30)
            await collect()
            client.send(["59", "1", "4"])  # reqMarketDataType delayed-frozen: every line reports it
            steps(60)
            await collect()
            return frames
        finally:
            await client.close()


async def test_a_seeded_run_sends_exactly_the_recorded_frames() -> None:
    frames = await record_frames()
    expected = GOLDEN.read_text().splitlines()
    assert len(frames) == len(expected), f"{len(frames)} frames, recorded {len(expected)}"
    for index, (got, want) in enumerate(zip(frames, expected)):
        assert got == want, f"frame {index} differs: got {got!r}, recorded {want!r}"
    kinds = {frame.split("|")[0] for frame in frames}
    assert {"1", "2", "45", "46", "99", "21", "4"} <= kinds, f"the run must cover every tick path, saw {kinds}"


async def stream_aapl(drop_tick_sizes: bool) -> list[str]:
    """A seeded AAPL line stepped 60 times; optionally through a fault link that drops every tickSize."""
    clock = SteppedClock()
    async with FakeGateway(clock=clock, seed=5, market_ticker=False) as gateway:
        client = await RawTwsClient.connect(gateway.host, gateway.port)
        try:
            await client.handshake()
            await client.start_api(client_id=0)
            await client.read_until("9")
            client.send(mkt_data(1, contract_fields(AAPL, "AAPL", "STK", "SMART")))
            client.send(["49", "1"])
            await client.read_until(END_MARK, timeout=10)  # the line's first snapshot
            if drop_tick_sizes:  # a count the run never reaches: the fault stays on throughout
                gateway.faults.inject({"kind": "drop_message", "client_id": 0, "message": "tickSize", "count": 10_000})
            for _ in range(60):
                clock.now += 0.25
                gateway.brokerage.market.advance(1)
            client.send(["49", "1"])
            return ["|".join(f) for f in await client.read_until(END_MARK, timeout=10)]
        finally:
            await client.close()


async def test_a_fault_link_still_sees_each_tick_of_a_batched_write_with_its_message_id() -> None:
    plain, faulted = await stream_aapl(False), await stream_aapl(True)
    assert any(frame.startswith("2|") for frame in plain), "the run must send tickSize frames"
    assert faulted == [frame for frame in plain if not frame.startswith("2|")]


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.gateway.test_market_frames --write")
    GOLDEN.write_text("\n".join(asyncio.run(record_frames())) + "\n")
    print(f"wrote {GOLDEN}")
