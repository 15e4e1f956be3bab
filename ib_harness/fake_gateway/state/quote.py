"""The top of book of one contract: what the market model produces and the order engine matches on."""

from __future__ import annotations

from typing import NamedTuple


class Quote(NamedTuple):
    """Bid/ask/last with sizes and the day's volume, stamped with the gateway clock (seconds).

    A named tuple, not a dataclass: the market model makes one per step (the hot path), and an
    immutable tuple is built several times faster than a frozen dataclass.
    """

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

    def same_market(self, other: "Quote") -> bool:
        """Equal in everything but the time stamp (the market model publishes only changes)."""
        return self[1:8] == other[1:8]
