"""The standalone gateway as a subprocess, for the tests that run ``python -m ib_harness.fake_gateway``."""

from __future__ import annotations

import asyncio
import signal
import sys
from contextlib import asynccontextmanager
from typing import AsyncIterator, Sequence

GATEWAY = (sys.executable, "-m", "ib_harness.fake_gateway")


@asynccontextmanager
async def standalone(*args: str, command: Sequence[str] = GATEWAY) -> AsyncIterator[asyncio.subprocess.Process]:
    """Start it with output piped; it is killed if the test leaves it running."""
    process = await asyncio.create_subprocess_exec(
        *command, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def run_to_end(*args: str) -> tuple[int, str, str]:
    """Run it until it exits by itself (bad options): exit code, stdout, stderr."""
    async with standalone(*args) as process:
        out, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def read_line(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    return (await asyncio.wait_for(process.stdout.readline(), 20)).decode().strip()


async def stop_cleanly(process: asyncio.subprocess.Process, stop_signal: int = signal.SIGTERM) -> str:
    """Signal it and check that it exits 0 saying it stopped; returns the rest of its output."""
    process.send_signal(stop_signal)
    out, err = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, err.decode()
    assert "fake gateway stopped" in out.decode()
    return out.decode()
