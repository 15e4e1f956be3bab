"""--broker module:factory: bad factories are clear errors (exit 2); a user's broker replays."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ib_harness.cli import main
from ib_harness.scenarios.broker_factory import BrokerFactoryError, build_broker, load_factory
from ib_harness.scenarios.loader import LIBRARY, load_scenario
from ib_harness.scenarios.runner import replay

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCENARIO = LIBRARY / "order-crash-before-ack.yaml"


@pytest.fixture(autouse=True)
def _examples_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(EXAMPLES))


@pytest.mark.parametrize("spec, words", [
    ("no_colon_here", "expected module:factory"),
    ("no_such_module_xyz:make", "cannot import module 'no_such_module_xyz'"),
    ("tests.explore.not_a_broker:missing", "has no attribute 'missing'"),
    ("tests.explore.not_a_broker:NOT_CALLABLE", "is a int, not a callable"),
])
def test_unusable_factory_names_the_problem(spec: str, words: str) -> None:
    with pytest.raises(BrokerFactoryError, match="--broker") as caught:
        load_factory(spec)
    assert words in str(caught.value)


def test_factory_returning_something_else_is_refused() -> None:
    factory = load_factory("tests.explore.not_a_broker:returns_a_dict")
    with pytest.raises(BrokerFactoryError, match="returned dict, not an ib_harness.broker.BaseBroker"):
        build_broker(factory, "127.0.0.1", 1, 1, {})
    with pytest.raises(BrokerFactoryError, match="raised RuntimeError: no credentials configured"):
        build_broker(load_factory("tests.explore.not_a_broker:raises"), "127.0.0.1", 1, 1, {})


@pytest.mark.parametrize("command", ["replay", "compare", "explore"])
def test_cli_exits_2_on_a_bad_factory(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [command, "--broker", "no_such_module_xyz:make"] + ([str(SCENARIO)] if command != "explore" else [])
    assert main(argv) == 2
    assert "cannot import module 'no_such_module_xyz'" in capsys.readouterr().err


async def test_replay_refuses_a_factory_that_returns_something_else() -> None:
    with pytest.raises(BrokerFactoryError, match="returned dict"):
        await replay(load_scenario(SCENARIO), broker="tests.explore.not_a_broker:returns_a_dict")


async def test_a_users_broker_is_replayed_and_judged_from_its_calls() -> None:
    """The example broker has no events and no journal: its state is inferred from call outcomes
    and its orders are audited through get_orders(). It does not reconnect on its own to the
    order it lost, so the library scenario catches it; the library's broker passes the same file."""
    item = load_scenario(SCENARIO)
    mine = await replay(item, broker="my_broker:make_broker")
    assert mine.supervisor == "my_broker:make_broker"
    assert mine.verdict == "fail", mine.error
    status = next(e for e in mine.expectations if e.expectation.startswith("order_status"))
    assert not status.ok and "PENDING" in status.detail
    library = await replay(item)
    assert library.verdict == "pass", [e.detail for e in library.expectations if not e.ok]
    assert "my_broker" in sys.modules
