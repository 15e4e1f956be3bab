"""Arguments of the timeline's actions: client calls through the broker, market moves, restarts."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .model_base import Strict


class PlaceOrder(Strict):
    """``broker.place_order``; the step id names the order for later steps and expectations."""

    symbol: str
    side: Literal["BUY", "SELL"]
    quantity: float = Field(gt=0)
    type: Literal["MARKET", "LIMIT", "STOP", "STOP_LIMIT"] = "LIMIT"
    limit_price: float | None = Field(None, gt=0)
    stop_price: float | None = Field(None, gt=0)
    key_of: str | None = Field(None, description="reuse the idempotency key of this earlier place_order step: "
                                                 "a client retrying a placement it is unsure about")

    @model_validator(mode="after")
    def _prices_for_type(self) -> "PlaceOrder":
        if self.type in ("LIMIT", "STOP_LIMIT") and self.limit_price is None:
            raise ValueError(f"a {self.type} order needs limit_price")
        if self.type in ("STOP", "STOP_LIMIT") and self.stop_price is None:
            raise ValueError(f"a {self.type} order needs stop_price")
        return self


class ModifyOrder(Strict):
    order: str = Field(description="the place_order step id")
    quantity: float | None = Field(None, gt=0)
    limit_price: float | None = Field(None, gt=0)
    stop_price: float | None = Field(None, gt=0)


class CancelOrder(Strict):
    order: str = Field(description="the place_order step id")


class GetMarketPrice(Strict):
    symbol: str


class GetBars(Strict):
    symbol: str
    duration: str = "1800 S"
    bar_size: str = "1 min"
    what_to_show: str = "TRADES"


class StreamBars(Strict):
    """A keepUpToDate bar subscription (broker.stream_bars); each update is recorded."""

    symbol: str
    duration: str = "1800 S"
    bar_size: str = "5 secs"
    what_to_show: str = "MIDPOINT"


class NoArguments(Strict):
    """get_positions / get_account / get_orders take nothing: write ``get_account: {}``."""


class MarketMove(Strict):
    """Move the gateway's market: pin a price (orders match at once) or set a price path."""

    symbol: str
    price: float | None = Field(None, gt=0)
    spread: float = Field(0.02, ge=0)
    path: list[float] | None = None

    @model_validator(mode="after")
    def _price_or_path(self) -> "MarketMove":
        if (self.price is None) == (self.path is None):
            raise ValueError("a market move needs exactly one of price or path")
        return self


class Restart(Strict):
    """Restart the gateway: drop every session, stay down ``down_seconds``, listen again."""

    down_seconds: float = Field(0.0, ge=0, le=60)
