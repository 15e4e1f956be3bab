"""`make run`'s main job: the smoke replay passes and prints a readable account of each step."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from ib_harness.fake_gateway import GatewayConfig
from ib_harness.scenarios.smoke import run_smoke


async def test_smoke_replay_passes_every_step() -> None:
    report = await run_smoke(GatewayConfig(market_ticker=False))
    assert report.ok, report.render()
    assert report.server_version == 176
    names = [step.name for step in report.steps]
    assert names[0] == "connectAsync + startup sync" and "limit order fills on a cross" in names
    assert "result: PASS (8/8 steps)" in report.render()


async def test_smoke_command_prints_the_report() -> None:
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "ib-harness"), "smoke",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    text = out.decode()
    assert text.startswith("smoke replay against fake gateway 127.0.0.1:")
    assert "qualifyContracts" in text and "result: PASS" in text
