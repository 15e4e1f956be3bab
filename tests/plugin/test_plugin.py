"""The pytest plugin in a throwaway project, run as another project would run it (a subprocess:
the entry point loads it, nothing is imported from this repo's conftest)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

FIXTURE_TESTS = '''
import pytest
from ib_harness.broker import Order, OrderSide, OrderType, OrderStatus

pytestmark = pytest.mark.asyncio

@pytest.mark.ib_world(prices={"AAPL": 150.0})
async def test_broker_buys(ib_broker, fake_gateway):
    order = await ib_broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=3,
                                              order_type=OrderType.MARKET))
    assert order.order_id > 0
    positions = {p.symbol: p.quantity for p in await ib_broker.get_positions()}
    assert positions.get("AAPL") == 3 or order.status == OrderStatus.FILLED

@pytest.mark.ib_world(prices={"MSFT": 321.5})
async def test_raw_client_sees_the_world(ib_client, fake_gateway):
    assert ib_client.isConnected()
    assert ib_client.managedAccounts()
    price = await ib_broker_price(ib_client, "MSFT")
    assert abs(price - 321.5) < 1.0

async def ib_broker_price(ib, symbol):
    from ib_insync import Stock
    [contract] = await ib.qualifyContractsAsync(Stock(symbol, "SMART", "USD"))
    ticker = ib.reqMktData(contract)
    for _ in range(200):
        if ticker.marketPrice() == ticker.marketPrice() and ticker.marketPrice() > 0:
            return ticker.marketPrice()
        await ticker.updateEvent
    raise AssertionError("no price")

async def test_two_gateways_do_not_share_a_port(fake_gateway):
    assert fake_gateway.port != 0
'''

# on the virtual clock (the marker's default) at production timings: the broker's default settings
PASSING_SCENARIO = '''
name: plugin-stall
description: a short silent stall the builtin broker detects and survives
seed: 5
duration: 60
gateway: {prices: {AAPL: 188.0}}
steps:
  - id: stall
    at: 10
    fault: {kind: stall, duration: 15}
  - at: 2
    every: 2
    until: 56
    get_market_price: {symbol: AAPL}
expect:
  - detection: {fault: stall, max: 9}   # probe_interval 5 s + probe_timeout 3 s
  - broker_state: {states: [ready], within: 30, of: {fault_end: stall}}
'''

# impossible on purpose: no reconnect can happen when nothing goes wrong
FAILING_SCENARIO = '''
name: plugin-impossible
description: expects a reconnect although nothing fails
seed: 6
duration: 1.0
steps:
  - id: quiet
    at: 0.2
    fault: {kind: latency, ms: 1, duration: 0.2}
expect:
  - reconnects: {min: 1}
'''

MARKER_TESTS = '''
import pytest

@pytest.mark.scenario("scenarios/stall.yaml")
def test_stall_sync(scenario_result):
    assert scenario_result.verdict == "pass"
    assert scenario_result.seed == SEED

@pytest.mark.scenario("scenarios/stall.yaml")
async def test_stall_async(scenario_result):
    assert scenario_result.detection is not None

@pytest.mark.scenario("scenarios/impossible.yaml")
def test_impossible():
    pass
'''


def make_project(pytester: pytest.Pytester, mode: str, seed: int = 5) -> None:
    pytester.makeini(f"[pytest]\nasyncio_mode = {mode}\nasyncio_default_fixture_loop_scope = function\n")
    scenarios = Path(str(pytester.path)) / "scenarios"
    scenarios.mkdir()
    (scenarios / "stall.yaml").write_text(textwrap.dedent(PASSING_SCENARIO))
    (scenarios / "impossible.yaml").write_text(textwrap.dedent(FAILING_SCENARIO))
    pytester.makepyfile(test_fixtures=FIXTURE_TESTS,
                        test_marker=MARKER_TESTS.replace("SEED", str(seed)).replace(
                            "async def test_stall_async", "@pytest.mark.asyncio\nasync def test_stall_async"))


@pytest.mark.parametrize("mode, workers", [("strict", []), ("auto", ["-n", "2"])], ids=["strict", "auto-xdist"])
def test_fixtures_and_marker_in_a_throwaway_project(pytester: pytest.Pytester, mode: str, workers: list[str]) -> None:
    make_project(pytester, mode)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", *workers)
    result.assert_outcomes(passed=5, failed=1)
    # the failing scenario fails with the runner's explanation: the expectation, measured and wanted
    result.stdout.fnmatch_lines(["*scenario plugin-impossible [[]builtin, seed 6[]]: FAIL*",
                                 "*reconnects {'min': 1}: 0 reconnect(s), wanted 1..*"])


def test_options_seed_supervisor_and_report(pytester: pytest.Pytester, tmp_path: Path) -> None:
    make_project(pytester, "auto", seed=42)
    report = tmp_path / "reports"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "-k", "stall_sync",
                                           "--scenario-seed", "42", "--scenario-report", str(report),
                                           "--supervisor", "builtin")
    result.assert_outcomes(passed=1)
    written = sorted(p.name for p in (report / "plugin-stall-builtin-seed42").iterdir())
    assert written == ["junit.xml", "report.html", "report.json"]


def test_bad_marker_use_is_named(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_bad='''
import pytest

@pytest.mark.scenario("missing.yaml")
def test_missing():
    pass

@pytest.mark.scenario("a.yaml", superviser="watchdog")
def test_typo():
    pass

@pytest.mark.ib_world(server_version="new")
async def test_bad_world(fake_gateway):
    pass
''')
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines_random(["*scenario file 'missing.yaml' not found*",
                                        "*unknown argument(s)*superviser*",
                                        "*bad ib_world*", "*server_version*"])


def test_world_from_a_fixture_override_and_broker_settings(pytester: pytest.Pytester) -> None:
    """A project-wide world: override ``ib_world`` (and ``ib_broker_settings``) in a conftest."""
    pytester.makeini("[pytest]\nasyncio_mode = auto\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makeconftest('''
import pytest

@pytest.fixture
def ib_world():
    return {"prices": {"IBM": 123.0}}

@pytest.fixture
def ib_broker_settings():
    return {"request_timeout": 2.5, "client_id": 7}
''')
    pytester.makepyfile(test_world='''
async def test_world_and_settings(ib_broker, fake_gateway):
    assert fake_gateway.brokerage.market.last("IBM") == 123.0
    assert ib_broker.settings.request_timeout == 2.5 and ib_broker.client_id == 7
    assert abs(await ib_broker.get_market_price("IBM") - 123.0) < 1.0
''')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q")
    result.assert_outcomes(passed=1)
