"""The contract catalog from YAML, and gateways with several accounts."""

from __future__ import annotations

from pathlib import Path

import ib_insync
import pytest

from ib_harness.fake_gateway import AccountConfig, FakeGateway, GatewayConfig
from ib_harness.fake_gateway.state.contracts import CatalogError, ContractCatalog, default_catalog

CUSTOM = """
defaults:
  STK: {exchange: SMART, currency: USD, minTick: 0.01, validExchanges: "SMART,ISLAND"}
contracts:
  - {conId: 4242, symbol: ACME, secType: STK, primaryExchange: ISLAND, longName: ACME CORP, price: 12.5}
"""


def test_default_catalog_has_stocks_fx_and_a_future() -> None:
    catalog = default_catalog()
    kinds = {c.sec_type for c in catalog.contracts}
    assert kinds == {"STK", "CASH", "FUT", "CONTFUT", "IND"}
    [eurusd] = catalog.find({"symbol": "EUR", "secType": "CASH", "exchange": "IDEALPRO", "currency": "USD"})
    assert eurusd.con_id == 12087792 and eurusd.details["localSymbol"] == "EUR.USD"
    assert catalog.find({"symbol": "AAPL", "secType": "STK", "exchange": "NOWHERE"}) == []
    assert {"MSFT", "MU", "AMD"} <= {c.symbol for c in catalog.search("MICRO")}


async def test_gateway_serves_a_catalog_loaded_from_yaml(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(CUSTOM)
    async with FakeGateway(catalog=str(path), market_ticker=False) as gateway:
        ib = ib_insync.IB()
        await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=5)
        try:
            [acme] = await ib.qualifyContractsAsync(ib_insync.Stock("ACME", "SMART", "USD"))
            assert acme.conId == 4242 and acme.primaryExchange == "ISLAND"
            assert await ib.qualifyContractsAsync(ib_insync.Stock("AAPL", "SMART", "USD")) == []
            [ticker] = await ib.reqTickersAsync(acme)
            assert ticker.last == 12.5
        finally:
            ib.disconnect()


@pytest.mark.parametrize("text,message", [
    ("contracts: {a: 1}", "'contracts' must be a list"),
    ("contracts:\n  - {symbol: X, conId: 7}", "contracts[0]: missing 'secType'"),
    ("contracts:\n  - {conId: 1, symbol: X, secType: STK, price: -3}", "contracts[0]: price must be positive"),
    ("contracts: [", "not valid YAML"),
    ("contracts:\n  - 7", "contracts[0]: must be a mapping"),
])
def test_bad_catalog_files_say_where_and_what(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(CatalogError, match=message.replace("[", r"\[").replace("]", r"\]")) as error:
        ContractCatalog.from_yaml(path)
    assert str(path) in str(error.value)


def test_a_position_in_an_unknown_symbol_is_refused() -> None:
    with pytest.raises(ValueError, match="position in unknown symbol 'NOPE'"):
        FakeGateway(GatewayConfig(accounts=[AccountConfig(positions={"NOPE": 1})]))


async def test_two_accounts_are_managed_and_synced() -> None:
    config = GatewayConfig(market_ticker=False, accounts=[
        AccountConfig(account_id="DU1000001", cash=50_000, positions={"AAPL": 10}),
        AccountConfig(account_id="DU1000002", cash=75_000, positions={"MSFT": 5}),
    ])
    async with FakeGateway(config) as gateway:
        ib = ib_insync.IB()
        await ib.connectAsync(gateway.host, gateway.port, clientId=1, timeout=5)
        try:
            assert ib.managedAccounts() == ["DU1000001", "DU1000002"]
            by_account = {(p.account, p.contract.symbol): p.position for p in ib.positions()}
            assert by_account == {("DU1000001", "AAPL"): 10, ("DU1000002", "MSFT"): 5}
            cash = {v.account: float(v.value) for v in ib.accountValues()
                    if v.tag == "TotalCashValue" and v.currency == "USD"}
            assert cash == {"DU1000001": pytest.approx(50_000), "DU1000002": pytest.approx(75_000)}
        finally:
            ib.disconnect()
