"""The contract catalog: what securities exist, as IB's security-definition servers know them.

Contracts are stored with IB's field names so that they flow into wire layouts unchanged. The
default catalog lives in ``fake_gateway/data/contracts.yaml``; any YAML of the same shape loads.
"""

from __future__ import annotations

import zlib
from functools import lru_cache
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

from .options import OptionChains

_MATCH_KEYS = ("symbol", "secType", "currency", "lastTradeDateOrContractMonth", "localSymbol", "tradingClass", "multiplier")
_INSTRUMENT_KEYS = {"price", "volatility"}
LISTED_CON_ID_BASE, LISTED_CON_ID_SPAN = 1_100_000_000, 400_000_000
OPTION_TYPES = ("OPT", "FOP")


class CatalogError(ValueError):
    """A catalog file that does not describe contracts; says which entry and why."""


@dataclass
class ContractDef:
    """One security: its IB contract-details fields plus its market seed (price, volatility) and,
    for an optionable underlying or an option, the option model's base volatility."""

    details: dict[str, Any]
    price: float = 100.0
    volatility: float = 0.0002
    implied_vol: float = 0.0

    @property
    def con_id(self) -> int:
        return int(self.details["conId"])

    @property
    def symbol(self) -> str:
        return str(self.details["symbol"])

    @property
    def sec_type(self) -> str:
        return str(self.details["secType"])

    @property
    def min_tick(self) -> float:
        return float(self.details.get("minTick", 0.01))

    @property
    def multiplier(self) -> float:
        return float(self.details.get("multiplier") or 1)

    def contract_fields(self) -> dict[str, Any]:
        """The short contract block used in orders, positions and executions."""
        d = self.details
        return {
            "conId": self.con_id,
            "symbol": d["symbol"],
            "secType": d["secType"],
            "lastTradeDateOrContractMonth": d.get("lastTradeDateOrContractMonth", ""),
            "strike": float(d.get("strike") or 0.0),
            "right": d.get("right", ""),
            "multiplier": d.get("multiplier", ""),
            "exchange": d.get("exchange", ""),
            "primaryExchange": d.get("primaryExchange", ""),
            "currency": d.get("currency", ""),
            "localSymbol": d.get("localSymbol", ""),
            "tradingClass": d.get("tradingClass", ""),
        }

    def matches(self, query: Mapping[str, Any]) -> bool:
        """IB's lookup rule: conId wins; else every non-empty query field must agree."""
        con_id = int(query.get("conId") or 0)
        if con_id:
            return con_id == self.con_id and (not query.get("secType") or query["secType"] == self.sec_type)
        if not query.get("symbol") and not query.get("localSymbol"):
            return False
        for key in _MATCH_KEYS:
            wanted = query.get(key)
            if wanted and str(wanted) != str(self.details.get(key, "")):
                return False
        exchange = query.get("exchange")
        if exchange and exchange not in self.valid_exchanges():
            return False
        return True

    def listed_on(self, exchange: str) -> "ContractDef":
        """The same contract (same conId) as contract details list it for one exchange."""
        if exchange == self.details.get("exchange"):
            return self
        return replace(self, details={**self.details, "exchange": exchange})

    def listings(self) -> list["ContractDef"]:
        """A stock asked for without exchange: SMART, its primary listing, then every other venue."""
        primary = str(self.details.get("primaryExchange", ""))
        venues = [v for v in str(self.details.get("validExchanges", "")).split(",") if v]
        ordered = ["SMART"] if "SMART" in venues else []
        ordered += [primary] if primary and primary not in ordered else []
        ordered += [v for v in venues if v not in ordered]
        return [self.listed_on(v) for v in ordered] or [self]

    def valid_exchanges(self) -> set[str]:
        names = set(str(self.details.get("validExchanges", "")).split(","))
        names.add(str(self.details.get("exchange", "")))
        return names - {""}


@dataclass
class ContractCatalog:
    """All contracts, looked up by conId or by the fields a client sends."""

    contracts: list[ContractDef] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id: dict[int, ContractDef] = {}
        for contract in self.contracts:
            self._index(contract)
        self.options = OptionChains(self)

    def _index(self, contract: ContractDef) -> None:
        """The first contract of a conId owns it (a CONTFUT shares its front month's conId)."""
        self._by_id.setdefault(contract.con_id, contract)

    def add(self, contract: ContractDef) -> None:
        self.contracts.append(contract)
        self._index(contract)

    def by_con_id(self, con_id: int) -> ContractDef | None:
        return self._by_id.get(con_id) or self.options.by_con_id(con_id)

    def by_symbol(self, symbol: str) -> ContractDef | None:
        """The first contract whose symbol or localSymbol is ``symbol`` (handy for tests)."""
        for contract in self.contracts:
            if symbol in (contract.symbol, contract.details.get("localSymbol")):
                return contract
        return None

    def find(self, query: Mapping[str, Any]) -> list[ContractDef]:
        """Catalog contracts matching a query; options (generated) when it asks for OPT."""
        if query.get("secType") in OPTION_TYPES:
            return self.options.find(query)
        if query.get("secType") == "FUT+CONTFUT":  # IB's way to ask for both at once
            return self.find({**query, "secType": "FUT"}) + self.find({**query, "secType": "CONTFUT"})
        found = [c for c in self.contracts if c.matches(query)]
        con_id = int(query.get("conId") or 0)
        if con_id and len(found) > 1:  # a conId alone names the future, not its CONTFUT twin
            found = [self._by_id[con_id]]
        if not found and con_id:
            option = self.options.by_con_id(con_id)
            found = [option] if option is not None else []
        return found

    def details_for(self, query: Mapping[str, Any]) -> list[ContractDef]:
        """reqContractDetails: every match as TWS lists it; a stock asked for without exchange
        comes once per venue (SMART, its primary listing, the others), all with one conId."""
        found = self.find(query)
        exchange = str(query.get("exchange") or "")
        if exchange:
            return [c.listed_on(exchange) if c.sec_type == "STK" else c for c in found]
        if int(query.get("conId") or 0):
            return found
        listed: list[ContractDef] = []
        for contract in found:
            listed += contract.listings() if contract.sec_type == "STK" else [contract]
        return listed

    def resolve(self, query: Mapping[str, Any]) -> ContractDef | None:
        """Exactly one match, or None (IB answers 200 for none and for an ambiguous request)."""
        found = self.find(query)
        return found[0] if len(found) == 1 else None

    def search(self, pattern: str) -> list[ContractDef]:
        """reqMatchingSymbols: the exact symbol first, then symbol prefixes, then long names that
        contain the pattern (CONTFUT twins are not listed; the caller applies IB's limit of 16)."""
        needle = pattern.strip().upper()
        listed = [c for c in self.contracts if c.sec_type != "CONTFUT"]
        hits = [c for c in listed if c.symbol.upper() == needle]
        hits += [c for c in listed if c not in hits and c.symbol.upper().startswith(needle)]
        hits += [c for c in listed if c not in hits and needle in str(c.details.get("longName", "")).upper()]
        return hits

    def derivative_sec_types(self, contract: ContractDef) -> list[str]:
        """The derivative kinds IB lists for a matching symbol: options only where chains exist."""
        optionable = self.options.optionable(contract)
        kinds = {"STK": ["CFD"] + (["OPT", "IOPT", "WAR"] if optionable else []) + ["BAG"],
                 "IND": (["OPT"] if optionable else []) + ["FUT", "BAG"],
                 "FUT": ["FOP"], "CASH": ["CFD"]}
        return kinds.get(contract.sec_type, [])

    @classmethod
    def from_yaml(cls, source: str | Path | None = None) -> "ContractCatalog":
        """Load a catalog file; None loads the packaged default."""
        if source is None:
            text = resources.files("ib_harness.fake_gateway.data").joinpath("contracts.yaml").read_text()
            origin = "fake_gateway/data/contracts.yaml"
        else:
            text = Path(source).read_text()
            origin = str(source)
        try:
            data = _parse_yaml(text)
        except yaml.YAMLError as exc:
            raise CatalogError(f"{origin}: not valid YAML: {exc}") from None
        return cls.from_mapping(data, origin)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], origin: str = "<catalog>") -> "ContractCatalog":
        defaults = data.get("defaults", {}) or {}
        entries = data.get("contracts")
        if not isinstance(entries, list):
            raise CatalogError(f"{origin}: 'contracts' must be a list")
        built = [_build(entry, defaults, f"{origin}: contracts[{i}]") for i, entry in enumerate(entries)]
        seen: dict[int, str] = {}
        for i, contract in enumerate(built):
            if contract.con_id in seen:
                raise CatalogError(f"{origin}: contracts[{i}] ({contract.symbol}): conId {contract.con_id} "
                                   f"is already used by {seen[contract.con_id]}")
            seen[contract.con_id] = contract.symbol
        return cls(built + _continuous_futures(built))


@lru_cache(maxsize=8)
def _parse_yaml(text: str) -> Any:
    """Parse once per text (libyaml when present): every gateway of a test run loads the catalog,
    and the entries are copied into fresh ContractDefs by from_mapping."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader) or {}


def _build(entry: Any, defaults: Mapping[str, Any], where: str) -> ContractDef:
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{where}: must be a mapping")
    for key in ("symbol", "secType"):
        if key not in entry:
            raise CatalogError(f"{where}: missing '{key}'")
    merged: dict[str, Any] = dict(defaults.get(entry["secType"], {}) or {})
    merged.update(entry)  # a new dict: the cached parse stays untouched
    if "conId" not in merged:
        merged["conId"] = deterministic_con_id(merged)
    symbol = str(merged["symbol"])
    merged.setdefault("localSymbol", symbol)
    merged.setdefault("tradingClass", symbol if merged["secType"] != "STK" else "NMS")
    merged.setdefault("marketName", merged["tradingClass"])
    merged.setdefault("currency", "USD")
    merged.setdefault("exchange", "SMART")
    price = float(merged.pop("price", 100.0))
    volatility = float(merged.pop("volatility", 0.0002))
    implied_vol = float(merged.pop("impliedVolatility", 0.0))
    if price <= 0:
        raise CatalogError(f"{where}: price must be positive, got {price}")
    if implied_vol < 0:
        raise CatalogError(f"{where}: impliedVolatility must not be negative, got {implied_vol}")
    return ContractDef(details=merged, price=price, volatility=volatility, implied_vol=implied_vol)


def deterministic_con_id(fields: Mapping[str, Any]) -> int:
    """A conId for a contract without IB's real one: a hash of its identity, the same in every run,
    in a range above the conIds IB has handed out so far."""
    identity = ":".join(str(fields.get(k, "")) for k in (
        "secType", "symbol", "currency", "exchange", "lastTradeDateOrContractMonth", "localSymbol"))
    return LISTED_CON_ID_BASE + zlib.crc32(identity.encode()) % LISTED_CON_ID_SPAN


def _continuous_futures(contracts: list[ContractDef]) -> list[ContractDef]:
    """IB's CONTFUT of each future root: the front month's details under secType CONTFUT."""
    fronts: dict[tuple[str, str], ContractDef] = {}
    for contract in contracts:
        if contract.sec_type != "FUT":
            continue
        key = (contract.symbol, str(contract.details.get("exchange", "")))
        expiry = str(contract.details.get("lastTradeDateOrContractMonth", ""))
        if key not in fronts or expiry < str(fronts[key].details.get("lastTradeDateOrContractMonth", "")):
            fronts[key] = contract
    return [replace(front, details={**front.details, "secType": "CONTFUT"}) for front in fronts.values()]


def default_catalog() -> ContractCatalog:
    return ContractCatalog.from_yaml(None)


