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
