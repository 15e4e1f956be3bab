"""The scenario's initial world and market moves, applied to a gateway's brokerage."""

from __future__ import annotations

from ib_harness.fake_gateway import FakeGateway

from .model import GatewaySection, PricePin
from .model_actions import MarketMove


def apply_world(gateway: FakeGateway, section: GatewaySection) -> None:
    """Pin the listed prices and set the price paths before the broker connects."""
    market = gateway.brokerage.market
    for symbol, pin in section.prices.items():
        price, spread = (pin.price, pin.spread) if isinstance(pin, PricePin) else (float(pin), 0.02)
        market.pin(symbol, price, spread=spread)
    for symbol, points in section.paths.items():
        market.set_path(symbol, points)


def move_market(gateway: FakeGateway, move: MarketMove) -> None:
    market = gateway.brokerage.market
    if move.price is not None:
        market.pin(move.symbol, move.price, spread=move.spread)
    elif move.path is not None:
        market.set_path(move.symbol, move.path, spread=move.spread)
