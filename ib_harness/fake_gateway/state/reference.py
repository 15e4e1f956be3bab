"""Static reference data IB's servers hold: market rules, SMART components, depth venues, FA XML,
display groups, and the volume-by-price histogram drawn from the seeded history.

Market rule ids are the ones the catalog's contract details list (``marketRuleIds``), so a
program that looks up the rule of a contract it qualified always finds it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from .history import parse_bar_size

if TYPE_CHECKING:
    from .brokerage import Brokerage

DISPLAY_GROUPS = (1, 2, 3, 4, 5, 6, 7)

# IB's published increments (reqMarketRule): US stocks, IDEALPRO forex, index futures, options.
MARKET_RULES: dict[int, list[tuple[float, float]]] = {
    26: [(0.0, 0.01)],
    239: [(0.0, 0.01)],
    3188: [(0.0, 0.00005)],
    67: [(0.0, 0.25)],
    32: [(0.0, 0.01), (3.0, 0.05)],  # penny-pilot equity options
    110: [(0.0, 0.05), (3.0, 0.1)],  # index options (SPX)
    1760: [(0.0, 0.005)],
    1840: [(0.0, 0.0001)],
    1: [(0.0, 0.1)],
    1742: [(0.0, 0.5)],
    1741: [(0.0, 0.0025)],
}

# (exchange, secType, listingExch, serviceDataType, aggGroup) as reqMktDepthExchanges lists them;
# IB prints an unset aggGroup as Integer.MAX_VALUE.
_UNSET_AGG_GROUP = 2**31 - 1
DEPTH_EXCHANGES: tuple[tuple[str, str, str, str, int], ...] = (
    ("NASDAQ", "STK", "", "Deep2", _UNSET_AGG_GROUP),
    ("ARCA", "STK", "", "Deep", _UNSET_AGG_GROUP),
    ("NYSE", "STK", "", "Deep", _UNSET_AGG_GROUP),
    ("BATS", "STK", "", "Deep", _UNSET_AGG_GROUP),
    ("IEX", "STK", "", "Deep", _UNSET_AGG_GROUP),
    ("ISLAND", "STK", "", "Deep2", _UNSET_AGG_GROUP),
    ("IDEALPRO", "CASH", "", "Deep", 4),
    ("CME", "FUT", "", "Deep", 2),
    ("CBOT", "FUT", "", "Deep", 2),
    ("NYMEX", "FUT", "", "Deep", 2),
    ("COMEX", "FUT", "", "Deep", 2),
    ("CBOE", "OPT", "", "Deep", _UNSET_AGG_GROUP),
    ("SMART", "STK", "", "Deep", _UNSET_AGG_GROUP),
)

# The bboExchange that tickReqParams names ("9c0001") maps to these SMART venues.
SMART_COMPONENTS: dict[str, list[tuple[int, str, str]]] = {
    "9c0001": [(1, "NYSE", "N"), (2, "ARCA", "P"), (3, "NASDAQ", "Q"), (4, "BATS", "Z"),
               (5, "IEX", "V"), (6, "EDGX", "K"), (7, "MEMX", "U"), (8, "CHX", "M")],
}

_PERIOD = re.compile(r"^(\d+) (day|days|week|weeks|month|months)$")
_PERIOD_SECONDS = {"day": 86400, "week": 7 * 86400, "month": 30 * 86400}


def fa_xml(fa_type: int, accounts: list[str]) -> str | None:
    """requestFA's XML: 1 groups, 2 profiles, 3 aliases; None for any other type."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    listed = "".join(f"<String>{a}</String>" for a in accounts)
    if fa_type == 1:
        return (f"{head}<ListOfGroups><Group><name>All</name><ListOfAccts varName=\"list\">{listed}"
                "</ListOfAccts><defaultMethod>NetLiq</defaultMethod></Group></ListOfGroups>")
    if fa_type == 2:
        return f"{head}<ListOfAllocationProfiles></ListOfAllocationProfiles>"
    if fa_type == 3:
        aliases = "".join(f"<AccountAlias><account>{a}</account><alias>{a}</alias></AccountAlias>" for a in accounts)
        return f"{head}<ListOfAccountAliases>{aliases}</ListOfAccountAliases>"
    return None


def market_rule(rule_id: int) -> list[dict[str, float]] | None:
    rule = MARKET_RULES.get(rule_id)
    return None if rule is None else [{"lowEdge": low, "increment": step} for low, step in rule]


def depth_exchanges() -> list[dict[str, Any]]:
    keys = ("exchange", "secType", "listingExch", "serviceDataType", "aggGroup")
    return [dict(zip(keys, row)) for row in DEPTH_EXCHANGES]


def smart_components(bbo_exchange: str) -> list[dict[str, Any]] | None:
    rows = SMART_COMPONENTS.get(bbo_exchange)
    keys = ("bitNumber", "exchange", "exchangeLetter")
    return None if rows is None else [dict(zip(keys, row)) for row in rows]


def histogram(brokerage: "Brokerage", con_id: int, period: str) -> list[dict[str, float]] | None:
    """Volume by price over ``period`` ("3 days", "1 week"), from hourly bars of the history."""
    match = _PERIOD.match(period.strip())
    if match is None:
        return None
    span = int(match.group(1)) * _PERIOD_SECONDS[match.group(2).rstrip("s")]
    end = brokerage.market.clock()
    book = brokerage.market.book(con_id)
    volume: dict[float, float] = defaultdict(float)
    for bar in brokerage.history.bars(con_id, end - span, end, parse_bar_size("1 hour")):
        volume[book.round(bar.close)] += max(bar.volume, 1.0)
    return [{"price": price, "size": size} for price, size in sorted(volume.items())]
