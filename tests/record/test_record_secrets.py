"""A recording holds account numbers and balances: the file is 0600, it is written as the session
goes (a ``kill -9`` loses at most the last second), and ``--redact`` masks accounts and money."""

from __future__ import annotations

import asyncio
import json
import signal
import stat
import sys
from pathlib import Path

from ib_insync import IB

from ib_harness.fake_gateway import FakeGateway
from ib_harness.fake_gateway.record import Recording, RecordingProxy
from tests.waiting import until

ACCOUNT = "DU1234567"


async def start_record(gateway: FakeGateway, out: Path, *more: str) -> tuple[asyncio.subprocess.Process, int]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ib_harness", "record", "--upstream", f"{gateway.host}:{gateway.port}", "--out", str(out),
        "--log-level", "WARNING", *more, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
    assert line.startswith("recording "), line
    return process, int(line.split()[1].rsplit(":", 1)[1])


async def test_a_killed_recorder_leaves_a_private_file_with_the_session(tmp_path: Path) -> None:
    """The proxy saved only on SIGINT/SIGTERM: kill -9 lost the whole recording."""
    out = tmp_path / "session.json"
    async with FakeGateway(market_ticker=False) as gateway:
        process, port = await start_record(gateway, out)
        try:
            ib = IB()
            await ib.connectAsync("127.0.0.1", port, clientId=3, timeout=5)
            try:
                await until(lambda: bool(ib.accountValues()), what="account values through the proxy")
                await asyncio.sleep(1.6)  # the recorder writes at least once a second: let one write pass
            finally:
                ib.disconnect()
        finally:
            process.send_signal(signal.SIGKILL)
            await process.wait()
    assert out.exists(), "nothing on disk after kill -9"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    recording = Recording.load(out)
    [session] = recording.sessions
    assert session.server_version == 176 and any(f.layout == "acctValue" for f in session.frames)
    assert not list(tmp_path.glob("*.tmp")), "no temporary file left next to the recording"


async def test_a_cleanly_stopped_recording_is_0600_too(tmp_path: Path) -> None:
    out = tmp_path / "clean.json"
    async with FakeGateway(market_ticker=False) as gateway:
        process, _port = await start_record(gateway, out)
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and Recording.load(out).sessions == []


async def test_redact_masks_account_ids_and_money_values(tmp_path: Path) -> None:
    out = tmp_path / "redacted.json"
    async with FakeGateway(market_ticker=False) as gateway, \
            RecordingProxy(gateway.host, gateway.port, redact=True) as proxy:
        ib = IB()
        await ib.connectAsync(proxy.host, proxy.port, clientId=4, timeout=5)
        try:
            await until(lambda: bool(ib.accountValues()), what="account values through the proxy")
            assert any(v.account == ACCOUNT for v in ib.accountValues())  # the client saw the real ones
        finally:
            ib.disconnect()
        await until(lambda: not gateway.sessions)
    proxy.recording.save(out)
    text = out.read_text()
    assert ACCOUNT not in text
    recording = Recording.load(out)
    values = [f for s in recording.sessions for f in s.frames if f.layout == "acctValue"]
    assert values, "the account values are still recorded, masked"
    money = [f for f in values if f.named and f.named["key"] in ("NetLiquidation", "TotalCashValue", "BuyingPower")]
    assert money and all(f.named["value"] == "0.0" and f.named["accountName"] == "DU0000001" for f in money)
    managed = [f for s in recording.sessions for f in s.frames if f.layout == "managedAccounts"]
    assert managed and all(f.raw[2] == "DU0000001" for f in managed)
    assert "1000000" not in json.dumps([f.raw for f in values])


async def test_an_unwritable_out_is_exit_2_naming_it(tmp_path: Path) -> None:
    out = tmp_path / "missing-dir" / "x.json"
    async with FakeGateway(market_ticker=False) as gateway:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "ib_harness", "record", "--upstream", f"{gateway.host}:{gateway.port}",
            "--out", str(out), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        _out, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2 and str(out) in err.decode()
