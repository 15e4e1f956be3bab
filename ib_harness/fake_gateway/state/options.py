"""Option chains, generated rather than stored: expirations and strikes for every catalog contract
with an ``impliedVolatility``, and the option contracts themselves on demand.

IB lists a chain per exchange and trading class (reqSecDefOptParams): equity options trade in one
class named like the underlying on SMART and each options exchange; SPX has the monthly AM-settled
class SPX and the weekly/daily class SPXW (NDX/NDXP, RUT/RUTW likewise). Expirations follow the
listing rules (weekly Fridays, the monthly third Friday, January LEAPS; VIX on Wednesdays), and
strikes are a grid around the underlying's catalog price, fine near the money and coarse in the
wings. Everything depends only on the catalog and the date, so a chain is the same in every run
on a day. Each option gets a deterministic conId and is registered on first use, so a conId alone
resolves afterwards.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
import time
from typing import TYPE_CHECKING, Any, Iterator, Mapping
from zoneinfo import ZoneInfo

from .exchange_days import is_trading_day, trading_day_on_or_before
from .option_model import Greeks, price_and_greeks, smile

if TYPE_CHECKING:
    from .contracts import ContractCatalog, ContractDef
    from .events import EventHub
    from .market import Market

EASTERN = ZoneInfo("US/Eastern")
OPTION_CON_ID_BASE, OPTION_CON_ID_SPAN = 1_500_000_000, 600_000_000
EQUITY_EXCHANGES = ("SMART", "AMEX", "BATS", "BOX", "CBOE", "EDGX", "ISE", "MIAX", "NASDAQOM", "PHLX", "PEARL")
EQUITY_ORDER_TYPES = "ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,IOC,LIT,LMT,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,OPENCLOSE,PEGMIDVOL,PEGMKTVOL,PEGPRMVOL,PEGSRFVOL,POSTONLY,REL,RELPCTOFS,RTH,SCALE,SCALERST,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,VOLAT,WHATIF"
RIGHTS = {"C": "C", "CALL": "C", "P": "P", "PUT": "P"}

# Index option classes: (trading class, expiry rule, exchanges, strike step near the money)
INDEX_CLASSES: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "SPX": (("SPX", "monthly", ("SMART", "CBOE")), ("SPXW", "daily", ("SMART", "CBOE"))),
    "NDX": (("NDX", "monthly", ("SMART", "ISE")), ("NDXP", "weekly", ("SMART", "ISE"))),
    "RUT": (("RUT", "monthly", ("SMART", "CBOE")), ("RUTW", "weekly", ("SMART", "CBOE"))),
    "VIX": (("VIX", "vix", ("SMART", "CBOE")),),
}


@dataclass(frozen=True)
class Chain:
    """One reqSecDefOptParams row: an exchange and trading class with its expirations and strikes."""

    exchange: str
    underlying_con_id: int
    trading_class: str
    multiplier: str
    expirations: tuple[str, ...]
    strikes: tuple[float, ...]


def _third_friday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(4 - first.weekday()) % 7 + 14)


def _months_ahead(today: date, count: int) -> Iterator[tuple[int, int]]:
    for i in range(count):
        year, month = divmod(today.year * 12 + today.month - 1 + i, 12)
        yield year, month + 1


def expirations(rule: str, today: date) -> tuple[str, ...]:
    """Listed expiry dates (YYYYMMDD) on or after ``today`` for one listing rule; an expiry on an
    exchange holiday moves to the trading day before (Good Friday, Christmas, New Year)."""
    days: set[date] = set()
    if rule in ("weekly", "daily", "equity"):
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        days.update(friday + timedelta(weeks=i) for i in range(6 if rule == "equity" else 8))
    if rule == "daily":
        day = today
        while day < today + timedelta(days=14):
            if is_trading_day(day):
                days.add(day)
            day += timedelta(days=1)
    if rule in ("monthly", "equity"):
        days.update(_third_friday(y, m) for y, m in _months_ahead(today, 7 if rule == "equity" else 12))
    if rule == "equity":
        days.update(_third_friday(today.year + n, 1) for n in (1, 2))
    if rule == "vix":  # 30 days before the third Friday of the following month, a Wednesday
        for y, m in _months_ahead(today, 8):
            ny, nm = divmod(y * 12 + m, 12)
            days.add(_third_friday(ny, nm + 1) - timedelta(days=30))
    moved = {trading_day_on_or_before(d) for d in days}
    return tuple(sorted(d.strftime("%Y%m%d") for d in moved if d >= today))


def strike_step(price: float, index: bool) -> float:
    if index:
        return 1.0 if price < 100 else 5.0 if price < 5000 else 25.0
    for bound, step in ((5, 0.5), (25, 1.0), (200, 2.5), (500, 5.0), (1000, 10.0)):
        if price < bound:
            return step
    return 50.0


def strikes(price: float, index: bool) -> tuple[float, ...]:
    """Every step within 10% of the price, five steps apart out to 40% (the wings)."""
    step = strike_step(price, index)
    grid: set[float] = set()
    for band, every in ((0.10, step), (0.40, step * 5)):
        low, high = price * (1 - band), price * (1 + band)
        k = (int(low / every) + 1) * every
        while k <= high:
            grid.add(round(k, 4))
            k += every
    return tuple(sorted(grid))


def occ_symbol(trading_class: str, expiry: str, right: str, strike: float) -> str:
    """IB's localSymbol for US options: the OCC symbol (root padded to 6, yymmdd, right, strike*1000)."""
    return f"{trading_class:<6}{expiry[2:]}{right}{int(round(strike * 1000)):08d}"


class OptionChains:
    """The generated option universe of one catalog."""

    def __init__(self, catalog: "ContractCatalog") -> None:
        self.catalog = catalog
        self.market: "Market | None" = None
        self._by_id: dict[int, "ContractDef"] = {}
        self._by_key: dict[tuple[int, str, str, float, str], "ContractDef"] = {}
        self._by_underlying: dict[int, list["ContractDef"]] = {}

    def bind(self, market: "Market", events: "EventHub") -> None:
        """Price options off the live market: dates from its clock, the underlying's last trade as
        spot, and every option with a book re-quoted whenever its underlying moves."""
        self.market = market
        events.subscribe(self._on_event)

    def now(self) -> float:
        return self.market.clock() if self.market is not None else time.time()

    def today(self) -> date:
        return datetime.fromtimestamp(self.now(), EASTERN).date()

    # ----- the model ---------------------------------------------------------------------------

    def spot(self, option: "ContractDef") -> float:
        underlying = self.catalog.by_con_id(int(option.details["underConId"]))
        assert underlying is not None
        return self.market.last(underlying.con_id) if self.market is not None else underlying.price

    def years_left(self, option: "ContractDef") -> float:
        expiry = datetime.strptime(str(option.details["lastTradeDateOrContractMonth"]), "%Y%m%d")
        close = expiry.replace(hour=16, tzinfo=EASTERN).timestamp()
        return max(0.0, close - self.now()) / (365.0 * 86400)

    def greeks(self, option: "ContractDef", spot: float | None = None, vol: float | None = None) -> Greeks:
        """The model's value and greeks for an option now (spot and volatility overridable)."""
        s = self.spot(option) if spot is None else spot
        t = self.years_left(option)
        sigma = smile(option.implied_vol, s, float(option.details["strike"]), t) if vol is None else vol
        return price_and_greeks(str(option.details["right"]), s, float(option.details["strike"]), t, sigma)

    def quote(self, option: "ContractDef") -> tuple[float, float, float]:
        """(bid, ask, model price): a spread of 2% (at least one tick) around the model price."""
        model = self.greeks(option).price
        tick = option.min_tick
        half = max(tick, round(model * 0.01 / tick) * tick)
        bid = max(0.0, round(round((model - half) / tick) * tick, 4))
        ask = round(max(bid + tick, round((model + half) / tick) * tick), 4)
        return bid, ask, model

    def requote(self, option: "ContractDef") -> None:
        """Move an option's book to the model's quote (published like any other quote)."""
        if self.market is None:
            return
        bid, ask, model = self.quote(option)
        option.price = max(model, option.min_tick)
        self.market.set_quote(option.con_id, bid, ask)

    def _on_event(self, event: str, payload: dict[str, Any]) -> None:
        if event != "price_marked" or self.market is None:
            return
        con_id = payload["con_id"]
        for option in self.of_underlying(con_id):
            if option.con_id in self.market.books:
                self.requote(option)

    @staticmethod
    def optionable(underlying: "ContractDef") -> bool:
        return underlying.implied_vol > 0 and underlying.sec_type in ("STK", "IND")

    def classes(self, underlying: "ContractDef") -> list[tuple[str, str, tuple[str, ...]]]:
        """(trading class, expiry rule, exchanges) for an optionable underlying."""
        if underlying.sec_type == "IND":
            return list(INDEX_CLASSES.get(underlying.symbol, ((underlying.symbol, "monthly", ("SMART", "CBOE")),)))
        return [(underlying.symbol.replace(" ", ""), "equity", EQUITY_EXCHANGES)]

    def chains(self, underlying: "ContractDef") -> list[Chain]:
        """reqSecDefOptParams: one row per exchange and trading class."""
        if not self.optionable(underlying):
            return []
        today, grid = self.today(), strikes(underlying.price, underlying.sec_type == "IND")
        rows = []
        for trading_class, rule, exchanges in self.classes(underlying):
            listed = expirations(rule, today)
            rows += [Chain(ex, underlying.con_id, trading_class, "100", listed, grid) for ex in exchanges]
        return rows

    def find(self, query: Mapping[str, Any]) -> list["ContractDef"]:
        """Every listed option matching a query with secType OPT (symbol, or a known conId)."""
        con_id = int(query.get("conId") or 0)
        if con_id:
            found = self._by_id.get(con_id)
            return [found] if found is not None else []
        symbol = str(query.get("symbol") or "")
        underlyings = [c for c in self.catalog.contracts if c.symbol == symbol and self.optionable(c)
                       and (not query.get("currency") or query["currency"] == c.details.get("currency"))]
        wanted_right = RIGHTS.get(str(query.get("right") or "").upper())
        if query.get("right") and wanted_right is None:
            return []
        expiry = str(query.get("lastTradeDateOrContractMonth") or "")
        strike = float(query.get("strike") or 0.0)
        out = []
        for underlying in underlyings:
            today, grid = self.today(), strikes(underlying.price, underlying.sec_type == "IND")
            for trading_class, rule, exchanges in self.classes(underlying):
                if query.get("tradingClass") and query["tradingClass"] != trading_class:
                    continue
                if query.get("exchange") and query["exchange"] not in exchanges:
                    continue
                if query.get("multiplier") and str(query["multiplier"]) not in ("100", "100.0"):
                    continue
                for listed in expirations(rule, today):
                    if expiry and not listed.startswith(expiry):
                        continue
                    for k in grid:
                        if strike and abs(k - strike) > 1e-9:
                            continue
                        for right in ((wanted_right,) if wanted_right else ("C", "P")):
                            option = self.option(underlying, trading_class, exchanges, listed, k, right)
                            if not query.get("localSymbol") or query["localSymbol"] == option.details["localSymbol"]:
                                out.append(option.listed_on(query.get("exchange") or "SMART"))
        return out

    def by_con_id(self, con_id: int) -> "ContractDef | None":
        option = self._by_id.get(con_id)
        if option is not None and self.market is not None and con_id not in self.market.books:
            option.price = max(self.greeks(option).price, option.min_tick)  # the book starts at the model
        return option

    def of_underlying(self, con_id: int) -> list["ContractDef"]:
        return self._by_underlying.get(con_id, [])

    def option(self, underlying: "ContractDef", trading_class: str, exchanges: tuple[str, ...], expiry: str,
               strike: float, right: str) -> "ContractDef":
        """The option contract (created and registered on first use)."""
        key = (underlying.con_id, trading_class, expiry, strike, right)
        found = self._by_key.get(key)
        if found is not None:
            return found
        from .contracts import ContractDef
        con_id = self._new_con_id(key)
        d = underlying.details
        details: dict[str, Any] = {
            "conId": con_id, "symbol": underlying.symbol, "secType": "OPT",
            "lastTradeDateOrContractMonth": expiry, "lastTradeDate": expiry, "strike": strike, "right": right,
            "multiplier": "100", "exchange": "SMART", "currency": d.get("currency", "USD"),
            "localSymbol": occ_symbol(trading_class, expiry, right, strike), "marketName": trading_class,
            "tradingClass": trading_class, "minTick": 0.01 if underlying.sec_type == "STK" else 0.05,
            "orderTypes": EQUITY_ORDER_TYPES, "validExchanges": ",".join(exchanges), "underConId": underlying.con_id,
            "longName": d.get("longName", ""), "contractMonth": expiry[:6], "industry": d.get("industry", ""),
            "category": d.get("category", ""), "subcategory": d.get("subcategory", ""), "timeZoneId": "US/Eastern",
            "tradingHours": d.get("liquidHours", ""), "liquidHours": d.get("liquidHours", ""),
            "underSymbol": underlying.symbol, "underSecType": underlying.sec_type,
            "marketRuleIds": ",".join(["32" if underlying.sec_type == "STK" else "110"] * len(exchanges)),
            "realExpirationDate": expiry, "aggGroup": 2, "minSize": 1, "sizeIncrement": 1, "suggestedSizeIncrement": 1,
        }
        option = ContractDef(details=details, price=1.0, volatility=0.0, implied_vol=underlying.implied_vol)
        option.price = max(self.greeks(option).price, option.min_tick)
        self._by_key[key] = option
        self._by_id[con_id] = option
        self._by_underlying.setdefault(underlying.con_id, []).append(option)
        return option

    def _new_con_id(self, key: tuple[Any, ...]) -> int:
        """A conId from the option's identity, moved on past any taken one (deterministic)."""
        con_id = OPTION_CON_ID_BASE + zlib.crc32(repr(key).encode()) % OPTION_CON_ID_SPAN
        while con_id in self._by_id or self.catalog.by_con_id(con_id) is not None:
            con_id += 1
        return con_id
