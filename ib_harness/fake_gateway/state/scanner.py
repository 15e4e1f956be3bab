"""Market scanners over the catalog: scan codes, locations and filters, and the XML that
reqScannerParameters returns, all from the same tables so what the XML offers is what works.

A scan ranks the catalog's stocks by the market model's live values (change from the close,
volume, option implied volatility, price) after the usual filters (price and volume bounds, market
cap, stock type, location). Market cap is price times a seeded share count per contract.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any, Callable
from xml.etree import ElementTree

from .contracts import ContractCatalog, ContractDef
from .market import Market

MAX_ROWS = 50


@dataclass(frozen=True)
class ScanCode:
    code: str
    display_name: str
    key: Callable[["Row"], float]
    descending: bool = True


@dataclass(frozen=True)
class Row:
    contract: ContractDef
    price: float
    change: float
    volume: float
    market_cap: float

    @property
    def implied_vol(self) -> float:
        return self.contract.implied_vol


SCAN_CODES: dict[str, ScanCode] = {s.code: s for s in (
    ScanCode("TOP_PERC_GAIN", "Top % Gainers", lambda r: r.change),
    ScanCode("TOP_PERC_LOSE", "Top % Losers", lambda r: r.change, descending=False),
    ScanCode("MOST_ACTIVE", "Most Active", lambda r: r.volume),
    ScanCode("MOST_ACTIVE_USD", "Most Active ($)", lambda r: r.volume * r.price),
    ScanCode("HOT_BY_VOLUME", "Hot Contracts by Volume", lambda r: r.volume / max(r.market_cap / r.price, 1.0)),
    ScanCode("HOT_BY_PRICE", "Hot Contracts by Price", lambda r: abs(r.change)),
    ScanCode("TOP_PRICE_RANGE", "Top Price Range", lambda r: abs(r.change) * r.price),
    ScanCode("HIGH_OPT_IMP_VOLAT", "Highest Option Implied Vol", lambda r: r.implied_vol),
    ScanCode("LOW_OPT_IMP_VOLAT", "Lowest Option Implied Vol", lambda r: r.implied_vol, descending=False),
    ScanCode("HIGH_PRICE", "Highest Price", lambda r: r.price),
    ScanCode("LOW_PRICE", "Lowest Price", lambda r: r.price, descending=False),
)}

# locationCode -> primary exchanges it covers (None: all US listings)
LOCATIONS: dict[str, tuple[str, frozenset[str] | None]] = {
    "STK.US": ("US Stocks", None),
    "STK.US.MAJOR": ("Listed/NASDAQ", frozenset({"NYSE", "NASDAQ", "ARCA", "AMEX", "BATS"})),
    "STK.NYSE": ("NYSE", frozenset({"NYSE"})),
    "STK.NASDAQ": ("NASDAQ", frozenset({"NASDAQ"})),
    "STK.ARCA": ("NYSE Arca", frozenset({"ARCA"})),
    "STK.BATS": ("Cboe BZX", frozenset({"BATS"})),
}
INSTRUMENTS = {"STK": "US Stocks", "ETF.EQ.US": "US Equity ETFs"}
# filter code -> (display name, field type); the subscription fields and the filter tag names.
FILTERS = {
    "priceAbove": ("Price above", "DoubleField"), "priceBelow": ("Price below", "DoubleField"),
    "volumeAbove": ("Volume above", "IntField"), "marketCapAbove1e6": ("Market cap above ($M)", "DoubleField"),
    "marketCapBelow1e6": ("Market cap below ($M)", "DoubleField"),
    "impVolatAbove": ("Option implied volatility above (%)", "DoubleField"),
    "impVolatBelow": ("Option implied volatility below (%)", "DoubleField"),
}


class ScanError(ValueError):
    """A subscription IB would refuse (unknown scan code, instrument or location)."""


def shares_outstanding(contract: ContractDef) -> float:
    """A seeded share count between 100M and 16B (market cap = price x shares)."""
    return 1e8 * (1 + zlib.crc32(contract.symbol.encode()) % 160)


def scan(catalog: ContractCatalog, market: Market, params: dict[str, Any]) -> list[ContractDef]:
    """Rank the catalog by the scan code after the filters; at most numberOfRows (50) rows."""
    code = SCAN_CODES.get(params.get("scanCode") or "")
    if code is None:
        raise ScanError(f"Scanner type with code {params.get('scanCode')!r} is not supported")
    instrument = params.get("instrument") or ""
    if instrument not in INSTRUMENTS:
        raise ScanError(f"Invalid instrument {instrument!r}")
    location = LOCATIONS.get(params.get("locationCode") or "")
    if location is None:
        raise ScanError(f"Invalid location code {params.get('locationCode')!r}")
    filters = _filters(params)
    rows = []
    for contract in catalog.contracts:
        if contract.sec_type != "STK" or (location[1] is not None and contract.details.get("primaryExchange") not in location[1]):
            continue
        if instrument == "ETF.EQ.US" and contract.details.get("stockType") != "ETF":
            continue
        quote, book = market.quote(contract.con_id), market.book(contract.con_id)
        price = quote.last
        row = Row(contract, price, (price - book.close) / book.close * 100 if book.close else 0.0,
                  quote.volume, price * shares_outstanding(contract))
        if _passes(row, filters, params):
            rows.append(row)
    rows.sort(key=lambda r: (r.contract.symbol,))
    rows.sort(key=code.key, reverse=code.descending)
    wanted = int(params.get("numberOfRows") or MAX_ROWS)
    return [r.contract for r in rows[:max(1, min(wanted, MAX_ROWS))]]


def _filters(params: dict[str, Any]) -> dict[str, float]:
    """The filter options ("tag=value;...") plus the classic subscription fields."""
    found: dict[str, float] = {}
    for pair in str(params.get("filterOptions") or "").split(";"):
        if "=" in pair:
            tag, value = pair.split("=", 1)
            if tag not in FILTERS:
                raise ScanError(f"Invalid scanner filter {tag!r}")
            try:
                found[tag] = float(value)
            except ValueError:
                raise ScanError(f"Scanner filter {tag} needs a number, got {value!r}") from None
    for field, tag, scale in (("abovePrice", "priceAbove", 1), ("belowPrice", "priceBelow", 1),
                              ("aboveVolume", "volumeAbove", 1), ("marketCapAbove", "marketCapAbove1e6", 1e-6),
                              ("marketCapBelow", "marketCapBelow1e6", 1e-6)):
        if params.get(field) is not None:
            found[tag] = float(params[field]) * scale
    return found


def _passes(row: Row, filters: dict[str, float], params: dict[str, Any]) -> bool:
    checks = {
        "priceAbove": row.price > filters.get("priceAbove", -1e300),
        "priceBelow": row.price < filters.get("priceBelow", 1e300),
        "volumeAbove": row.volume > filters.get("volumeAbove", -1e300),
        "marketCapAbove1e6": row.market_cap / 1e6 > filters.get("marketCapAbove1e6", -1e300),
        "marketCapBelow1e6": row.market_cap / 1e6 < filters.get("marketCapBelow1e6", 1e300),
        "impVolatAbove": row.implied_vol * 100 > filters.get("impVolatAbove", -1e300),
        "impVolatBelow": row.implied_vol * 100 < filters.get("impVolatBelow", 1e300),
    }
    stock_type = str(params.get("stockTypeFilter") or "ALL").upper()
    if stock_type not in ("ALL", "") and str(row.contract.details.get("stockType", "COMMON")).upper() != stock_type:
        return False
    return all(checks.values())


def parameters_xml() -> str:
    """reqScannerParameters: instruments, the location tree, scan types and filters, in IB's shape."""
    root = ElementTree.Element("ScanParameterResponse")
    instruments = ElementTree.SubElement(root, "InstrumentList", varName="fullInstrumentList")
    for code, name in INSTRUMENTS.items():
        item = ElementTree.SubElement(instruments, "Instrument")
        ElementTree.SubElement(item, "name").text = name
        ElementTree.SubElement(item, "type").text = code
        ElementTree.SubElement(item, "filters").text = ",".join(FILTERS)
    tree = ElementTree.SubElement(root, "LocationTree", varName="fullLocationTree")
    top = ElementTree.SubElement(tree, "Location")
    ElementTree.SubElement(top, "displayName").text = "US Stocks"
    ElementTree.SubElement(top, "locationCode").text = "STK.US"
    ElementTree.SubElement(top, "instruments").text = "STK"
    children = ElementTree.SubElement(top, "LocationTree")
    for code, (name, _) in LOCATIONS.items():
        if code == "STK.US":
            continue
        child = ElementTree.SubElement(children, "Location")
        ElementTree.SubElement(child, "displayName").text = name
        ElementTree.SubElement(child, "locationCode").text = code
        ElementTree.SubElement(child, "instruments").text = "STK"
    scans = ElementTree.SubElement(root, "ScanTypeList", varName="scanTypeList")
    for scan_code in SCAN_CODES.values():
        item = ElementTree.SubElement(scans, "ScanType")
        ElementTree.SubElement(item, "displayName").text = scan_code.display_name
        ElementTree.SubElement(item, "scanCode").text = scan_code.code
        ElementTree.SubElement(item, "instruments").text = ",".join(INSTRUMENTS)
    filter_list = ElementTree.SubElement(root, "FilterList", varName="filterList")
    for code, (name, kind) in FILTERS.items():
        item = ElementTree.SubElement(filter_list, "RangeFilter")
        ElementTree.SubElement(item, "id").text = code.upper()
        field = ElementTree.SubElement(item, "AbstractField", type=kind)
        ElementTree.SubElement(field, "code").text = code
        ElementTree.SubElement(field, "displayName").text = name
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode")
