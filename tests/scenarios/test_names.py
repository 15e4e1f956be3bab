"""validate checks every name against its vocabulary (statuses, catalog symbols, order ids, anchors,
events, settings) at file:line with a did-you-mean: what only a replay used to find."""

from __future__ import annotations

from pathlib import Path

import pytest

from ib_harness.broker.models import OrderStatus
from ib_harness.cli import main
from ib_harness.scenarios.loader import load_all
from tests.scenarios.test_bad_input import GOOD, error_of, write

TRIGGERED = GOOD.replace("  - at: 1.0\n    cancel_order: {order: buy}\n",
                         "  - on: {order_status: SUBMITTED, order: buy}\n    cancel_order: {order: buy}\n")
GATEWAY_EVENT = GOOD.replace("  - at: 1.0\n", "  - on: {gateway_event: session_closed}\n")

WRONG_NAMES = {
    "expected status": (GOOD.replace("[CANCELLED]", "[WORKING]"), 12,
                        "expect.0.order_status.status.0: unknown order status 'WORKING'"),
    "misspelt status": (GOOD.replace("[CANCELLED]", "[CANCELED]"), 12, "(did you mean 'CANCELLED'?)"),
    "trigger status": (TRIGGERED.replace("order_status: SUBMITTED", "order_status: Submitted"), 9,
                       "unknown order status 'Submitted' (did you mean 'SUBMITTED'?)"),
    "order symbol": (GOOD.replace("symbol: AAPL", "symbol: AAPLX"), 8,
                     "steps.0.place_order.symbol: symbol 'AAPLX' is not a US stock in the gateway's contract "
                     "catalog (did you mean 'AAPL'?)"),
    "pinned price symbol": (GOOD.replace("duration: 2\n", "duration: 2\ngateway:\n  prices: {MSFTT: 400}\n"), 6,
                            "gateway.prices.MSFTT: symbol 'MSFTT' is not a US stock"),
    "gateway event": (GATEWAY_EVENT.replace("session_closed", "sesion_closed"), 9,
                      "unknown gateway event 'sesion_closed' (did you mean 'session_closed'?)"),
    "order id": (GOOD.replace("cancel_order: {order: buy}", "cancel_order: {order: bye}"), 10,
                 "refers to place_order step 'bye', which is not defined before it (did you mean 'buy'?)"),
    "expected order id": (GOOD.replace("order_status: {order: buy", "order_status: {order: bye"), 12,
                          "names unknown place order step 'bye' (did you mean 'buy'?)"),
    "fault symbol": (GOOD.replace("  - at: 1.0\n", "  - id: quiet\n    at: 0.2\n    fault: {kind: md_line_inactive, symbol: APPL}\n  - at: 1.0\n"),
                     11, "steps.1.fault.symbol: symbol 'APPL' is not a US stock in the gateway's contract catalog (did you mean 'AAPL'?)"),
    "catalog setting": (GOOD.replace("duration: 2\n", "duration: 2\ngateway:\n  settings: {catalog: /nonexistent.yaml}\n"),
                        6, "catalog '/nonexistent.yaml' cannot be loaded"),
}


@pytest.mark.parametrize("case", sorted(WRONG_NAMES))
def test_a_name_outside_its_vocabulary_is_refused_at_its_line(tmp_path: Path, case: str) -> None:
    text, line, words = WRONG_NAMES[case]
    error = error_of(write(tmp_path, text))
    assert (error.line, words in error.message) == (line, True), error


def test_the_right_names_pass(tmp_path: Path) -> None:
    for text in (GOOD, TRIGGERED, GATEWAY_EVENT):
        error_free = load_all([write(tmp_path, text)])
        assert len(error_free) == 1


def test_every_broker_status_is_accepted(tmp_path: Path) -> None:
    statuses = ", ".join(status.value for status in OrderStatus)
    assert load_all([write(tmp_path, GOOD.replace("[CANCELLED]", f"[{statuses}]"))])


def test_validate_cli_refuses_working_and_aaplx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, GOOD.replace("[CANCELLED]", "[WORKING]").replace("symbol: AAPL", "symbol: AAPLX"))
    assert main(["validate", str(bad)]) == 2
    assert f"{bad}:12: expect.0.order_status.status.0: unknown order status 'WORKING'" in capsys.readouterr().err
    fixed = write(tmp_path, GOOD.replace("symbol: AAPL", "symbol: AAPLX"), "fixed-status.yaml")
    assert main(["validate", str(fixed)]) == 2
    assert f"{fixed}:8: steps.0.place_order.symbol: symbol 'AAPLX'" in capsys.readouterr().err


def test_the_broker_event_vocabulary_covers_every_event_the_broker_publishes() -> None:
    import re

    from ib_harness.scenarios.model_names import BROKER_EVENT_KINDS

    source = "".join(path.read_text() for path in Path("ib_harness/broker").rglob("*.py"))
    published = set(re.findall(r"publish\(\s*\"([a-z_]+)\"", source))
    assert published and published <= set(BROKER_EVENT_KINDS), sorted(published - set(BROKER_EVENT_KINDS))


def test_a_misspelt_broker_event_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("  - at: 1.0\n", "  - on: {broker_event: reconected}\n")
    error = error_of(write(tmp_path, text))
    assert error.line == 9 and "unknown broker event 'reconected' (did you mean 'reconnected'?)" in error.message


def test_the_gateway_event_vocabulary_covers_every_event_the_gateway_records() -> None:
    import re

    from ib_harness.scenarios.model_names import GATEWAY_EVENT_KINDS, MESSAGE_EVENT_PREFIX

    source = "".join(path.read_text() for path in Path("ib_harness/fake_gateway").rglob("*.py"))
    recorded = set(re.findall(r'\brecord\(\s*(?:session,\s*)?"([a-z_]+)"', source)) - {"kind", MESSAGE_EVENT_PREFIX}
    assert recorded and recorded <= set(GATEWAY_EVENT_KINDS), sorted(recorded - set(GATEWAY_EVENT_KINDS))
