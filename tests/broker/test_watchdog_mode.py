"""supervisor="watchdog": the same broker driven by ib_insync's own Watchdog, whose controller
starts and stops the in-process gateway (IBC's role in production)."""

from __future__ import annotations

import pytest

from ib_harness.broker import BrokerState, IBKRInsyncBroker, Order, OrderSide
from ib_harness.fake_gateway import FakeGateway
from ib_harness.scenarios.gateway_controller import InProcessGatewayController

from .conftest import BrokerFactory, wait_event, wait_state

WATCHDOG_FAST = dict(supervisor="watchdog", watchdog_app_startup_time=0.0, watchdog_app_timeout=0.3,
                     watchdog_retry_delay=0.05, watchdog_probe_timeout=0.3)


async def test_watchdog_mode_trades_and_restarts_the_app_after_a_stall(
        gateway: FakeGateway, make_broker: BrokerFactory) -> None:
    controller = InProcessGatewayController(gateway)
    broker = await make_broker(gateway, controller=controller, **WATCHDOG_FAST)
    assert broker.state == BrokerState.READY and controller.starts == 1
    order = await broker.place_order(Order(symbol="AAPL", side=OrderSide.BUY, quantity=1))
    await wait_event(broker, "fill", lambda e: e.data["key"] == order.key)
    mark = len(broker.events.history)
    stall = gateway.faults.inject({"kind": "stall", "client_id": 1})
    await wait_event(broker, "probe_timeout", lambda e: e.data.get("source") == "watchdog", since=mark)
    stall.stop()
    reconnected = await wait_event(broker, "reconnected", since=mark)
    assert reconnected.data["downtime"] > 0
    await wait_state(broker, BrokerState.READY)
    assert controller.terminations >= 1 and controller.starts >= 2
    assert (await broker.get_positions())[0].quantity == 1


async def test_watchdog_mode_needs_a_controller(gateway: FakeGateway) -> None:
    with pytest.raises(ValueError, match="controller"):
        IBKRInsyncBroker(gateway.host, gateway.port, 1, supervisor="watchdog")
