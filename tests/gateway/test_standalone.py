"""The standalone gateway: one readable line with the real port, then a clean stop on a signal."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from ib_harness.fake_gateway.raw_client import RawTwsClient
from tests.standalone import read_line, run_to_end, standalone, stop_cleanly

VENV_BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "ib_harness.fake_gateway"],
    [str(VENV_BIN / "ib-harness"), "gateway"],
])
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
async def test_standalone_gateway_serves_then_stops_cleanly(command: list[str], stop_signal: int) -> None:
    async with standalone("--port", "0", "--log-level", "WARNING", command=command) as process:
        line = await read_line(process)
        prefix = "fake gateway listening on "
        assert line.startswith(prefix), line
        host, port = line[len(prefix):].rsplit(":", 1)
        assert host == "127.0.0.1" and int(port) > 0
        client = await RawTwsClient.connect(host, int(port))
        assert (await client.handshake())[0] == "176"
        await client.close()
        await stop_cleanly(process, stop_signal)


async def test_invalid_option_exits_2_with_the_reason() -> None:
    code, _, err = await run_to_end("--max-version", "150")
    assert code == 2
    assert "outside the supported range 157..200" in err


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
    code, _, err = await run_to_end("--config", str(path))
    assert code == 2
    assert message in err


async def test_settings_file_with_flags_on_top(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("max_version: 190\nmax_clients: 3\naccounts:\n  - {account_id: DU5550001}\n")
    async with standalone("--config", str(path), "--port", "0", "--log-level", "WARNING") as process:
        port = int((await read_line(process)).rsplit(":", 1)[1])
        client = await RawTwsClient.connect("127.0.0.1", port)
        assert (await client.handshake(157, 200))[0] == "190"
        await client.start_api(1)
        assert await client.read() == ["15", "1", "DU5550001"]
        await client.close()
        await stop_cleanly(process)
