"""The standalone gateway: one readable line with the real port, then a clean stop on a signal."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from fake_gateway.raw_client import RawTwsClient

VENV_BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "fake_gateway"],
    [str(VENV_BIN / "ib-harness"), "gateway"],
])
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
async def test_standalone_gateway_serves_then_stops_cleanly(command: list[str], stop_signal: int) -> None:
    process = await asyncio.create_subprocess_exec(
        *command, "--port", "0", "--log-level", "WARNING",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        prefix = "fake gateway listening on "
        assert line.startswith(prefix), line
        host, port = line[len(prefix):].rsplit(":", 1)
        assert host == "127.0.0.1" and int(port) > 0
        client = await RawTwsClient.connect(host, int(port))
        assert (await client.handshake())[0] == "176"
        await client.close()
        process.send_signal(stop_signal)
        out, err = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0, err.decode()
        assert "fake gateway stopped" in out.decode()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def test_invalid_option_exits_2_with_the_reason() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "fake_gateway", "--max-version", "150",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 2
    assert "outside the supported range 157..200" in err.decode()


async def _run_gateway(*args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "fake_gateway", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 20)
    return process.returncode, out.decode(), err.decode()


@pytest.mark.parametrize("text,message", [
    ("max_version: 176\n  max_clients: 3\n", "settings.yaml:2: not valid YAML: mapping values are not allowed here"),
    ("max_version: 150\n", "settings.yaml: invalid gateway settings: max_version: Value error, server version 150"),
    ("accounts:\n  - {account_id: DU1, cash: lots}\n", "accounts.0.cash: Input should be a valid number"),
    ("bogus_setting: 1\n", "bogus_setting: Extra inputs are not permitted"),
    ("- a list\n", "expected a mapping of gateway settings, got list"),
])
async def test_bad_settings_file_exits_2_naming_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    code, _, err = await _run_gateway("--config", str(path))
    assert code == 2
    assert message in err


async def test_settings_file_with_flags_on_top(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("max_version: 190\nmax_clients: 3\naccounts:\n  - {account_id: DU5550001}\n")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "fake_gateway", "--config", str(path), "--port", "0", "--log-level", "WARNING",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()
        port = int(line.rsplit(":", 1)[1])
        client = await RawTwsClient.connect("127.0.0.1", port)
        assert (await client.handshake(157, 200))[0] == "190"
        await client.start_api(1)
        assert await client.read() == ["15", "1", "DU5550001"]
        await client.close()
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
