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
from typing import Any, Awaitable, Callable

from ib_insync import IB, Forex, Stock

from fake_gateway import FakeGateway, GatewayConfig


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


async def run_smoke(config: GatewayConfig | None = None, client_id: int = 1) -> SmokeReport:
    async with FakeGateway(config) as gateway:
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
        finally:
            ib.disconnect()
    return report


def _raise(message: str) -> str:
    raise AssertionError(message)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--max-version", type=int, default=176, help="gateway's highest server version")
    parser.add_argument("--client-id", type=int, default=1)
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING)
    report = asyncio.run(run_smoke(GatewayConfig(max_version=args.max_version), args.client_id))
    print(report.render())
    return 0 if report.ok else 1
