"""The two kinds of market-data subscription the broker holds: a ticker line per symbol and a
keepUpToDate bar stream per consumer (their behaviour is in market_data.py)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # types only: the objects come from the broker's backend (backends.py)
    from ib_insync import BarDataList, Contract, Ticker



@dataclass
class MarketLine:
    symbol: str
    contract: Contract
    ticker: Ticker
    req_id: int
    updates: int = 0
    updated_at: float = 0.0
    unavailable: str | None = None
    # where the mark fell in ib_insync's stream: the data chunk (ClientAdapter.current_chunk, a new
    # object per chunk) and the ticks of this line already decoded in it, so a tick decoded before the mark in
    # the same chunk does not count as the data coming back
    marked_in: object = None
    ticks_at_mark: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    last_used: float = 0.0  # loop time of the last call that read it (LRU and idle TTL)
    requested_at: float = 0.0  # loop time of its reqMktData

    def age(self, now: float) -> float:
        """Seconds since its last tick (since its request while none came)."""
        return now - (self.updated_at if self.updates else self.requested_at)


@dataclass
class BarStream:
    symbol: str
    contract: Contract
    params: dict[str, Any]
    bars: BarDataList
    updates: int = 0
    listeners: list[Callable[[BarDataList, bool], None]] = field(default_factory=list)
    closer: Callable[["BarStream"], None] | None = None
    closed: bool = False

    def close(self) -> None:
        """The consumer is done: the subscription ends at IB and is not restored after a reconnect."""
        if not self.closed:
            self.closed = True
            self.listeners.clear()
            if self.closer is not None:
                self.closer(self)

    async def __aenter__(self) -> "BarStream":
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()
