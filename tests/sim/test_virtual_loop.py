"""The virtual loop: time jumps, the wall clock follows it, the in-memory network behaves like TCP.

The connection and link faults run on it too (tests/faults/conftest.py runs those files in both
modes); here is what the loop itself promises.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import ib_insync
import pytest

from ib_harness import sim
from ib_harness.fake_gateway import FakeGateway

START = datetime(2026, 1, 6, 15, 0, tzinfo=timezone.utc)


def test_an_hour_of_ib_insync_against_the_unchanged_gateway() -> None:
    seen: dict[str, object] = {}

    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert isinstance(loop, sim.VirtualClockLoop)
        async with FakeGateway(clock=loop.wall.now) as gateway:
            ib = ib_insync.IB()
            await ib.connectAsync(gateway.host, gateway.port, clientId=1)
            seen["connected_at"] = time.time()
            timeouts: list[float] = []
            ib.timeoutEvent += lambda idle: timeouts.append(loop.time())
            [contract] = await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD"))
            armed = loop.time()
            ib.setTimeout(20)
            await asyncio.sleep(25)
            seen["timeout_after"] = [t - armed for t in timeouts]
            ticker = ib.reqMktData(contract)
            updates = [0]
            ticker.updateEvent += lambda _: updates.__setitem__(0, updates[0] + 1)
            await asyncio.sleep(3600)
            seen["updates"] = updates[0]
            seen["tick_time"] = ticker.time
            seen["connected"] = ib.isConnected()
            seen["elapsed"] = loop.time()
            seen["wall_now"] = time.time()
            ib.disconnect()

    sim.run(main(), start=START)
    assert seen["connected_at"] == START.timestamp()  # the wall clock starts where it was told
    assert seen["timeout_after"] == [20.0]  # ib_insync's idle timer fires exactly, once
    assert seen["connected"] and seen["updates"] > 1000  # an hour of ticks, the connection kept
    assert seen["elapsed"] >= 3625 and seen["wall_now"] == START.timestamp() + seen["elapsed"]
    tick_time = seen["tick_time"]
    assert isinstance(tick_time, datetime) and abs(tick_time.timestamp() - float(seen["wall_now"])) < 1


def test_wall_clock_is_real_again_after_the_run() -> None:
    sim.run(asyncio.sleep(86400), start=START)
    assert abs(time.time() - datetime.now().timestamp()) < 1 and time.time() > START.timestamp() + 86400 * 30


def test_connect_to_a_closed_port_is_refused_at_once() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        async with FakeGateway() as gateway:
            port = gateway.port
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", port)
        return loop.time()

    assert sim.run(main()) == 0.0


def test_a_thread_stops_the_clock_until_it_answers() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        await asyncio.to_thread(time.sleep, 0.05)
        return loop.time()

    assert sim.run(main()) == 0.0


def test_a_deadlock_is_an_error_not_a_hang() -> None:
    async def main() -> None:
        await asyncio.Event().wait()

    with pytest.raises(sim.VirtualDeadlock, match="deadlock"):
        sim.run(main())


def test_two_virtual_wall_clocks_at_once_are_refused() -> None:
    async def inner() -> None:
        await asyncio.sleep(1)

    async def outer() -> None:
        await asyncio.to_thread(sim.run, inner())

    with pytest.raises(RuntimeError, match="another virtual loop"):
        sim.run(outer())


def test_fin_after_data_and_rst_dropping_it() -> None:
    async def main() -> tuple[bytes, str]:
        received: list[asyncio.StreamWriter] = []

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            received.append(writer)

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(0)
        received[0].write(b"hello")
        received[0].close()  # FIN after the data
        data = await reader.read()  # to the end of stream
        reader2, writer2 = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.sleep(0)
        received[1].write(b"lost")
        received[1].transport.abort()  # RST: the unread data goes with it
        try:
            await reader2.read()
            outcome = "eof"
        except ConnectionResetError:
            outcome = "reset"
        server.close()
        writer.close()
        writer2.close()
        return data, outcome

    assert sim.run(main()) == (b"hello", "reset")


def test_the_result_is_handed_back_without_being_printed() -> None:
    """asyncio.Runner's SIGINT bookkeeping reprs the main task, result included: twice for a
    replay's whole trace (seconds for the week). sim.run hands the result back without that."""
    reprs = [0]

    class Result:
        def __repr__(self) -> str:
            reprs[0] += 1
            return "Result()"

    async def main() -> Result:
        return Result()

    assert isinstance(sim.run(main()), Result)
    assert reprs == [0]
