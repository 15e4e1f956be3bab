"""The smoke replay: real ib_insync against the in-process gateway, told step by step.

Until the scenario runner exists this is ``make run``'s main job. Each step records what was
asked, what came back and how long it took, so a person sees at a glance that the wire works.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Iterable

from ib_insync import IB, Contract, Forex, LimitOrder, Stock

from ib_harness.fake_gateway import FakeGateway, GatewayConfig
from ib_harness.fake_gateway.faults.base import Fault


@dataclass
class Step:
    name: str
    outcome: str
    seconds: float
    ok: bool = True


@dataclass
class SmokeReport:
    gateway: str
    server_version: int = 0
    steps: list[Step] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)

    def render(self) -> str:
        lines = [f"smoke replay against fake gateway {self.gateway} (server version {self.server_version})"]
        for number, step in enumerate(self.steps, 1):
            mark = "ok " if step.ok else "FAIL"
            lines.append(f"  {number}. [{mark}] {step.name:<28} {step.seconds * 1000:8.2f} ms  {step.outcome}")
        lines.append(f"result: {'PASS' if self.ok else 'FAIL'} ({sum(s.ok for s in self.steps)}/{len(self.steps)} steps)")
        return "\n".join(lines)


async def _step(report: SmokeReport, name: str, action: Callable[[], Awaitable[Any]], describe: Callable[[Any], str]) -> Any:
    started = time.perf_counter()
    try:
        result = await action()
    except Exception as exc:  # the report must say what failed, not stop at it
        report.steps.append(Step(name, f"{type(exc).__name__}: {exc}", time.perf_counter() - started, ok=False))
        return None
    report.steps.append(Step(name, describe(result), time.perf_counter() - started))
    return result


async def run_smoke(config: GatewayConfig | None = None, client_id: int = 1,
                    faults: Iterable[Fault] = ()) -> SmokeReport:
    """Run every step against a fresh in-process gateway, with ``faults`` active from the start."""
    async with FakeGateway(config) as gateway:
        for fault in faults:
            gateway.faults.add(fault)
        report = SmokeReport(gateway=f"{gateway.host}:{gateway.port}")
        ib = IB()
        try:
            await _step(report, "connectAsync + startup sync",
                        lambda: ib.connectAsync(gateway.host, gateway.port, clientId=client_id, timeout=5),
                        lambda _: f"accounts {ib.managedAccounts()}, {len(ib.accountValues())} account values, "
                                  f"{len(ib.positions())} positions, {len(ib.openTrades())} open orders")
            report.server_version = ib.client.serverVersion()
            await _step(report, "reqCurrentTime", ib.reqCurrentTimeAsync, lambda t: f"server time {t:%Y-%m-%d %H:%M:%S %Z}")
            contracts = [Stock("AAPL", "SMART", "USD"), Forex("EURUSD")]
            await _step(report, "qualifyContracts", lambda: ib.qualifyContractsAsync(*contracts),
                        lambda found: ", ".join(f"{c.localSymbol or c.symbol} conId={c.conId}" for c in found)
                        if len(found) == len(contracts) and all(c.conId for c in found)
                        else _raise(f"qualified {len(found)} of {len(contracts)}"))
            await _step(report, "reqAccountSummary", ib.accountSummaryAsync,
                        lambda rows: f"{len(rows)} rows, NetLiquidation "
                                     f"{next((r.value for r in rows if r.tag == 'NetLiquidation'), '?')}")
            aapl = contracts[0]
            await _step(report, "reqMktData snapshot", lambda: ib.reqTickersAsync(aapl),
                        lambda found: f"AAPL bid {found[0].bid} ask {found[0].ask} last {found[0].last}")
            await _step(report, "reqHistoricalData", lambda: ib.reqHistoricalDataAsync(
                aapl, "", "1 D", "1 hour", "TRADES", False),
                lambda bars: f"{len(bars)} hourly bars, last close {bars[-1].close}" if bars else _raise("no bars"))
            await _step(report, "limit order fills on a cross", lambda: _fill_limit_order(ib, gateway, aapl),
                        lambda trade: f"BUY 10 AAPL LMT {trade.order.lmtPrice}: {trade.orderStatus.status} at "
                                      f"{trade.orderStatus.avgFillPrice}, commission "
                                      f"{sum(f.commissionReport.commission for f in trade.fills):.2f}")
            await _step(report, "restart + reconnect", lambda: _reconnect_across_restart(ib, gateway, client_id),
                        lambda fills: f"gateway restarted; after reconnecting {len(fills)} fill(s) and "
                                      f"{ib.positions()[0].position:g} AAPL are still there"
                        if fills and ib.positions() else _raise("state lost across the restart"))
        finally:
            ib.disconnect()
    return report


async def _fill_limit_order(ib: IB, gateway: FakeGateway, contract: Contract) -> Any:
    """Rest a buy limit below the market, then move the market through it."""
    market = gateway.brokerage.market
    price = market.quote(contract.conId).ask
    limit = round(price - 1.0, 2)
    trade = ib.placeOrder(contract, LimitOrder("BUY", 10, limit))
    await _wait(lambda: trade.orderStatus.status == "Submitted", "order to be working")
    market.pin(contract.conId, round(limit - 0.05, 2), spread=0.02)
    await _wait(lambda: trade.isDone() and trade.fills and trade.fills[-1].commissionReport.execId, "the fill")
    return trade


async def _reconnect_across_restart(ib: IB, gateway: FakeGateway, client_id: int) -> Any:
    ib.disconnect()
    await gateway.restart()
    await ib.connectAsync(gateway.host, gateway.port, clientId=client_id, timeout=5)
    return ib.fills()


async def _wait(condition: Callable[[], Any], what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.005)


def _raise(message: str) -> str:
    raise AssertionError(message)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--max-version", type=int, default=176, help="gateway's highest server version")
    parser.add_argument("--client-id", type=int, default=1, help="API client id of the smoke client")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    config = GatewayConfig(max_version=args.max_version, market_ticker=False)
    report = asyncio.run(run_smoke(config, args.client_id))
    print(report.render())
    return 0 if report.ok else 1
