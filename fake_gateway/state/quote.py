"""The top of book of one contract: what the market model produces and the order engine matches on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quote:
    """Bid/ask/last with sizes and the day's volume, stamped with the gateway clock (seconds)."""

    con_id: int
    bid: float
    ask: float
    last: float
    bid_size: float = 100.0
    ask_size: float = 100.0
    last_size: float = 100.0
    volume: float = 0.0
    time: float = 0.0

    @property
    def mid(self) -> float:
        return (self.bid + self.ask) / 2
