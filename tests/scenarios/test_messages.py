"""Validation messages in words: no raw pydantic text or URL, a did-you-mean for misspelt keys,
kinds and values, and a YAML indentation mistake explained at its file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ib_harness.cli import main
from tests.scenarios.test_bad_input import GOOD, error_of, write

MISSPELT = {
    # variant of GOOD -> (line, words the message must hold)
    "expectation kind": (GOOD.replace("order_status: {order", "order_state: {order"),
                         12, "expect.0.order_state: unknown key 'order_state' (did you mean 'order_status'?)"),
    "step action": (GOOD.replace("cancel_order: {order: buy}", "cancle_order: {order: buy}"),
                    10, "steps.1.cancle_order: unknown key 'cancle_order' (did you mean 'cancel_order'?)"),
    "gateway setting": (GOOD.replace("duration: 2\n", "duration: 2\ngateway:\n  settings: {market_tick_intervall: 1}\n"),
                        6, "unknown key 'market_tick_intervall' (did you mean 'market_tick_interval'?)"),
    "broker setting": (GOOD.replace("duration: 2\n", "duration: 2\nbroker:\n  settings: {probe_intervall: 1}\n"),
                       6, "broker.settings.probe_intervall: unknown key 'probe_intervall' (did you mean 'probe_interval'?)"),
    "fault kind": (GOOD.replace("  - at: 1.0\n", "  - id: f\n    at: 0.2\n    fault: {kind: conectivity_lost}\n  - at: 1.0\n"),
                   11, "unknown fault kind 'conectivity_lost' (did you mean 'connectivity_lost'?)"),
    "fault parameter": (GOOD.replace("  - at: 1.0\n", "  - id: f\n    at: 0.2\n    fault: {kind: farm_down, durration: 3}\n  - at: 1.0\n"),
                        11, "fault 'farm_down': unknown parameter 'durration' (did you mean 'duration'?)"),
    "literal value": (GOOD.replace("side: BUY", "side: BUYY"), 8, "'BUYY' is not one of BUY, SELL (did you mean 'BUY'?)"),
    "broker state": (GOOD.replace("expect:\n", "expect:\n  - broker_state: {states: [redy], within: 1, of: {start: true}}\n"),
                     12, "(did you mean 'ready'?)"),
    "number": (GOOD.replace("quantity: 5", "quantity: five"), 8, "steps.0.place_order.quantity: should be a number, got 'five'"),
}


@pytest.mark.parametrize("case", sorted(MISSPELT))
def test_a_misspelling_gets_its_line_and_a_did_you_mean(tmp_path: Path, case: str) -> None:
    text, line, words = MISSPELT[case]
    error = error_of(write(tmp_path, text))
    assert error.line == line, error
    assert words in error.message, error.message
    assert "Input should" not in error.message and "Extra inputs" not in error.message


INDENTATION = {
    "a key one space short": (GOOD.replace("    place_order:", "   place_order:"), 8, "indented differently"),
    "a key one level too deep": (GOOD.replace("  - at: 1.0\n    cancel_order", "  - at: 1.0\n      cancel_order"),
                                 10, "indented deeper"),
    "a tab": (GOOD.replace("    at: 0.5", "\tat: 0.5"), 7, "YAML indents with spaces only"),
}


@pytest.mark.parametrize("case", sorted(INDENTATION))
def test_an_indentation_mistake_is_said_in_words(tmp_path: Path, case: str) -> None:
    text, line, words = INDENTATION[case]
    error = error_of(write(tmp_path, text))
    assert error.line == line and words in error.message, error


def test_no_pydantic_text_or_url_reaches_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(write(tmp_path, text, f"{index}.yaml")) for index, (text, _, _) in enumerate(MISSPELT.values())]
    assert main(["validate", *paths]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == len(paths)
    for raw in ("errors.pydantic.dev", "Input should", "Extra inputs", "Value error", "validation error for"):
        assert raw not in err


@pytest.mark.parametrize("word, choices, meant", [
    ("APPL", ["AAPL", "PYPL"], "AAPL"),                       # one substitution beats a closer-looking ratio
    ("SMFT", ["MSFT", "SMH"], "MSFT"),                        # two neighbours swapped
    ("market_tick_intervall", ["market_tick_interval", "market_ticker"], "market_tick_interval"),
    ("Submitted", ["SUBMITTED", "PENDING"], "SUBMITTED"),     # case only
])
def test_did_you_mean_offers_the_fewest_edits(word: str, choices: list[str], meant: str) -> None:
    from ib_harness.scenarios.model_messages import did_you_mean

    assert did_you_mean(word, choices) == f" (did you mean {meant!r}?)"


def test_did_you_mean_stays_quiet_when_nothing_is_close() -> None:
    from ib_harness.scenarios.model_messages import did_you_mean

    assert did_you_mean("colour", ["at", "id", "place_order"]) == ""
