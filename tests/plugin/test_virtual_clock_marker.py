"""The plugin's clocks in a throwaway project: ``@pytest.mark.virtual_clock`` runs a user's own
async test (and its async fixtures) on the virtual clock, and the ``scenario`` marker replays on
the virtual clock by default."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

USER_TESTS = '''
import asyncio
import time
from datetime import datetime, timezone

import pytest

START = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)


class Bot:
    """A user's strategy: checks the market every 30 s."""

    def __init__(self, broker):
        self.broker = broker
        self.prices = []

    async def run(self, rounds):
        for _ in range(rounds):
            self.prices.append(await self.broker.get_market_price("AAPL"))
            await asyncio.sleep(30)


@pytest.mark.virtual_clock(start=START)
@pytest.mark.ib_world(prices={"AAPL": 150.0})
async def test_bot_sleeps_an_hour_in_no_time(ib_broker):
    wall = time.perf_counter()
    loop = asyncio.get_running_loop()
    begun = loop.time()
    bot = Bot(ib_broker)
    await bot.run(120)
    assert loop.time() - begun >= 3600 and len(bot.prices) == 120
    assert abs(time.time() - (START.timestamp() + loop.time())) < 1e-3  # the wall clock follows it
    print(f"VIRTUAL-HOUR-WALL {time.perf_counter() - wall:.3f}")


async def test_unmarked_tests_keep_the_real_clock():
    loop = asyncio.get_running_loop()
    assert type(loop).__name__ != "VirtualClockLoop"
    assert abs(time.time() - datetime.now().timestamp()) < 1 and time.time() > START.timestamp()


@pytest.mark.scenario("gateway-crash-rst")
def test_library_scenario_on_the_virtual_clock(scenario_result):
    assert scenario_result.clock == "virtual" and scenario_result.trace_sha256
'''


def test_virtual_clock_marker_and_default_scenario_clock(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_user=USER_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "-s")
    result.assert_outcomes(passed=3)
    [line] = [line for line in result.outlines if line.startswith("VIRTUAL-HOUR-WALL")]
    assert float(line.split()[1]) < 3600  # an hour of bot sleeps did not take an hour


def test_bad_virtual_clock_marker_is_named(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(test_bad='''
import pytest

@pytest.mark.virtual_clock(speed=3)
async def test_typo():
    pass
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*@pytest.mark.virtual_clock takes only start=*['speed']*"])
