"""The contract catalog: what securities exist, as IB's security-definition servers know them.

Contracts are stored with IB's field names so that they flow into wire layouts unchanged. The
default catalog lives in ``fake_gateway/data/contracts.yaml``; any YAML of the same shape loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

_MATCH_KEYS = ("symbol", "secType", "currency", "lastTradeDateOrContractMonth", "localSymbol", "tradingClass", "multiplier")
_INSTRUMENT_KEYS = {"price", "volatility"}


class CatalogError(ValueError):
    """A catalog file that does not describe contracts; says which entry and why."""


@dataclass
class ContractDef:
    """One security: its IB contract-details fields plus its market seed (price, volatility)."""

    details: dict[str, Any]
    price: float = 100.0
    volatility: float = 0.0002

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
            "strike": 0.0,
            "right": "",
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
            return con_id == self.con_id
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

    def valid_exchanges(self) -> set[str]:
        names = set(str(self.details.get("validExchanges", "")).split(","))
        names.add(str(self.details.get("exchange", "")))
        return names - {""}


@dataclass
class ContractCatalog:
    """All contracts, looked up by conId or by the fields a client sends."""

    contracts: list[ContractDef] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_id = {c.con_id: c for c in self.contracts}

    def add(self, contract: ContractDef) -> None:
        self.contracts.append(contract)
        self._by_id[contract.con_id] = contract

    def by_con_id(self, con_id: int) -> ContractDef | None:
        return self._by_id.get(con_id)

    def by_symbol(self, symbol: str) -> ContractDef | None:
        """The first contract whose symbol or localSymbol is ``symbol`` (handy for tests)."""
        for contract in self.contracts:
            if symbol in (contract.symbol, contract.details.get("localSymbol")):
                return contract
        return None

    def find(self, query: Mapping[str, Any]) -> list[ContractDef]:
        return [c for c in self.contracts if c.matches(query)]

    def resolve(self, query: Mapping[str, Any]) -> ContractDef | None:
        """Exactly one match, or None (IB answers 200 for none and for an ambiguous request)."""
        found = self.find(query)
        return found[0] if len(found) == 1 else None

    def search(self, pattern: str) -> list[ContractDef]:
        """reqMatchingSymbols: prefix match on symbol, then on long name."""
        needle = pattern.upper()
        hits = [c for c in self.contracts if c.symbol.upper().startswith(needle)]
        hits += [c for c in self.contracts if c not in hits and needle in str(c.details.get("longName", "")).upper()]
        return hits

    @classmethod
    def from_yaml(cls, source: str | Path | None = None) -> "ContractCatalog":
        """Load a catalog file; None loads the packaged default."""
        if source is None:
            text = resources.files("fake_gateway.data").joinpath("contracts.yaml").read_text()
            origin = "fake_gateway/data/contracts.yaml"
        else:
            text = Path(source).read_text()
            origin = str(source)
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise CatalogError(f"{origin}: not valid YAML: {exc}") from None
        return cls.from_mapping(data, origin)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], origin: str = "<catalog>") -> "ContractCatalog":
        defaults = data.get("defaults", {}) or {}
        entries = data.get("contracts")
        if not isinstance(entries, list):
            raise CatalogError(f"{origin}: 'contracts' must be a list")
        return cls([_build(entry, defaults, f"{origin}: contracts[{i}]") for i, entry in enumerate(entries)])


def _build(entry: Any, defaults: Mapping[str, Any], where: str) -> ContractDef:
    if not isinstance(entry, Mapping):
        raise CatalogError(f"{where}: must be a mapping")
    for key in ("conId", "symbol", "secType"):
        if key not in entry:
            raise CatalogError(f"{where}: missing '{key}'")
    merged: dict[str, Any] = dict(defaults.get(entry["secType"], {}) or {})
    merged.update(entry)
    symbol = str(merged["symbol"])
    merged.setdefault("localSymbol", symbol)
    merged.setdefault("tradingClass", symbol if merged["secType"] != "STK" else "NMS")
    merged.setdefault("marketName", merged["tradingClass"])
    merged.setdefault("currency", "USD")
    merged.setdefault("exchange", "SMART")
    price = float(merged.pop("price", 100.0))
    volatility = float(merged.pop("volatility", 0.0002))
    if price <= 0:
        raise CatalogError(f"{where}: price must be positive, got {price}")
    return ContractDef(details=merged, price=price, volatility=volatility)


def default_catalog() -> ContractCatalog:
    return ContractCatalog.from_yaml(None)


