"""``ib-harness api`` as a process: in-process fake gateway by default, or --gateway HOST:PORT."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from ib_harness.fake_gateway import FakeGateway
from ib_harness.load.stack import Child


def start(args: list[str], tmp_path: Path) -> Child:
    process = subprocess.Popen([sys.executable, "-m", "ib_harness", "api", *args], stdout=subprocess.PIPE,
                               stderr=open(tmp_path / "api.err", "w"), text=True)
    return Child("api", process)


def test_serves_against_an_in_process_gateway_and_stops_on_sigterm(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("s3cret\n")
    child = start(["--token-file", str(tmp_path / "token")], tmp_path)
    try:
        lines = child.wait_listening({"api", "fake gateway"}, 60)
        health = httpx.get(lines["api"] + "/health", timeout=10)
        assert health.status_code == 200 and health.json()["state"] == "ready"
        placed = httpx.post(lines["api"] + "/orders", json={"symbol": "AAPL", "side": "BUY", "quantity": 1,
                                                            "order_type": "MARKET"},
                            headers={"Authorization": "Bearer s3cret", "Idempotency-Key": "cli-1"}, timeout=10)
        assert placed.status_code == 201, placed.text
        child.process.send_signal(signal.SIGTERM)
        assert child.process.wait(20) == 0
    finally:
        child.stop()


async def test_points_at_a_given_gateway(tmp_path: Path) -> None:
    async with FakeGateway() as gateway:
        child = start(["--gateway", f"{gateway.host}:{gateway.port}", "--client-id", "9",
                       "--journal", str(tmp_path / "j.sqlite3")], tmp_path)
        try:
            lines = await asyncio.to_thread(child.wait_listening, {"api"}, 60)
            assert "fake gateway" not in lines
            async with httpx.AsyncClient(base_url=lines["api"], timeout=10) as http:
                assert (await http.get("/health")).json()["ready"] is True
            assert [s.client_id for s in gateway.sessions] == [9]
            assert any(line.startswith("api token (generated): ") for line in child.lines)
        finally:
            await asyncio.to_thread(child.stop)


def test_a_bad_gateway_option_exits_2_naming_it(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "ib_harness", "api", "--gateway", "nohostport"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--gateway" in done.stderr and "HOST:PORT" in done.stderr


def test_a_token_on_the_command_line_is_refused_naming_the_safe_ways(tmp_path: Path) -> None:
    """Every argument is in the process list (ps): a --token value is public on a shared host."""
    done = subprocess.run([sys.executable, "-m", "ib_harness", "api", "--token=s3cret"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "IB_API_TOKEN" in done.stderr and "--token-file" in done.stderr
    empty = tmp_path / "empty"
    empty.write_text("\n")
    done = subprocess.run([sys.executable, "-m", "ib_harness", "api", "--token-file", str(empty)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and f"token file {empty} is empty" in done.stderr
