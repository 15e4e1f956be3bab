"""Items 1 and 2 of issue 17: the contract universe and reqMatchingSymbols, through real clients."""

from __future__ import annotations

import asyncio
from pathlib import Path

import ib_insync
import pytest

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.state.contracts import CatalogError, ContractCatalog, default_catalog
from tests.ibapi_app import RecordingApp, ibapi_contract

FRONT_MONTHS = {"ES": "CME", "NQ": "CME", "RTY": "CME", "YM": "CBOT", "ZN": "CBOT", "ZC": "CBOT",
                "CL": "NYMEX", "NG": "NYMEX", "GC": "COMEX", "SI": "COMEX", "HG": "COMEX"}


def test_the_catalog_holds_the_universe_users_recognise() -> None:
    catalog = default_catalog()
    stocks = [c for c in catalog.contracts if c.sec_type == "STK"]
    assert len(stocks) >= 150
    assert {"AMD", "INTC", "META", "JPM", "XOM", "SPY", "IWM", "TLT", "GLD"} <= {c.symbol for c in stocks}
    assert {c.symbol for c in catalog.contracts if c.sec_type == "IND"} >= {"SPX", "NDX", "VIX", "RUT", "INDU"}
    pairs = {c.details["localSymbol"] for c in catalog.contracts if c.sec_type == "CASH"}
    assert {"EUR.USD", "GBP.USD", "USD.JPY", "USD.CHF", "USD.CAD", "AUD.USD", "NZD.USD", "EUR.GBP", "EUR.JPY"} <= pairs
    futures = {(c.symbol, c.details["exchange"]) for c in catalog.contracts if c.sec_type == "FUT"}
    assert set(FRONT_MONTHS.items()) <= futures
    continuous = {(c.symbol, c.con_id) for c in catalog.contracts if c.sec_type == "CONTFUT"}
    assert {(c.symbol, c.con_id) for c in catalog.contracts if c.sec_type == "FUT"} == continuous
    # IB's real conIds where a public source shows them
    assert {s: catalog.by_symbol(s).con_id for s in ("AAPL", "AMD", "INTC", "SPX", "VIX")} == {  # type: ignore[union-attr]
        "AAPL": 265598, "AMD": 4391, "INTC": 270639, "SPX": 416904, "VIX": 13455763}


def test_conids_are_deterministic_and_unique() -> None:
    first, second = default_catalog(), default_catalog()
    ids = [c.con_id for c in first.contracts if c.sec_type != "CONTFUT"]
    assert len(ids) == len(set(ids))
    assert [c.con_id for c in first.contracts] == [c.con_id for c in second.contracts]
    assert first.by_symbol("META").con_id == second.by_symbol("META").con_id  # type: ignore[union-attr]


def test_a_yaml_entry_without_conid_gets_one_and_duplicates_are_refused(tmp_path: Path) -> None:
    catalog = ContractCatalog.from_mapping({"contracts": [{"symbol": "ACME", "secType": "STK", "price": 3}]})
    assert catalog.contracts[0].con_id >= 1_100_000_000
    with pytest.raises(CatalogError, match=r"contracts\[1\] \(B\): conId 7 is already used by A"):
        ContractCatalog.from_mapping({"contracts": [{"conId": 7, "symbol": "A", "secType": "STK"},
                                                    {"conId": 7, "symbol": "B", "secType": "STK"}]})


async def test_stocks_users_ask_for_qualify(ib: ib_insync.IB) -> None:
    amd, intc, brk = await ib.qualifyContractsAsync(
        ib_insync.Stock("AMD", "SMART", "USD"), ib_insync.Stock("INTC", "SMART", "USD", primaryExchange="NASDAQ"),
        ib_insync.Stock("BRK B", "SMART", "USD"))
    assert (amd.conId, amd.primaryExchange, amd.tradingClass) == (4391, "NASDAQ", "NMS")
    assert intc.conId == 270639
    assert brk.localSymbol == "BRK B"


async def test_a_stock_without_exchange_lists_smart_then_its_primary_then_the_others(ib: ib_insync.IB) -> None:
    details = await ib.reqContractDetailsAsync(ib_insync.Stock("AMD"))
    exchanges = [d.contract.exchange for d in details]
    assert exchanges[:2] == ["SMART", "NASDAQ"]
    assert {"ARCA", "NYSE", "IEX", "BATS"} <= set(exchanges[2:])
    assert len(exchanges) == len(set(exchanges))
    assert {d.contract.conId for d in details} == {4391}


async def test_a_stock_on_one_exchange_is_listed_there(ib: ib_insync.IB) -> None:
    [arca] = await ib.reqContractDetailsAsync(ib_insync.Stock("SPY", "ARCA", "USD"))
    assert (arca.contract.exchange, arca.contract.primaryExchange, arca.contract.conId) == ("ARCA", "ARCA", 756733)


async def test_a_symbol_alone_gets_each_sec_type(ib: ib_insync.IB) -> None:
    details = await ib.reqContractDetailsAsync(ib_insync.Contract(symbol="ES"))
    assert sorted(d.contract.secType for d in details) == ["CONTFUT", "FUT"]
    assert len({d.contract.conId for d in details}) == 1


async def test_a_conid_alone_resolves(ib: ib_insync.IB) -> None:
    [intc] = await ib.qualifyContractsAsync(ib_insync.Contract(conId=270639))
    assert (intc.symbol, intc.secType, intc.exchange) == ("INTC", "STK", "SMART")
    [es] = await ib.reqContractDetailsAsync(ib_insync.Contract(conId=495512563))
    assert es.contract.secType == "FUT" and es.contract.multiplier == "50"


async def test_indices_fx_and_futures_qualify(ib: ib_insync.IB) -> None:
    spx, vix, rut, audusd, eurjpy = await ib.qualifyContractsAsync(
        ib_insync.Index("SPX", "CBOE"), ib_insync.Index("VIX", "CBOE"), ib_insync.Index("RUT", "RUSSELL"),
        ib_insync.Forex("AUDUSD"), ib_insync.Forex("EURJPY"))
    assert (spx.conId, vix.conId, rut.secType) == (416904, 13455763, "IND")
    assert (audusd.localSymbol, audusd.exchange, eurjpy.localSymbol) == ("AUD.USD", "IDEALPRO", "EUR.JPY")
    for symbol, exchange in FRONT_MONTHS.items():
        [cont] = await ib.qualifyContractsAsync(ib_insync.ContFuture(symbol, exchange))
        [front] = await ib.reqContractDetailsAsync(ib_insync.Future(symbol, exchange=exchange))
        assert cont.secType == "CONTFUT" and cont.conId == front.contract.conId
        assert float(front.contract.multiplier) > 0 and front.contract.lastTradeDateOrContractMonth


async def test_an_unknown_symbol_is_error_200(ib: ib_insync.IB) -> None:
    errors: list[int] = []
    ib.errorEvent += lambda req_id, code, *rest: errors.append(code)
    assert await ib.qualifyContractsAsync(ib_insync.Stock("NOSUCH", "SMART", "USD")) == []
    assert errors == [200]


async def test_matching_symbols_prefix_description_derivatives_and_the_limit(ib: ib_insync.IB) -> None:
    [intc, *_] = await ib.reqMatchingSymbolsAsync("intc")
    assert (intc.contract.symbol, intc.contract.conId, intc.contract.primaryExchange) == ("INTC", 270639, "NASDAQ")
    assert intc.derivativeSecTypes == ["CFD", "OPT", "IOPT", "WAR", "BAG"]
    assert intc.contract.description == "INTEL CORP"
    semis = await ib.reqMatchingSymbolsAsync("micro")
    assert {"MSFT", "AMD", "MU"} <= {d.contract.symbol for d in semis}
    many = await ib.reqMatchingSymbolsAsync("A")
    assert len(many) == 16  # IB's limit
    [spx, *_] = await ib.reqMatchingSymbolsAsync("SPX")
    assert spx.contract.secType == "IND" and "OPT" in spx.derivativeSecTypes
    [es, *_] = await ib.reqMatchingSymbolsAsync("ES")
    assert es.contract.secType == "FUT" and es.derivativeSecTypes == ["FOP"]


async def test_ibapi_gets_every_listing_of_a_stock_without_exchange() -> None:
    async with FakeGateway(market_ticker=False) as gateway:
        app = RecordingApp()
        await asyncio.to_thread(app.start, gateway.host, gateway.port, 3)
        try:
            app.reqContractDetails(7, ibapi_contract("INTC", exchange="", currency=""))
            await asyncio.to_thread(app.wait_for, "contractDetailsEnd")
            listed = [c[1].contract for c in app.calls["contractDetails"] if c[0] == 7]
            assert [c.exchange for c in listed[:2]] == ["SMART", "NASDAQ"] and len(listed) > 10
            assert {c.conId for c in listed} == {270639}
        finally:
            await asyncio.to_thread(app.stop)
