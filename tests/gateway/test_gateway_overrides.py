"""FakeGateway(**settings): keyword settings are validated like a config file's, never dropped."""

from __future__ import annotations

import pydantic
import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.config import GatewayConfig


def test_an_unknown_setting_name_is_an_error_that_names_it() -> None:
    with pytest.raises(pydantic.ValidationError, match="bogus_setting"):
        FakeGateway(bogus_setting=1)


def test_a_bad_value_is_an_error_and_a_good_one_is_kept_over_the_config() -> None:
    with pytest.raises(pydantic.ValidationError, match="max_events"):
        FakeGateway(max_events="many")
    gateway = FakeGateway(GatewayConfig(max_events=1000), market_ticker=False)
    assert gateway.config.max_events == 1000 and gateway.config.market_ticker is False
