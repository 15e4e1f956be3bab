"""The order book below the top: depth levels derived from the market model's quote.

Level 0 of each side is the quote itself; deeper levels step one tick (times a small seeded gap)
away, with sizes drawn from (seed, conId, side, price) so a price level keeps its size while it
exists and the book is the same in every run. SMART depth names the exchange of each level; an
exchange's own L2 (NASDAQ TotalView-like) names market makers.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from .market import Market

SMART_VENUES = ("NASDAQ", "ARCA", "NYSE", "BATS", "IEX", "EDGX", "MEMX", "BYX")
MARKET_MAKERS = ("NSDQ", "ARCX", "EDGX", "BATS", "CDRG", "GSCO", "UBSS", "MSCO", "SBSH", "JPMS")
L2_EXCHANGES = frozenset({"NASDAQ", "ISLAND"})
ASK, BID = 0, 1


@dataclass(frozen=True)
class Level:
    price: float
    size: float
    maker: str = ""


def levels(market: Market, seed: int, con_id: int, rows: int, named: tuple[str, ...] = ()) -> dict[int, list[Level]]:
    """``rows`` levels a side for the contract's current quote: {ASK: [...], BID: [...]}."""
    book = market.book(con_id)
    quote = market.quote(con_id)
    out: dict[int, list[Level]] = {}
    for side, top, direction in ((ASK, quote.ask, 1), (BID, quote.bid, -1)):
        side_levels = []
        price = top
        for row in range(rows):
            if row:
                price = book.round(price + direction * book.tick * (1 + _draw(seed, con_id, side, price) % 2))
            if price <= 0:
                break
            size = (quote.ask_size if side == ASK else quote.bid_size) if row == 0 else \
                book.lot * (1 + _draw(seed, con_id, side, price) % 20)
            maker = named[_draw(seed, con_id, side, price) % len(named)] if named else ""
            side_levels.append(Level(price, size, maker))
        out[side] = side_levels
    return out


def _draw(seed: int, con_id: int, side: int, price: float) -> int:
    return random.Random(zlib.crc32(f"{seed}:{con_id}:{side}:{price:.8f}".encode())).randrange(1 << 30)


def changes(old: list[Level], new: list[Level]) -> list[tuple[int, int, Level]]:
    """(position, operation, level) turning ``old`` into ``new``: updates where a row changed,
    inserts for new rows, deletes (from the bottom) for rows that went away, as IB streams depth."""
    ops: list[tuple[int, int, Level]] = []
    for position, level in enumerate(new):
        if position >= len(old):
            ops.append((position, 0, level))
        elif old[position] != level:
            ops.append((position, 1, level))
    for position in range(len(old) - 1, len(new) - 1, -1):
        ops.append((position, 2, old[position]))
    return ops
