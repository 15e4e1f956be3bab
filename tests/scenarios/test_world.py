"""The scenario's gateway section builds the gateway's world: accounts, version, settings, prices, paths."""

from __future__ import annotations

import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.scenarios.model import GatewaySection
from ib_harness.scenarios.world import apply_world


async def test_gateway_section_becomes_the_initial_world() -> None:
    section = GatewaySection.model_validate({
        "accounts": [{"account_id": "DU7654321", "cash": 25000, "positions": {"AAPL": 50}}],
        "server_version": 163,
        "prices": {"AAPL": {"price": 150.0, "spread": 0.04}, "MSFT": 300.0},
        "paths": {"IBM": [181.0, 182.5]},
        "settings": {"max_messages_per_second": 20},
    })
    config = section.config(seed=9)
    assert (config.max_version, config.seed, config.max_messages_per_second) == (163, 9, 20)
    async with FakeGateway(config) as gateway:
        apply_world(gateway, section)
        market = gateway.brokerage.market
        aapl = market.quote("AAPL")
        assert (aapl.bid, aapl.ask) == pytest.approx((149.98, 150.02))
        assert market.last("MSFT") == pytest.approx(300.0)
        market.step("IBM")
        assert market.last("IBM") == pytest.approx(181.0)
        assert gateway.brokerage.snapshot()["DU7654321"]["positions"] == {"AAPL": 50}


def test_reserved_gateway_settings_are_refused() -> None:
    with pytest.raises(ValueError, match=r"\['port'\] are set by the runner"):
        GatewaySection.model_validate({"settings": {"port": 4002}})
    with pytest.raises(ValueError, match="max_messages_per_second"):
        GatewaySection.model_validate({"settings": {"max_messages_per_second": 0}})
